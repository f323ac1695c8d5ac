"""Building blocks every request kind shares: the registry entry, the form base and period checks."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ApprovalStep:
    """One step of a kind's approval: decided by whoever holds `permission` on the applicant's unit or above."""

    permission: str
    label: Promise


@dataclass(frozen=True)
class RequestKind:
    """What the portal needs to know about one kind of request."""

    slug: str
    label: Promise
    description: Promise
    model: type[models.Model]
    form_class: type[forms.ModelForm]
    detail_template: str
    steps: tuple[ApprovalStep, ...] = ()
    # Called by the workflow, inside the same transaction, when a request of this kind is finally
    # approved, rejected or withdrawn: `on_settled(request, event)`. An exception undoes the change.
    on_settled: Callable[..., None] | None = None
    accepts_attachments: bool = False
    # False for kinds that arise from another request (a leave cancellation) rather than being filed on a
    # service page: they are found by slug but not offered in choices or lists of services.
    listed: bool = True

    def step(self, number: int) -> ApprovalStep | None:
        """The 1-based step `number`, or None past the last step."""
        return self.steps[number - 1] if 1 <= number <= len(self.steps) else None

    def steps_for(self, request: Any) -> tuple[ApprovalStep, ...]:
        """Override point: the approval steps of one request; the kind's static `steps` by default.

        Routing and decisions ask this, so a kind whose steps depend on the request (the generic kind,
        decided by whoever the service page names) can answer from what was fixed at submission.
        """
        return self.steps

    def step_plan_for(self, service_page: Any) -> list[str]:
        """Override point: the permission codenames to fix on a request when it is submitted on `service_page`.

        Stored in `ServiceRequest.step_plan`, so that later edits of the page do not change a running
        request. Empty (the default) means the kind's own `steps` apply.
        """
        return []

    def summary(self, details: Any) -> str:
        """A one-line description for lists ("12.01.2027 – 16.01.2027")."""
        if details is None:
            return ""
        return details.summary()


class KindRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, RequestKind] = {}

    def register(self, kind: RequestKind) -> RequestKind:
        if kind.slug in self._kinds:
            raise ValueError(f"Request kind {kind.slug!r} is registered twice.")
        self._kinds[kind.slug] = kind
        return kind

    def get(self, slug: str) -> RequestKind | None:
        return self._kinds.get(slug)

    def __iter__(self):
        """The kinds offered as services (listed ones); `get` also finds the unlisted ones."""
        return iter([kind for kind in self._kinds.values() if kind.listed])

    def choices(self) -> list[tuple[str, Promise]]:
        return [(kind.slug, kind.label) for kind in self]


registry = KindRegistry()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class KindForm(forms.ModelForm):
    """Base form of a kind: knows the applicant, so that checks can depend on who is asking."""

    def __init__(self, *args, applicant, **kwargs) -> None:
        self.applicant = applicant
        super().__init__(*args, **kwargs)

    def clean_period(self, start_field: str, end_field: str, *, end_required: bool = True, max_days: int | None = None) -> None:
        """End not before start and the span within the limit.

        A start in the past is allowed on purpose: staff file paid time off for an occasion or a
        flexitime day after the fact, and the approver sees the dates.
        """
        start: datetime.date | None = self.cleaned_data.get(start_field)
        end: datetime.date | None = self.cleaned_data.get(end_field)
        if start is None:
            return
        if end is None:
            if end_required and end_field not in self.errors:
                self.add_error(end_field, _("Enter the last day."))
            return
        if end < start:
            self.add_error(end_field, _("The end (%(end)s) must not be before the start (%(start)s).") % {
                "end": end.strftime("%d.%m.%Y"), "start": start.strftime("%d.%m.%Y")})
            return
        limit = max_days or settings.REQUEST_MAX_SPAN_DAYS
        if (end - start).days + 1 > limit:
            self.add_error(end_field, _("The period may span at most %(days)d days; shorten it or file a second request.") % {
                "days": limit})

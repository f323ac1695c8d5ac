"""Building blocks every request kind shares: the registry entry, the form base and period checks."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal import dates


@dataclass(frozen=True)
class ApprovalStep:
    """One step of a kind's approval: decided by whoever holds `permission` on the applicant's unit or above."""

    permission: str
    label: Promise


@dataclass(frozen=True)
class RequestKind:
    """What the portal needs to know about one kind of request.

    Everything kind-specific that generic code needs (lists, queues, the form page, the request page,
    the workflow, the permission answers) is asked of this entry, so that no generic module names a
    kind: a new kind is one module that registers its entry, plus its detail template.
    """

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
    # Related rows a list of requests joins beside the detail row itself (e.g. "leave__leave_type").
    extra_relations: tuple[str, ...] = ()
    # The ORM path from a request to the colleague named as its substitute ("leave__substitute"), for kinds
    # whose substitute confirms before the approvers see the request; empty for the others.
    substitute_lookup: str = ""
    # Whether the applicant may ask to cancel an approved request of this kind (services.statuses.Step.CANCEL).
    cancellable: bool = False
    # Templates the generic pages include for this kind, with what `form_context` / `detail_context` add:
    # below the form's fields, below the applicant's actions on the request page, and above the decision form.
    form_extras_template: str = ""
    actions_template: str = ""
    decision_extras_template: str = ""
    # The ORM path from a request to the first day it concerns ("leave__start_date"), for the queue's order by first
    # day; empty: the day it was submitted.
    first_day_lookup: str = ""
    # Included in each of this kind's rows of the queue, with what `queue_context` answered for that row.
    queue_template: str = ""

    @property
    def relation(self) -> str:
        """The name under which a request reaches its detail row (the one-to-one's related name)."""
        return self.model._meta.get_field("request").remote_field.related_name

    @property
    def detail_relations(self) -> tuple[str, ...]:
        """What a list of requests joins to show this kind: the detail row and its own relations."""
        return (self.relation, *self.extra_relations)

    def details_of(self, request: Any) -> Any:
        """The detail row of `request` if it was joined or exists, else None (a draft has none)."""
        try:
            return getattr(request, self.relation)
        except self.model.DoesNotExist:
            return None

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

    def label_for(self, request: Any) -> str:
        """Override point: what this request's kind is called in lists, on its page, in messages and documents.

        The kind's label by default; the generic kind answers with the name of the service it was filed on.
        """
        return str(self.label)

    def summary(self, details: Any) -> str:
        """A one-line description for lists ("12.01.2027 – 16.01.2027")."""
        if details is None:
            return ""
        return details.summary()

    def complete_details(self, details: Any, *, applicant: Any) -> None:
        """Override point: fill in what the portal computes rather than the applicant enters (a leave's working days).

        Called by the workflow on every submission and resubmission, just before the detail row is
        saved, so that whoever files the request, the stored values are the portal's own.
        """

    def substitute_of(self, details: Any) -> Any | None:
        """Override point: the colleague named as substitute on the request, if the kind has one."""
        return None

    def substitute_to_confirm(self, details: Any) -> Any | None:
        """Override point: the substitute who must confirm before the approvers see the request, or None."""
        return None

    def absent_on(self, day: datetime.date) -> Q | None:
        """Override point: which requests of this kind keep their applicant away on `day` (a filter on ServiceRequest).

        An out-of-office substitute holds a holder's responsibilities on such days (services.permissions).
        """
        return None

    def form_context(self, http_request: Any, form: Any, *, target: Any = None) -> dict:
        """Override point: what the form page shows beside the form (a leave's balance and working days)."""
        return {}

    def detail_context(self, http_request: Any, request: Any) -> dict:
        """Override point: what the request's page shows beside its details (a leave's team warning)."""
        return {}

    def queue_context(self, requests: list[Any], *, user: Any) -> dict[int, dict]:
        """Override point: what the queue shows in each of these requests' rows (`queue_template`), by request id.

        Called once per page of the queue with all of its rows of this kind, so that a kind answers for the whole
        page in a fixed number of queries (a leave's remaining days and team warning).
        """
        return {}


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
        """The kinds offered as services (listed ones); `get` and `all` also find the unlisted ones."""
        return iter([kind for kind in self._kinds.values() if kind.listed])

    def all(self) -> list[RequestKind]:
        return list(self._kinds.values())

    def detail_relations(self) -> tuple[str, ...]:
        """What a list of requests of any kind joins so that each row shows its details without a query of its own."""
        return tuple(relation for kind in self._kinds.values() for relation in kind.detail_relations)

    def absence_filter(self, day: datetime.date) -> Q:
        """Requests of any kind that keep their applicant away on `day`."""
        absent = Q(pk__in=[])
        for kind in self._kinds.values():
            condition = kind.absent_on(day)
            if condition is not None:
                absent |= condition
        return absent

    def substitute_filter(self, user: Any) -> Q:
        """Requests of any kind that name `user` as the substitute who confirms them."""
        named = Q(pk__in=[])
        for kind in self._kinds.values():
            if kind.substitute_lookup:
                named |= Q(kind=kind.slug, **{kind.substitute_lookup: user})
        return named

    def choices(self) -> list[tuple[str, Promise]]:
        return [(kind.slug, kind.label) for kind in self]

    def decision_choices(self) -> list[tuple[str, Promise]]:
        """Every kind an approver decides, the unlisted ones (a leave cancellation) included: the queue's kind filter."""
        return [(kind.slug, kind.label) for kind in self._kinds.values()]

    def first_day_expression(self):
        """The first day each request concerns (its kind's `first_day_lookup`), else the day it was submitted."""
        lookups = [kind.first_day_lookup for kind in self._kinds.values() if kind.first_day_lookup]
        return Coalesce(*lookups, TruncDate("submitted_at"), output_field=models.DateField())

    def queue_context(self, requests: list[Any], *, user: Any) -> dict[int, dict]:
        """What each kind shows in its rows of the queue (RequestKind.queue_context), by request id."""
        by_kind: dict[str, list[Any]] = {}
        for request in requests:
            by_kind.setdefault(request.kind, []).append(request)
        context: dict[int, dict] = {}
        for slug, items in by_kind.items():
            kind = self._kinds.get(slug)
            if kind is not None:
                context.update(kind.queue_context(items, user=user))
        return context


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
    """Base form of a kind: knows the applicant, so that checks can depend on who is asking.

    What the form has checked itself is not asked of the database a second time when the model validates: a
    record chosen in a `ModelChoiceField` was found by the field among those offered, and a period passed through
    `clean_period` is in order (the table's constraint on its two days still holds whatever writes it); a form that
    finds a record itself adds its field to `_checked_by_the_form`.
    """

    def __init__(self, *args, applicant, **kwargs) -> None:
        self.applicant = applicant
        self._checked_by_the_form: set[str] = set()
        super().__init__(*args, **kwargs)

    def _get_validation_exclusions(self) -> set[str]:
        exclude = super()._get_validation_exclusions()
        chosen = {name for name, field in self.fields.items() if isinstance(field, forms.ModelChoiceField)}
        return exclude | chosen | self._checked_by_the_form

    def clean_period(self, start_field: str, end_field: str, *, end_required: bool = True, max_days: int | None = None) -> None:
        """End not before start and the span within the limit.

        A start in the past is allowed on purpose: staff file paid time off for an occasion or a
        flexitime day after the fact, and the approver sees the dates.
        """
        start: datetime.date | None = self.cleaned_data.get(start_field)
        end: datetime.date | None = self.cleaned_data.get(end_field)
        far_away = [name for name, value in ((start_field, start), (end_field, end)) if value and not dates.is_in_range(value)]
        for name in far_away:
            self.add_error(name, dates.out_of_range_message())
        if start is None or far_away:
            return
        if end is None:
            if end_required and end_field not in self.errors:
                self.add_error(end_field, _("Enter the last day."))
            return
        if end < start:
            self.add_error(end_field, _("The end (%(end)s) must not be before the start (%(start)s).") % {
                "end": end.strftime("%d.%m.%Y"), "start": start.strftime("%d.%m.%Y")})
            return
        self._checked_by_the_form |= {start_field, end_field}
        limit = max_days or settings.REQUEST_MAX_SPAN_DAYS
        if (end - start).days + 1 > limit:
            self.add_error(end_field, _("The period may span at most %(days)d days; shorten it or file a second request.") % {
                "days": limit})

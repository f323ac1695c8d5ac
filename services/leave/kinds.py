"""The two kinds of leave request, registered with the kind registry when the app is ready.

Leave itself (annual leave, special leave, paid time off for an occasion, flexitime days) and the
cancellation of approved leave. Whatever the generic request code needs to know about leave, it asks
these entries through the hooks of `services.kinds.base.RequestKind`.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from services.kinds.base import ApprovalStep, RequestKind, registry
from services.leave import cancellation, days, views
from services.leave.forms import LeaveCancellationForm, LeaveRequestForm
from services.leave.models import LeaveCancellation, LeaveRequest
from services.statuses import RequestStatus


@dataclass(frozen=True)
class LeaveKind(RequestKind):
    """Leave: its days are counted by the one rule when it is filed, its substitute may have to confirm first,
    approved leave keeps the applicant away (so their out-of-office substitute steps in) and can be cancelled."""

    def complete_details(self, details: LeaveRequest, *, applicant: Any) -> None:
        details.working_days = days.working_days(employee=applicant, start=details.start_date, end=details.end_date,
                                                 half_day_start=details.half_day_start, half_day_end=details.half_day_end,
                                                 memo=details)

    def substitute_of(self, details: LeaveRequest | None) -> Any | None:
        return details.substitute if details is not None and details.substitute_id else None

    def substitute_to_confirm(self, details: LeaveRequest | None) -> Any | None:
        substitute = self.substitute_of(details)
        return substitute if substitute is not None and details.leave_type.substitute_must_confirm else None

    def absent_on(self, day: datetime.date) -> Q:
        return Q(kind=self.slug, status=RequestStatus.APPROVED, leave__start_date__lte=day, leave__end_date__gte=day)

    def form_context(self, http_request: Any, form: Any, *, target: Any = None) -> dict:
        return views.leave_form_context(http_request, form, target=target)

    def detail_context(self, http_request: Any, request: Any) -> dict:
        return views.leave_detail_context(http_request, request)

    def queue_context(self, requests: list[Any], *, user: Any) -> dict[int, dict]:
        return views.leave_queue_context(requests, user=user)


@dataclass(frozen=True)
class LeaveCancellationKind(RequestKind):
    """A request to cancel approved leave: the queue shows the applicant's balance in the years of that leave."""

    def queue_context(self, requests: list[Any], *, user: Any) -> dict[int, dict]:
        return views.cancellation_queue_context(requests, user=user)


LEAVE_KIND = registry.register(LeaveKind(
    slug=cancellation.LEAVE,
    steps=(ApprovalStep("decide_leave", _("Unit")),),
    label=_("Leave"),
    description=_("Annual leave, special leave, paid time off for an occasion or a flexitime day."),
    model=LeaveRequest,
    form_class=LeaveRequestForm,
    detail_template="services/leave/kinds/leave.html",
    accepts_attachments=True,
    extra_relations=("leave__leave_type",),
    substitute_lookup="leave__substitute",
    cancellable=True,
    form_extras_template="services/leave/form_extras.html",
    actions_template="services/leave/actions.html",
    decision_extras_template="services/leave/decision_extras.html",
    first_day_lookup="leave__start_date",
    queue_template="services/leave/queue_row.html",
))

CANCELLATION_KIND = registry.register(LeaveCancellationKind(
    slug=cancellation.LEAVE_CANCELLATION,
    steps=(ApprovalStep("decide_leave", _("Unit")),),
    label=_("Leave cancellation"),
    description=_("Cancel or shorten approved leave."),
    model=LeaveCancellation,
    form_class=LeaveCancellationForm,
    detail_template="services/leave/kinds/leave_cancellation.html",
    listed=False,
    extra_relations=("leave_cancellation__original",),
    # The first day of the leave it cancels (or shortens).
    first_day_lookup="leave_cancellation__original__leave__start_date",
    queue_template="services/leave/queue_row.html",
    on_settled=lambda request, event: cancellation.cancellation_settle(cancellation=request, event=event),
))

"""Cancelling approved leave: a request of its own, decided by the same approvers as the leave.

Design: a cancellation is a separate ServiceRequest of the unlisted kind "leave_cancellation" whose
typed row points at the approved leave request (`original`) and says from which day on the leave
is no longer wanted (`from_date`; empty means the whole leave). It goes through the ordinary
workflow — submitted, routed to whoever holds `decide_leave` on the applicant's unit, decided,
withdrawn — so queues, delegations, substitutes, notifications and the audit trail need nothing new,
and the lifecycle of the leave itself keeps its shared statuses. Only when the cancellation is
approved does the leave change (to CANCELLED, or a shorter period); a refusal leaves it approved.
Both requests record what happened on their own timeline.
"""

import datetime

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from services.kinds.base import ApprovalStep, DateInput, KindForm, RequestKind, registry
from services.models import RequestEvent, RequestStatus, ServiceRequest


class LeaveCancellation(models.Model):
    """The typed fields of a request to cancel (or shorten) an approved leave request."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, primary_key=True, related_name="leave_cancellation")
    original = models.ForeignKey(ServiceRequest, verbose_name=_("leave request"), on_delete=models.PROTECT,
                                 related_name="cancellations")
    from_date = models.DateField(_("no longer on leave from"), null=True, blank=True,
                                 help_text=_("Empty: the whole leave is cancelled."))
    reason = models.TextField(_("reason"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("leave cancellation")
        verbose_name_plural = _("leave cancellations")

    def __str__(self) -> str:
        return self.summary()

    @property
    def new_end_date(self) -> datetime.date | None:
        return self.from_date - datetime.timedelta(days=1) if self.from_date else None

    def summary(self) -> str:
        if self.from_date is None:
            return gettext("Cancel the whole leave %(reference)s") % {"reference": self.original.reference}
        return gettext("Shorten leave %(reference)s: back at work from %(date)s") % {
            "reference": self.original.reference, "date": self.from_date.strftime("%d.%m.%Y")}


def cancellation_refusal(*, original: ServiceRequest, leave, from_date: datetime.date | None,
                         today: datetime.date) -> str | None:
    """Why this cancellation may not be asked for (a sentence for the person), or None when it may.

    Leave that has not started can be cancelled whole or from any of its days on. Leave that has
    started can only be shortened, from tomorrow at the earliest: days already taken stay taken.
    """
    if original.kind != "leave" or leave is None:
        return gettext("Only leave requests can be cancelled this way.")
    if original.status != RequestStatus.APPROVED:
        return gettext("Only approved leave can be cancelled; this request is %(status)s.") % {
            "status": original.get_status_display()}
    started = leave.start_date <= today
    if from_date is None or from_date <= leave.start_date:
        if started:
            return gettext("This leave began on %(start)s, so it can no longer be cancelled as a whole; "
                           "shorten it from %(tomorrow)s or later instead.") % {
                "start": leave.start_date.strftime("%d.%m.%Y"),
                "tomorrow": (today + datetime.timedelta(days=1)).strftime("%d.%m.%Y")}
        if from_date is not None and from_date < leave.start_date:
            return gettext("The day you are back must not be before the first day of leave (%(start)s).") % {
                "start": leave.start_date.strftime("%d.%m.%Y")}
        return None
    if from_date <= today:
        return gettext("Leave can only be shortened from a future day, that is from %(tomorrow)s on.") % {
            "tomorrow": (today + datetime.timedelta(days=1)).strftime("%d.%m.%Y")}
    if from_date > leave.end_date:
        return gettext("The leave ends on %(end)s; a day after that shortens nothing.") % {
            "end": leave.end_date.strftime("%d.%m.%Y")}
    if shortened_working_days(leave, from_date) <= 0:
        return gettext("No working day of leave would remain; cancel the whole leave instead.")
    return None


def shortened_working_days(leave, from_date: datetime.date):
    """The working days the leave counts when it ends the day before `from_date`.

    Counted by whatever services.kinds.leave currently offers (imported here, at call time, because
    the leave rules grow: holidays, personal work patterns).
    """
    import inspect

    from services.kinds import leave as leave_kind

    count = leave_kind.count_working_days
    end = from_date - datetime.timedelta(days=1)
    arguments = {"half_day_start": leave.half_day_start, "half_day_end": False}
    parameters = inspect.signature(count).parameters
    for name in ("user", "person", "applicant", "employee"):
        if name in parameters:
            arguments[name] = leave.request.applicant
            break
    return count(leave.start_date, end, **arguments)


class CancellationExtent(models.TextChoices):
    WHOLE = "whole", _("Cancel the whole leave")
    FROM_DATE = "from_date", _("Shorten it: I am back at work from a later day")


class LeaveCancellationForm(KindForm):
    """Whole or from a day on; used to ask for a cancellation and to change one sent back for changes."""

    extent = forms.ChoiceField(label=_("What should be cancelled?"), choices=CancellationExtent.choices,
                               initial=CancellationExtent.WHOLE, widget=forms.RadioSelect())

    class Meta:
        model = LeaveCancellation
        fields = ["from_date", "reason"]
        labels = {"from_date": _("Back at work from")}
        widgets = {"from_date": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "from_date": _("Only when shortening: the first day you are no longer on leave, e.g. 14.04.2027."),
            "reason": _("Optional. Anything the approver should know."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["extent"] = CancellationExtent.FROM_DATE if self.instance.from_date else CancellationExtent.WHOLE

    def clean(self):
        cleaned = super().clean()
        extent = cleaned.get("extent")
        if extent == CancellationExtent.WHOLE:
            cleaned["from_date"] = None
        elif extent == CancellationExtent.FROM_DATE and not cleaned.get("from_date") and "from_date" not in self.errors:
            self.add_error("from_date", _("Enter the first day you are back at work."))
        if extent and not self.errors and self.instance.original_id:
            original = self.instance.original
            refusal = cancellation_refusal(original=original, leave=getattr(original, "leave", None),
                                           from_date=cleaned.get("from_date"), today=timezone.localdate())
            if refusal:
                self.add_error("from_date" if cleaned.get("from_date") else "extent", refusal)
        return cleaned

    def save(self, commit: bool = True):
        self.instance.from_date = self.cleaned_data.get("from_date")
        return super().save(commit=commit)


KIND = registry.register(RequestKind(
    slug="leave_cancellation",
    steps=(ApprovalStep("decide_leave", _("Unit")),),
    label=_("Leave cancellation"),
    description=_("Cancel or shorten approved leave."),
    model=LeaveCancellation,
    form_class=LeaveCancellationForm,
    detail_template="services/kinds/leave_cancellation.html",
    listed=False,
    on_settled=lambda request, event: _settle(request, event),
))


def _settle(request: ServiceRequest, event: RequestEvent) -> None:
    """Carry the outcome of a cancellation over to its leave, inside the transaction that decided it."""
    from services.workflow import leave_cancellation_settle

    leave_cancellation_settle(cancellation=request, event=event)

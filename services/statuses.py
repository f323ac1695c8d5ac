"""The statuses of a request, and the one table of which status allows which step.

The workflow's guards (services.workflow) and the permission answers (services.permissions) both
read `ALLOWED_FROM`, so "may this request still be withdrawn?" has a single answer.
"""

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    # Filed, but waiting for the named substitute to confirm before it reaches the approvers (leave types that ask for it).
    AWAITING_SUBSTITUTE = "awaiting_substitute", _("Waiting for the substitute")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.AWAITING_SUBSTITUTE, RequestStatus.IN_REVIEW, RequestStatus.CHANGES_REQUESTED)
# Decidable by approvers: a request waiting for its substitute is open but in nobody's queue yet.
PENDING_DECISION_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW)
# Open and not yet decided: the applicant may still withdraw it, and leave in these states is booked.
UNDECIDED_STATUSES = (*PENDING_DECISION_STATUSES, RequestStatus.AWAITING_SUBSTITUTE, RequestStatus.CHANGES_REQUESTED)
FINAL_STATUSES = (RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN, RequestStatus.CANCELLED)


class Step(enum.StrEnum):
    """What can be done to a request; `ALLOWED_FROM` says from which statuses."""

    SAVE_DRAFT = "save_draft"
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    EDIT = "edit"  # continuing a draft, or changing a request sent back for changes
    DISCARD = "discard"  # deleting a draft
    WITHDRAW = "withdraw"
    DECIDE = "decide"  # approve, reject, ask for changes, forward
    ANSWER_AS_SUBSTITUTE = "answer_as_substitute"  # confirm or decline as the named substitute
    CANCEL = "cancel"  # ask for a cancellation of what was approved


ALLOWED_FROM: dict[Step, tuple[RequestStatus, ...]] = {
    Step.SAVE_DRAFT: (RequestStatus.DRAFT,),
    Step.SUBMIT: (RequestStatus.DRAFT,),
    Step.RESUBMIT: (RequestStatus.CHANGES_REQUESTED,),
    # Changing a request is continuing its draft or resubmitting it after changes were asked for.
    Step.EDIT: (RequestStatus.DRAFT, RequestStatus.CHANGES_REQUESTED),
    Step.DISCARD: (RequestStatus.DRAFT,),
    Step.WITHDRAW: UNDECIDED_STATUSES,
    Step.DECIDE: PENDING_DECISION_STATUSES,
    Step.ANSWER_AS_SUBSTITUTE: (RequestStatus.AWAITING_SUBSTITUTE,),
    # Only what was approved can be cancelled (for kinds that allow it: leave); the cancellation is a request of its own.
    Step.CANCEL: (RequestStatus.APPROVED,),
}


def allows(step: Step, status: str) -> bool:
    """Whether a request in `status` may take `step` (who may take it is services.permissions' question)."""
    return status in ALLOWED_FROM[step]

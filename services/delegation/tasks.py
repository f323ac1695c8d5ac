"""Telling delegates, through the portal's notifications and the outbox (services.notifications)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from portal.models import User
from portal.responsibilities import responsibility_label
from services.delegation.models import Delegation
from services.notifications.messages import deliver


def delegation_notify(*, delegation: Delegation) -> int:
    """Tell the delegate (every member, for a group) what was delegated to them, for which time."""
    if delegation.revoked_at is not None:
        return 0
    recipients = ([delegation.delegate] if delegation.delegate_id
                  else list(User.objects.filter(groups=delegation.delegate_group_id, is_active=True)))
    sent = 0
    for recipient in recipients:
        with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
            labels = ", ".join(str(responsibility_label(codename)) for codename in delegation.permissions)
        sent += deliver(recipient=recipient, template="delegation", path=reverse("delegations:list"),
                        context={"delegation": delegation, "labels": labels})
    return sent


@task()
def notify_delegate(*, delegation_id: int) -> int:
    """Remind the delegate when a delegation made in advance starts (the worker runs this at its start)."""
    delegation = Delegation.objects.select_related("delegator", "delegate", "unit").filter(pk=delegation_id).first()
    if delegation is None:
        return 0
    return delegation_notify(delegation=delegation)

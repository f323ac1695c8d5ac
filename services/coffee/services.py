"""Entering and leaving the coffee kitchen, and forgetting ended coffees.

Deliberately not recorded anywhere (no event, no security log line): the kitchen promises that nothing
about who had coffee when is kept.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from services.coffee.models import CoffeePresence
from services.coffee.selectors import ended

MINUTES_CHOICES = (10, 15, 20, 30)
MIN_MINUTES, MAX_MINUTES = 10, 30


def coffee_presence_purge_expired(*, at: datetime.datetime | None = None) -> int:
    """Delete every presence that has ended; returns how many went."""
    deleted, _details = ended(at=at).delete()
    return deleted


@transaction.atomic
def coffee_presence_start(*, user: User, minutes: int) -> CoffeePresence:
    """Say "I'm having a coffee" for 10 to 30 minutes from now (again: the new end replaces the old one)."""
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError(_("Choose between %(low)d and %(high)d minutes.") % {"low": MIN_MINUTES, "high": MAX_MINUTES})
    now = timezone.now()
    coffee_presence_purge_expired(at=now)
    presence, _created = CoffeePresence.objects.update_or_create(
        user=user, defaults={"until": now + datetime.timedelta(minutes=minutes)})
    return presence


@transaction.atomic
def coffee_presence_end(*, user: User) -> bool:
    """Leave the kitchen now; True when one was in it."""
    coffee_presence_purge_expired()
    deleted, _details = CoffeePresence.objects.filter(user=user).delete()
    return bool(deleted)

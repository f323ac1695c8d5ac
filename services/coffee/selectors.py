"""Who is in the coffee kitchen now (only those whose coffee has not ended)."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from portal.models import User
from services.coffee.models import CoffeePresence


def present(*, at: datetime.datetime | None = None) -> QuerySet[CoffeePresence]:
    return CoffeePresence.objects.filter(until__gt=at or timezone.now())


def ended(*, at: datetime.datetime | None = None) -> QuerySet[CoffeePresence]:
    """Presences whose coffee is over: nothing to keep (they are deleted whenever someone uses the kitchen)."""
    return CoffeePresence.objects.exclude(pk__in=present(at=at).values("pk"))


def people_in_kitchen(*, at: datetime.datetime | None = None) -> QuerySet[CoffeePresence]:
    """Everyone in the kitchen now, with their name and unit, by name."""
    return present(at=at).select_related("user", "user__unit").order_by("user__last_name", "user__first_name", "pk")


def presence_of(user: User, *, at: datetime.datetime | None = None) -> CoffeePresence | None:
    return present(at=at).filter(user=user).first()

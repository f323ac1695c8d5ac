"""Private iCalendar feeds of absences: the subscription tokens (create, revoke) and the feed itself.

A calendar app subscribes to /calendar/<token>.ics without logging in, so the token is the only key:
256 random bits, revocable at once, one active token per person and scope. The feed is built when
it is fetched, from what the owner may see at that moment — a team feed follows the owner's
responsibility for leave (held, delegated or as substitute) and shrinks the moment a delegation
ends. Every event says "absent" and the person's name, never the type of leave or a reason.
"""

import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal.models import User
from portal.security_log import security_event
from services.leave.absences import approved_absences, leave_decision_units
from services.leave.models import CalendarFeedScope, CalendarFeedToken

# How far back and ahead a feed reaches; calendar apps keep what they have seen before.
FEED_DAYS_BACK = 180
FEED_DAYS_AHEAD = 2 * 366
ICAL_DOMAIN = "kurzer-dienstweg.musterstadt.example"


class FeedNotAllowed(Exception):
    """The person may not have a feed of this scope; the message says why, for the person."""


@transaction.atomic
def calendar_feed_token_create(*, user: User, scope: str) -> CalendarFeedToken:
    """A new subscription address for `scope`; the person's previous one of that scope stops working."""
    if scope not in CalendarFeedScope.values:
        raise FeedNotAllowed(_("Unknown kind of calendar."))
    if scope == CalendarFeedScope.TEAM and not leave_decision_units(user).exists():
        raise FeedNotAllowed(_("Only people who decide leave for a unit can subscribe to its absences."))
    now = timezone.now()
    CalendarFeedToken.objects.select_for_update().filter(user=user, scope=scope, revoked_at__isnull=True).update(revoked_at=now)
    return CalendarFeedToken.objects.create(user=user, scope=scope, created_at=now)


@transaction.atomic
def calendar_feed_token_revoke(*, token: CalendarFeedToken, actor: User) -> CalendarFeedToken:
    """Stop a subscription address at once; only its owner may (views fetch it through the owner)."""
    token = CalendarFeedToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise FeedNotAllowed(_("This is not your calendar subscription."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def feed_absences(token: CalendarFeedToken, *, today: datetime.date | None = None):
    """The approved leave a feed shows now: the owner's own, or that of the units whose leave they decide."""
    today = today or timezone.localdate()
    window = {"start": today - datetime.timedelta(days=FEED_DAYS_BACK), "end": today + datetime.timedelta(days=FEED_DAYS_AHEAD)}
    if token.scope == CalendarFeedScope.TEAM:
        return approved_absences(units=leave_decision_units(token.user), **window)
    return approved_absences(applicants=[token.user], **window)


def _summary(absence) -> str:
    summary = _("Absent: %(name)s") % {"name": absence.request.applicant}
    if absence.start_date == absence.end_date and (absence.half_day_start or absence.half_day_end):
        return summary + " " + (_("(afternoon only)") if absence.half_day_start else _("(morning only)"))
    if absence.half_day_start:
        summary += " " + _("(first day from midday)")
    if absence.half_day_end:
        summary += " " + _("(last day until midday)")
    return summary


def calendar_feed_ical(token: CalendarFeedToken) -> bytes:
    """The feed as iCalendar: one all-day event per approved leave (DTEND is the day after the last day)."""
    owner = token.user
    with translation.override(owner.preferred_language or "de"):
        calendar = Calendar()
        calendar.add("prodid", "-//Musterstadt//Kurzer Dienstweg//DE")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        name = _("Absences of my team") if token.scope == CalendarFeedScope.TEAM else _("My leave")
        calendar.add("x-wr-calname", f"{name} – Kurzer Dienstweg")
        for absence in feed_absences(token):
            event = Event()
            request = absence.request
            # The request's reference is stable, so a calendar updates the event when the leave is shortened.
            event.add("uid", f"{request.reference}@{ICAL_DOMAIN}")
            event.add("dtstamp", request.updated_at)
            event.add("last-modified", request.updated_at)
            event.add("dtstart", absence.start_date)
            event.add("dtend", absence.end_date + datetime.timedelta(days=1))
            event.add("summary", _summary(absence))
            event.add("transp", "OPAQUE")
            event.add("class", "PRIVATE")
            calendar.add_component(event)
    return calendar.to_ical()


def get_feed_token_or_404(token: str) -> CalendarFeedToken:
    """The active subscription behind a calendar address; a revoked, unknown or malformed one is a 404."""
    try:
        return CalendarFeedToken.objects.select_related("user").get(token=token, revoked_at__isnull=True, user__is_active=True)
    except CalendarFeedToken.DoesNotExist:
        # The token is the key to someone's calendar: the log says only that one was refused.
        security_event("access_refused", object="calendar_feed_token", reason="unknown or revoked")
        raise Http404("No such calendar.") from None


def get_own_feed_token_or_404(user: User, pk: int) -> CalendarFeedToken:
    """One of the user's own subscriptions; another person's is indistinguishable from none."""
    feed_token = CalendarFeedToken.objects.filter(pk=pk, user=user).first() if user.is_authenticated else None
    if feed_token is None:
        security_event("access_refused", user=user, object="calendar_feed", pk=pk, reason="not visible")
        raise Http404("No such calendar.")
    return feed_token

"""The tables of leave: types and occasions, the city's days off, leave and cancellation details, calendar subscriptions.

Registered with the `services` app (through services/models.py), so their tables keep their names.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


def _in_language(german: str, english: str) -> str:
    """The English name when the reader reads English (and one exists), the German one otherwise."""
    return english if english and (get_language() or "").startswith("en") else german


class LeaveType(models.Model):
    """A type of leave staff can choose (annual leave, special leave, …), configured by the administrators.

    Whether it counts against the annual leave balance, whether half days are allowed, whether proof
    must be attached, whether a named substitute must confirm before the approvers see the request and
    how many days one request may take are properties of the record, so that the
    city can add a type (e.g. Bildungsurlaub) without a release. Requests point to it with PROTECT:
    a type in use is switched off (`active`), never deleted.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True, help_text=_("A stable key, e.g. annual."))
    name_de = models.CharField(_("name (German)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    deducts_from_balance = models.BooleanField(_("counts against the annual leave"), default=False)
    half_days_allowed = models.BooleanField(_("half days allowed"), default=True)
    attachment_required = models.BooleanField(_("proof must be attached"), default=False)
    requires_occasion = models.BooleanField(
        _("an occasion must be chosen"), default=False, help_text=_("For paid time off for an occasion (TVöD §29)."),
    )
    substitute_must_confirm = models.BooleanField(
        _("the substitute must confirm"), default=False,
        help_text=_("A request naming a substitute waits for the substitute's confirmation before it reaches the approvers."),
    )
    max_days = models.DecimalField(_("at most days per request"), max_digits=5, decimal_places=1, null=True, blank=True)
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("type of leave")
        verbose_name_plural = _("types of leave")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_days__isnull=True) | models.Q(max_days__gt=0),
                                   name="leave_type_max_days_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_de, self.name_en)


class LeaveOccasion(models.Model):
    """An occasion for paid time off (Arbeitsbefreiung) and how many working days it gives, TVöD §29 (1) a–f.

    `max_days` is empty where the collective agreement gives "as much as needed" (medical treatment
    that must take place during working hours, §29 (1) f). `per_calendar_year` marks limits that
    apply to the calendar year rather than to each occasion (§29 (1) e).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=60, blank=True, help_text=_("E.g. TVöD §29 (1) a."))
    max_days = models.DecimalField(_("at most working days"), max_digits=4, decimal_places=1, null=True, blank=True,
                                   help_text=_("Empty: as much as needed."))
    per_calendar_year = models.BooleanField(_("limit per calendar year"), default=False)
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("occasion for paid time off")
        verbose_name_plural = _("occasions for paid time off")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_de, self.name_en)


class MunicipalDayOff(models.Model):
    """A day the city gives its staff off beyond the public holidays, e.g. Rosenmontag, or 24 and 31 December.

    A whole day off takes no leave; a half day off takes half a day of leave (the other half is free).
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    half_day = models.BooleanField(_("half day only"), default=False,
                                   help_text=_("Only the afternoon is off, e.g. on 24 and 31 December."))

    class Meta:
        verbose_name = _("municipal day off")
        verbose_name_plural = _("municipal days off")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d.%m.%Y})"


class LeaveRequest(models.Model):
    """The typed fields of a leave request."""

    request = models.OneToOneField("services.ServiceRequest", on_delete=models.CASCADE, primary_key=True, related_name="leave")
    leave_type = models.ForeignKey(LeaveType, verbose_name=_("type of leave"), on_delete=models.PROTECT, related_name="+")
    occasion = models.ForeignKey(LeaveOccasion, verbose_name=_("occasion"), on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    half_day_start = models.BooleanField(_("only half of the first day"), default=False)
    half_day_end = models.BooleanField(_("only half of the last day"), default=False)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("substitute"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    working_days = models.DecimalField(_("working days"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="leave_end_not_before_start"),
            models.CheckConstraint(condition=models.Q(working_days__gt=0), name="leave_working_days_positive"),
        ]

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        return f"{self.leave_type}: {self.start_date:%d.%m.%Y} – {self.end_date:%d.%m.%Y}"

    def get_leave_type_display(self) -> str:
        """The type's name in the reader's language (kept under Django's name for templates written against choices)."""
        return self.leave_type.name


class LeaveCancellation(models.Model):
    """The typed fields of a request to cancel (or shorten) an approved leave request."""

    request = models.OneToOneField("services.ServiceRequest", on_delete=models.CASCADE, primary_key=True, related_name="leave_cancellation")
    original = models.ForeignKey("services.ServiceRequest", verbose_name=_("leave request"), on_delete=models.PROTECT,
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


class CalendarFeedScope(models.TextChoices):
    OWN = "own", _("My approved leave")
    TEAM = "team", _("Absences in the units I decide leave for")


def new_feed_token() -> str:
    """256 random bits, URL-safe: the only thing a calendar app presents, so it must not be guessable."""
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a personal iCalendar subscription address (/calendar/<token>.ics).

    Calendar apps cannot log in, so whoever knows the address can read the feed: the token is long
    and random, the feed shows absences only (never the type of leave or a reason), and its owner
    can revoke it at once, after which the address answers 404. The token is kept readable so that
    its owner can look the address up again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                             related_name="calendar_feed_tokens")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token, editable=False)
    scope = models.CharField(_("scope"), max_length=8, choices=CalendarFeedScope.choices, default=CalendarFeedScope.OWN)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=CalendarFeedScope.values), name="calendar_feed_scope_valid"),
            models.UniqueConstraint(fields=["user", "scope"], condition=models.Q(revoked_at__isnull=True),
                                    name="calendar_feed_one_active_per_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_scope_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LeaveExpiryNotice(models.Model):
    """The notice that leave is left and when it expires, as one person received it (BAG 19.2.2019, 9 AZR 423/16).

    Carried-over leave expires only if the employer told the person in time how many days are left, when
    they expire, and asked them to take them. This row is the proof: what the notice said, when it reached
    the portal and the mailbox, and when the person opened it. One per person, year and round (the day of
    the year the round starts, `LEAVE_EXPIRY_NOTICE_DAYS`); it outlives the notification itself.
    """

    employee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                                 related_name="leave_expiry_notices")
    year = models.PositiveSmallIntegerField(_("year"))
    round = models.CharField(_("round"), max_length=5, help_text=_("The day of the year the round starts (MM-DD)."))
    carried_over_days = models.DecimalField(_("carried-over days left"), max_digits=5, decimal_places=1)
    carry_over_deadline = models.DateField(_("carried-over leave expires unless started by"))
    current_year_days = models.DecimalField(_("days of the year's own leave left"), max_digits=5, decimal_places=1)
    notification = models.ForeignKey("services.Notification", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    delivered_at = models.DateTimeField(_("delivered in the portal"), default=timezone.now)
    emailed_at = models.DateTimeField(_("sent by e-mail"), null=True, blank=True)
    read_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("leave expiry notice")
        verbose_name_plural = _("leave expiry notices")
        ordering = ["-year", "-delivered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year", "round"], name="leave_expiry_notice_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.year} {self.round}"

"""Accounts, employee profiles and the organisation tree."""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from treebeard.mp_tree import MP_Node

from portal.responsibilities import RESPONSIBILITIES


class UnitLevel(models.TextChoices):
    DEPARTMENT = "dezernat", _("Department (Dezernat)")
    OFFICE = "amt", _("Office (Amt)")
    DIVISION = "abteilung", _("Division (Abteilung)")
    SECTION = "sachgebiet", _("Section (Sachgebiet)")


class FederalState(models.TextChoices):
    """German federal states, coded as the `holidays` library names their subdivisions."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class Weekday(models.IntegerChoices):
    """ISO weekday numbers, as `date.isoweekday()` returns them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


def validate_weekdays(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one working day."))
    if any(not isinstance(day, int) or day not in Weekday.values for day in value):
        raise ValidationError(_("Working days must be weekday numbers from 1 (Monday) to 7 (Sunday)."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Each working day may appear only once."))


class OrgUnit(MP_Node):
    """A unit of the administration (Dezernat › Amt › Abteilung › Sachgebiet).

    Responsibility is granted on a unit and reaches every unit below it, so the tree is a
    materialised path: "this unit and all below" is one prefix query.
    """

    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("The unit's key in the HR system."))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        # Responsibilities: held on a unit, they reach every unit below it (see services.permissions).
        permissions = list(RESPONSIBILITIES)

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def default_working_weekdays() -> list[int]:
    return [1, 2, 3, 4, 5]


class User(AbstractUser):
    """A member of staff who logs in by email; the employee profile lives on the same row.

    Accounts come from the HR import or the administrators, never from open registration.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    personnel_number = models.CharField(_("personnel number"), max_length=32, unique=True, null=True, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organisational unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    working_weekdays = models.JSONField(
        _("working weekdays"), default=default_working_weekdays, validators=[validate_weekdays],
        help_text=_("ISO weekday numbers, 1 = Monday."),
    )
    weekly_hours = models.DecimalField(
        _("weekly working hours"), max_digits=4, decimal_places=2, default=Decimal("39.00"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    federal_state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices, default=FederalState.NW)
    leave_entitlement_days = models.DecimalField(
        _("annual leave entitlement (days)"), max_digits=4, decimal_places=1, default=Decimal("30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
        help_text=_("As the HR system reports it. The portal computes the entitlement of each year from the working days"
                    " per week and the TVöD rules (see services.leave.rules)."),
    )
    employment_start = models.DateField(
        _("employment start"), null=True, blank=True,
        help_text=_("Only needed when the person joined during a year the portal keeps leave for (TVöD §26 (2) b)."),
    )
    employment_end = models.DateField(
        _("employment end"), null=True, blank=True,
        help_text=_("Set when the person leaves; the leave of that year is reduced to the months employed (TVöD §26 (2) b)."),
    )
    extra_leave_days = models.DecimalField(
        _("extra leave days per year"), max_digits=3, decimal_places=1, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("30"))],
        help_text=_("Individual additional leave, e.g. 5 days for severe disability (SGB IX §208), as HR recorded it."),
    )
    out_of_office_substitute = models.ForeignKey(
        "self", verbose_name=_("substitute while on leave"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("Holds your responsibilities on the days of your approved leave."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, default="de", choices=[("de", "Deutsch"), ("en", "English")]
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="portal_user_email_ci_unique"),
            models.CheckConstraint(condition=models.Q(weekly_hours__gt=0), name="portal_user_weekly_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(leave_entitlement_days__gte=0), name="portal_user_leave_entitlement_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(employment_end__isnull=True) | models.Q(employment_start__isnull=True)
                | models.Q(employment_end__gte=models.F("employment_start")),
                name="portal_user_employment_end_not_before_start",
            ),
            models.CheckConstraint(condition=models.Q(extra_leave_days__gte=0), name="portal_user_extra_leave_not_negative"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()


class EmploymentSuspension(models.Model):
    """A period in which the employment rests (Ruhen, e.g. parental leave or a sabbatical without pay).

    Each full calendar month within it reduces that year's annual leave by one twelfth (TVöD §26 (2) c).
    """

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="employment_suspensions")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("suspension of employment")
        verbose_name_plural = _("suspensions of employment")
        ordering = ["user", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="portal_suspension_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"


class CarryOverExtension(models.Model):
    """HR's record that the leave carried into `year` may be started until 31 May instead of 31 March.

    TVöD §26 (2) a: where leave could not be started by 31 March because of illness or the needs of
    the service, it must be started by 31 May. Recorded per person and year, because it is decided
    case by case.
    """

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="carry_over_extensions")
    year = models.PositiveSmallIntegerField(_("year the carried-over leave is taken in"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("carry-over extended until 31 May")
        verbose_name_plural = _("carry-overs extended until 31 May")
        ordering = ["user", "year"]
        constraints = [models.UniqueConstraint(fields=["user", "year"], name="portal_carry_over_extension_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.year}"


class OrgUnitUserPermission(UserObjectPermissionBase):
    """A responsibility a person holds for a unit and everything below it (guardian, direct foreign key)."""

    content_object = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("responsibility of a person")
        verbose_name_plural = _("responsibilities of persons")


class OrgUnitGroupPermission(GroupObjectPermissionBase):
    """A responsibility a group holds for a unit and everything below it (guardian, direct foreign key)."""

    content_object = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="group_permissions")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("responsibility of a group")
        verbose_name_plural = _("responsibilities of groups")

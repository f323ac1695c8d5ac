"""Musterstadt's people: the org tree, the named demo logins and the generated staff around them.

Names come from fixed lists drawn with a fixed seed, so every run creates the same staff in the same
units. Development only: every account gets the password `musterstadt`.
"""

import base64
import random
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, encrypt
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from portal.models import FederalState, OrgUnit, UnitLevel, User

DEMO_PASSWORD = "musterstadt"  # noqa: S105 - the documented password of the dev-only demo accounts
EMAIL_DOMAIN = "musterstadt.example"
RANDOM_SEED = 2026
STAFF_TOTAL = 200


# --- The organisation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    """One unit of the demo tree; `staff_weight` is its share when staff are spread over the units."""

    code: str
    name: str
    level: UnitLevel
    short_name: str = ""
    children: tuple["UnitSpec", ...] = ()

    @property
    def staff_weight(self) -> int:
        return {UnitLevel.DEPARTMENT: 1, UnitLevel.OFFICE: 2, UnitLevel.DIVISION: 4, UnitLevel.SECTION: 4}[self.level]

    def walk(self) -> Iterator["UnitSpec"]:
        """This unit and every unit below it, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()


def _department(code: str, name: str, short_name: str, *children: UnitSpec) -> UnitSpec:
    return UnitSpec(code, name, UnitLevel.DEPARTMENT, short_name, children)


def _office(code: str, name: str, *children: UnitSpec, short_name: str = "") -> UnitSpec:
    return UnitSpec(code, name, UnitLevel.OFFICE, short_name or name, children)


def _division(code: str, name: str, *children: UnitSpec) -> UnitSpec:
    return UnitSpec(code, name, UnitLevel.DIVISION, "", children)


def _section(code: str, name: str) -> UnitSpec:
    return UnitSpec(code, name, UnitLevel.SECTION)


# The city as a whole has no level of its own in UnitLevel; it sits at the top as the root.
ORG_TREE = UnitSpec("STADT", "Stadtverwaltung Musterstadt", UnitLevel.DEPARTMENT, "Stadt Musterstadt", (
    _department(
        "D1", "Dezernat I – Allgemeine Verwaltung", "Dezernat I",
        _office(
            "10", "Hauptamt",
            _division("10.1", "Organisation und Zentrale Dienste",
                      _section("10.1.1", "Organisation und Verwaltungsmodernisierung"),
                      _section("10.1.2", "Zentrale Dienste und Poststelle")),
            _division("10.2", "Interne Kommunikation und Redaktion"),
            _division("10.3", "Rats- und Ausschussangelegenheiten"),
        ),
        _office(
            "11", "Personalamt",
            _division("11.1", "Personalservice",
                      _section("11.1.1", "Personalsachbearbeitung"),
                      _section("11.1.2", "Entgelt und Besoldung")),
            _division("11.2", "Personalentwicklung und Ausbildung"),
        ),
        _office(
            "12", "Amt für Informationstechnik",
            _division("12.1", "IT-Service und Support",
                      _section("12.1.1", "Service Desk"),
                      _section("12.1.2", "Arbeitsplatz-IT")),
            _division("12.2", "Infrastruktur und Betrieb",
                      _section("12.2.1", "Netze und VPN"),
                      _section("12.2.2", "Rechenzentrum")),
            _division("12.3", "Informationssicherheit"),
            short_name="IT-Service",
        ),
    ),
    _department(
        "D2", "Dezernat II – Finanzen", "Dezernat II",
        _office(
            "20", "Kämmerei",
            _division("20.1", "Haushalt und Controlling"),
            _division("20.2", "Beteiligungen und Fördermittel"),
        ),
        _office(
            "21", "Stadtkasse",
            _division("21.1", "Zahlungsverkehr und Buchhaltung"),
            _division("21.2", "Vollstreckung"),
        ),
        _office(
            "22", "Steueramt",
            _division("22.1", "Grundsteuer und Gewerbesteuer"),
            _division("22.2", "Hundesteuer und Vergnügungsteuer"),
        ),
    ),
    _department(
        "D3", "Dezernat III – Ordnung und Sicherheit", "Dezernat III",
        _office(
            "32", "Ordnungsamt",
            _division("32.1", "Allgemeine Ordnungsangelegenheiten",
                      _section("32.1.1", "Gewerbeangelegenheiten"),
                      _section("32.1.2", "Ordnungswidrigkeiten")),
            _division("32.2", "Kommunaler Ordnungsdienst"),
        ),
        _office(
            "33", "Bürgeramt",
            _division("33.1", "Bürgerbüro Innenstadt"),
            _division("33.2", "Melde- und Passwesen"),
            _division("33.3", "Standesamt"),
        ),
        _office(
            "36", "Straßenverkehrsamt",
            _division("36.1", "Fahrerlaubnisbehörde"),
            _division("36.2", "Zulassungsstelle"),
            _division("36.3", "Verkehrslenkung"),
        ),
        _office(
            "37", "Feuerwehr",
            _division("37.1", "Einsatz und Leitstelle"),
            _division("37.2", "Vorbeugender Brandschutz"),
            _division("37.3", "Rettungsdienst"),
        ),
    ),
    _department(
        "D4", "Dezernat IV – Jugend, Soziales und Bildung", "Dezernat IV",
        _office(
            "40", "Schulverwaltungsamt",
            _division("40.1", "Schulentwicklung und Schulbau"),
        ),
        _office(
            "50", "Sozialamt",
            _division("50.1", "Grundsicherung und Hilfe zum Lebensunterhalt"),
            _division("50.2", "Wohngeld"),
        ),
        _office(
            "51", "Jugendamt",
            _division("51.1", "Kindertagesbetreuung"),
            _division("51.2", "Allgemeiner Sozialer Dienst"),
        ),
    ),
    _department(
        "D5", "Dezernat V – Bauen, Umwelt und Mobilität", "Dezernat V",
        _office(
            "61", "Stadtplanungsamt",
            _division("61.1", "Bauleitplanung"),
        ),
        _office(
            "63", "Bauordnungsamt",
            _division("63.1", "Baugenehmigungen"),
            _division("63.2", "Bauaufsicht"),
        ),
        _office(
            "66", "Tiefbauamt",
            _division("66.1", "Straßenbau und -unterhaltung"),
        ),
    ),
))


# --- The people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkPattern:
    """A weekly work pattern; leave entitlement follows the number of working days (TVöD: 30 for five days)."""

    weekdays: tuple[int, ...]
    weekly_hours: Decimal

    @property
    def leave_entitlement_days(self) -> Decimal:
        return Decimal(30 * len(self.weekdays)) / 5


FULL_TIME = WorkPattern((1, 2, 3, 4, 5), Decimal("39.00"))
MONDAY_TO_THURSDAY = WorkPattern((1, 2, 3, 4), Decimal("31.20"))
TUESDAY_TO_FRIDAY = WorkPattern((2, 3, 4, 5), Decimal("30.00"))
MONDAY_WEDNESDAY_FRIDAY = WorkPattern((1, 3, 5), Decimal("23.40"))
HALF_TIME_FIVE_DAYS = WorkPattern((1, 2, 3, 4, 5), Decimal("19.50"))

# How often each pattern occurs among the generated staff.
WORK_PATTERN_WEIGHTS: tuple[tuple[WorkPattern, int], ...] = (
    (FULL_TIME, 70),
    (MONDAY_TO_THURSDAY, 10),
    (HALF_TIME_FIVE_DAYS, 8),
    (MONDAY_WEDNESDAY_FRIDAY, 7),
    (TUESDAY_TO_FRIDAY, 5),
)


@dataclass(frozen=True)
class StaffSpec:
    """One member of staff to create."""

    email: str
    first_name: str
    last_name: str
    personnel_number: str
    unit_code: str
    work_pattern: WorkPattern = FULL_TIME
    role: str = ""
    is_staff: bool = False
    is_superuser: bool = False
    groups: tuple[str, ...] = ()
    # Decides, delegates, edits or administers, so the portal asks for a second factor (portal.mfa): the demo
    # gives the account an authenticator app whose secret seed_demo prints.
    mfa: bool = False


DEMO_LOGINS: tuple[StaffSpec, ...] = (
    StaffSpec(f"anna.schmidt@{EMAIL_DOMAIN}", "Anna", "Schmidt", "100001", "32", role="staff member, Ordnungsamt"),
    StaffSpec(f"bernd.keller@{EMAIL_DOMAIN}", "Bernd", "Keller", "100002", "32", role="head of Ordnungsamt", mfa=True),
    StaffSpec(f"clara.wolf@{EMAIL_DOMAIN}", "Clara", "Wolf", "100003", "32", MONDAY_TO_THURSDAY,
              role="colleague, Ordnungsamt (part-time, Mon–Thu)", mfa=True),
    StaffSpec(f"deniz.yilmaz@{EMAIL_DOMAIN}", "Deniz", "Yılmaz", "100004", "12.3",
              role="IT security, Amt für Informationstechnik", mfa=True),
    StaffSpec(f"eva.berg@{EMAIL_DOMAIN}", "Eva", "Berg", "100005", "10.2", TUESDAY_TO_FRIDAY,
              role="editor (Wagtail Editors)", is_staff=True, groups=("Editors",), mfa=True),
    StaffSpec(f"frank.otto@{EMAIL_DOMAIN}", "Frank", "Otto", "100007", "10.2",
              role="second editor, approves guidance (Wagtail Moderators)", is_staff=True, groups=("Editors", "Moderators"), mfa=True),
    StaffSpec(f"admin@{EMAIL_DOMAIN}", "Admin", "Musterstadt", "100006", "12.2", role="administrator (superuser)",
              is_staff=True, is_superuser=True, mfa=True),
)

FIRST_NAMES = (
    "Alexander", "Andrea", "Andreas", "Angelika", "Birgit", "Christian", "Christina", "Claudia", "Daniel", "Daniela",
    "Dirk", "Elena", "Emine", "Felix", "Frank", "Gabriele", "Hannah", "Heike", "Ingrid", "Jan", "Jana", "Jens", "Jessica",
    "Jonas", "Julia", "Jürgen", "Karin", "Katharina", "Kerstin", "Klaus", "Lea", "Lena", "Lukas", "Maria", "Marco",
    "Markus", "Martin", "Matthias", "Melanie", "Michael", "Monika", "Nadine", "Nicole", "Niklas", "Olga", "Oliver",
    "Petra", "Ralf", "Sabine", "Sandra", "Sebastian", "Silke", "Simone", "Stefan", "Stefanie", "Susanne", "Thomas",
    "Tobias", "Ursula", "Uwe", "Yasemin", "Zoran",
)
LAST_NAMES = (
    "Albrecht", "Arslan", "Bauer", "Baumann", "Beck", "Becker", "Brandt", "Braun", "Busch", "Dietrich", "Engel", "Fischer",
    "Frank", "Franke", "Friedrich", "Fuchs", "Günther", "Haas", "Hahn", "Hartmann", "Hoffmann", "Hofmann", "Horn",
    "Huber", "Jung", "Kaiser", "Kaya", "Klein", "Koch", "Kowalski", "Krämer", "Krause", "Krüger", "Kuhn", "Lange",
    "Lehmann", "Lorenz", "Ludwig", "Maier", "Meyer", "Möller", "Müller", "Neumann", "Nowak", "Otto", "Peters", "Pohl",
    "Richter", "Roth", "Sauer", "Schäfer", "Schmitz", "Schneider", "Scholz", "Schreiber", "Schröder", "Schubert",
    "Schulz", "Schwarz", "Simon", "Sommer", "Stein", "Vogel", "Vogt", "Wagner", "Walter", "Weber", "Weiß", "Werner",
    "Winkler", "Wolff", "Zimmermann",
)


def email_local_part(first_name: str, last_name: str) -> str:
    """The address part of a name, transliterated the German way: "Jürgen Weiß" → "juergen.weiss"."""
    text = f"{first_name}.{last_name}".lower()
    for umlaut, replacement in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, replacement)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def generated_staff(total: int = STAFF_TOTAL) -> list[StaffSpec]:
    """The demo staff besides the named logins: the same names, units and patterns on every run."""
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - demo data, not security
    units = [spec for spec in ORG_TREE.walk() if spec is not ORG_TREE]
    unit_weights = [spec.staff_weight for spec in units]
    patterns = [pattern for pattern, _ in WORK_PATTERN_WEIGHTS]
    pattern_weights = [weight for _, weight in WORK_PATTERN_WEIGHTS]
    taken = {login.email for login in DEMO_LOGINS}
    staff: list[StaffSpec] = []
    while len(staff) < total - len(DEMO_LOGINS):
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{email_local_part(first_name, last_name)}@{EMAIL_DOMAIN}"
        if email in taken:
            continue
        taken.add(email)
        staff.append(StaffSpec(
            email=email, first_name=first_name, last_name=last_name, personnel_number=f"{100101 + len(staff)}",
            unit_code=rng.choices(units, weights=unit_weights)[0].code,
            work_pattern=rng.choices(patterns, weights=pattern_weights)[0],
        ))
    return staff


# --- Seeding ------------------------------------------------------------------------------------


def seed_org_units(tree: UnitSpec = ORG_TREE) -> tuple[dict[str, OrgUnit], int]:
    """Create every unit of the tree that is missing (looked up by code); return all of them by code."""
    existing = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=[spec.code for spec in tree.walk()])}
    created = 0

    def ensure(spec: UnitSpec, parent: OrgUnit | None) -> None:
        nonlocal created
        unit = existing.get(spec.code)
        if unit is None:
            fields = {"code": spec.code, "name": spec.name, "short_name": spec.short_name, "level": spec.level}
            unit = OrgUnit.add_root(**fields) if parent is None else parent.add_child(**fields)
            existing[spec.code] = unit
            created += 1
        for child in spec.children:
            ensure(child, unit)

    ensure(tree, None)
    return existing, created


def seed_staff(units: dict[str, OrgUnit]) -> int:
    """Create the named demo logins and the generated staff that are missing (looked up by email)."""
    everyone = [*DEMO_LOGINS, *generated_staff()]
    existing_emails = set(User.objects.filter(email__in=[spec.email for spec in everyone]).values_list("email", flat=True))
    missing = [spec for spec in everyone if spec.email not in existing_emails]
    if missing:
        # One hash for all: hashing 200 times with the production hasher would take a minute.
        password_hash = make_password(DEMO_PASSWORD)
        taken_numbers = set(User.objects.filter(personnel_number__in=[spec.personnel_number for spec in missing])
                            .values_list("personnel_number", flat=True))
        User.objects.bulk_create([
            User(
                email=spec.email, first_name=spec.first_name, last_name=spec.last_name, password=password_hash,
                personnel_number=spec.personnel_number if spec.personnel_number not in taken_numbers else None,
                unit=units[spec.unit_code], working_weekdays=list(spec.work_pattern.weekdays),
                weekly_hours=spec.work_pattern.weekly_hours,
                leave_entitlement_days=spec.work_pattern.leave_entitlement_days,
                federal_state=FederalState.NW, is_staff=spec.is_staff, is_superuser=spec.is_superuser,
            )
            for spec in missing
        ])
    for spec in DEMO_LOGINS:
        if spec.groups:
            user = User.objects.get(email=spec.email)
            user.groups.add(*Group.objects.filter(name__in=spec.groups))
    return len(missing)


def seed_authenticators(logins: tuple[StaffSpec, ...] = DEMO_LOGINS) -> dict[str, str]:
    """An authenticator app (TOTP) for each demo login that needs a second factor, kept when it exists, so that
    a phone set up once keeps working after the next seed; return the base32 secrets by email."""
    emails = [spec.email for spec in logins if spec.mfa]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    existing = {authenticator.user.email: authenticator for authenticator in Authenticator.objects.filter(
        user__email__in=emails, type=Authenticator.Type.TOTP).select_related("user")}
    totp_secrets: dict[str, str] = {}
    for email in emails:
        if email in existing:
            totp_secrets[email] = decrypt(existing[email].data["secret"])
        else:
            # 160 random bits in base32, as allauth's own activation page creates them (RFC 4226 recommends 160).
            totp_secrets[email] = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
            Authenticator.objects.create(user=users[email], type=Authenticator.Type.TOTP,
                                         data={"secret": encrypt(totp_secrets[email])})
    return totp_secrets

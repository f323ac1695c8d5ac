"""Musterstadt, the demo city: org tree, staff, pages in German and English, and requests in every state.

`seed_demo()` is idempotent. It looks every object up by its natural key (unit code, email address,
page slug per locale) and creates only what is missing, so a second run changes nothing. The demo
requests are created only while Anna Schmidt has none, and always through `services.workflow`, so
that each one carries the events a real request would have.

Everything is deterministic: names come from fixed lists drawn with a fixed seed, and dates are
relative to today so that the demo stays current. Development only: every account gets the password
`musterstadt`; the management command refuses to run unless DEBUG is on.
"""

import datetime
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.easter import easter
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site

from home import editorial
from home.demo_content import (
    ACCESSIBILITY_FEEDBACK_RESPONSIBILITY,
    ACCESSIBILITY_FEEDBACK_SLUG,
    ACCESSIBILITY_STATEMENT,
    DEMO_DOCUMENTS,
    GUIDANCE_INDEX,
    GUIDANCE_PAGES,
    HOME,
    SERVICE_INDEX,
    SERVICE_PAGES,
    SITE_ALERT_TEXT,
    SITE_ALERT_TEXT_ENGLISH,
    DocumentRef,
    PageContent,
    ServiceRef,
)
from home.models import (
    AccessibilityStatementPage,
    AlertSeverity,
    GuidanceIndexPage,
    GuidancePage,
    HomePage,
    ServiceIndexPage,
    ServicePage,
    SiteAlert,
)
from portal.models import FederalState, OrgUnit, OrgUnitGroupPermission, UnitLevel, User
from services import workflow
from services.kinds import registry
from services.leave import cancellation as leave_cancellation
from services.leave import days as leave_days
from services.leave.models import LeaveOccasion, LeaveRequest, LeaveType, MunicipalDayOff
from services.models import ServiceRequest

DEMO_PASSWORD = "musterstadt"  # noqa: S105 - the documented password of the dev-only demo accounts
EMAIL_DOMAIN = "musterstadt.example"
RANDOM_SEED = 2026
STAFF_TOTAL = 200
SITE_NAME = "Kurzer Dienstweg"


class DemoDataError(Exception):
    """The demo data itself is wrong (e.g. a demo request fails the kind's validation): a bug in this module."""


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


DEMO_LOGINS: tuple[StaffSpec, ...] = (
    StaffSpec(f"anna.schmidt@{EMAIL_DOMAIN}", "Anna", "Schmidt", "100001", "32", role="staff member, Ordnungsamt"),
    StaffSpec(f"bernd.keller@{EMAIL_DOMAIN}", "Bernd", "Keller", "100002", "32", role="head of Ordnungsamt"),
    StaffSpec(f"clara.wolf@{EMAIL_DOMAIN}", "Clara", "Wolf", "100003", "32", MONDAY_TO_THURSDAY,
              role="colleague, Ordnungsamt (part-time, Mon–Thu)"),
    StaffSpec(f"deniz.yilmaz@{EMAIL_DOMAIN}", "Deniz", "Yılmaz", "100004", "12.3", role="IT security, Amt für Informationstechnik"),
    StaffSpec(f"eva.berg@{EMAIL_DOMAIN}", "Eva", "Berg", "100005", "10.2", TUESDAY_TO_FRIDAY,
              role="editor (Wagtail Editors)", is_staff=True, groups=("Editors",)),
    StaffSpec(f"frank.otto@{EMAIL_DOMAIN}", "Frank", "Otto", "100007", "10.2",
              role="second editor, approves guidance (Wagtail Moderators)", is_staff=True, groups=("Editors", "Moderators")),
    StaffSpec(f"admin@{EMAIL_DOMAIN}", "Admin", "Musterstadt", "100006", "12.2", role="administrator (superuser)",
              is_staff=True, is_superuser=True),
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


@dataclass
class DemoSummary:
    """What one run created; all zero when the demo city was already complete."""

    units_created: int = 0
    users_created: int = 0
    pages_created: int = 0
    requests_created: int = 0
    logins: tuple[StaffSpec, ...] = field(default=DEMO_LOGINS)


def seed_demo(*, today: datetime.date | None = None) -> DemoSummary:
    """Build (or complete) Musterstadt. Call it inside a transaction; it is safe to run again."""
    summary = DemoSummary()
    units, summary.units_created = seed_org_units()
    editorial.editor_permissions_grant()  # the groups exist before seed_staff puts people into them
    summary.users_created = seed_staff(units)
    service_pages, summary.pages_created = seed_pages()
    seed_editorial()
    seed_responsibilities(units, today=today or timezone.localdate())
    seed_municipal_days_off(today=today or timezone.localdate())
    summary.requests_created = seed_requests(service_pages=service_pages, today=today or timezone.localdate())
    summary.requests_created += seed_leave_stories(service_pages=service_pages, today=today or timezone.localdate())
    return summary


def municipal_days_off(year: int) -> list[tuple[datetime.date, str, bool]]:
    """Musterstadt's own days off: Rosenmontag (48 days before Easter Sunday), and 24 and 31 December as half days."""
    return [
        (easter(year) - datetime.timedelta(days=48), "Rosenmontag", False),
        (datetime.date(year, 12, 24), "Heiligabend (ab 12 Uhr dienstfrei)", True),
        (datetime.date(year, 12, 31), "Silvester (ab 12 Uhr dienstfrei)", True),
    ]


def seed_municipal_days_off(*, today: datetime.date) -> int:
    """The city's days off for the current and the next year; existing dates are left as the administrators set them."""
    created = 0
    for year in (today.year, today.year + 1):
        for day, name, half_day in municipal_days_off(year):
            created += MunicipalDayOff.objects.get_or_create(date=day, defaults={"name": name, "half_day": half_day})[1]
    return created


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


def seed_pages() -> tuple[dict[str, ServicePage], int]:
    """The German page tree as the default site, then an English translation of every page.

    Returns the German service pages by slug (several pages may share a kind, e.g. "generic"), and how
    many pages were created.
    """
    german, _ = Locale.objects.get_or_create(language_code="de")
    english, _ = Locale.objects.get_or_create(language_code="en")
    created = 0

    references: dict[type, dict[str, int]] = {DocumentRef: {}, ServiceRef: {}}

    def german_page(parent: Page, page_class: type[Page], content: PageContent, **extra: Any) -> Page:
        nonlocal created
        page = page_class.objects.child_of(parent).filter(slug=content.slug, locale=german).first()
        if page is None:
            fields = _with_ids(content.de.fields, references)
            page = page_class(slug=content.slug, locale=german, title=content.de.title,
                              search_description=content.de.search_description, **fields, **extra)
            parent.add_child(instance=page)
            page.save_revision().publish()
            created += 1
        return page

    home = german_page(Page.get_first_root_node(), HomePage, HOME)
    _make_default_site_root(home)
    _delete_wagtail_welcome_page()
    service_index = german_page(home, ServiceIndexPage, SERVICE_INDEX)
    service_pages = {
        content.slug: german_page(service_index, ServicePage, content, kind=content.kind) for content in SERVICE_PAGES
    }
    references[ServiceRef] = {slug: page.pk for slug, page in service_pages.items()}
    references[DocumentRef] = {key: document.pk for key, document in seed_documents().items()}
    guidance_index = german_page(home, GuidanceIndexPage, GUIDANCE_INDEX)
    guidance_pages = [german_page(guidance_index, GuidancePage, content) for content in GUIDANCE_PAGES]
    statement = german_page(home, AccessibilityStatementPage, ACCESSIBILITY_STATEMENT,
                            statement_date=timezone.localdate().replace(day=1))

    # Parents before children: each translation is created below its parent's translation.
    pages_and_content = [
        (home, HOME), (service_index, SERVICE_INDEX),
        *((service_pages[content.slug], content) for content in SERVICE_PAGES),
        (guidance_index, GUIDANCE_INDEX), *zip(guidance_pages, GUIDANCE_PAGES, strict=True),
        (statement, ACCESSIBILITY_STATEMENT),
    ]
    for page, content in pages_and_content:
        if page.get_translation_or_none(english) is None:
            _publish_translation(page, content, english, references)
            created += 1
    _link_feedback_form(statement, service_pages[ACCESSIBILITY_FEEDBACK_SLUG])
    return service_pages, created


def _link_feedback_form(statement: Page, feedback_page: ServicePage) -> None:
    """Point the accessibility statement of each language at the barrier report form in the same language.

    Only where no feedback form is set, so that an editor's own choice stays.
    """
    for translation in AccessibilityStatementPage.objects.filter(translation_key=statement.translation_key):
        if translation.feedback_page_id is None:
            translation.feedback_page = feedback_page.get_translation_or_none(translation.locale) or feedback_page
            translation.save_revision().publish()


def _with_ids(value: Any, references: dict[type, dict[str, int]]) -> Any:
    """The demo content with every DocumentRef and ServiceRef replaced by the id of what it names."""
    if isinstance(value, DocumentRef):
        return references[DocumentRef][value.key]
    if isinstance(value, ServiceRef):
        return references[ServiceRef][value.slug]
    if isinstance(value, dict):
        return {key: _with_ids(item, references) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_ids(item, references) for item in value]
    return value


def _publish_translation(page: Page, content: PageContent, locale: Locale, references: dict[type, dict[str, int]]) -> Page:
    """Copy a page into the locale (Wagtail keeps the translation key), put the English text in, publish it."""
    translation = page.copy_for_translation(locale, copy_parents=True, alias=False)
    translation.title = content.en.title
    translation.draft_title = content.en.title
    translation.search_description = content.en.search_description
    for name, value in _with_ids(content.en.fields, references).items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def seed_documents() -> dict[str, Model]:
    """The demo documents (checklists as PDFs) in Wagtail's document library, looked up by title."""
    import weasyprint

    document_model = get_document_model()
    documents = {}
    for key, content in DEMO_DOCUMENTS.items():
        document = document_model.objects.filter(title=content.title).first()
        if document is None:
            pdf = weasyprint.HTML(string=f'<html lang="de"><body>{content.html}</body></html>').write_pdf()
            document = document_model(title=content.title)
            document.file.save(content.filename, ContentFile(pdf), save=False)
            document.file_size = len(pdf)
            document.save()
        documents[key] = document
    return documents


def seed_editorial(*, now: datetime.datetime | None = None) -> None:
    """Two-person approval for guidance in both languages, and the site-wide alert about the current phishing wave.

    The alert is set only while it has no text, so that an editor's own alert is never overwritten.
    """
    indexes = list(GuidanceIndexPage.objects.filter(slug=GUIDANCE_INDEX.slug))
    indexes += [index.get_translation_or_none(locale) for index in indexes for locale in Locale.objects.all()]
    editorial.guidance_workflow_assign(guidance_indexes=list({page.pk: page for page in indexes if page}.values()))
    alert = SiteAlert.load()
    if not alert.text:
        phishing = GuidancePage.objects.filter(slug="phishing-erkennen-und-melden", locale=Locale.get_default()).first()
        alert.active = True
        alert.severity = AlertSeverity.WARNING
        alert.text = SITE_ALERT_TEXT
        alert.text_english = SITE_ALERT_TEXT_ENGLISH
        alert.link_page = phishing
        alert.ends_at = (now or timezone.now()) + datetime.timedelta(days=14)
        alert.save()


def _make_default_site_root(home: Page) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME)
    elif site.root_page_id != home.pk or site.site_name != SITE_NAME:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()


def _delete_wagtail_welcome_page() -> None:
    """Remove "Welcome to your new Wagtail site!", the plain page Wagtail's migrations create, once nothing uses it."""
    site_roots = Site.objects.values_list("root_page_id", flat=True)
    Page.objects.filter(depth=2, numchild=0, slug="home").exact_type(Page).exclude(pk__in=site_roots).delete()


# --- Requests -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """What happens to a demo request after it was filed: a decision, a withdrawal or a resubmission."""

    action: str  # "approve", "reject", "request_changes" (by the approver), "withdraw", "resubmit" (by the applicant)
    comment: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoRequest:
    """One demo request: who files it, of which kind, with which form data, and what happens next."""

    applicant: User
    kind: str
    data: dict[str, Any]
    steps: tuple[Step, ...] = ()
    draft: bool = False
    answers: dict[str, Any] = field(default_factory=dict)  # the page's extra questions, by their (German) label
    page: str = ""  # the slug of the service page it is filed on; empty: the first demo page of its kind


def seed_responsibilities(units: dict[str, OrgUnit], *, today: datetime.date) -> None:
    """Who decides what in Musterstadt; skipped when Bernd Keller already holds his responsibilities.

    The Wagtail group "Editors" handles accessibility feedback (barrier reports) for the whole city;
    that grant is checked on its own, so that an earlier demo city gets it too.

    Bernd Keller holds every kind for the Ordnungsamt and delegates leave decisions to Clara Wolf for
    the current month; Deniz Yilmaz reviews VPN access for the whole city as IT security; the first
    people of the Personalamt and the IT service desk hold the second steps of remote work and
    equipment loans for the whole city.
    """
    from services.delegation import services as delegation_services
    from services.permissions import held_grants

    admin = User.objects.get(email=f"admin@{EMAIL_DOMAIN}")
    city = units["STADT"]
    grant = delegation_services.responsibility_grant
    # Barrier reports (the accessibility statement's feedback form) go to the editors, for the whole city.
    editors = Group.objects.get(name=editorial.EDITORS_GROUP)
    if not OrgUnitGroupPermission.objects.filter(group=editors, content_object=city,
                                                 permission__codename=ACCESSIBILITY_FEEDBACK_RESPONSIBILITY).exists():
        grant(actor=admin, holder=editors, unit=city, codenames=[ACCESSIBILITY_FEEDBACK_RESPONSIBILITY])
    bernd = User.objects.get(email=f"bernd.keller@{EMAIL_DOMAIN}")
    if held_grants(bernd):
        return
    grant(actor=admin, holder=bernd, unit=units["32"],
          codenames=["decide_leave", "decide_remote_work", "decide_vpn_access", "decide_equipment_loan"])
    grant(actor=admin, holder=User.objects.get(email=f"deniz.yilmaz@{EMAIL_DOMAIN}"), unit=city, codenames=["review_it_security"])
    hr = User.objects.filter(unit__code="11").order_by("personnel_number").first()
    service_desk = User.objects.filter(unit__path__startswith=units["12"].path).exclude(
        email=f"deniz.yilmaz@{EMAIL_DOMAIN}").order_by("personnel_number").first()
    grant(actor=admin, holder=hr, unit=city, codenames=["review_personnel"])
    grant(actor=admin, holder=service_desk, unit=city, codenames=["review_it_service_desk"])
    month_start = today.replace(day=1)
    next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    delegation_services.delegation_create(
        delegator=bernd, delegate=User.objects.get(email=f"clara.wolf@{EMAIL_DOMAIN}"), unit=units["32"],
        codenames=["decide_leave"], reason="Urlaubsanträge im Ordnungsamt während der Haushaltsberatungen",
        starts_at=datetime.datetime.combine(month_start, datetime.time.min, tzinfo=zone),
        ends_at=datetime.datetime.combine(next_month, datetime.time.min, tzinfo=zone),
    )


def seed_requests(*, service_pages: dict[str, ServicePage], today: datetime.date) -> int:
    """Requests in every state the workflow can reach, unless Anna Schmidt already has requests."""
    anna = User.objects.get(email=f"anna.schmidt@{EMAIL_DOMAIN}")
    if ServiceRequest.objects.filter(applicant=anna).exists():
        return 0
    approver = User.objects.get(email=f"bernd.keller@{EMAIL_DOMAIN}")
    scenarios = demo_requests(today=today)
    first_page_of_kind: dict[str, ServicePage] = {}
    for content in SERVICE_PAGES:
        first_page_of_kind.setdefault(content.kind, service_pages[content.slug])
    for scenario in scenarios:
        service_page = service_pages[scenario.page] if scenario.page else first_page_of_kind[scenario.kind]
        _play(scenario, approver=approver, service_page=service_page)
    return len(scenarios)


def _week(today: datetime.date, weeks_ahead: int, weekday: int = 1) -> datetime.date:
    """The given ISO weekday in the week `weeks_ahead` weeks after the current one."""
    monday = today - datetime.timedelta(days=today.weekday())
    return monday + datetime.timedelta(weeks=weeks_ahead, days=weekday - 1)


def _next_working_day(person: User, day: datetime.date) -> datetime.date:
    """`day`, or the next day on which `person` works (not a weekend, public holiday or municipal day off)."""
    while leave_days.working_days(employee=person, start=day, end=day) < 1:
        day += datetime.timedelta(days=1)
    return day


def _staff_of(unit_code: str, count: int) -> list[User]:
    """The first generated staff of a unit and the units below it (the named logins excluded)."""
    unit = OrgUnit.objects.get(code=unit_code)
    return list(
        User.objects.filter(unit__path__startswith=unit.path)
        .exclude(email__in=[login.email for login in DEMO_LOGINS])
        .order_by("personnel_number")[:count]
    )


def demo_requests(*, today: datetime.date) -> list[DemoRequest]:
    """The demo scenarios; Bernd Keller decides those of the Ordnungsamt, the others wait for a decision."""
    people = {login.email.split("@")[0]: User.objects.get(email=login.email) for login in DEMO_LOGINS}
    anna, bernd, clara, deniz = people["anna.schmidt"], people["bernd.keller"], people["clara.wolf"], people["deniz.yilmaz"]

    def iso(date: datetime.date) -> str:
        return date.isoformat()

    leave_types = {leave_type.code: leave_type.pk for leave_type in LeaveType.objects.all()}
    occasions = {occasion.code: occasion.pk for occasion in LeaveOccasion.objects.all()}

    def leave(leave_type: str, start: datetime.date, end: datetime.date, *, substitute: User | None = None,
              note: str = "", occasion: str = "", person: User | None = None) -> dict[str, Any]:
        """Form data as the leave form sends it (the type's and occasion's ids); a single day moves to the person's next working day."""
        if person is not None and start == end:
            start = end = _next_working_day(person, start)
        return {"leave_type": leave_types[leave_type], "occasion": occasions[occasion] if occasion else "",
                "start_date": iso(start), "end_date": iso(end), "substitute": substitute.email if substitute else "", "note": note}

    def remote_work(*, weekdays: list[int] | None = None, share: int | None = None, months: int = 12,
                    start_week: int = 2) -> dict[str, Any]:
        start = _week(today, start_week)
        return {"variant": "regular" if weekdays else "occasional", "weekdays": weekdays or [],
                "share_percent": share if share is not None else "", "start_date": iso(start),
                "end_date": iso(start + datetime.timedelta(days=30 * months)), "reachable_from": "09:00",
                "reachable_until": "15:00", "equipment": ["headset"], "confirms_data_protection": True,
                "confirms_ergonomics": True}

    def vpn(device: str, systems: list[str], reason: str) -> dict[str, Any]:
        start = _week(today, 1)
        return {"device": device, "reason": reason, "start_date": iso(start),
                "end_date": iso(start + datetime.timedelta(days=364)), "systems": systems,
                "confirms_private_device_rules": device == "private"}

    def equipment(items: list[str], weeks: int, note: str = "") -> dict[str, Any]:
        start = _week(today, 1)
        return {"items": items, "start_date": iso(start), "end_date": iso(start + datetime.timedelta(weeks=weeks)),
                "confirms_address": True, "note": note}

    approve = Step("approve", "Genehmigt.")
    scenarios = [
        # Anna Schmidt: one request in every state, of all four kinds.
        DemoRequest(anna, "leave", leave("annual", _week(today, 10), _week(today, 11, 5), substitute=clara,
                                         note="Noch mit dem Team abzustimmen."), draft=True),
        DemoRequest(anna, "leave", leave("annual", _week(today, 3), _week(today, 3, 5), substitute=clara)),
        DemoRequest(anna, "leave", leave("flexitime", _week(today, 1, 5), _week(today, 1, 5), person=anna),
                    steps=(Step("approve", "Genehmigt, die Vertretung ist geklärt."),)),
        DemoRequest(anna, "leave", leave("occasion", _week(today, 5, 4), _week(today, 5, 4), note="Umzug", occasion="relocation",
                                         person=anna),
                    steps=(Step("withdraw", "Der Umzugstermin hat sich verschoben."),)),
        DemoRequest(anna, "remote_work", remote_work(weekdays=[2, 4]), steps=(
            Step("request_changes", "Dienstags ist Sprechtag im Ordnungsamt. Bitte wählen Sie statt Dienstag den Mittwoch."),
        )),
        DemoRequest(anna, "vpn_access", vpn("private", ["email", "specialist"], "Mobiles Arbeiten an zwei Tagen pro Woche."),
                    steps=(
                        Step("request_changes", "Fachverfahren dürfen nur von Dienstgeräten aus genutzt werden."
                                                " Bitte wählen Sie Ihr Dienstnotebook."),
                        Step("resubmit", "Umgestellt auf das Dienstnotebook.", {"device": "municipal",
                                                                                 "confirms_private_device_rules": False}),
                        Step("approve", "Genehmigt. Der IT-Service richtet den Zugang ein."),
                    )),
        DemoRequest(anna, "equipment_loan", equipment(["monitor", "docking_station"], 26, "Ein Monitor mit 27 Zoll wäre ideal."),
                    steps=(Step("reject", "Zurzeit sind keine Monitore zum Verleih verfügbar. Bitte beantragen Sie ihn"
                                          " im nächsten Quartal erneut."),)),
        # Her colleague and her head of office.
        DemoRequest(clara, "leave", leave("annual", _week(today, 1), _week(today, 1, 3), substitute=anna), steps=(approve,)),
        DemoRequest(clara, "remote_work", remote_work(share=20, months=6)),
        DemoRequest(bernd, "leave", leave("annual", _week(today, 6), _week(today, 7, 5), substitute=anna,
                                          note="Vertretung in der Amtsleitung: Frau Schmidt.")),
    ]
    ordnungsamt_staff = _staff_of("32", 5)
    if len(ordnungsamt_staff) == 5:
        first, second, third, fourth, fifth = ordnungsamt_staff
        scenarios += [
            DemoRequest(first, "leave", leave("annual", _week(today, 4), _week(today, 5, 5))),
            DemoRequest(second, "equipment_loan", equipment(["headset", "webcam"], 52)),
            DemoRequest(third, "vpn_access", vpn("municipal", ["email", "file_shares", "dms"], "Rufbereitschaft am Wochenende.")),
            DemoRequest(fourth, "leave", leave("annual", _week(today, 8), _week(today, 8, 5)), steps=(
                Step("reject", "In dieser Woche ist Stadtfest; der Kommunale Ordnungsdienst braucht alle Kräfte."
                               " Bitte wählen Sie eine andere Woche."),
            )),
            DemoRequest(fifth, "remote_work", remote_work(share=40), steps=(Step("withdraw"),)),
            DemoRequest(second, "leave", leave("special", _week(today, 2, 3), _week(today, 2, 3), note="Hochzeit der Tochter",
                                                         person=second),
                        steps=(approve,)),
        ]
    # Elsewhere in the city: requests that wait for their own office's approvers.
    for unit_code, kind, data in (
        ("33", "leave", leave("annual", _week(today, 2), _week(today, 2, 5))),
        ("37", "remote_work", remote_work(weekdays=[5], months=24)),
        ("12", "equipment_loan", equipment(["laptop"], 8, "Für die Schulung neuer Kolleginnen und Kollegen.")),
    ):
        for applicant in _staff_of(unit_code, 1):
            scenarios.append(DemoRequest(applicant, kind, data))
    scenarios.append(DemoRequest(deniz, "vpn_access", vpn("municipal", ["email", "file_shares", "intranet"],
                                                           "Rufbereitschaft für Sicherheitsvorfälle.")))
    # A service the editors built from extra questions alone ("Dienstfahrrad ausleihen"), waiting for Bernd Keller.
    scenarios.append(DemoRequest(anna, "generic", {"subject": "Pedelec für Kontrollen auf dem Wochenmarkt"},
                                 page="dienstfahrrad-ausleihen", answers={
        "Ab wann brauchen Sie das Rad?": iso(_week(today, 1, 2)), "Bis wann brauchen Sie das Rad?": iso(_week(today, 1, 4)),
        "Welches Rad?": "Pedelec", "Haben Sie eine Einweisung für Pedelecs erhalten?": "yes",
    }))
    # A barrier report from the accessibility statement's form, waiting for the editors (Eva Berg, Frank Otto).
    scenarios.append(DemoRequest(anna, "generic", {"subject": "Datumsfelder ohne Maus nicht bedienbar"},
                                 page=ACCESSIBILITY_FEEDBACK_SLUG, answers={
        "Auf welcher Seite oder bei welchem Dienst?": "Urlaub beantragen",
        "Was ist passiert?": "Im Feld „Erster Urlaubstag“ öffnet sich ein Kalender, den ich mit der Tastatur nicht verlassen kann.",
        "Welche Hilfsmittel nutzen Sie?": "NVDA 2025.1 mit Firefox",
        "Dürfen wir Sie für Rückfragen kontaktieren?": "yes",
    }))
    return scenarios


def _details(kind_slug: str, applicant: User, data: dict[str, Any], instance: Model | None = None) -> Model:
    """The kind's typed details, checked by the same form that checks what staff enter."""
    form = registry.get(kind_slug).form_class(data=data, applicant=applicant, instance=instance)
    if not form.is_valid():
        raise DemoDataError(f"The demo {kind_slug} request of {applicant.email} is invalid: {form.errors.as_json()}")
    return form.save(commit=False)


def _extra_answers(scenario: DemoRequest, service_page: ServicePage) -> dict[str, Any]:
    """The answers to the page's extra questions, checked by the same form staff fill in."""
    from services.questions import QuestionForm, page_questions

    asked = page_questions(service_page)
    form = QuestionForm({f"extra-{question.id}": scenario.answers[question.label] for question in asked
                         if question.label in scenario.answers}, questions=asked)
    if not form.is_valid():
        raise DemoDataError(f"The demo answers of {scenario.applicant.email} on {service_page.title} are invalid: {form.errors.as_json()}")
    return form.answers() if asked else {}


def _play(scenario: DemoRequest, *, approver: User, service_page: ServicePage) -> ServiceRequest:
    kind = registry.get(scenario.kind)
    if scenario.draft:
        return workflow.request_save_draft(applicant=scenario.applicant, kind=kind, data=scenario.data,
                                           service_page=service_page)
    request = workflow.request_submit(applicant=scenario.applicant, kind=kind, service_page=service_page,
                                      details=_details(scenario.kind, scenario.applicant, scenario.data),
                                      extra_answers=_extra_answers(scenario, service_page))
    data = scenario.data
    for step in scenario.steps:
        if step.action == "withdraw":
            request = workflow.request_withdraw(request=request, actor=scenario.applicant, comment=step.comment)
        elif step.action == "resubmit":
            data = {**data, **step.changes}
            details = _details(scenario.kind, scenario.applicant, data, instance=request.details)
            request = workflow.request_resubmit(request=request, actor=scenario.applicant, details=details, comment=step.comment)
        else:
            request = _substitute_agrees_first(request)
            request = workflow.request_decide(request=request, actor=_decider(request, preferred=approver),
                                              decision=step.action, comment=step.comment)
    return request


def _decider(request: ServiceRequest, *, preferred: User) -> User:
    """Bernd Keller where he may decide the current step, otherwise the first person who may (HR, IT, …)."""
    from services.permissions import entitled_users

    people = entitled_users(request)
    return preferred if preferred in people else people[0]


# --- Leave stories of "Leave that adds up": team absences, a cancellation, a substitute's confirmation ---

TEAM_ABSENCE_NOTE = "Familienfeier – Demo: an diesen Tagen fehlt schon ein großer Teil des Ordnungsamts."
CANCELLATION_NOTE = "Sommerurlaub an der Ostsee."
CANCELLATION_REASON = "Die Reise fällt aus; ich bin in der Woche im Dienst."
CONFIRMATION_NOTE = "Brückentage; Frau Wolf vertritt mich in der Sachbearbeitung."


def _substitute_agrees_first(request: ServiceRequest) -> ServiceRequest:
    """A demo request that waits for its named substitute: the substitute confirms, so the approver can decide."""
    from services.models import RequestStatus

    if request.status != RequestStatus.AWAITING_SUBSTITUTE:
        return request
    return workflow.request_substitute_confirm(request=request, actor=request.details.substitute)


def seed_leave_stories(*, service_pages: dict[str, ServicePage], today: datetime.date) -> int:
    """Anna Schmidt's leave for the demo steps of "Leave that adds up", each created once (found again by its note).

    (a) Pending leave on days when more than TEAM_ABSENCE_WARNING_SHARE of the Ordnungsamt already
    has approved leave, so Clara Wolf (Bernd Keller's delegate for leave) sees the team-absence
    warning; (b) approved leave with a pending request to cancel it; (c) leave waiting for Clara to
    confirm that she covers.
    """
    from django.conf import settings

    from services.models import RequestStatus

    anna = User.objects.get(email=f"anna.schmidt@{EMAIL_DOMAIN}")
    bernd = User.objects.get(email=f"bernd.keller@{EMAIL_DOMAIN}")
    clara = User.objects.get(email=f"clara.wolf@{EMAIL_DOMAIN}")
    leave_page = next(page for page in service_pages.values() if page.kind == "leave")
    kind = registry.get("leave")
    annual = LeaveType.objects.get(code="annual")
    notes = set(LeaveRequest.objects.filter(request__applicant=anna).values_list("note", flat=True))
    created = 0

    def file(person: User, start: datetime.date, end: datetime.date, note: str = "", substitute: User | None = None) -> ServiceRequest:
        data = {"leave_type": annual.pk, "occasion": "", "start_date": start.isoformat(), "end_date": end.isoformat(),
                "substitute": substitute.email if substitute else "", "note": note}
        return workflow.request_submit(applicant=person, kind=kind, service_page=leave_page, details=_details("leave", person, data))

    if TEAM_ABSENCE_NOTE not in notes:
        start, end = _week(today, 13, 2), _week(today, 13, 4)
        team = User.objects.filter(unit_id=anna.unit_id, is_active=True)
        already_away = int(team.count() * settings.TEAM_ABSENCE_WARNING_SHARE)  # with Anna, more than the share
        colleagues = list(team.exclude(pk__in=[anna.pk, bernd.pk, clara.pk]).exclude(
            service_requests__kind="leave", service_requests__leave__start_date__lte=end,
            service_requests__leave__end_date__gte=start).order_by("personnel_number")[:already_away])
        for colleague in colleagues:
            workflow.request_decide(request=file(colleague, start, end), actor=bernd, decision="approve", comment="Genehmigt.")
        file(anna, start, end, TEAM_ABSENCE_NOTE)
        created += len(colleagues) + 1
    if CANCELLATION_NOTE not in notes:
        leave = file(anna, _week(today, 15), _week(today, 15, 5), CANCELLATION_NOTE)
        leave = workflow.request_decide(request=leave, actor=bernd, decision="approve", comment="Schönen Urlaub!")
        leave_cancellation.request_cancel(request=leave, actor=anna, comment=CANCELLATION_REASON)
        created += 2
    waiting_for_clara = ServiceRequest.objects.filter(applicant=anna, kind="leave", status=RequestStatus.AWAITING_SUBSTITUTE,
                                                      leave__substitute=clara)
    if CONFIRMATION_NOTE not in notes and not waiting_for_clara.exists():
        file(anna, _week(today, 17, 3), _week(today, 17, 5), CONFIRMATION_NOTE, substitute=clara)
        created += 1
    return created

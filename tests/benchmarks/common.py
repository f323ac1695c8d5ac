"""What the benchmarks share: Django set up with the stock peer app, a fresh database, a small city, and the table.

Every bench_*.py script runs in a process of its own (tests/benchmarks/run.py), with the settings of
tests.benchmarks.stock (the portal's test settings plus stock Wagtail pages), on a database it builds
itself: a new SQLite file, or a new database `<name>_benchmark` on the PostgreSQL server that
DATABASE_URL names, migrated and dropped again at the end.

Timings are measured interleaved (case, peer, case, peer, …) after a warm-up, so that a busy machine slows
both alike; the SQL queries of each are counted on one further request of its own, never while timing.
"""

import contextlib
import datetime
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.benchmarks.stock.settings"

GUIDANCE_HEADING = "Woran Sie Phishing erkennen"
GUIDANCE_PARAGRAPHS = [
    "Phishing-Mails geben sich als Nachricht der Stadtverwaltung, einer Bank oder eines Paketdienstes aus. Sie drängen"
    " zur Eile und verlangen Passwörter, Codes oder einen Klick auf einen Link.",
    "Prüfen Sie den Absender genau: Die Adresse passt oft nicht zum angeblichen Namen. Fahren Sie mit der Maus über"
    " einen Link, bevor Sie ihn öffnen, und achten Sie auf die Adresse, die Ihr Browser anzeigt.",
    "Melden Sie verdächtige Nachrichten über das Portal an die IT-Sicherheit und löschen Sie sie danach. Geben Sie"
    " niemals Ihr Passwort weiter, auch nicht an Kolleginnen und Kollegen.",
]


def repeat() -> int:
    """How many timed rounds each case gets (BENCH_REPEAT, default 30)."""
    return max(1, int(os.environ.get("BENCH_REPEAT", "30")))


def warmup() -> int:
    return max(1, int(os.environ.get("BENCH_WARMUP", "3")))


def django_setup() -> None:
    """Django with the stock peer app installed (the portal's settings plus tests.benchmarks.stock)."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()
    from django.conf import settings

    # Django's test client speaks as "testserver"; Wagtail serves it the default site.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A new, migrated database for this run (as Django's test runner builds one), removed afterwards."""
    from django.db import connection

    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        test_settings["NAME"] = f"{connection.settings_dict['NAME']}_benchmark"
    original_name = connection.settings_dict["NAME"]
    started = time.perf_counter()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"database: {connection.vendor}, migrated in {time.perf_counter() - started:.0f} s")
    try:
        yield name
    finally:
        connection.close()
        connection.creation.destroy_test_db(original_name, verbosity=0)


def database_url() -> str:
    """The database in use as a DATABASE_URL, for the servers that the throughput benchmark starts."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"sqlite:///{connection.settings_dict['NAME']}"
    from tests.servers import database_url as postgres_url

    return postgres_url()


def machine_note() -> str:
    return (f"{datetime.date.today().isoformat()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{repeat()} rounds after {warmup()} warm-up, interleaved with the peer")


# --- The city the benchmarks run in ------------------------------------------------------------------------


@dataclass
class City:
    """A small Musterstadt: one office with its head, a staff member, her substitute, colleagues, and the pages."""

    site: dict
    unit: object
    approver: object
    applicant: object
    substitute: object
    generic_page: object
    stock_page: object
    stock_forms: dict = field(default_factory=dict)


def leave_week(applicant, *, weeks_ahead: int):
    """The Monday and Friday of the first week, `weeks_ahead` or later, of five working days for `applicant`
    (as the portal counts them: no public holiday, no day off of the city)."""
    from services.leave.days import working_days
    from tests.factories import next_monday

    for weeks in range(weeks_ahead, weeks_ahead + 20):
        start = next_monday(weeks)
        end = start + datetime.timedelta(days=4)
        if working_days(employee=applicant, start=start, end=end) == 5:
            return start, end
    raise RuntimeError("no week of five working days found")


def leave_post(applicant, *, weeks_ahead: int = 3, substitute=None) -> dict:
    from tests.factories import leave_type_record

    start, end = leave_week(applicant, weeks_ahead=weeks_ahead)
    return {"leave_type": leave_type_record("annual").pk, "start_date": start.isoformat(), "end_date": end.isoformat(),
            "substitute": substitute.email if substitute else "", "note": "Sommerurlaub", "action": "submit"}


def vpn_post(applicant) -> dict:
    start, _end = leave_week(applicant, weeks_ahead=2)
    return {"device": "municipal", "reason": "Bereitschaftsdienst am Wochenende", "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=90)).isoformat(), "systems": ["email", "file_shares"],
            "action": "submit"}


GENERIC_QUESTIONS = [
    {"type": "date", "id": "from", "value": {"label": "Ab wann?", "help_text": "", "required": True}},
    {"type": "choice", "id": "bike", "value": {"label": "Welches Rad?", "help_text": "", "required": True,
                                               "options": ["Fahrrad", "Pedelec"]}},
    {"type": "yes_no", "id": "instructed", "value": {"label": "Eingewiesen?", "help_text": "", "required": False}},
]


def generic_post(applicant) -> dict:
    start, _end = leave_week(applicant, weeks_ahead=2)
    return {"subject": "Pedelec für den Wochenmarkt", "extra-from": start.isoformat(), "extra-bike": "Pedelec",
            "extra-instructed": "yes", "action": "submit"}


# The stock forms: the same fields as the portal's forms they are measured against, as an editor builds them
# in Wagtail's form builder (label, field type, required, choices).
STOCK_FORMS = {
    "leave": ("Urlaub (Formular)", [
        ("Art des Urlaubs", "radio", True, "Erholungsurlaub\nSonderurlaub\nArbeitsbefreiung\nGleittag"),
        ("Von", "date", True, ""),
        ("Bis", "date", True, ""),
        ("Vertretung", "email", False, ""),
        ("Anmerkung", "multiline", False, ""),
    ]),
    "vpn_access": ("VPN-Zugang (Formular)", [
        ("Gerät", "radio", True, "Dienstgerät\nPrivatgerät"),
        ("Begründung", "multiline", True, ""),
        ("Von", "date", True, ""),
        ("Bis", "date", True, ""),
        ("Benötigte Systeme", "checkboxes", True, "E-Mail und Kalender\nDateiablagen\nE-Akte\nFachverfahren\nIntranet\nSoftphone"),
        ("Regeln für Privatgeräte bestätigt", "checkbox", False, ""),
    ]),
    "generic": ("Dienstfahrrad (Formular)", [
        ("Betreff", "singleline", True, ""),
        ("Ab wann?", "date", True, ""),
        ("Welches Rad?", "radio", True, "Fahrrad\nPedelec"),
        ("Eingewiesen?", "checkbox", False, ""),
    ]),
}


def stock_post(page, values: list) -> dict:
    """The POST of a stock form page: each field's value by its clean name, in the order of the fields."""
    names = [field.clean_name for field in page.get_form_fields()]
    return {name: value for name, value in zip(names, values, strict=True) if value not in ("", None, False)}


def stock_leave_values(applicant, *, substitute=None) -> list:
    start, end = leave_week(applicant, weeks_ahead=3)
    return ["Erholungsurlaub", start.isoformat(), end.isoformat(), substitute.email if substitute else "", "Sommerurlaub"]


def stock_vpn_values(applicant) -> list:
    start, _end = leave_week(applicant, weeks_ahead=2)
    return ["Dienstgerät", "Bereitschaftsdienst am Wochenende", start.isoformat(),
            (start + datetime.timedelta(days=90)).isoformat(), ["E-Mail und Kalender", "Dateiablagen"], False]


def stock_generic_values(applicant) -> list:
    start, _end = leave_week(applicant, weeks_ahead=2)
    return ["Pedelec für den Wochenmarkt", start.isoformat(), "Pedelec", True]


def city_build() -> City:
    """The site, one office (Ordnungsamt) with its head holding every responsibility (with an authenticator app),
    a staff member, her substitute and twenty colleagues; a queue of their leave, requests of the staff member in
    several states, and the stock peer pages beside the portal's."""
    from wagtail.models import Page
    from wagtail.rich_text import RichText

    from home.models import GuidancePage, ServicePage
    from services import workflow
    from services.models import ServiceRequest
    from tests.benchmarks.stock.models import StockFormField, StockFormPage, StockPage
    from tests.factories import OrgUnitFactory, UserFactory, build_site, logged_in_client, make_holder

    site = build_site()
    city = OrgUnitFactory(code="STADT", name="Stadtverwaltung Musterstadt", level="dezernat")
    unit = OrgUnitFactory(parent=city, code="32", name="Ordnungsamt")
    approver = make_holder(unit, email="bernd.keller@musterstadt.example", first_name="Bernd", last_name="Keller")
    applicant = UserFactory(email="anna.schmidt@musterstadt.example", first_name="Anna", last_name="Schmidt", unit=unit)
    substitute = UserFactory(email="clara.wolf@musterstadt.example", first_name="Clara", last_name="Wolf", unit=unit)
    colleagues = [UserFactory(unit=unit) for _ in range(20)]

    guidance = GuidancePage.objects.get(slug="phishing")
    guidance.body = [("heading", GUIDANCE_HEADING), *[("paragraph", RichText(f"<p>{text}</p>")) for text in GUIDANCE_PARAGRAPHS]]
    guidance.save_revision().publish()

    services_index = site["services"]["leave"].get_parent()
    generic_page = ServicePage(title="Dienstfahrrad ausleihen", slug="dienstfahrrad", kind="generic",
                               decided_by="decide_equipment_loan", questions=GENERIC_QUESTIONS)
    services_index.add_child(instance=generic_page)
    generic_page.save_revision().publish()

    home = site["home"]
    body = f"<h2>{GUIDANCE_HEADING}</h2>" + "".join(f"<p>{text}</p>" for text in GUIDANCE_PARAGRAPHS)
    stock_page = home.add_child(instance=StockPage(title="Phishing erkennen (Wagtail)", slug="stock-page", body=body))
    stock_forms = {}
    for key, (title, fields) in STOCK_FORMS.items():
        page = home.add_child(instance=StockFormPage(title=title, slug=f"stock-{key.replace('_', '-')}",
                                                     thank_you_text="<p>Vielen Dank.</p>"))
        for order, (label, field_type, required, choices) in enumerate(fields):
            StockFormField.objects.create(page=page, sort_order=order, label=label, field_type=field_type,
                                          required=required, choices=choices)
        stock_forms[key] = StockFormPage.objects.get(pk=page.pk)

    # What the pages show: leave of the colleagues waiting in the head's queue, and the staff member's own
    # requests, filed through the forms as staff file them; two of hers decided.
    leave_url = site["services"]["leave"].url
    for number, colleague in enumerate(colleagues):
        submitted(logged_in_client(colleague, mfa=False), leave_url, leave_post(colleague, weeks_ahead=3 + number % 8))
    own = logged_in_client(applicant, mfa=False)
    references = [
        submitted(own, leave_url, leave_post(applicant, weeks_ahead=10)),
        submitted(own, leave_url, leave_post(applicant, weeks_ahead=14)),
        submitted(own, site["services"]["vpn_access"].url, vpn_post(applicant)),
        submitted(own, generic_page.url, generic_post(applicant)),
    ]
    for reference in references[:2]:
        request = ServiceRequest.objects.get(reference=reference)
        workflow.request_decide(request=request, actor=approver, decision="approve", comment="", expected_step=1)
    return City(site=site, unit=unit, approver=approver, applicant=applicant, substitute=substitute,
                generic_page=ServicePage.objects.get(pk=generic_page.pk), stock_page=Page.objects.get(pk=stock_page.pk),
                stock_forms=stock_forms)


def submitted(client, url: str, data: dict) -> str:
    """Files a request through its form; the new request's reference (the form's errors when it was refused)."""
    response = client.post(url, data)
    if response.status_code != 302 or not response["Location"].startswith("/requests/"):
        errors = getattr(response, "context", None) and response.context.get("form") and response.context["form"].errors
        raise RuntimeError(f"submitting to {url} answered {response.status_code}: {errors or response.content[:2000]!r}")
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def request_delete(reference: str) -> None:
    """Removes a request the benchmark filed, with its details, events and notifications, so that every round
    files into the same city (no growing queue, no overlapping leave, the same balance)."""
    from django_tasks_db.models import DBTaskResult
    from post_office.models import Email

    from services.models import ServiceRequest

    ServiceRequest.objects.filter(reference=reference).delete()
    Email.objects.all().delete()
    DBTaskResult.objects.all().delete()
    from django.core import mail

    if hasattr(mail, "outbox"):
        mail.outbox.clear()


# --- Measuring ---------------------------------------------------------------------------------------------


@dataclass
class Case:
    """One request to measure: `call` sends it (timed), `check` looks at the response and tidies up (not timed)."""

    name: str
    call: Callable[[], object]
    check: Callable[[object], None]
    timings: list[float] = field(default_factory=list)
    queries: int | None = None

    def once(self) -> float:
        started = time.perf_counter()
        response = self.call()
        elapsed = time.perf_counter() - started
        self.check(response)
        return elapsed

    def count_queries(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = self.call()
        self.check(response)
        self.queries = len(captured.captured_queries)

    def median_ms(self) -> float:
        return statistics.median(self.timings) * 1000

    def p95_ms(self) -> float:
        ordered = sorted(self.timings)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


def expect_status(*statuses: int, then: Callable[[object], None] | None = None) -> Callable[[object], None]:
    def check(response) -> None:
        if response.status_code not in statuses:
            raise RuntimeError(f"expected {statuses}, got {response.status_code}: {response.content[:1500]!r}")
        if then is not None:
            then(response)

    return check


def measure(pairs: list[tuple[Case, Case]]) -> None:
    """Warm up, then time every case and its peer alternately, round after round; then count their queries."""
    for _ in range(warmup()):
        for case, peer in pairs:
            case.once()
            peer.once()
    for _ in range(repeat()):
        for case, peer in pairs:
            case.timings.append(case.once())
            peer.timings.append(peer.once())
    for case, peer in pairs:
        case.count_queries()
        peer.count_queries()


def table(title: str, pairs: list[tuple[Case, Case]]) -> str:
    """Markdown: each case with its median, p95, SQL queries and its median over its peer's, the peer below it."""
    lines = [f"### {title}", "", machine_note(), "",
             "| case | median ms | p95 ms | SQL queries | ratio to peer |", "| --- | ---: | ---: | ---: | ---: |"]
    for case, peer in pairs:
        lines.append(f"| {case.name} | {case.median_ms():.1f} | {case.p95_ms():.1f} | {case.queries} | "
                     f"{case.median_ms() / peer.median_ms():.2f}× |")
        lines.append(f"| ↳ peer: {peer.name} | {peer.median_ms():.1f} | {peer.p95_ms():.1f} | {peer.queries} | 1 |")
    return "\n".join(lines)

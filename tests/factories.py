"""factory_boy factories for units, staff, requests and pages."""

import datetime
import hashlib
import importlib
import time

import factory
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from home.models import GuidanceIndexPage, GuidancePage, HomePage, ServiceIndexPage, ServicePage
from portal.models import OrgUnit, UnitLevel, User
from services.documents.models import DecisionDocument, DocumentOutcome, DocumentStatus
from services.documents.services import verification_code_new
from services.kinds import registry
from services.leave.models import LeaveOccasion, LeaveRequest, LeaveType
from services.leave.rules import count_days
from services.models import RequestStatus, ServiceRequest


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """Creates a unit as a root, or below `parent` when one is given."""

    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    level = UnitLevel.OFFICE

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.add_root(**kwargs)
        return parent.add_child(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@musterstadt.example")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    personnel_number = factory.Sequence(lambda n: f"P{n:06d}")
    unit = factory.SubFactory(OrgUnitFactory)
    password = factory.PostGenerationMethodCall("set_password", "musterstadt")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    kind = "leave"
    applicant = factory.SubFactory(UserFactory)
    unit = factory.SelfAttribute("applicant.unit")
    status = RequestStatus.SUBMITTED
    current_step = 1
    submitted_at = factory.LazyFunction(timezone.now)
    reference = factory.Sequence(lambda n: f"KD-TEST-{n:06d}")


def next_monday(weeks_ahead: int = 2) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(7 - today.weekday()) + 7 * (weeks_ahead - 1))


def leave_request(*, applicant: User | None = None, status: str = RequestStatus.SUBMITTED, days: int = 5,
                  start: datetime.date | None = None, leave_type: str = "annual", **kwargs) -> ServiceRequest:
    """A leave request with its typed detail row, in the given state (working days counted Monday to Friday)."""
    request = ServiceRequestFactory(applicant=applicant or UserFactory(), status=status, kind="leave", **kwargs)
    start = start or next_monday()
    end = start + datetime.timedelta(days=days - 1)
    LeaveRequest.objects.create(request=request, leave_type=leave_type_record(leave_type), start_date=start, end_date=end,
                                working_days=count_days(start=start, end=end))
    return request


def leave_catalogue_ensure() -> None:
    """The types of leave and TVöD §29 occasions as the data migration seeds them, restored where missing.

    A transactional test (real threads, a live server) ends with a flush that empties every table,
    the migration's rows included; the tests that run after it find them here again.
    """
    seeded = importlib.import_module("services.migrations.0005_leave_types_data")
    confirming = importlib.import_module("services.migrations.0008_leave_type_substitute_confirmation").SUBSTITUTE_CONFIRMS
    for code, name_de, name_en, deducts, half_days, requires_occasion, order in seeded.LEAVE_TYPES:
        LeaveType.objects.get_or_create(code=code, defaults={
            "name_de": name_de, "name_en": name_en, "deducts_from_balance": deducts, "half_days_allowed": half_days,
            "requires_occasion": requires_occasion, "order": order, "substitute_must_confirm": code in confirming})
    for code, name_de, name_en, reference, max_days, per_year, order in seeded.OCCASIONS:
        LeaveOccasion.objects.get_or_create(code=code, defaults={
            "name_de": name_de, "name_en": name_en, "legal_reference": reference, "max_days": max_days,
            "per_calendar_year": per_year, "order": order})


def leave_type_record(code: str = "annual") -> LeaveType:
    """A leave type the data migration seeded: annual, special, occasion, flexitime."""
    found = LeaveType.objects.filter(code=code).first()
    if found is None:
        leave_catalogue_ensure()
        found = LeaveType.objects.get(code=code)
    return found


def build_site() -> dict:
    """The page tree of a fresh portal: home, a service index with one page per kind, guidance."""
    # A transactional test (real threads, a live server) ends with a flush that empties every table, Wagtail's
    # default locale and root page included; the tests that run after it find them here again.
    locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = root.add_child(instance=HomePage(title="Kurzer Dienstweg", slug="kd-home", locale=locale))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80,
                                                                   "site_name": "Kurzer Dienstweg"})
    services = home.add_child(instance=ServiceIndexPage(title="Services", slug="services", locale=locale))
    pages = {}
    for kind in registry:
        # The generic kind is decided by whoever the page names; the others bring their own steps.
        decided_by = "decide_equipment_loan" if not kind.steps else ""
        pages[kind.slug] = services.add_child(instance=ServicePage(title=str(kind.label), slug=kind.slug.replace("_", "-"),
                                                                   kind=kind.slug, locale=locale, decided_by=decided_by))
    guidance = home.add_child(instance=GuidanceIndexPage(title="Guidance", slug="guidance", locale=locale))
    guidance.add_child(instance=GuidancePage(title="Phishing erkennen", slug="phishing", summary="Woran Sie Phishing erkennen.",
                                             locale=locale))
    return {"home": home, "services": pages, "guidance": guidance}


ALL_RESPONSIBILITIES = (
    "decide_leave", "decide_remote_work", "decide_vpn_access", "decide_equipment_loan",
    "review_personnel", "review_it_security", "review_it_service_desk", "handle_accessibility_feedback",
    "view_survey_results", "redact_survey_free_text",
    "handle_kummerkasten",
)


def grant_responsibility(holder, unit: OrgUnit, *codenames: str):
    """Give a person or group responsibilities on a unit (and so on everything below it)."""
    from guardian.shortcuts import assign_perm

    for codename in codenames or ALL_RESPONSIBILITIES:
        assign_perm(f"portal.{codename}", holder, unit)
    return holder


def make_holder(unit: OrgUnit, *codenames: str, **user_fields) -> User:
    """A new person holding the given responsibilities (all of them by default) on `unit`."""
    return grant_responsibility(UserFactory(unit=unit, **user_fields), unit, *codenames)


def totp_authenticator_ensure(user: User) -> None:
    """An activated authenticator app (TOTP) for `user`, as someone who set up two-factor authentication has."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


def reauthentication_record(client: Client, user: User) -> None:
    """Record in the client's session that `user` just re-entered their password, as allauth's reauthenticate
    page does (account_authentication_methods with reauthenticated=True)."""
    session = client.session
    records = [*session.get("account_authentication_methods", []),
               {"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods"] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def logged_in_client(user: User, *, mfa: bool = True, reauthenticated: bool = True) -> Client:
    """A browser of `user` after a complete login: by default with two-factor authentication set up (the portal
    asks everyone who decides, delegates or edits for it) and freshly re-authenticated. Tests about either
    check pass False."""
    if mfa:
        totp_authenticator_ensure(user)
    client = Client()
    client.force_login(user)
    if reauthenticated:
        reauthentication_record(client, user)
    return client


def decision_document_stored(request: ServiceRequest, content: bytes = b"%PDF-1.7\n%%EOF\n") -> DecisionDocument:
    """An issued decision document of `request` with the given bytes, without rendering (for permission tests)."""
    event = request.events.order_by("pk").first()
    document = DecisionDocument(request=request, event=event, outcome=DocumentOutcome.APPROVED, kind=request.kind,
                                decided_at=timezone.now(), language="de", verification_code=verification_code_new(),
                                status=DocumentStatus.ISSUED, sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                                issued_at=timezone.now())
    document.file.save(f"{request.reference}.pdf", ContentFile(content), save=False)
    document.save()
    return document


class DeliveredOutbox:
    """pytest-django's `mailoutbox` as the worker would have left it by now: every look first sends what waits in
    the outbox (services.outbox), as the worker does once the transaction commits — which a test's transaction
    never does. `clear()` sends what waits, then forgets it."""

    def __init__(self, delivered: list) -> None:
        self._delivered = delivered

    def _now(self) -> list:
        from services.outbox.sending import outbox_send_due

        outbox_send_due()
        return self._delivered

    def clear(self) -> None:
        self._now().clear()

    def __iter__(self):
        return iter(self._now())

    def __len__(self) -> int:
        return len(self._now())

    def __getitem__(self, index):
        return self._now()[index]

    def __eq__(self, other) -> bool:
        return list(self._now()) == list(other)

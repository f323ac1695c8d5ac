import io
import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Locale, Page, Revision, Site

from home.demo import DEMO_LOGINS, DEMO_PASSWORD, ORG_TREE, generated_staff
from home.models import GuidancePage, HomePage, ServicePage
from portal.models import OrgUnit, UnitLevel, User
from services.kinds import registry
from services.models import EventAction, RequestEvent, RequestStatus, ServiceRequest
from tests.portal.test_accounts import totp_code

SEEDED_STATUSES = {
    RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.CHANGES_REQUESTED,
    RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN, RequestStatus.IN_REVIEW,
    RequestStatus.AWAITING_SUBSTITUTE,
}


def run_seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Musterstadt, seeded once for this module (seeding takes a second or two) and rolled back at its end."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        yield run_seed_demo()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db, settings):
    """The seeded city for one test; whatever the test changes is rolled back after it."""
    settings.DEBUG = True
    return seeded_once


def counts() -> dict[str, int]:
    return {
        "units": OrgUnit.objects.count(),
        "users": User.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "locales": Locale.objects.count(),
        "sites": Site.objects.count(),
        "requests": ServiceRequest.objects.count(),
        "events": RequestEvent.objects.count(),
    }


def test_seed_demo_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    before = counts()
    with pytest.raises(CommandError, match="DEBUG=True"):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_generated_staff_is_the_same_on_every_call():
    assert generated_staff() == generated_staff()
    emails = [spec.email for spec in generated_staff()]
    assert len(emails) == len(set(emails))
    assert not set(emails) & {login.email for login in DEMO_LOGINS}


def test_seed_demo_builds_the_org_tree_of_musterstadt(seeded):
    assert OrgUnit.objects.count() >= 15
    root = OrgUnit.objects.get(code=ORG_TREE.code)
    assert root.is_root() and root.name == "Stadtverwaltung Musterstadt"
    assert set(OrgUnit.objects.values_list("level", flat=True)) == set(UnitLevel.values)
    ordnungsamt = OrgUnit.objects.get(code="32")
    assert ordnungsamt.name == "Ordnungsamt" and ordnungsamt.level == UnitLevel.OFFICE
    assert ordnungsamt.get_parent().name == "Dezernat III – Ordnung und Sicherheit"
    assert ordnungsamt.get_descendants().filter(level=UnitLevel.SECTION).exists()


def test_seed_demo_creates_about_200_staff_with_varied_work_patterns(seeded):
    assert 190 <= User.objects.count() <= 210
    assert User.objects.filter(unit__isnull=True).count() == 0
    assert User.objects.filter(personnel_number__isnull=True).count() == 0
    assert set(User.objects.values_list("federal_state", flat=True)) == {"NW"}
    part_time = User.objects.get(email="clara.wolf@musterstadt.example")
    assert part_time.working_weekdays == [1, 2, 3, 4] and part_time.leave_entitlement_days == 24
    patterns = {tuple(days) for days in User.objects.values_list("working_weekdays", flat=True)}
    assert {(1, 2, 3, 4, 5), (1, 2, 3, 4), (1, 3, 5)} <= patterns


def test_demo_logins_authenticate_with_the_demo_password(seeded, client):
    for login in DEMO_LOGINS:
        assert authenticate(None, email=login.email, password=DEMO_PASSWORD) is not None, login.email
    anna = User.objects.get(email="anna.schmidt@musterstadt.example")
    assert anna.unit.name == "Ordnungsamt"
    assert User.objects.get(email="deniz.yilmaz@musterstadt.example").unit.get_ancestors().filter(code="12").exists()
    eva = User.objects.get(email="eva.berg@musterstadt.example")
    assert eva.is_staff and not eva.is_superuser and eva.groups.filter(name="Editors").exists()
    admin = User.objects.get(email="admin@musterstadt.example")
    assert admin.is_staff and admin.is_superuser
    response = client.post("/accounts/login/", {"login": "anna.schmidt@musterstadt.example", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_seed_demo_prints_the_demo_logins(seeded):
    for login in DEMO_LOGINS:
        assert login.email in seeded
    assert DEMO_PASSWORD in seeded


def printed_totp_secret(output: str, email: str) -> str | None:
    line = next(line for line in output.splitlines() if line.startswith(email))
    found = re.search(r"\b([A-Z2-7]{32})$", line)
    return found.group(1) if found else None


def test_those_who_decide_edit_or_administer_have_an_authenticator_app_whose_secret_is_printed(seeded):
    needing = {login.email for login in DEMO_LOGINS if login.mfa}
    assert {"bernd.keller@musterstadt.example", "clara.wolf@musterstadt.example", "eva.berg@musterstadt.example",
            "admin@musterstadt.example"} <= needing
    assert set(Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user__email", flat=True)) == needing
    for login in DEMO_LOGINS:
        assert (printed_totp_secret(seeded, login.email) is not None) == login.mfa, login.email


def test_bernd_logs_in_with_the_printed_secret_in_an_authenticator_app(seeded, client):
    secret = printed_totp_secret(seeded, "bernd.keller@musterstadt.example")
    response = client.post("/accounts/login/", {"login": "bernd.keller@musterstadt.example", "password": DEMO_PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.session.get("_auth_user_id") == str(User.objects.get(email="bernd.keller@musterstadt.example").pk)
    assert client.get("/delegations/").status_code == 200


def test_seeding_again_keeps_the_authenticator_secrets(seeded):
    again = run_seed_demo()
    for login in DEMO_LOGINS:
        assert printed_totp_secret(again, login.email) == printed_totp_secret(seeded, login.email)


def test_seed_demo_publishes_every_page_in_german_and_english(seeded):
    german, english = Locale.objects.get(language_code="de"), Locale.objects.get(language_code="en")
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.locale == german
    assert not Page.objects.filter(depth=2).exact_type(Page).exists(), "Wagtail's welcome page is gone"
    assert set(ServicePage.objects.filter(locale=german).values_list("kind", flat=True)) == {kind.slug for kind in registry}
    assert set(ServicePage.objects.filter(locale=german).values_list("title", flat=True)) == {
        "Urlaub beantragen", "Mobiles Arbeiten beantragen", "VPN-Zugang beantragen", "Ausstattung ausleihen",
        "Dienstfahrrad ausleihen", "Barriere melden"}
    # Live ones: Deniz's phishing warning waits, as a German draft, for the editors' approval.
    assert GuidancePage.objects.live().filter(locale=german).count() == 4
    assert GuidancePage.objects.filter(locale=german, live=False).count() == 1
    phishing = GuidancePage.objects.get(locale=german, title="Phishing erkennen und melden")
    assert any(block.block_type == "callout" and block.value["tone"] == "danger" for block in phishing.body)
    german_pages = Page.objects.filter(locale=german, depth__gt=1, live=True)
    assert german_pages.count() == Page.objects.filter(locale=english).count()
    for page in german_pages:
        translation = page.get_translation(english)
        assert translation.live and not translation.has_unpublished_changes
        assert translation.title != page.title
        assert page.live and page.specific.search_description


def test_seed_demo_creates_requests_in_every_state_through_the_workflow(seeded):
    anna = User.objects.get(email="anna.schmidt@musterstadt.example")
    bernd = User.objects.get(email="bernd.keller@musterstadt.example")
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == SEEDED_STATUSES
    assert set(ServiceRequest.objects.filter(applicant=anna).values_list("status", flat=True)) >= SEEDED_STATUSES - {
        RequestStatus.IN_REVIEW}
    # Every service, and the cancellation of approved leave that arises from a leave request.
    assert set(ServiceRequest.objects.values_list("kind", flat=True)) == {kind.slug for kind in registry} | {"leave_cancellation"}
    for request in ServiceRequest.objects.all():
        events = list(request.events.all())
        assert events, request
        assert events[-1].to_status == request.status
        if request.status != RequestStatus.DRAFT:
            assert events[0].action == EventAction.SUBMITTED and request.details is not None
            if request.kind_entry.listed:
                assert request.service_page.specific.kind == request.kind
    decisions = RequestEvent.objects.filter(
        action__in=[EventAction.APPROVED, EventAction.REJECTED, EventAction.CHANGES_REQUESTED])
    assert decisions.exists() and bernd.pk in set(decisions.values_list("actor", flat=True))
    assert RequestEvent.objects.filter(action=EventAction.RESUBMITTED, request__applicant=anna).exists()


def test_running_seed_demo_twice_changes_nothing(seeded):
    before = counts()
    output = run_seed_demo()
    assert counts() == before
    assert "nothing was missing" in output


def test_home_answers_in_german_at_root_and_in_english_under_en(seeded, client):
    german = client.get("/")
    english = client.get("/en/")
    assert german.status_code == 200 and english.status_code == 200
    assert "Willkommen im Mitarbeiterportal" in german.content.decode()
    assert '<html lang="de"' in german.content.decode()
    assert "Welcome to the staff portal" in english.content.decode()
    assert '<html lang="en"' in english.content.decode()
    assert client.get("/en/hinweise/phishing-erkennen-und-melden/").status_code == 200


def test_seed_demo_sets_up_responsibilities_and_clara_as_bernds_leave_delegate(seeded):
    from services.delegation.models import Delegation
    from services.permissions import effective_grants

    bernd = User.objects.get(email="bernd.keller@musterstadt.example")
    clara = User.objects.get(email="clara.wolf@musterstadt.example")
    deniz = User.objects.get(email="deniz.yilmaz@musterstadt.example")
    delegation = Delegation.objects.get(delegator=bernd, delegate=clara)
    assert delegation.permissions == ["decide_leave"] and delegation.is_active()
    # Leave through the delegation; her own: answering the anonymous Kummerkasten for the city (home.demo.kummerkasten).
    assert {grant.permission for grant in effective_grants(clara)} == {"decide_leave", "handle_kummerkasten"}
    assert {(grant.permission, grant.unit_path) for grant in effective_grants(deniz)} == {
        ("review_it_security", OrgUnit.objects.get(code="STADT").path)}


def test_seed_demo_guidance_uses_every_block_type(seeded):
    from home.blocks import GuidanceStreamBlock

    used = {block.block_type for page in GuidancePage.objects.all() for block in page.body}

    assert used == set(GuidanceStreamBlock.base_blocks)


def test_seed_demo_guidance_pages_render_in_both_languages(seeded, client):
    for page in GuidancePage.objects.live():
        assert client.get(page.url).status_code == 200, page.url
    homeoffice = GuidancePage.objects.get(slug="sicher-im-homeoffice-arbeiten", locale__language_code="de")
    html = client.get(homeoffice.url).content.decode()
    assert '<details class="kern-accordion">' in html
    assert 'class="kern-card portal-block portal-contact"' in html
    assert "/documents/" in html


def test_seed_demo_sets_up_the_two_person_approval_with_a_second_editor(seeded):
    from wagtail.models import WorkflowPage

    from home.editorial import GUIDANCE_WORKFLOW_NAME
    from home.models import GuidanceIndexPage

    frank = User.objects.get(email="frank.otto@musterstadt.example")
    eva = User.objects.get(email="eva.berg@musterstadt.example")
    assert set(frank.groups.values_list("name", flat=True)) == {"Editors", "Moderators"}
    assert set(eva.groups.values_list("name", flat=True)) == {"Editors"}
    assert authenticate(email=frank.email, password=DEMO_PASSWORD) == frank
    indexes = GuidanceIndexPage.objects.all()
    assert indexes.count() == 2
    assert set(WorkflowPage.objects.filter(page__in=indexes).values_list("workflow__name", flat=True)) == {GUIDANCE_WORKFLOW_NAME}
    assert all(page.get_workflow().name == GUIDANCE_WORKFLOW_NAME for page in GuidancePage.objects.all())


def test_seed_demo_sets_the_phishing_alert_and_the_accessibility_statement(seeded, client):
    from home.models import AccessibilityStatementPage, SiteAlert

    alert = SiteAlert.load()
    assert alert.is_showing()
    assert alert.text == "Aktuelle Phishing-Welle: E-Mails mit angeblichen Förderanträgen"
    assert alert.link_page.slug == "phishing-erkennen-und-melden"
    statements = AccessibilityStatementPage.objects.live()
    assert set(statements.values_list("locale__language_code", flat=True)) == {"de", "en"}
    html = client.get("/").content.decode()
    assert "Aktuelle Phishing-Welle" in html
    assert f'href="{statements.get(locale__language_code="de").url}"' in html


def test_seed_demo_publishes_a_service_made_of_extra_questions(seeded):
    bicycle = ServicePage.objects.get(locale__language_code="de", slug="dienstfahrrad-ausleihen")
    assert bicycle.title == "Dienstfahrrad ausleihen" and bicycle.decided_by == "decide_equipment_loan"
    assert [block.block_type for block in bicycle.questions] == ["date", "date", "choice", "yes_no", "long_text"]
    english = bicycle.get_translation(Locale.objects.get(language_code="en")).specific
    assert list(english.questions[2].value["options"]) == ["Bicycle", "E-bike", "Cargo bike"]
    request = ServiceRequest.objects.get(kind="generic", service_page=bicycle)
    assert request.step_plan == ["decide_equipment_loan"] and request.status == RequestStatus.SUBMITTED
    answers = {entry["label"]: entry["answer"] for entry in request.extra_answers["questions"]}
    assert answers["Welches Rad?"] == "Pedelec" and answers["Anmerkungen"] is None


def test_seed_demo_routes_barrier_reports_to_the_editors(seeded):
    from home.models import AccessibilityStatementPage
    from services.permissions import requests_decidable_by

    english = Locale.objects.get(language_code="en")
    form = ServicePage.objects.get(locale__language_code="de", slug="barriere-melden")
    assert form.kind == "generic" and form.decided_by == "handle_accessibility_feedback"
    assert [block.block_type for block in form.questions] == ["short_text", "long_text", "short_text", "file", "yes_no"]
    assert [block.value["required"] for block in form.questions] == [True, True, False, False, True]
    assert form.get_translation(english).title == "Report a barrier"
    for statement in AccessibilityStatementPage.objects.all():
        assert statement.feedback_page.locale == statement.locale
        assert statement.feedback_page.translation_key == form.translation_key
    eva = User.objects.get(email="eva.berg@musterstadt.example")
    report = ServiceRequest.objects.get(service_page=form)
    assert report.step_permission == "handle_accessibility_feedback" and report.status == RequestStatus.SUBMITTED
    assert list(requests_decidable_by(eva)) == [report]


def test_seed_demo_has_a_survey_anna_can_answer_and_results_above_and_below_k(seeded):
    from services.surveys import selectors
    from services.surveys.models import Survey

    anna = User.objects.get(email="anna.schmidt@musterstadt.example")
    open_rounds = list(selectors.rounds_open_for(anna))
    assert open_rounds and not open_rounds[0].answered
    bernd = User.objects.get(email="bernd.keller@musterstadt.example")
    results = selectors.survey_results(Survey.objects.get(), bernd)
    assert {item.unit.code for item in results.units} == {"32"}
    assert all(item.shown and item.count >= results.k for item in results.units[0].rounds)
    assert results.units_without_results  # the Ordnungsamt's section with two answers stays suppressed


@pytest.mark.parametrize(("quiet", "logged"), [(True, False), (False, True)])
def test_the_seed_keeps_its_own_security_events_off_the_console_unless_asked(quiet, logged, caplog):
    """`seed_demo` shows the security events of its own decisions and grants only with -v 2; afterwards the log speaks."""
    import logging

    from home.management.commands.seed_demo import _security_log_quiet

    logger = logging.getLogger("portal.security")
    with caplog.at_level(logging.INFO, logger="portal.security"):
        with _security_log_quiet(quiet):
            logger.info("seeded")
        assert any(record.getMessage() == "seeded" for record in caplog.records) is logged
        logger.info("after")
    assert caplog.records[-1].getMessage() == "after"


def test_the_example_hr_export_imports_on_top_of_the_demo(seeded):
    """The README's `import_staff` example: two new units, two people moved or changed, two new people; again,
    nothing changes."""
    from decimal import Decimal
    from pathlib import Path

    import home.demo

    export = Path(home.demo.__file__).parent / "hr_export"
    command = ["import_staff", "--units", str(export / "units.csv"), "--staff", str(export / "staff.csv")]
    before = User.objects.count()
    out = io.StringIO()

    call_command(*command, stdout=out)

    assert User.objects.count() == before + 2
    new_section = OrgUnit.objects.get(code="32.2.1")
    assert new_section.get_parent().code == "32.2" and new_section.level == UnitLevel.SECTION
    assert OrgUnit.objects.get(code="12.1.3").get_parent().code == "12.1"
    claudia = User.objects.get(personnel_number="100101")
    assert (claudia.unit.code, claudia.working_weekdays, claudia.weekly_hours) == ("32.2.1", [1, 2, 3, 4], Decimal("31.20"))
    assert User.objects.get(personnel_number="100102").working_weekdays == [1, 2, 3, 4, 5]
    mira = User.objects.get(email="mira.sonnleitner@musterstadt.example")
    assert (mira.personnel_number, mira.unit.code, mira.is_active, mira.has_usable_password()) == (
        "100301", "32.2.1", True, False)
    assert User.objects.get(email="tarek.haddad@musterstadt.example").working_weekdays == [2, 3, 4, 5]
    # The demo logins are untouched: Anna still logs in with the demo password.
    assert authenticate(username="anna.schmidt@musterstadt.example", password=DEMO_PASSWORD) is not None

    again = io.StringIO()
    call_command(*command, stdout=again)
    assert User.objects.count() == before + 2
    assert re.findall(r"\d+", again.getvalue())[:6] == ["0", "0", "2", "0", "0", "4"]

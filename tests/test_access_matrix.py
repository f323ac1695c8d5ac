"""Every URL the project defines, against every persona, with exactly the expected status.

The matrix fails when the project gains a URL that is not listed here, so a new view cannot ship
without someone deciding who may reach it. Foreign requests and delegations answer 404, never 403.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image

from services import workflow
from services.attachments import attachment_create
from services.delegation import services as delegation_services
from services.kinds import registry
from services.kummerkasten import services as kummerkasten_services
from services.kummerkasten.models import KummerkastenMessage, KummerkastenPost, KummerkastenTopic
from services.leave.feeds import calendar_feed_token_create
from services.leave.models import CalendarFeedScope, LeaveExpiryNotice, LeaveRequest
from services.leave.rules import count_days
from services.models import RequestStatus
from services.phishing.models import ReportKind
from services.phishing.services import ReportContent, phishing_report_create
from services.surveys.models import SurveyAnswer
from services.surveys.services import survey_answer_submit, survey_round_close
from tests.factories import (
    OrgUnitFactory,
    UserFactory,
    decision_document_stored,
    leave_request,
    leave_type_record,
    logged_in_client,
    make_holder,
    next_monday,
)
from tests.services.surveys.helpers import scores_for, survey_with_open_round

PERSONAS = ("anonymous", "applicant", "colleague", "other_holder", "active_delegate", "expired_delegate",
            "revoked_delegate", "forwarded", "editor")
PROJECT_MODULES = ("portal.", "services.", "home.")

# Statuses shared by many rows.
LOGGED_IN_200 = {persona: 200 for persona in PERSONAS} | {"anonymous": 302}
EVERYONE_200 = {persona: 200 for persona in PERSONAS}
ANONYMOUS_REDIRECT_OTHERS_302 = {persona: 302 for persona in PERSONAS}
ONLY_SUPERUSERS = {persona: 404 for persona in PERSONAS} | {"anonymous": 302}
REQUEST_INVOLVED = {"anonymous": 302, "applicant": 200, "colleague": 404, "other_holder": 404, "active_delegate": 200,
                    "expired_delegate": 404, "revoked_delegate": 404, "forwarded": 200, "editor": 404}
IT_SECURITY_ONLY = {persona: 404 for persona in PERSONAS} | {"anonymous": 302, "other_holder": 200}
KUMMERKASTEN_HANDLER = {persona: 404 for persona in PERSONAS} | {"anonymous": 302, "other_holder": 200}
REQUEST_ACTION = {persona: (302 if status == 200 else status) for persona, status in REQUEST_INVOLVED.items()}

# name: (method, path template, expected status per persona)
MATRIX = {
    "healthz": ("get", "/healthz", EVERYONE_200),
    # Search shows only live, visible guidance and service pages, so everyone may ask.
    "search": ("get", "/search/?query=Urlaub", EVERYONE_200),
    "set_language": ("post", "/i18n/setlang/", ANONYMOUS_REDIRECT_OTHERS_302),
    # Addresses come from the HR import: the page only explains, and nothing may be posted to it.
    "account_email": ("post", "/accounts/email/", {persona: 405 for persona in PERSONAS} | {"anonymous": 302}),
    "services:my_requests": ("get", "/requests/", LOGGED_IN_200),
    "services:leave_working_days": ("get", "/requests/working-days/?start={monday}&end={friday}", LOGGED_IN_200),
    "services:request_detail": ("get", "/requests/{reference}/", REQUEST_INVOLVED),
    "services:request_withdraw": ("get", "/requests/{reference}/withdraw/", REQUEST_INVOLVED | {
        "active_delegate": 302, "forwarded": 302}),
    "services:request_edit": ("get", "/requests/{reference}/edit/", REQUEST_ACTION),
    "services:request_discard": ("post", "/requests/{reference}/delete/", REQUEST_ACTION),
    "services:attachment_download": ("get", "/requests/{reference}/attachments/{attachment}/", REQUEST_INVOLVED),
    "services:document_download": ("get", "/requests/{reference}/documents/{document}/", REQUEST_INVOLVED),
    # Anyone may check a decision document: no login, and nothing but kind, date and outcome is told.
    "verify": ("get", "/verify/", EVERYONE_200),
    "services:request_decide": ("post", "/requests/{reference}/decide/", REQUEST_ACTION),
    # An empty forward is a form error on the request page for whoever may forward (the page again, 200, with the
    # address field marked); everyone else who sees the request is refused with a message (302).
    "services:request_forward": ("post", "/requests/{reference}/forward/", REQUEST_ACTION | {"active_delegate": 200}),
    # Only the named substitute may answer; the request here names none, so whoever can see it is refused
    # (a redirect back to the request with the reason) and everyone else finds no such request.
    "services:request_substitute_confirm": ("post", "/requests/{reference}/substitute/confirm/", REQUEST_ACTION),
    "services:request_substitute_decline": ("post", "/requests/{reference}/substitute/decline/", REQUEST_ACTION),
    "queue": ("get", "/queue/", LOGGED_IN_200),
    # Everyone's own list of decisions (by them and on their behalf): it is never someone else's.
    "decided": ("get", "/queue/decided/", LOGGED_IN_200),
    "notifications": ("get", "/notifications/", LOGGED_IN_200),
    "notifications_read": ("post", "/notifications/read/", ANONYMOUS_REDIRECT_OTHERS_302),
    "audit": ("get", "/audit/", ONLY_SUPERUSERS),
    "audit_export": ("get", "/audit/export/?start=2020-01-01&end=2030-12-31", ONLY_SUPERUSERS),
    "delegations:list": ("get", "/delegations/", LOGGED_IN_200),
    # Only people who hold something they may pass on see the form; the others are sent back to the list.
    "delegations:create": ("get", "/delegations/new/", {persona: 302 for persona in PERSONAS} | {"other_holder": 200}),
    "delegations:substitute": ("post", "/delegations/substitute/", ANONYMOUS_REDIRECT_OTHERS_302),
    # Only the delegator may revoke; for everyone else the delegation does not exist.
    "delegations:revoke": ("post", "/delegations/{delegation}/revoke/", {persona: 404 for persona in PERSONAS} | {
        "anonymous": 302}),
    # Anna's approved leave: only she may ask to cancel it; nobody else can even see it.
    "services:request_cancel": ("get", "/requests/{approved}/cancel/", {persona: 404 for persona in PERSONAS} | {
        "anonymous": 302, "applicant": 200}),
    "team_calendar": ("get", "/team/calendar/", LOGGED_IN_200),
    # Everyone may create their own subscription address (a team one only with responsibility for leave).
    "calendar_feed_create": ("post", "/team/calendar/subscriptions/", ANONYMOUS_REDIRECT_OTHERS_302),
    # Anna's subscription: only she may revoke it; for everyone else it does not exist.
    "calendar_feed_revoke": ("post", "/team/calendar/subscriptions/{feed_token_id}/revoke/", {
        persona: 404 for persona in PERSONAS} | {"anonymous": 302, "applicant": 302}),
    # Calendar apps cannot log in: the secret token is the key, so everyone who holds it gets the feed.
    "calendar_feed": ("get", "/calendar/{feed_token}.ics", EVERYONE_200),
    # Everyone sees their own security page and downloads only their own data.
    "account_security": ("get", "/account/security/", LOGGED_IN_200),
    "account_data_export": ("get", "/account/security/my-data.json", LOGGED_IN_200),
    # Everyone answers the pulse survey (who has no unit is told so on the page); results and the free texts
    # only with the responsibility, and only for one's own units: the other holder's free-text list holds none
    # of the Ordnungsamt's, whose text is foreign to everyone else.
    "surveys:list": ("get", "/surveys/", LOGGED_IN_200),
    "surveys:answer": ("get", "/surveys/rounds/{survey_round}/", LOGGED_IN_200),
    "surveys:results": ("get", "/surveys/{survey}/results/", {persona: 404 for persona in PERSONAS} | {
        "anonymous": 302, "other_holder": 200}),
    "surveys:free_texts": ("get", "/surveys/free-texts/", {persona: 404 for persona in PERSONAS} | {
        "anonymous": 302, "other_holder": 200}),
    "surveys:free_text_redact": ("post", "/surveys/free-texts/{survey_answer}/", {persona: 404 for persona in PERSONAS} | {
        "anonymous": 302}),
    # Everyone reports and sees their own reports; the cases are for IT security (review_it_security, which the
    # other unit's holder holds with every other responsibility) and do not exist for anyone else.
    "phishing:my_reports": ("get", "/phishing/", LOGGED_IN_200),
    "phishing:report": ("get", "/phishing/report/", LOGGED_IN_200),
    "phishing:cases": ("get", "/phishing/cases/", IT_SECURITY_ONLY),
    "phishing:case_detail": ("get", "/phishing/cases/{phishing_case}/", IT_SECURITY_ONLY),
    "phishing_warning": ("get", "/phishing/cases/{phishing_case}/warning/", IT_SECURITY_ONLY),
    # The coffee kitchen is open to every member of staff; joining without saying for how long is refused.
    "coffee:kitchen": ("get", "/coffee/", LOGGED_IN_200),
    "coffee:join": ("post", "/coffee/join/", {persona: 400 for persona in PERSONAS} | {"anonymous": 302}),
    "coffee:leave": ("post", "/coffee/leave/", ANONYMOUS_REDIRECT_OTHERS_302),
    # Anna's notice that leave would expire: only she opens it; for everyone else it does not exist.
    "leave_expiry_notice": ("get", "/leave/notices/{expiry_notice}/", {persona: 404 for persona in PERSONAS} | {
        "anonymous": 302, "applicant": 200}),
    # HR's proof of those notices: for holders of review_personnel (the other unit's holder holds every
    # responsibility, so also this one, for his unit); for everyone else the page does not exist.
    "leave_expiry_notice_export": ("get", "/leave/notices/export/", {persona: 404 for persona in PERSONAS} | {
        "anonymous": 302, "other_holder": 200}),
    "leave_expiry_notice_proof": ("get", "/leave/notices/proof/", {persona: 404 for persona in PERSONAS} | {
        "anonymous": 302, "other_holder": 200}),
    # Everyone may write to the Kummerkasten; only its handlers (the topic's unit: the Kämmerei) see messages.
    "kummerkasten:start": ("get", "/kummerkasten/", LOGGED_IN_200),
    "kummerkasten:handling_list": ("get", "/kummerkasten/handling/", KUMMERKASTEN_HANDLER),
    "kummerkasten:handling_detail": ("get", "/kummerkasten/handling/{kummer}/", KUMMERKASTEN_HANDLER),
    "kummerkasten:handling_answer": ("post", "/kummerkasten/handling/{kummer}/answer/", KUMMERKASTEN_HANDLER | {
        "other_holder": 400}),
    "kummerkasten:handling_close": ("post", "/kummerkasten/handling/{kummer}/close/", KUMMERKASTEN_HANDLER | {
        "other_holder": 302}),
    "kummerkasten:handling_attachment": ("get", "/kummerkasten/handling/{kummer}/attachments/{kummer_post}/",
                                         KUMMERKASTEN_HANDLER),
    "kummerkasten_faq_publish": ("get", "/kummerkasten/handling/{kummer}/publish/", KUMMERKASTEN_HANDLER),
}

# Wagtail pages of the project, served by the page tree rather than by a named URL.
PAGES = {
    "home": ("/", EVERYONE_200),
    "service page": ("/services/leave/", LOGGED_IN_200),
    "guidance page": ("/guidance/phishing/", EVERYONE_200),
}


def project_url_names(resolvers=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "admin/":
                continue  # the Wagtail admin has its own permission system; tests/home/test_admin.py covers ours there
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= project_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.callback.__module__.startswith(PROJECT_MODULES) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_project_url_is_in_the_matrix(db):
    assert project_url_names() == set(MATRIX)


@pytest.fixture
def world(unit, applicant, approver, colleague, editor, site):
    """Anna's pending leave request in the Ordnungsamt and everyone around it."""
    now = timezone.now()
    other_unit = OrgUnitFactory(parent=unit.get_parent(), code="20", name="Kämmerei")
    people = {
        "applicant": applicant, "colleague": colleague, "editor": editor,
        "other_holder": make_holder(other_unit),
        "active_delegate": UserFactory(unit=unit), "expired_delegate": UserFactory(unit=unit),
        "revoked_delegate": UserFactory(unit=unit), "forwarded": UserFactory(unit=unit),
    }
    editor.groups.add(Group.objects.get(name="Editors"))
    window = {"delegator": approver, "unit": unit, "codenames": ["decide_leave"], "reason": "Vertretung"}
    active = delegation_services.delegation_create(
        delegate=people["active_delegate"], starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=9),
        **window)
    expired = delegation_services.delegation_create(
        delegate=people["expired_delegate"], starts_at=now - datetime.timedelta(days=9), ends_at=now + datetime.timedelta(hours=1),
        **window)
    expired.__class__.objects.filter(pk=expired.pk).update(ends_at=now - datetime.timedelta(days=1))
    revoked = delegation_services.delegation_create(
        delegate=people["revoked_delegate"], starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=9),
        **window)
    delegation_services.delegation_revoke(delegation=revoked, actor=approver)
    start = next_monday()
    end = start + datetime.timedelta(days=4)
    request = workflow.request_submit(
        applicant=applicant, kind=registry.get("leave"),
        details=LeaveRequest(leave_type=leave_type_record(), start_date=start, end_date=end, working_days=count_days(start=start, end=end)),
    )
    attachment = attachment_create(request=request, uploaded=SimpleUploadedFile("nachweis.pdf", b"%PDF-1.4\n%%EOF\n"),
                                   uploaded_by=applicant)
    workflow.request_forward(request=request, actor=approver, to=people["forwarded"])
    document = decision_document_stored(request)
    approved = leave_request(applicant=applicant, status=RequestStatus.APPROVED, start=start + datetime.timedelta(days=14))
    feed_token = calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)
    expiry_notice = LeaveExpiryNotice.objects.create(
        employee=applicant, year=start.year, round="01-02", carried_over_days=0, current_year_days=5,
        carry_over_deadline=datetime.date(start.year, 3, 31))
    phishing_case = phishing_report_create(
        reporter=applicant, content=ReportContent(kind=ReportKind.EMAIL, subject="Konto gesperrt")).case
    survey = survey_with_open_round(weeks_ago=2, rounds=2)
    closed_round = survey.rounds.get(number=1)
    survey_answer_submit(survey_round=closed_round, user=colleague, scores=scores_for(survey), free_text="Zu viele Termine.",
                         today=closed_round.opens_on)
    survey_round_close(survey_round=closed_round)
    kummer, kummer_post = kummerkasten_message_released(unit=other_unit)
    values = {"survey": survey.pk, "survey_round": survey.rounds.get(number=2).pk,
              "survey_answer": SurveyAnswer.objects.get(round=closed_round).pk, "expiry_notice": expiry_notice.pk,
              "reference": request.reference, "attachment": attachment.pk, "document": document.pk,
              "delegation": active.pk,
              "approved": approved.reference, "feed_token": feed_token.token, "feed_token_id": feed_token.pk,
              "phishing_case": phishing_case.pk, "monday": start.isoformat(), "friday": end.isoformat(),
              "kummer": kummer, "kummer_post": kummer_post}
    return people, values


def kummerkasten_message_released(*, unit) -> tuple[str, str]:
    """A Kummerkasten message with an image, about a topic of `unit`, written yesterday (so released to the handlers)."""
    topic = KummerkastenTopic.objects.create(name="Kämmerei", unit=unit)
    cache.clear()  # the daily limit counts in the cache, which outlives each test's database
    image = io.BytesIO()
    Image.new("RGB", (4, 4)).save(image, format="PNG")
    message, _code = kummerkasten_services.kummerkasten_message_create(
        writer_id=0, topic=topic, text="Frage", attachment=SimpleUploadedFile("bild.png", image.getvalue()))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    KummerkastenMessage.objects.filter(pk=message.pk).update(received_on=yesterday)
    KummerkastenPost.objects.filter(message=message).update(written_on=yesterday)
    return str(message.pk), str(message.posts.get().pk)


def client_as(persona: str, people: dict) -> Client:
    """Every persona after a complete login, two-factor authentication included (portal.mfa)."""
    return Client() if persona == "anonymous" else logged_in_client(people[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_persona_as_expected(name, persona, world):
    people, values = world
    method, template, expected = MATRIX[name]
    response = getattr(client_as(persona, people), method)(template.format(**values))
    assert response.status_code == expected[persona], f"{persona} {method.upper()} {template}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_answers_each_persona_as_expected(page, persona, world):
    people, _ = world
    path, expected = PAGES[page]
    assert client_as(persona, people).get(path).status_code == expected[persona]


# --- Deciding: every verb, every way of holding authority, on someone else's and on one's own request -------------
#
# A status alone cannot tell a decision from a refusal (both send the browser on), so these rows name the outcome:
# "acted" (the request moved on), "refused" (sent back, nothing changed), "login" (anonymous), or 404 (no such
# request for this person). The personas of the matrix above, plus Bernd, the holder of every responsibility for the
# Ordnungsamt, whose own leave is pending too: he decides Anna's request but never his own, and neither may anyone
# whose authority comes from him (his delegate). Anna's request has been forwarded to the "forwarded" colleague, who
# may decide it but not pass it on.

DECISION_PERSONAS = (*PERSONAS, "holder_with_own_pending")
DECISION_VERBS = {
    "approve": ("/requests/{reference}/decide/", {"decision": "approve"}),
    "reject": ("/requests/{reference}/decide/", {"decision": "reject", "comment": "Personalengpass"}),
    "request_changes": ("/requests/{reference}/decide/", {"decision": "request_changes", "comment": "Bitte kürzen"}),
    "forward": ("/requests/{reference}/forward/", {"email": "clara.wolf@musterstadt.example"}),
    "bulk_approve": ("/queue/", {"selected": "{reference}"}),
}
NOT_INVOLVED = {"colleague": 404, "other_holder": 404, "expired_delegate": 404, "revoked_delegate": 404, "editor": 404}
ANNAS_REQUEST = {"anonymous": "login", "applicant": "refused", "active_delegate": "acted", "forwarded": "acted",
                 "holder_with_own_pending": "acted", **NOT_INVOLVED}
HOLDERS_OWN_REQUEST = {"anonymous": "login", "applicant": 404, "active_delegate": 404, "forwarded": 404,
                       "holder_with_own_pending": "refused", **NOT_INVOLVED}
# The queue finds only what one may decide: a request one may not is refused in the message, never an error page.
BULK_REFUSED = {persona: ("refused" if outcome == 404 else outcome) for persona, outcome in ANNAS_REQUEST.items()}
DECISION_MATRIX = {
    ("anna", verb): ANNAS_REQUEST for verb in ("approve", "reject", "request_changes")
} | {
    ("anna", "forward"): ANNAS_REQUEST | {"forwarded": "refused"},
    ("anna", "bulk_approve"): BULK_REFUSED,
} | {
    ("own", verb): HOLDERS_OWN_REQUEST for verb in ("approve", "reject", "request_changes", "forward")
} | {
    ("own", "bulk_approve"): {persona: ("refused" if outcome == 404 else outcome)
                              for persona, outcome in HOLDERS_OWN_REQUEST.items()},
}


@pytest.fixture
def decision_world(world, approver, unit):
    """The matrix's world, plus Bernd's own pending leave (he holds every responsibility for his unit)."""
    people, values = world
    people = {**people, "holder_with_own_pending": approver}
    start = next_monday(5)
    end = start + datetime.timedelta(days=2)
    own = workflow.request_submit(
        applicant=approver, kind=registry.get("leave"),
        details=LeaveRequest(leave_type=leave_type_record(), start_date=start, end_date=end,
                             working_days=count_days(start=start, end=end)))
    return people, {"anna": values["reference"], "own": own.reference}


def _state(reference: str) -> tuple:
    from services.models import ServiceRequest

    request = ServiceRequest.objects.get(reference=reference)
    return request.status, request.current_step, request.events.count()


@pytest.mark.parametrize("persona", DECISION_PERSONAS)
@pytest.mark.parametrize(("target", "verb"), sorted(DECISION_MATRIX))
def test_every_decision_verb_answers_each_way_of_holding_authority(target, verb, persona, decision_world):
    people, references = decision_world
    reference = references[target]
    path, data = DECISION_VERBS[verb]
    from services.models import ServiceRequest

    form = {key: value.format(reference=reference) for key, value in data.items()}
    form["expected_step"] = ServiceRequest.objects.get(reference=reference).current_step
    before = _state(reference)
    response = client_as(persona, people).post(path.format(reference=reference), form)
    changed = _state(reference) != before

    if response.status_code == 404:
        outcome = 404
    elif response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        outcome = "login"
    else:
        assert response.status_code == 302, f"{persona} {verb} {target}: {response.status_code}"
        outcome = "acted" if changed else "refused"
    assert outcome == DECISION_MATRIX[(target, verb)][persona], f"{persona} {verb} on {target}'s request"
    if outcome != "acted":
        assert not changed

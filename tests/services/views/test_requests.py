"""The applicant's pages under /requests/ and the service pages, through the test client."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from services import workflow
from services.kinds import registry
from services.leave.models import LeaveRequest
from services.leave.rules import count_days
from services.models import Attachment, EventAction, RequestStatus, ServiceRequest
from tests.factories import leave_request, leave_type_record, make_holder, next_monday

LEAVE = registry.get("leave")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def leave_post(**overrides) -> dict:
    start = next_monday()
    data = {"leave_type": leave_type_record("annual").pk, "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=4)).isoformat(),
            "substitute": "", "note": "", "action": "submit"}
    data.update(overrides)
    return data


def submit_leave(applicant, *, start: datetime.date | None = None, days: int = 5, files=()) -> ServiceRequest:
    start = start or next_monday()
    end = start + datetime.timedelta(days=days - 1)
    details = LeaveRequest(leave_type=leave_type_record(), start_date=start, end_date=end, working_days=count_days(start=start, end=end))
    return workflow.request_submit(applicant=applicant, kind=LEAVE, details=details, files=files)


def changes_requested(applicant, *, comment: str = "Bitte eine Vertretung nennen.") -> ServiceRequest:
    decider = make_holder(applicant.unit)
    request = submit_leave(applicant)
    workflow.request_decide(request=request, actor=decider, decision="request_changes", comment=comment)
    request.refresh_from_db()
    return request


def snapshot(request: ServiceRequest) -> tuple:
    fresh = ServiceRequest.objects.get(pk=request.pk)
    details = fresh.details
    return (fresh.status, fresh.updated_at, fresh.draft_data, fresh.events.count(), fresh.attachments.count(),
            details and (details.start_date, details.end_date, details.working_days))


# --- my requests and one request --------------------------------------------------------------------


def test_my_requests_lists_mine_and_not_others(applicant, applicant_client, colleague):
    mine = submit_leave(applicant)
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={})
    theirs = submit_leave(colleague)

    response = applicant_client.get("/requests/")

    content = response.content.decode()
    assert response.status_code == 200
    assert mine.reference in content and draft.reference in content
    assert theirs.reference not in content
    assert "no-store" in response["Cache-Control"]


def test_my_requests_filters_by_status(applicant, applicant_client):
    submitted = submit_leave(applicant)
    withdrawn = workflow.request_withdraw(request=submit_leave(applicant), actor=applicant)

    content = applicant_client.get("/requests/", {"status": "withdrawn"}).content.decode()

    assert withdrawn.reference in content
    assert submitted.reference not in content


def test_detail_shows_details_and_the_timeline(applicant, applicant_client):
    request = changes_requested(applicant, comment="Bitte eine Vertretung nennen.")

    response = applicant_client.get(f"/en/requests/{request.reference}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert request.reference in content
    timeline = content[content.index('id="timeline-title"'):]
    assert timeline.index("Submitted") < timeline.index("Changes requested")
    assert "Bitte eine Vertretung nennen." in timeline
    assert timeline.count("<time ") == 2
    assert f'href="/en/requests/{request.reference}/edit/"' in content
    assert f'href="/en/requests/{request.reference}/withdraw/"' in content


def test_detail_shows_ten_working_days_as_a_number(applicant, applicant_client):
    request = submit_leave(applicant, days=14)

    content = applicant_client.get(f"/requests/{request.reference}/").content.decode()

    assert re.search(r"kern-description-list-item__value\">10<", content)
    assert "E+" not in content


# --- withdraw ---------------------------------------------------------------------------------------


def test_withdraw_asks_first_and_changes_nothing_on_get(applicant, applicant_client):
    request = submit_leave(applicant)
    before = snapshot(request)

    response = applicant_client.get(f"/requests/{request.reference}/withdraw/")

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert snapshot(request) == before


def test_withdraw_on_post_records_the_comment(applicant, applicant_client):
    request = submit_leave(applicant)

    response = applicant_client.post(f"/requests/{request.reference}/withdraw/", {"comment": "Termin entfällt"})

    assert response.status_code == 302
    assert response["Location"] == f"/requests/{request.reference}/"
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    event = request.events.latest("pk")
    assert (event.action, event.comment) == (EventAction.WITHDRAWN, "Termin entfällt")


def test_withdraw_without_a_comment_field_still_withdraws(applicant, applicant_client):
    request = submit_leave(applicant)

    response = applicant_client.post(f"/requests/{request.reference}/withdraw/")

    assert response.status_code == 302
    assert ServiceRequest.objects.get(pk=request.pk).status == RequestStatus.WITHDRAWN


def test_withdraw_of_a_settled_request_is_refused_with_a_message(applicant, applicant_client):
    decider = make_holder(applicant.unit)
    request = submit_leave(applicant)
    workflow.request_decide(request=request, actor=decider, decision="approve")
    before = snapshot(request)

    get_response = applicant_client.get(f"/en/requests/{request.reference}/withdraw/", follow=True)
    post_response = applicant_client.post(f"/en/requests/{request.reference}/withdraw/", follow=True)

    for response in (get_response, post_response):
        assert response.redirect_chain[-1][0] == f"/en/requests/{request.reference}/"
        assert "can no longer be withdrawn" in response.content.decode()
    assert snapshot(request) == before


# --- edit and resubmit ------------------------------------------------------------------------------


def test_edit_shows_the_current_values_when_changes_were_requested(applicant, applicant_client):
    request = changes_requested(applicant)

    response = applicant_client.get(f"/requests/{request.reference}/edit/")

    content = response.content.decode()
    assert response.status_code == 200
    assert f'value="{request.leave.start_date.isoformat()}"' in content
    assert 'name="action" value="submit"' in content
    assert 'value="save_draft"' not in content


def test_edit_and_resubmit_updates_the_details(applicant, applicant_client, colleague):
    request = changes_requested(applicant)
    start = next_monday(weeks_ahead=3)

    response = applicant_client.post(f"/requests/{request.reference}/edit/", leave_post(
        start_date=start.isoformat(), end_date=(start + datetime.timedelta(days=1)).isoformat(), substitute=colleague.email))

    assert response.status_code == 302
    assert response["Location"] == f"/requests/{request.reference}/"
    request.refresh_from_db()
    # Annual leave naming a substitute waits for the substitute's confirmation before the approvers see it again.
    assert request.status == RequestStatus.AWAITING_SUBSTITUTE
    assert (request.leave.start_date, request.leave.working_days, request.leave.substitute) == (start, 2, colleague)
    assert ServiceRequest.objects.count() == 1
    assert list(request.events.values_list("action", flat=True)) == [
        EventAction.SUBMITTED, EventAction.CHANGES_REQUESTED, EventAction.RESUBMITTED, EventAction.SUBSTITUTE_ASKED]


def test_edit_with_invalid_data_shows_errors_and_keeps_the_request(applicant, applicant_client):
    request = changes_requested(applicant)
    before = snapshot(request)
    start = next_monday()

    response = applicant_client.post(f"/requests/{request.reference}/edit/", leave_post(
        end_date=(start - datetime.timedelta(days=1)).isoformat()))

    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert "end_date" in response.context["form"].errors
    assert snapshot(request) == before


@pytest.mark.parametrize("status", [RequestStatus.SUBMITTED, RequestStatus.APPROVED, RequestStatus.WITHDRAWN])
def test_edit_is_refused_unless_changes_were_requested(status, applicant, applicant_client):
    request = leave_request(applicant=applicant, status=status)
    before = snapshot(request)

    get_response = applicant_client.get(f"/requests/{request.reference}/edit/")
    post_response = applicant_client.post(f"/requests/{request.reference}/edit/", leave_post(end_date=next_monday().isoformat()))

    for response in (get_response, post_response):
        assert response.status_code == 302
        assert response["Location"] == f"/requests/{request.reference}/"
    assert snapshot(request) == before


# --- drafts through the service page ----------------------------------------------------------------


def test_save_draft_keeps_incomplete_data_without_validating(applicant, applicant_client, site):
    response = applicant_client.post(site["services"]["leave"].url, {
        "action": "save_draft", "leave_type": "annual", "start_date": "2027-04-", "end_date": "", "note": "Osterferien",
        "substitute": "not-an-email"})

    draft = ServiceRequest.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert response["Location"] == f"/requests/{draft.reference}/"
    assert draft.status == RequestStatus.DRAFT
    assert draft.service_page_id == site["services"]["leave"].pk
    assert draft.draft_data["start_date"] == "2027-04-"
    assert draft.draft_data["note"] == "Osterferien"
    assert draft.draft_data["substitute"] == "not-an-email"
    assert not LeaveRequest.objects.exists()


def test_draft_is_continued_with_its_values_and_then_submitted(applicant, applicant_client, site):
    page_url = site["services"]["leave"].url
    start = next_monday()
    applicant_client.post(page_url, {"action": "save_draft", "leave_type": leave_type_record("special").pk, "start_date": start.isoformat(),
                                     "note": "Hochzeit meiner Schwester", "half_day_end": "on"})
    draft = ServiceRequest.objects.get(applicant=applicant)

    detail = applicant_client.get(f"/requests/{draft.reference}/").content.decode()
    assert f"{page_url}?draft={draft.reference}" in detail

    continued = applicant_client.get(page_url, {"draft": draft.reference})
    content = continued.content.decode()
    assert continued.status_code == 200
    assert f'name="draft" value="{draft.reference}"' in content
    assert f'value="{start.isoformat()}"' in content
    assert "Hochzeit meiner Schwester" in content
    assert re.search(rf'value="{leave_type_record("special").pk}"[^>]*checked', content)
    assert re.search(r'name="half_day_end"[^>]*checked', content)

    response = applicant_client.post(page_url, leave_post(
        draft=draft.reference, leave_type=leave_type_record("special").pk, note="Hochzeit meiner Schwester", start_date=start.isoformat(),
        end_date=start.isoformat()))

    assert response.status_code == 302
    assert response["Location"] == f"/requests/{draft.reference}/"
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SUBMITTED
    assert draft.draft_data == {}
    assert draft.leave.leave_type.code == "special"
    assert ServiceRequest.objects.count() == 1
    assert list(draft.events.values_list("action", flat=True)) == [EventAction.DRAFT_SAVED, EventAction.SUBMITTED]


def test_draft_can_be_continued_and_submitted_from_its_edit_page(applicant, applicant_client):
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={"note": "Brückentag"})

    form = applicant_client.get(f"/requests/{draft.reference}/edit/")
    assert form.status_code == 200
    assert "Brückentag" in form.content.decode()

    response = applicant_client.post(f"/requests/{draft.reference}/edit/", leave_post(note="Brückentag"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.draft_data, draft.leave.note) == (RequestStatus.SUBMITTED, {}, "Brückentag")


def test_draft_can_be_deleted(applicant, applicant_client):
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={})

    response = applicant_client.post(f"/requests/{draft.reference}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/requests/"
    assert not ServiceRequest.objects.exists()


def test_a_submitted_request_cannot_be_deleted(applicant, applicant_client):
    request = submit_leave(applicant)
    before = snapshot(request)

    response = applicant_client.post(f"/requests/{request.reference}/delete/")

    assert response.status_code == 302
    assert response["Location"] == f"/requests/{request.reference}/"
    assert snapshot(request) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_draft_of_another_kind_on_a_service_page_answers_404(method, applicant, applicant_client, site):
    draft = workflow.request_save_draft(applicant=applicant, kind=LEAVE, data={"note": "leave"})
    before = snapshot(draft)
    url = site["services"]["vpn_access"].url

    if method == "get":
        response = applicant_client.get(url, {"draft": draft.reference})
    else:
        response = applicant_client.post(url, {"draft": draft.reference, "action": "save_draft", "reason": "x"})

    assert response.status_code == 404
    assert snapshot(draft) == before
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_draft_on_a_service_page_answers_404(method, applicant_client, colleague, site):
    draft = workflow.request_save_draft(applicant=colleague, kind=LEAVE, data={"note": "Claras Entwurf"})
    before = snapshot(draft)
    url = site["services"]["leave"].url

    if method == "get":
        response = applicant_client.get(url, {"draft": draft.reference})
    else:
        response = applicant_client.post(url, leave_post(draft=draft.reference))

    assert response.status_code == 404
    assert "Claras Entwurf" not in response.content.decode()
    assert snapshot(draft) == before
    assert ServiceRequest.objects.count() == 1


def test_a_submitted_request_cannot_be_continued_as_a_draft(applicant, applicant_client, site):
    request = submit_leave(applicant)
    before = snapshot(request)

    get_response = applicant_client.get(site["services"]["leave"].url, {"draft": request.reference})
    post_response = applicant_client.post(site["services"]["leave"].url, leave_post(draft=request.reference))

    assert (get_response.status_code, post_response.status_code) == (404, 404)
    assert snapshot(request) == before


# --- invalid data -----------------------------------------------------------------------------------


def test_invalid_submission_shows_the_error_summary_and_saves_nothing(applicant_client, site):
    start = next_monday()
    count = ServiceRequest.objects.count()

    response = applicant_client.post(site["services"]["leave"].url, leave_post(
        leave_type="sabbatical", end_date=(start - datetime.timedelta(days=1)).isoformat()))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in content
    assert 'href="#id_leave_type_0"' in content
    assert 'id="id_leave_type_error"' in content
    assert set(response.context["form"].errors) == {"leave_type", "end_date"}
    assert ServiceRequest.objects.count() == count
    assert not LeaveRequest.objects.exists()


@pytest.mark.parametrize(("kind", "data", "field"), [
    ("remote_work", {"variant": "regular", "weekdays": ["1"], "start_date": "2030-01-07", "reachable_from": "09:00",
                     "reachable_until": "15:00", "confirms_data_protection": "on"}, "confirms_ergonomics"),
    ("vpn_access", {"device": "private", "reason": "Bereitschaft", "start_date": "2030-01-07", "end_date": "2030-02-07",
                    "systems": ["email"]}, "confirms_private_device_rules"),
    ("equipment_loan", {"items": ["monitor"], "start_date": "2030-01-07", "end_date": "2030-02-07"}, "confirms_address"),
])
def test_missing_confirmation_is_shown_at_its_field_and_saves_nothing(kind, data, field, applicant_client, site):
    response = applicant_client.post(site["services"][kind].url, {**data, "action": "submit"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in content
    assert f'id="id_{field}_error"' in content
    assert list(response.context["form"].errors) == [field]
    assert not ServiceRequest.objects.exists()


def test_check_action_shows_working_days_and_saves_nothing(applicant_client, site):
    start = next_monday()

    response = applicant_client.post(site["services"]["leave"].url, leave_post(
        action="check", end_date=(start + datetime.timedelta(days=11)).isoformat(), half_day_end="on"))  # Friday of week two

    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"portal-working-days[^>]*>[^<]*\b9,5\b", content, re.S)
    assert not ServiceRequest.objects.exists()


def test_files_sent_to_a_kind_without_attachments_are_ignored(applicant, applicant_client, site):
    response = applicant_client.post(site["services"]["vpn_access"].url, {
        "device": "municipal", "reason": "Bereitschaft", "start_date": "2030-01-07", "end_date": "2030-02-07",
        "systems": ["email"], "action": "submit", "attachment": SimpleUploadedFile("x.pdf", PDF, "application/pdf")})

    assert response.status_code == 302
    assert ServiceRequest.objects.get(applicant=applicant).status == RequestStatus.SUBMITTED
    assert not Attachment.objects.exists()


# --- another person's request -----------------------------------------------------------------------


@pytest.fixture
def others_request(colleague):
    """Clara's leave request, sent back for changes and with an attachment: every action would be open to her."""
    decider = make_holder(colleague.unit)
    request = submit_leave(colleague, files=[SimpleUploadedFile("attest.pdf", PDF, content_type="application/pdf")])
    workflow.request_decide(request=request, actor=decider, decision="request_changes", comment="Bitte ergänzen.")
    return request


@pytest.mark.parametrize(("method", "path"), [
    ("get", ""),
    ("get", "withdraw/"),
    ("post", "withdraw/"),
    ("get", "edit/"),
    ("post", "edit/"),
    ("post", "delete/"),
    ("get", "attachments/{attachment}/"),
])
def test_another_users_request_answers_404_and_nothing_changes(method, path, applicant_client, others_request):
    attachment = others_request.attachments.get()
    before = snapshot(others_request)
    url = f"/requests/{others_request.reference}/{path.format(attachment=attachment.pk)}"
    data = leave_post(start_date=next_monday(weeks_ahead=5).isoformat(), end_date=next_monday(weeks_ahead=5).isoformat(),
                      comment="nicht meins") if method == "post" else None

    response = getattr(applicant_client, method)(url, data)

    assert response.status_code == 404
    assert snapshot(others_request) == before


def test_another_users_draft_cannot_be_deleted(applicant_client, colleague):
    draft = workflow.request_save_draft(applicant=colleague, kind=LEAVE, data={})

    response = applicant_client.post(f"/requests/{draft.reference}/delete/")

    assert response.status_code == 404
    assert ServiceRequest.objects.filter(pk=draft.pk).exists()


def test_own_attachment_of_another_request_answers_404(applicant, applicant_client):
    with_file = submit_leave(applicant, files=[SimpleUploadedFile("attest.pdf", PDF, content_type="application/pdf")])
    without_file = submit_leave(applicant)

    response = applicant_client.get(f"/requests/{without_file.reference}/attachments/{with_file.attachments.get().pk}/")

    assert response.status_code == 404


def test_unknown_reference_answers_404(applicant_client, db):
    assert applicant_client.get("/requests/KD-2027-999999/").status_code == 404


@pytest.mark.parametrize("path", ["/requests/", "/requests/{ref}/", "/requests/{ref}/withdraw/", "/requests/{ref}/edit/",
                                  "/requests/{ref}/attachments/1/", "/requests/working-days/?start=2027-04-12&end=2027-04-16"])
def test_anonymous_users_are_sent_to_login(path, client, applicant):
    request = submit_leave(applicant)

    response = client.get(path.format(ref=request.reference))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_post_changes_nothing(client, applicant):
    request = submit_leave(applicant)
    before = snapshot(request)

    response = client.post(f"/requests/{request.reference}/withdraw/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert snapshot(request) == before


# --- working days -----------------------------------------------------------------------------------


def test_working_days_endpoint_counts_monday_to_friday(applicant_client):
    response = applicant_client.get("/requests/working-days/", {"start": "2027-04-12", "end": "2027-04-25"})

    assert response.status_code == 200
    assert response.json()["working_days"] == "10"


def test_working_days_endpoint_takes_half_days(applicant_client):
    response = applicant_client.get("/en/requests/working-days/", {"start": "2027-04-12", "end": "2027-04-16",
                                                                   "half_day_start": "true", "half_day_end": "false"})

    assert response.json()["working_days"] == "4.5"


def test_working_days_endpoint_shows_a_whole_number_after_two_half_days(applicant_client):
    response = applicant_client.get("/requests/working-days/", {"start": "2027-04-12", "end": "2027-04-16",
                                                                "half_day_start": "true", "half_day_end": "true"})

    assert response.json()["working_days"] == "4"


def test_working_days_endpoint_writes_half_days_the_german_way(applicant_client):
    response = applicant_client.get("/requests/working-days/", {"start": "2027-04-12", "end": "2027-04-16",
                                                                "half_day_end": "true"})

    assert response.json()["working_days"] == "4,5"


@pytest.mark.parametrize(("start", "end"), [
    ("", "2027-04-16"),
    ("2027-04-12", "16.04.2027"),
    ("2027-04-16", "2027-04-12"),
    ("2027-04-12", "2028-04-12"),
])
def test_working_days_endpoint_refuses_bad_periods(start, end, applicant_client):
    response = applicant_client.get("/en/requests/working-days/", {"start": start, "end": end})

    assert response.status_code == 400
    assert response.json()["error"]


def test_working_days_endpoint_accepts_the_longest_allowed_period(applicant_client):
    response = applicant_client.get("/requests/working-days/", {"start": "2027-04-12", "end": "2028-04-11"})

    assert response.status_code == 200

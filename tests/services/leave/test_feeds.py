"""Private calendar subscriptions: tokens, the iCalendar feed at /calendar/<token>.ics, revocation."""

import datetime

import pytest
from icalendar import Calendar

from services.leave import feeds as calendar_feeds
from services.leave.models import CalendarFeedScope, CalendarFeedToken, LeaveRequest
from services.models import RequestStatus
from tests.factories import OrgUnitFactory, UserFactory, leave_request, make_holder, next_monday

MONDAY = next_monday(3)


def approved_leave(person, start: datetime.date = MONDAY, days: int = 5, **fields):
    request = leave_request(applicant=person, status=RequestStatus.APPROVED, start=start, days=days)
    if fields:
        LeaveRequest.objects.filter(request=request).update(**fields)
    return request


def feed(client, token: CalendarFeedToken):
    response = client.get(f"/calendar/{token.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_own_feed_holds_approved_leave_as_all_day_events_without_the_type(applicant, client, db):
    approved = approved_leave(applicant)
    leave_request(applicant=applicant, status=RequestStatus.SUBMITTED, start=MONDAY + datetime.timedelta(days=14))
    leave_request(applicant=applicant, status=RequestStatus.REJECTED, start=MONDAY + datetime.timedelta(days=21))
    token = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)

    calendar = feed(client, token)

    [event] = events(calendar)
    assert event.decoded("dtstart") == MONDAY
    assert event.decoded("dtend") == MONDAY + datetime.timedelta(days=5)  # exclusive: the day after the last day
    assert str(event["uid"]) == f"{approved.reference}@{calendar_feeds.ICAL_DOMAIN}"
    assert str(event["summary"]) in ("Abwesend: Anna Schmidt", "Absent: Anna Schmidt")  # German once the catalogue has it
    assert b"Erholungsurlaub" not in calendar.to_ical() and b"annual" not in calendar.to_ical().lower()


def test_feed_speaks_the_owner_language_and_notes_half_days(applicant, client, db):
    applicant.preferred_language = "en"
    applicant.save()
    approved_leave(applicant, days=3, half_day_start=True, half_day_end=True)
    token = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)

    [event] = events(feed(client, token))

    assert str(event["summary"]) == "Absent: Anna Schmidt (first day from midday) (last day until midday)"


def test_uid_stays_the_same_between_fetches(applicant, client, db):
    approved_leave(applicant)
    token = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)

    first, second = events(feed(client, token)), events(feed(client, token))

    assert [str(event["uid"]) for event in first] == [str(event["uid"]) for event in second]


def test_head_answers_like_get_without_a_body(applicant, client, db):
    approved_leave(applicant)
    token = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)
    get = client.get(f"/calendar/{token.token}.ics")

    head = client.head(f"/calendar/{token.token}.ics")

    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert get.content.startswith(b"BEGIN:VCALENDAR")
    for header in ("Content-Type", "Content-Disposition", "Cache-Control", "X-Robots-Tag", "Referrer-Policy",
                   "Content-Length"):
        assert head[header] == get[header], header
    assert client.head(f"/calendar/{'A' * 43}.ics").status_code == 404
    assert client.post(f"/calendar/{token.token}.ics").status_code == 405


def test_revoked_and_guessed_tokens_answer_404(applicant, client_for, client, db):
    token = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)
    response = client_for(applicant).post(f"/team/calendar/subscriptions/{token.pk}/revoke/")
    assert response.status_code == 302

    assert client.get(f"/calendar/{token.token}.ics").status_code == 404
    assert client.get(f"/calendar/{'A' * 43}.ics").status_code == 404
    assert client.get("/calendar/short.ics").status_code == 404


def test_a_new_address_replaces_the_old_one(applicant, client, db):
    old = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)
    new = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)

    assert len(new.token) >= 43 and new.token != old.token
    assert client.get(f"/calendar/{old.token}.ics").status_code == 404
    assert client.get(f"/calendar/{new.token}.ics").status_code == 200


def test_team_feed_shows_the_units_the_approver_decides_leave_for(unit, approver, applicant, colleague, client, db):
    approved_leave(applicant)
    approved_leave(colleague, start=MONDAY + datetime.timedelta(days=7))
    approved_leave(UserFactory(unit=OrgUnitFactory(parent=unit, code="32-1")), start=MONDAY + datetime.timedelta(days=14))
    approved_leave(UserFactory(unit=OrgUnitFactory(parent=unit.get_parent(), code="20"), last_name="Fremdling"))
    token = calendar_feeds.calendar_feed_token_create(user=approver, scope=CalendarFeedScope.TEAM)

    calendar = feed(client, token)

    summaries = sorted(str(event["summary"]) for event in events(calendar))
    assert len(summaries) == 3
    assert any("Anna Schmidt" in summary for summary in summaries) and any("Clara Wolf" in summary for summary in summaries)
    assert not any("Fremdling" in summary for summary in summaries)


def test_team_feed_follows_the_responsibility_when_it_is_fetched(unit, approver, applicant, client, db):
    from guardian.shortcuts import remove_perm

    approved_leave(applicant)
    token = calendar_feeds.calendar_feed_token_create(user=approver, scope=CalendarFeedScope.TEAM)
    remove_perm("portal.decide_leave", approver, unit)

    assert events(feed(client, token)) == []


def test_only_leave_deciders_get_a_team_feed(colleague, unit, client_for, site):
    with pytest.raises(calendar_feeds.FeedNotAllowed):
        calendar_feeds.calendar_feed_token_create(user=colleague, scope=CalendarFeedScope.TEAM)
    it_reviewer = make_holder(unit, "review_it_security")
    with pytest.raises(calendar_feeds.FeedNotAllowed):
        calendar_feeds.calendar_feed_token_create(user=it_reviewer, scope=CalendarFeedScope.TEAM)

    response = client_for(colleague).post("/team/calendar/subscriptions/", {"scope": "team"})

    assert response.status_code == 302
    assert not CalendarFeedToken.objects.filter(user=colleague).exists()


def test_creating_an_address_through_the_page(applicant, applicant_client, site):
    response = applicant_client.post("/team/calendar/subscriptions/", {"scope": "own"})
    token = CalendarFeedToken.objects.get(user=applicant, revoked_at__isnull=True)

    page = applicant_client.get("/en/team/calendar/").content.decode()

    assert response.status_code == 302
    assert f"/calendar/{token.token}.ics" in page


def test_colleague_neither_sees_nor_revokes_someone_elses_address(applicant, colleague, client_for, site):
    token = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)
    colleague_client = client_for(colleague)

    page = colleague_client.get("/en/team/calendar/").content.decode()
    revoke = colleague_client.post(f"/team/calendar/subscriptions/{token.pk}/revoke/")

    assert token.token not in page
    assert revoke.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_managing_addresses_needs_a_login(applicant, client, db):
    token = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)

    for response in (client.post("/team/calendar/subscriptions/", {"scope": "own"}),
                     client.post(f"/team/calendar/subscriptions/{token.pk}/revoke/")):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    token.refresh_from_db()
    assert token.revoked_at is None


def test_feed_of_a_deactivated_person_answers_404(applicant, client, db):
    token = calendar_feeds.calendar_feed_token_create(user=applicant, scope=CalendarFeedScope.OWN)
    applicant.is_active = False
    applicant.save()

    assert client.get(f"/calendar/{token.token}.ics").status_code == 404

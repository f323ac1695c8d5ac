"""A staff member files leave in a real browser: log in, fill the form, see the working days, find the request."""

import datetime
import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from services.models import RequestStatus, ServiceRequest
from tests.factories import OrgUnitFactory, UserFactory, build_site, leave_catalogue_ensure, leave_type_record, next_monday

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


FIRA_SANS_LOADED = """document.fonts.ready.then(
    (fonts) => [...fonts].some((font) => font.family.includes("Fira Sans") && font.status === "loaded"))"""


def unlabelled_inputs(page) -> list[str]:
    """Names of visible form controls that no label names (buttons name themselves)."""
    return page.evaluate("""() => [...document.querySelectorAll("main input, main select, main textarea")]
        .filter((el) => el.type !== "hidden" && !(el.labels && el.labels.length) && !el.getAttribute("aria-label"))
        .map((el) => el.name || el.id)""")


def test_staff_member_files_leave_and_finds_it_in_my_requests(page, live_server):
    leave_catalogue_ensure()  # an earlier transactional test's flush may have emptied the migration's rows
    site = build_site()
    city = OrgUnitFactory(code="STADT", name="Stadtverwaltung Musterstadt", level="dezernat")
    unit = OrgUnitFactory(parent=city, code="32", name="Ordnungsamt")
    anna = UserFactory(email="anna.schmidt@musterstadt.example", first_name="Anna", last_name="Schmidt", unit=unit)
    broken = []
    page.on("response", lambda response: broken.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    page.on("pageerror", lambda error: broken.append(f"script error: {error}"))

    # German is the default; the skip link is the first stop for keyboard users.
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.evaluate(FIRA_SANS_LOADED), "KERN's font is served from our static files"
    page.keyboard.press("Tab")
    expect(page.locator(".portal-skip-link")).to_be_focused()

    page.fill("input[name=login]", "anna.schmidt@musterstadt.example")
    page.fill("input[name=password]", "musterstadt")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text("Anna")

    # An empty submission: the error summary takes focus and leads to the first field in error.
    page.goto(site["services"]["leave"].url)
    assert unlabelled_inputs(page) == []
    page.click("button[name=action][value=submit]")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_count(3)
    summary.locator("a").first.click()
    expect(page.locator("#id_leave_type_0")).to_be_focused()
    assert unlabelled_inputs(page) == []

    start = next_monday()
    end = start + datetime.timedelta(days=4)
    page.check(f"input[name=leave_type][value='{leave_type_record('annual').pk}']")
    page.fill("input[name=start_date]", start.isoformat())
    with page.expect_response(re.compile(r"/requests/working-days/\?")) as working_days:
        page.fill("input[name=end_date]", end.isoformat())
    assert working_days.value.json()["working_days"] == "5"
    expect(page.locator(".portal-working-days")).to_have_text(re.compile(r"\b5\b"))
    expect(page.locator(".portal-remaining-after")).to_have_text(re.compile(r"\d"))
    # Dates in the wrong order show no count at all (not a negative one, nor the last one); right again, it is back.
    page.fill("input[name=end_date]", (start - datetime.timedelta(days=3)).isoformat())
    expect(page.locator(".portal-working-days")).not_to_have_text(re.compile(r"\d"))
    expect(page.locator(".portal-remaining-after")).to_have_text("")
    with page.expect_response(re.compile(r"/requests/working-days/\?")):
        page.fill("input[name=end_date]", end.isoformat())
    expect(page.locator(".portal-working-days")).to_have_text(re.compile(r"\b5\b"))

    page.click("button[name=action][value=submit]")
    request = ServiceRequest.objects.get(applicant=anna)
    expect(page).to_have_url(f"{live_server.url}/requests/{request.reference}/")
    expect(page.locator("h1")).to_contain_text(request.reference)
    assert request.status == RequestStatus.SUBMITTED
    assert (request.leave.start_date, request.leave.end_date, request.leave.working_days) == (start, end, 5)

    page.goto("/requests/")
    row = page.locator("tbody tr", has=page.locator(f"a[href='/requests/{request.reference}/']"))
    expect(row).to_have_count(1)
    with translation.override("de"):  # the page speaks German, whatever an earlier test left active here
        expect(row.locator(".kern-badge")).to_have_text(request.get_status_display())
    expect(row).to_contain_text(start.strftime("%d.%m.%Y"))

    # The language switcher keeps the page and changes only the language, there and back.
    page.click(".portal-language button[value=en]")
    expect(page).to_have_url(f"{live_server.url}/en/requests/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click(".portal-language button[value=de]")
    expect(page).to_have_url(f"{live_server.url}/requests/")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    assert broken == []

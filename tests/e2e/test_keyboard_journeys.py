"""The portal's journeys with the keyboard alone, in a real browser: Tab, Shift+Tab, the arrow keys, Enter and Space
(page.keyboard only: no click, no fill, no focus set by the test). File a leave request with an error and correct
it, decide a request from the queue, delegate responsibility and revoke it."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from services.delegation.models import Delegation
from services.models import RequestStatus, ServiceRequest
from tests.e2e.keyboard import arrow_to, tab_to, type_date
from tests.e2e.test_accessibility import browse, world  # noqa: F401 - the seeded world and its browser contexts
from tests.factories import leave_catalogue_ensure, leave_type_record, next_monday

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_filing_leave_with_the_keyboard_an_error_is_summarised_and_corrected(world, browse):  # noqa: F811
    leave_catalogue_ensure()
    anna = world["anna"]
    page = browse(anna)
    before = set(ServiceRequest.objects.filter(applicant=anna).values_list("pk", flat=True))
    page.goto(world["site"]["services"]["leave"].url)

    # The skip link first, then straight into the form.
    page.keyboard.press("Tab")
    expect(page.locator(".portal-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    annual = f"input[name=leave_type][value='{leave_type_record('annual').pk}']"
    tab_to(page, "input[name=leave_type]")
    arrow_to(page, annual)
    page.keyboard.press("Space")
    expect(page.locator(annual)).to_be_checked()

    # The last day before the first: the error summary takes focus and leads to the field.
    start = next_monday(8)
    tab_to(page, "input[name=start_date]")
    type_date(page, start)
    tab_to(page, "input[name=end_date]")
    type_date(page, start - datetime.timedelta(days=3))
    expect(page.locator("input[name=end_date]")).to_have_value((start - datetime.timedelta(days=3)).isoformat())
    tab_to(page, "button[name=action][value=submit]")
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Fehler:")
    tab_to(page, "#error-summary a[href='#id_end_date']", limit=5)
    page.keyboard.press("Enter")
    end_field = page.locator("#id_end_date")
    expect(end_field).to_be_focused()
    expect(end_field).to_have_attribute("aria-invalid", "true")

    # Corrected: the request is filed and its page opens.
    end = start + datetime.timedelta(days=4)
    type_date(page, end)
    expect(end_field).to_have_value(end.isoformat())
    tab_to(page, "button[name=action][value=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/requests/KD-[\d-]+/$"))
    [filed] = ServiceRequest.objects.filter(applicant=anna).exclude(pk__in=before)
    assert filed.status == RequestStatus.SUBMITTED
    assert (filed.leave.start_date, filed.leave.end_date) == (start, end)


def test_an_approver_decides_from_the_queue_with_the_keyboard(world, browse):  # noqa: F811
    request = world["pending"][0]
    page = browse(world["bernd"])
    page.goto("/queue/")

    tab_to(page, f"main table a[href^='/requests/{request.reference}/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/requests/{request.reference}/"))
    tab_to(page, "button[name=decision][value=approve]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/queue/$"))
    expect(page.locator("#status-messages")).to_be_focused()
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED


def test_delegating_and_revoking_with_the_keyboard(world, browse):  # noqa: F811
    bernd, anna = world["bernd"], world["anna"]
    page = browse(bernd)
    page.goto("/delegations/")

    tab_to(page, "main a[href$='/delegations/new/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/delegations/new/$"))
    tab_to(page, "#id_delegate_email")
    page.keyboard.type(anna.email)
    tab_to(page, "input[name=permissions][value=decide_leave]")
    page.keyboard.press("Space")
    tab_to(page, "#id_reason")
    page.keyboard.type("Vertretung während der Fortbildung")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/delegations/$"))
    expect(page.locator("#status-messages")).to_be_focused()
    delegation = Delegation.objects.get(delegator=bernd, delegate=anna)
    assert delegation.revoked_at is None and delegation.permissions == ["decide_leave"]
    expect(page.locator(f"#delegation-{delegation.pk}")).to_be_visible()

    # Revoke: the button in its row asks first; the confirming button on that page revokes.
    tab_to(page, f"#delegation-{delegation.pk} button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/delegations/{delegation.pk}/revoke/"))
    delegation.refresh_from_db()
    assert delegation.revoked_at is None, "asking is not revoking"
    tab_to(page, "main form[method=post] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/delegations/$"))
    expect(page.locator("#status-messages")).to_be_focused()
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None

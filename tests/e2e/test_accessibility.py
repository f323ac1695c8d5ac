"""WCAG 2.1 AA in a real browser: axe-core over every page type and form error state in German and English, no page
wider than a 320 px viewport, focus visible on the skip link and the table regions, errors on the request page
summarised and tied to their fields, focus on the status message after an action.

axe-core comes from node_modules (package.json pins it) and is injected into each page: nothing is downloaded while
the tests run. One seeded world serves every test of the module's journeys; each test seeds it once.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from home.models import SiteAlert
from portal.models import OrgUnit, User
from services import workflow
from services.delegation.services import delegation_create
from tests.factories import OrgUnitFactory, UserFactory, build_site, grant_responsibility, leave_request, logged_in_client, next_monday

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROW = {"width": 320, "height": 800}
WIDE = {"width": 1280, "height": 900}

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}"""
PAGE_WIDTH = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2, left: box.left, top: box.top,
          width: box.width, height: box.height, visible: box.right > 0 && box.bottom > 0
          && box.left < window.innerWidth && box.top < window.innerHeight};
}"""


@pytest.fixture
def world(db):
    """Musterstadt in small: Anna files, Bernd decides for the Ordnungsamt, Clara is his colleague, an
    administrator exports; a pending leave and a site alert."""
    site = build_site()
    city = OrgUnitFactory(code="STADT", name="Stadtverwaltung Musterstadt", level="dezernat")
    unit = OrgUnitFactory(parent=city, code="32", name="Ordnungsamt")
    OrgUnitFactory(parent=city, code="10", name="Hauptamt")
    bernd = grant_responsibility(UserFactory(email="bernd.keller@musterstadt.example", first_name="Bernd",
                                             last_name="Keller", unit=unit), unit)
    anna = UserFactory(email="anna.schmidt@musterstadt.example", first_name="Anna", last_name="Schmidt", unit=unit)
    clara = UserFactory(email="clara.wolf@musterstadt.example", first_name="Clara", last_name="Wolf", unit=unit)
    admin = UserFactory(email="admin@musterstadt.example", first_name="Ada", last_name="Admin", unit=city,
                        is_staff=True, is_superuser=True)
    pending = [leave_request(applicant=anna, step_permission="decide_leave") for _ in range(3)]
    now = timezone.now()
    delegation = delegation_create(
        delegator=bernd, delegate=clara, unit=OrgUnit.objects.get(pk=unit.pk), codenames=["decide_leave"],
        starts_at=now, ends_at=now + datetime.timedelta(days=20), reason="Urlaubsvertretung")
    # One leave Clara approved on Bernd's behalf: a row on his list of decisions.
    workflow.request_decide(request=leave_request(applicant=anna, step_permission="decide_leave",
                                                  start=next_monday(weeks_ahead=6)),
                            actor=clara, decision="approve", expected_step=1)
    alert = SiteAlert.load()
    alert.active, alert.severity = True, "warning"
    alert.text = "Wartungsarbeiten am Samstag zwischen 8 und 12 Uhr: das Portal ist dann nicht erreichbar."
    alert.text_english = "Maintenance on Saturday between 8 and 12 o'clock: the portal is unavailable then."
    alert.save()
    return {"site": site, "anna": anna, "bernd": bernd, "clara": clara, "admin": admin, "pending": pending,
            "delegation": delegation}


def log_in(context, user: User, live_server) -> None:
    """The browser takes over the session of a complete login (password, second factor, fresh re-authentication)."""
    client = logged_in_client(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])


@pytest.fixture
def browse(browser, live_server):
    """A browser context per persona ("anonymous" or a User), German browser locale."""
    contexts = {}

    def make(user: User | None = None):
        key = user.pk if user else None
        if key not in contexts:
            context = browser.new_context(base_url=live_server.url, viewport=WIDE, locale="de-DE")
            context.set_default_timeout(10_000)
            if user is not None:
                log_in(context, user, live_server)
            contexts[key] = context.new_page()
        return contexts[key]

    yield make
    for page in contexts.values():
        page.context.close()


def audit(page, label: str, problems: list[str]) -> None:
    """axe-core's WCAG 2.1 A/AA violations of the page as shown now, then its width at 320 px."""
    # Evaluated through the browser's debugging protocol, not as a <script>: the portal's CSP refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    problems.extend(f"{label}: {violation}" for violation in page.evaluate(AXE_RUN, WCAG_21_AA))
    page.set_viewport_size(NARROW)
    width = page.evaluate(PAGE_WIDTH)
    if width > NARROW["width"]:
        problems.append(f"{label}: {width} px wide at 320 px")
    page.set_viewport_size(WIDE)


def visit(page, path: str, label: str, problems: list[str], *, status: int = 200) -> None:
    response = page.goto(path)
    assert response.status == status, f"{label}: {response.status}"
    audit(page, label, problems)


def test_every_page_type_and_error_state_passes_axe_and_fits_320_px(world, browse):
    problems: list[str] = []
    anonymous, anna, bernd, admin = browse(), browse(world["anna"]), browse(world["bernd"]), browse(world["admin"])
    reference = world["pending"][0].reference
    site = world["site"]
    for prefix in ("", "/en"):
        lang = prefix or "/de"
        # Anonymous: the login page and the password reset, with their error states.
        visit(anonymous, f"{prefix}/accounts/login/", f"{lang} login", problems)
        anonymous.click("main form button[type=submit]")
        expect(anonymous.locator("#error-summary")).to_be_focused()
        audit(anonymous, f"{lang} login error", problems)
        visit(anonymous, f"{prefix}/accounts/password/reset/", f"{lang} password reset", problems)
        anonymous.click("main form button[type=submit]")
        expect(anonymous.locator("#error-summary")).to_be_visible()
        audit(anonymous, f"{lang} password reset error", problems)

        # The applicant: home, guidance, a service with its error state, her requests, calendar, search, account.
        visit(anna, f"{prefix}/", f"{lang} home", problems)
        visit(anna, f"{prefix}/search/?query=Urlaub", f"{lang} search", problems)
        visit(anna, site["services"]["leave"].url if not prefix else f"/en{site['services']['leave'].url}",
              f"{lang} leave form", problems)
        anna.click("button[name=action][value=submit]")
        expect(anna.locator("#error-summary")).to_be_focused()
        audit(anna, f"{lang} leave form error", problems)
        visit(anna, f"{prefix}/requests/", f"{lang} my requests", problems)
        visit(anna, f"{prefix}/requests/{reference}/", f"{lang} request (applicant)", problems)
        visit(anna, f"{prefix}/requests/{reference}/withdraw/", f"{lang} withdraw", problems)
        visit(anna, f"{prefix}/team/calendar/", f"{lang} team calendar", problems)
        visit(anna, f"{prefix}/notifications/", f"{lang} notifications", problems)
        visit(anna, f"{prefix}/delegations/", f"{lang} delegations (staff)", problems)
        visit(anna, f"{prefix}/account/security/", f"{lang} security", problems)
        visit(anna, f"{prefix}/accounts/password/change/", f"{lang} password change", problems)
        anna.click("main form button[type=submit]")
        expect(anna.locator("#error-summary")).to_be_focused()
        audit(anna, f"{lang} password change error", problems)
        visit(anna, f"{prefix}/accounts/sessions/", f"{lang} sessions", problems)
        visit(anna, f"{prefix}/requests/KD-0000-000000/", f"{lang} 404", problems, status=404)

        # The trust channels: Kummerkasten, pulse surveys, phishing reports (and a report with nothing in it), coffee.
        visit(anna, f"{prefix}/kummerkasten/", f"{lang} kummerkasten", problems)
        visit(anna, f"{prefix}/surveys/", f"{lang} surveys", problems)
        visit(anna, f"{prefix}/phishing/", f"{lang} my phishing reports", problems)
        visit(anna, f"{prefix}/phishing/report/", f"{lang} phishing report", problems)
        anna.click("main form[method=post] button[type=submit]")
        expect(anna.locator("#error-summary")).to_be_focused()
        audit(anna, f"{lang} phishing report error", problems)
        visit(anna, f"{prefix}/coffee/", f"{lang} coffee kitchen", problems)

        # The approver: queue (and bulk approval with nothing ticked), the request page and its error states.
        visit(bernd, f"{prefix}/queue/", f"{lang} queue", problems)
        bernd.click("main form[method=post] button[type=submit]")
        expect(bernd.locator("#error-summary")).to_be_focused()
        audit(bernd, f"{lang} queue bulk error", problems)
        visit(bernd, f"{prefix}/requests/{reference}/", f"{lang} request (approver)", problems)
        bernd.click("button[name=decision][value=reject]")
        expect(bernd.locator("#error-summary")).to_be_focused()
        audit(bernd, f"{lang} reject without reason", problems)
        bernd.fill("#forward-email", "niemand@musterstadt.example")
        bernd.click("form[action$='/forward/'] button[type=submit]")
        expect(bernd.locator("#error-summary")).to_be_focused()
        audit(bernd, f"{lang} forward to an unknown address", problems)
        visit(bernd, f"{prefix}/queue/decided/", f"{lang} decided list", problems)
        visit(bernd, f"{prefix}/queue/decided/?start=2030-02-01&end=2030-01-01", f"{lang} decided list error", problems)
        visit(bernd, f"{prefix}/delegations/", f"{lang} delegations (holder)", problems)
        visit(bernd, f"{prefix}/delegations/{world['delegation'].pk}/revoke/", f"{lang} revoke question", problems)
        visit(bernd, f"{prefix}/delegations/new/", f"{lang} delegate", problems)
        bernd.fill("#id_starts_at", "2030-01-10T09:00")
        bernd.fill("#id_ends_at", "2030-01-09T09:00")
        bernd.click("main form button[type=submit]")
        expect(bernd.locator("#error-summary")).to_be_focused()
        audit(bernd, f"{lang} delegate error", problems)

        # The administrator's audit export and its error state.
        visit(admin, f"{prefix}/audit/", f"{lang} audit", problems)
        admin.fill("#id_start", "2030-02-01")
        admin.fill("#id_end", "2030-01-01")
        admin.click("main form button[type=submit]")
        expect(admin.locator("#error-summary")).to_be_focused()
        audit(admin, f"{lang} audit error", problems)

    assert problems == []
    # The scan does find what it should: an image without a text alternative is reported.
    anna.evaluate("""() => document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/x.png">')""")
    assert any(violation.startswith("image-alt") for violation in anna.evaluate(AXE_RUN, WCAG_21_AA))


def test_focus_shows_on_the_skip_link_and_on_every_table_region(world, browse):
    page = browse(world["bernd"])
    page.goto("/queue/")
    page.keyboard.press("Tab")
    expect(page.locator(".portal-skip-link")).to_be_focused()
    focus = page.evaluate(FOCUS_STYLE)
    assert focus["visible"] and focus["outline"] and focus["width"] > 20, focus

    anna = browse(world["anna"])
    for viewer, path in ((page, "/queue/"), (page, "/delegations/"), (page, "/team/calendar/"), (anna, "/requests/"),
                         (anna, "/")):
        viewer.goto(path)
        regions = viewer.locator(".kern-table-responsive[tabindex='0']")
        assert regions.count() > 0, path
        for index in range(regions.count()):
            viewer.keyboard.press("Shift")  # a keyboard user: focus-visible applies
            regions.nth(index).focus()
            assert viewer.evaluate(FOCUS_STYLE)["outline"], f"{path}: table region {index} shows no focus"


def test_request_page_errors_are_summarised_and_focus_follows_each_action(world, browse):
    bernd = browse(world["bernd"])
    first, second, third = world["pending"]

    # Reject without a reason: the summary has focus and leads to the comment, which is marked invalid.
    bernd.goto(f"/requests/{first.reference}/")
    bernd.click("button[name=decision][value=reject]")
    summary = bernd.locator("#error-summary")
    expect(summary).to_be_focused()
    assert bernd.title().startswith("Fehler:")
    summary.locator("a[href='#decision-comment']").click()
    expect(bernd.locator("#decision-comment")).to_be_focused()
    expect(bernd.locator("#decision-comment")).to_have_attribute("aria-invalid", "true")

    # Ask for changes without a reason: the same.
    bernd.click("button[name=decision][value=request_changes]")
    expect(bernd.locator("#error-summary a[href='#decision-comment']")).to_be_visible()

    # Forward to an unknown address: the summary leads to the address field.
    bernd.fill("#forward-email", "niemand@musterstadt.example")
    bernd.click("form[action$='/forward/'] button[type=submit]")
    expect(bernd.locator("#error-summary")).to_be_focused()
    bernd.locator("#error-summary a[href='#forward-email']").click()
    expect(bernd.locator("#forward-email")).to_be_focused()

    # A successful decision: back on the queue, focus on the status message.
    bernd.fill("#decision-comment", "Bitte den Zeitraum kürzen.")
    bernd.click("button[name=decision][value=request_changes]")
    expect(bernd).to_have_url(re.compile(r"/queue/$"))
    expect(bernd.locator("#status-messages")).to_be_focused()

    # Bulk approval with nothing ticked: the summary leads to the table of checkboxes.
    bernd.click("main form[method=post] button[type=submit]")
    expect(bernd.locator("#error-summary")).to_be_focused()
    bernd.locator("#error-summary a[href='#queue-selected']").click()
    expect(bernd.locator("#queue-selected")).to_be_focused()
    # Ticked: approved, and focus on the status message again.
    bernd.check(f"#select-{second.reference}")
    bernd.click("main form[method=post] button[type=submit]")
    expect(bernd.locator("#status-messages")).to_be_focused()
    expect(bernd.locator("#status-messages")).to_contain_text(second.reference)
    assert third.reference in bernd.content()


PHONE = {"width": 375, "height": 812}
HEADER_HEIGHT = "() => document.querySelector('header.portal-header').getBoundingClientRect().height"
MENU_LINK = ".portal-nav a[href='/requests/']"


def test_on_a_phone_the_header_folds_into_a_menu_the_keyboard_opens(world, browse):
    from tests.e2e.keyboard import is_focused, tab_to

    problems: list[str] = []
    anna, bernd = browse(world["anna"]), browse(world["bernd"])
    for viewer, path in ((anna, "/"), (anna, "/requests/"), (anna, "/delegations/"), (anna, "/team/calendar/"),
                         (anna, "/notifications/"), (anna, "/en/requests/"), (bernd, "/queue/"), (bernd, "/delegations/"),
                         (bernd, f"/requests/{world['pending'][0].reference}/")):
        viewer.set_viewport_size(PHONE)
        viewer.goto(path)
        expect(viewer.locator("[data-menu-toggle]")).to_have_attribute("aria-expanded", "false")
        if (height := viewer.evaluate(HEADER_HEIGHT)) > 120:
            problems.append(f"{path}: the closed header is {height} px high")
        if (width := viewer.evaluate(PAGE_WIDTH)) > PHONE["width"]:
            problems.append(f"{path}: {width} px wide at 375 px")
    assert problems == []

    # Closed, the menu's links are out of the way: after the menu button Tab leaves the header.
    page = anna
    page.goto("/requests/")
    expect(page.locator(MENU_LINK)).to_be_hidden()
    tab_to(page, "[data-menu-toggle]", limit=5)
    assert page.evaluate(FOCUS_STYLE)["outline"], "the menu button shows its focus"
    page.keyboard.press("Tab")
    assert not is_focused(page, ".portal-menu *")

    # Enter opens it; its search and links follow the button in the tab order.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("[data-menu-toggle]")).to_have_attribute("aria-expanded", "true")
    expect(page.locator(MENU_LINK)).to_be_visible()
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    assert page.evaluate(AXE_RUN, WCAG_21_AA) == [], "the open menu"
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
    assert tab_to(page, MENU_LINK, limit=4) <= 3  # the search field, its button, the first link
    assert page.evaluate(FOCUS_STYLE)["outline"], "the menu's links show their focus"
    tab_to(page, ".portal-nav a[href='/team/calendar/']", limit=5)
    # Escape closes it and puts focus back on the button; Space opens and closes it like Enter.
    page.keyboard.press("Escape")
    expect(page.locator("[data-menu-toggle]")).to_be_focused()
    expect(page.locator(MENU_LINK)).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.locator(MENU_LINK)).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator(MENU_LINK)).to_be_hidden()
    page.keyboard.press("Space")
    tab_to(page, MENU_LINK, limit=4)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/requests/$"))

    # On a wide screen there is no menu button: search and navigation sit in the header.
    page.set_viewport_size(WIDE)
    expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    expect(page.locator(MENU_LINK)).to_be_visible()


def test_without_javascript_the_phone_header_shows_its_navigation(world, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="de-DE", java_script_enabled=False)
    try:
        log_in(context, world["anna"], live_server)
        page = context.new_page()
        page.goto("/requests/")
        expect(page.locator("[data-menu-toggle]")).to_be_hidden()
        expect(page.locator(MENU_LINK)).to_be_visible()
        assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
    finally:
        context.close()


def test_on_a_phone_request_and_delegation_tables_are_cards_with_labels(world, browse):
    anna, bernd = browse(world["anna"]), browse(world["bernd"])
    for viewer, path in ((anna, "/requests/"), (anna, "/"), (bernd, "/delegations/"), (bernd, "/queue/"),
                         (bernd, "/queue/decided/")):
        viewer.set_viewport_size(PHONE)
        viewer.goto(path)
        table = viewer.locator("table.portal-table--stack").first
        expect(table).to_be_visible()
        row = table.locator("tbody tr").first
        assert row.evaluate("(el) => getComputedStyle(el).display") == "block", path
        cell = row.locator("td[data-label]").first
        label = cell.evaluate("(el) => getComputedStyle(el, '::before').content")
        assert cell.get_attribute("data-label") in label, (path, label)
        assert table.locator("thead").evaluate("(el) => el.getBoundingClientRect().height") <= 1, path
        viewer.set_viewport_size(WIDE)
        assert row.evaluate("(el) => getComputedStyle(el).display") == "table-row", path

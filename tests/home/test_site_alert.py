"""The site-wide alert: shown on every page until its end (checked at render time), dismissible per session."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from home.models import AlertSeverity, SiteAlert

END = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def alert(site):
    alert = SiteAlert.load()
    alert.active = True
    alert.severity = AlertSeverity.WARNING
    alert.text = "Aktuelle Phishing-Welle: E-Mails mit angeblichen Förderanträgen"
    alert.text_english = "Current phishing wave: emails about alleged funding applications"
    alert.link_page = site["guidance"].get_children().first()
    alert.ends_at = END
    alert.save()
    return alert


def alert_markup(html: str) -> str | None:
    match = re.search(r'<div class="kern-alert kern-alert--\w+ portal-site-alert".*?</div>\s*</div>', html, re.S)
    return match.group(0) if match else None


def test_alert_shows_on_pages_until_its_end(client, alert):
    with time_machine.travel(END - datetime.timedelta(minutes=1), tick=False):
        before = client.get("/").content.decode()
    with time_machine.travel(END, tick=False):
        at_end = client.get("/").content.decode()

    assert "Aktuelle Phishing-Welle" in before
    assert "Aktuelle Phishing-Welle" not in at_end


def test_alert_shows_on_portal_views_too(applicant_client, alert):
    with time_machine.travel(END - datetime.timedelta(days=1), tick=False):
        html = applicant_client.get("/requests/").content.decode()

    assert "Aktuelle Phishing-Welle" in html


def test_switched_off_alert_is_not_shown(client, alert):
    alert.active = False
    alert.save()

    with time_machine.travel(END - datetime.timedelta(days=1), tick=False):
        assert alert_markup(client.get("/").content.decode()) is None


def test_alert_without_end_stays(client, alert):
    alert.ends_at = None
    alert.save()

    with time_machine.travel(END + datetime.timedelta(days=365), tick=False):
        assert alert_markup(client.get("/").content.decode()) is not None


def test_alert_markup_has_role_link_and_a_dismiss_button_hidden_until_javascript(client, alert):
    with time_machine.travel(END - datetime.timedelta(days=1), tick=False):
        markup = alert_markup(client.get("/").content.decode())

    assert 'role="status"' in markup  # a warning waits its turn; only danger interrupts
    assert f'data-site-alert="{alert.version}"' in markup
    assert re.search(r"<button [^>]*data-site-alert-dismiss hidden>", markup)
    assert f'href="{alert.link_page.url}"' in markup


def test_danger_alert_interrupts(client, alert):
    alert.severity = AlertSeverity.DANGER
    alert.save()

    with time_machine.travel(END - datetime.timedelta(days=1), tick=False):
        markup = alert_markup(client.get("/").content.decode())

    assert 'role="alert"' in markup
    assert "kern-alert--danger" in markup


def test_english_pages_show_the_english_text(client, alert):
    with time_machine.travel(END - datetime.timedelta(days=1), tick=False):
        html = client.get("/en/accounts/login/").content.decode()

    assert "Current phishing wave" in html


def test_editing_the_alert_changes_its_version_so_that_it_shows_again(alert):
    before = alert.version
    alert.text = "Neue Warnung"

    assert alert.version != before


def test_the_script_keys_dismissal_by_version_in_session_storage():
    script = (Path(__file__).resolve().parents[2] / "static" / "js" / "portal.js").read_text()

    assert "sessionStorage" in script
    assert "data-site-alert-dismiss" in script
    assert "alert.dataset.siteAlert" in script


def test_shown_alert_needs_a_text(db):
    alert = SiteAlert(active=True, text="")

    with pytest.raises(ValidationError, match="needs a text"):
        alert.full_clean()


def test_is_showing_is_evaluated_against_now(db):
    alert = SiteAlert(active=True, text="x", ends_at=timezone.now() + datetime.timedelta(minutes=5))

    assert alert.is_showing()
    assert not alert.is_showing(now=alert.ends_at)

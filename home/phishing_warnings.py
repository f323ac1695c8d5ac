"""Turning a phishing case into a warning in one step: a guidance page and the site-wide alert, through moderation.

IT security writes the warning on the case (services.phishing). `phishing_warning_submit` creates a
guidance page as a draft, with every sender and address of the case defanged (hxxps://evil[.]example, as
text, never a link) and the steps staff should take, saves it as a revision and submits it to the
guidance workflow ("Zwei-Personen-Freigabe"): a moderator approves it like any other guidance. The alert
text waits on the PhishingWarning; when the page is published, `phishing_warning_go_live` (connected to
Wagtail's `page_published`) switches the site-wide alert on, linking to the page.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from home.models import AlertSeverity, GuidanceIndexPage, GuidancePage, SiteAlert
from portal.models import User
from portal.security_log import security_event
from services.phishing.models import Classification, IndicatorKind, PhishingCase, PhishingWarning
from services.phishing.parsing import defang, defang_text
from services.phishing.permissions import user_may_triage_phishing


def default_advice(language: str) -> str:
    """The steps a warning suggests, one a line, in the page's language (IT security may change them)."""
    with override(language):
        return "\n".join([
            _("Do not open the links or attachments of this e-mail, and do not reply."),
            _("If you did click or entered your password: change it at once and call the IT service desk."),
            _("Report the e-mail in the portal under “Report a suspicious e-mail”, then delete it."),
        ])


def warning_defaults(case: PhishingCase, *, language: str) -> dict:
    """The form's starting values for a case: a title, the alert text, the advice."""
    with override(language):
        title = _("Warning: phishing e-mail “%(title)s”") % {"title": defang_text(case.title)}
        return {"title": title[:255], "alert_text": title[:300], "advice": default_advice(language),
                "summary": _("IT security warns of a phishing e-mail that is currently reaching the city's staff.")}


def _guidance_index() -> GuidanceIndexPage:
    """The guidance index of the default language, where warnings are written first."""
    index = GuidanceIndexPage.objects.filter(locale__language_code__startswith="de").order_by("path").first() \
        or GuidanceIndexPage.objects.order_by("path").first()
    if index is None:
        raise ValidationError(_("There is no guidance section to publish the warning in."))
    return index


def _body(case: PhishingCase, *, advice: str, language: str) -> list[tuple[str, object]]:
    with override(language):
        signs = [escape(defang(indicator.value) if indicator.kind != IndicatorKind.SUBJECT else defang_text(indicator.value))
                 for indicator in case.indicators.order_by("kind", "value")]
        steps = [f"<p>{escape(defang_text(line.strip()))}</p>" for line in advice.splitlines() if line.strip()]
        return [
            ("callout", {"tone": "danger", "title": _("How to recognise this e-mail"),
                         "text": "<ul>" + "".join(f"<li>{sign}</li>" for sign in signs) + "</ul>"}),
            ("paragraph", "<p>" + escape(_("Addresses are written defanged (hxxps://, [.]) so that nobody opens them by"
                                           " accident. Never type them into a browser.")) + "</p>"),
            ("steps", {"title": _("What to do"), "steps": steps or [f"<p>{escape(default_advice(language))}</p>"]}),
        ]


def _unique_slug(parent: GuidanceIndexPage, base: str) -> str:
    slug = slugify(base)[:70] or "phishing-warnung"
    candidate, number = slug, 2
    while parent.get_children().filter(slug=candidate).exists():
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


@transaction.atomic
def phishing_warning_submit(*, case: PhishingCase, actor: User, title: str, summary: str, advice: str, alert_text: str,
                            alert_text_english: str = "", alert_ends_at: datetime.datetime | None = None) -> PhishingWarning:
    """Write the warning page as a draft, submit it to moderation and keep the alert until it is published."""
    if not user_may_triage_phishing(actor):
        raise PermissionDenied(_("Only IT security publishes phishing warnings."))
    case = PhishingCase.objects.select_for_update().get(pk=case.pk)
    if case.classification != Classification.PHISHING:
        raise ValidationError(_("Only a case classified as phishing can be turned into a warning."))
    if alert_ends_at is not None and alert_ends_at <= timezone.now():
        raise ValidationError(_("The alert's end must lie in the future."))
    index = _guidance_index()
    language = index.locale.language_code
    page = GuidancePage(title=title.strip()[:255], slug=_unique_slug(index, title), summary=summary.strip()[:300],
                        body=_body(case, advice=advice, language=language), live=False, owner=actor, locale=index.locale)
    index.add_child(instance=page)
    page.save_revision(user=actor, log_action=True)
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError(_("Guidance has no editorial workflow; ask the editors to set one up."))
    workflow.start(page, actor)
    warning = PhishingWarning.objects.create(case=case, page=page, alert_text=alert_text.strip()[:300],
                                             alert_text_english=alert_text_english.strip()[:300], alert_ends_at=alert_ends_at,
                                             requested_by=actor)
    transaction.on_commit(lambda: security_event("phishing_warning_submitted", user=actor, case=case.pk, warning=warning.pk,
                                                 page=page.pk))
    return warning


@transaction.atomic
def phishing_warning_go_live(*, page: GuidancePage) -> PhishingWarning | None:
    """When a warning's page is published: the site-wide alert shows its text and links to the page (once)."""
    warning = PhishingWarning.objects.select_for_update().filter(page_id=page.pk, published_at__isnull=True).first()
    if warning is None:
        return None
    alert = SiteAlert.load()
    alert.active = True
    alert.severity = AlertSeverity.DANGER
    alert.text = warning.alert_text
    alert.text_english = warning.alert_text_english
    alert.link_page = page
    alert.link_url = ""
    alert.ends_at = warning.alert_ends_at
    alert.save()
    warning.published_at = timezone.now()
    warning.save(update_fields=["published_at"])
    transaction.on_commit(lambda: security_event("phishing_warning_published", case=warning.case_id, warning=warning.pk,
                                                 page=page.pk))
    return warning


def on_page_published(sender, instance, **kwargs) -> None:
    """Wagtail's `page_published` receiver: only guidance pages written as phishing warnings do anything."""
    if isinstance(instance, GuidancePage):
        phishing_warning_go_live(page=instance)

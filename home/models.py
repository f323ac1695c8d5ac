"""Wagtail pages: the personal dashboard, guidance, and the service pages that host request forms."""

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import GroupApprovalTask, Page, PageViewRestriction, TaskState
from wagtail.search import index

from home.blocks import GuidanceStreamBlock, QuestionBlock, QuestionStreamBlock
from home.stemming import StemmedSearchMixin
from portal.counting import counts
from portal.http import private_response
from portal.models import User
from portal.responsibilities import RESPONSIBILITIES
from services import permissions, selectors
from services.coffee.selectors import present
from services.kinds import registry
from services.leave.ledger import balance_years, leave_balances_of
from services.notifications.selectors import unread_notifications
from services.phishing.permissions import user_may_triage_phishing
from services.phishing.selectors import ReportCounts, open_cases, report_counts_querysets
from services.statuses import RequestStatus
from services.views.requests import process_request_form


def kind_choices() -> list[tuple[str, str]]:
    return registry.choices()


def responsibility_choices() -> list[tuple[str, str]]:
    """The responsibilities an editor can name as deciding an editor-built (generic) service."""
    return list(RESPONSIBILITIES)


PUBLIC_CACHE_SECONDS = 300


def under_view_restriction() -> Exists:
    """Whether a page (in a queryset of pages) lies under a view restriction: one sits on the page or an ancestor, whose
    path is a prefix of the page's. What Wagtail's `.public()` leaves out, as a subquery of the page query itself,
    where `.public()` first reads every restriction of the site in a query of its own."""
    return Exists(PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path"))))


class ServedPageMixin:
    """Wagtail's view-restriction check of a page, answered once per page served and in one query where it can be.

    Wagtail's serve hook asks `get_view_restrictions` (the restrictions of the page and its ancestors, aliases resolved to
    their source pages: two queries); the answer is kept on the page for whoever asks again while it is served. When no
    page on the way is an alias (HomePage.route says so, and a page right below the root only has itself to check),
    Wagtail's answer is the restrictions of the page's own ancestors, read in one query.
    """

    def get_view_restrictions(self):
        if "_view_restrictions" not in self.__dict__:
            chain_has_alias = getattr(self, "chain_has_alias", None)
            if chain_has_alias is None and self.depth <= 2:
                chain_has_alias = self.alias_of_id is not None
            if chain_has_alias is False:
                paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
                self._view_restrictions = PageViewRestriction.objects.filter(page__path__in=paths)
            else:
                self._view_restrictions = super().get_view_restrictions()
        return self._view_restrictions


class PublicCacheMixin(ServedPageMixin):
    """Pages that read the same for every anonymous reader may be kept by browsers and proxies for five minutes.

    Only when nobody is logged in (the header then shows no personal data), the page has no view
    restriction (on itself or an ancestor) and no flash message is waiting; everyone else gets a
    private, unstored response.
    """

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated or self.get_view_restrictions().exists() or len(get_messages(request)):
            return private_response(response)
        patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
        return response


class HomePage(ServedPageMixin, Page):
    """The start page: a personal dashboard for staff who are logged in, a welcome for everyone else."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.ServiceIndexPage", "home.GuidanceIndexPage", "home.AccessibilityStatementPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        private = under_view_restriction()
        # The cards show a service's title, description and link: the base page rows, without the service's own table
        # (its questions and texts).
        context["services"] = (Page.objects.type(ServicePage).live().exclude(private).filter(locale_id=self.locale_id)
                               .order_by("path"))
        context["guidance_highlights"] = (
            GuidancePage.objects.live().exclude(private).filter(locale_id=self.locale_id).order_by("-first_published_at")[:3]
        )
        if request.user.is_authenticated:
            context["open_requests"] = [
                (item, registry.get(item.kind)) for item in selectors.open_requests_of_applicant(request.user)[:10]
            ]
            # Every year shown (two in December) from the same three queries.
            years = balance_years(today=timezone.localdate())
            balances = leave_balances_of([(request.user, year) for year in years])
            context["leave_balances"] = [balances[(request.user.pk, year)] for year in years]
            context.update(self.dashboard_counts(request.user))
        return context

    @staticmethod
    def dashboard_counts(user: User) -> dict:
        """The dashboard's numbers, each counted by the rule of its own package, read together in one query."""
        phishing_reports = report_counts_querysets(user)
        may_triage_phishing = user_may_triage_phishing(user)
        cap = settings.LIST_COUNT_CAP
        numbers = counts(
            capped={"queue": cap + 1},
            queue=permissions.requests_decidable_by(user), coffee=present(), unread=unread_notifications(user),
            **{f"phishing_{name}": reports for name, reports in phishing_reports.items()},
            **({"phishing_open_cases": open_cases()} if may_triage_phishing else {}),
        )
        return {
            # Counted up to the cap, as the queue's own pages are: "more than 1,000" says enough.
            "queue_count": min(numbers["queue"], cap), "queue_count_capped": numbers["queue"] > cap,
            "coffee_count": numbers["coffee"],
            "phishing_reports": ReportCounts(**{name: numbers[f"phishing_{name}"] for name in phishing_reports}),
            "phishing_open_cases": numbers["phishing_open_cases"] if may_triage_phishing else None,
            # Read here with the others; the header's context processor would count it again.
            "unread_notification_count": numbers["unread"],
        }

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)
        return private_response(response) if request.user.is_authenticated else response

    def route(self, request: HttpRequest, path_components: list[str]):
        """Wagtail's routing in one step: the page below the home page whose slugs are the path, found by its
        `url_path` (which Wagtail keeps as the chain of slugs) instead of one child and one specific query per level.
        No page type of the portal routes its own sub-paths, so the answer is the same; it must be live, as there."""
        if not path_components:
            return super().route(request, path_components)
        url_paths = [f"{self.url_path}{'/'.join(path_components[:end])}/" for end in range(1, len(path_components) + 1)]
        # Whether an alias lies on the way (the pages of the url_paths above, or this home page): only then does Wagtail's
        # view-restriction check have to look further than the page's own ancestors (ServedPageMixin).
        chain_has_alias = Value(True) if self.alias_of_id is not None else Exists(
            Page.objects.filter(path__startswith=self.path, url_path__in=url_paths, alias_of__isnull=False))
        page = (Page.objects.filter(path__startswith=self.path, url_path=url_paths[-1])
                .annotate(chain_has_alias=chain_has_alias).specific().first())
        if page is None:
            raise Http404
        return page.route(request, [])


class GuidanceIndexPage(PublicCacheMixin, Page):
    """Lists the guidance pages (working safely from home, recognising phishing, …)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.GuidancePage", "home.KummerkastenFaqPage"]

    class Meta:
        verbose_name = _("guidance index")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["pages"] = GuidancePage.objects.child_of(self).live().exclude(under_view_restriction()).order_by("title")
        return context


class GuidancePage(StemmedSearchMixin, PublicCacheMixin, Page):
    """A guidance article editors write for staff, e.g. "Phishing erkennen und melden"."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(GuidanceStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body"),
                     index.SearchField("search_stems")]
    parent_page_types = ["home.GuidanceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("guidance page")


class KummerkastenFaqPage(StemmedSearchMixin, PublicCacheMixin, Page):
    """Questions from the anonymous Kummerkasten with their answers, edited for everyone to read.

    Handlers add an entry as a draft revision submitted to the editorial workflow (home.kummerkasten);
    it goes live only when a moderator approves it. Placed below a guidance index, so the two-person
    approval of guidance applies.
    """

    intro = RichTextField(_("introduction"), blank=True)
    entries = StreamField([("entry", QuestionBlock())], verbose_name=_("questions and answers"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("entries")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("entries"),
                     index.SearchField("search_stems")]
    parent_page_types = ["home.GuidanceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Kummerkasten FAQ page")


class ServiceIndexPage(ServedPageMixin, Page):
    """Lists the self-services staff can use."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ServicePage"]

    class Meta:
        verbose_name = _("service index")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.child_of(self).live().exclude(under_view_restriction()).order_by("path")
        return context


class ServicePage(StemmedSearchMixin, ServedPageMixin, Page):
    """Hosts the form of one request kind beside the editors' guidance.

    Editors own the wording (intro, guidance, confirmation text); developers own the kind's typed
    fields, chosen here by its slug. The page serves GET and POST itself and hands a valid
    submission to the services layer. It requires login and is never cached.
    """

    kind = models.CharField(_("kind of request"), max_length=40, choices=kind_choices)
    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(GuidanceStreamBlock(), verbose_name=_("guidance"), blank=True)
    confirmation_text = RichTextField(
        _("text after submitting"), blank=True, help_text=_("Shown to the applicant with their submitted request."),
    )
    questions = StreamField(
        QuestionStreamBlock(), verbose_name=_("extra questions"), blank=True,
        help_text=_("Asked below the fields of the kind of request, which stay as they are. Each request keeps the"
                    " questions as they were when it was filed."),
    )
    decided_by = models.CharField(
        _("decided by"), max_length=64, blank=True, choices=responsibility_choices,
        help_text=_("Only for the kind “Other service”: the responsibility whose holders (on the applicant's unit or"
                    " above) decide requests filed on this page."),
    )

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("decided_by"), FieldPanel("intro"),
                      FieldPanel("body"), FieldPanel("questions"), FieldPanel("confirmation_text")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body"),
                     index.SearchField("search_stems")]
    parent_page_types = ["home.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("service page")

    def clean(self) -> None:
        super().clean()
        kind = registry.get(self.kind)
        if kind is None:
            raise ValidationError({"kind": _("Choose a kind of request the portal knows.")})
        if not kind.steps and not kind.step_plan_for(self):
            raise ValidationError({"decided_by": _("Choose who decides requests of this service.")})

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        kind = registry.get(self.kind)
        if kind is None or not (kind.steps or kind.step_plan_for(self)):
            raise Http404("This service is not available.")
        target = None
        reference = request.POST.get("draft") if request.method == "POST" else request.GET.get("draft")
        if reference:
            target = permissions.get_request_for_user_or_404(request.user, reference)
            if target.status != RequestStatus.DRAFT or target.kind != kind.slug:
                raise Http404("No such draft for this service.")
        return process_request_form(
            request, kind=kind, service_page=self, target=target, template="home/service_page.html",
            context=self.get_context(request, *args, **kwargs),
        )


class ComplianceStatus(models.TextChoices):
    """How far the portal meets the requirements (BITV 2.0 § 7, Anlage 2: the three allowed statements)."""

    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class AccessibilityStatementPage(PublicCacheMixin, Page):
    """The accessibility statement (Erklärung zur Barrierefreiheit) that BITV 2.0 requires of every public body's site.

    One per language below the home page, linked from every page's footer. Its fields follow the
    model statement: the state of compliance, what is not accessible and why, when the statement
    was made, how to report barriers (the feedback form, a request of the generic kind), and the
    enforcement procedure (the Schlichtungsstelle nach § 16 BGG).
    """

    compliance_status = models.CharField(_("state of compliance"), max_length=10, choices=ComplianceStatus.choices,
                                         default=ComplianceStatus.PARTIAL)
    compliance_text = RichTextField(_("explanation of the state of compliance"), blank=True)
    non_accessible_content = RichTextField(
        _("content that is not accessible"), blank=True,
        help_text=_("What is not accessible, why (disproportionate burden, not in scope), and the accessible alternatives."),
    )
    statement_date = models.DateField(_("date of the statement"), default=datetime.date.today)
    review_date = models.DateField(_("last reviewed"), null=True, blank=True)
    assessment_method = models.CharField(
        _("how the statement was prepared"), max_length=300, blank=True,
        help_text=_("For example: self-assessment, or a test by an external body (BITV test)."),
    )
    feedback_text = RichTextField(_("feedback and contact"), blank=True)
    feedback_contact_name = models.CharField(_("feedback contact"), max_length=200, blank=True)
    feedback_email = models.EmailField(_("feedback email"), blank=True)
    feedback_phone = models.CharField(_("feedback phone"), max_length=40, blank=True)
    feedback_page = models.ForeignKey(
        "home.ServicePage", verbose_name=_("feedback form"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("The service page where staff report barriers."),
    )
    enforcement_text = RichTextField(_("enforcement procedure"), blank=True)
    enforcement_url = models.URLField(_("link to the enforcement body"), default="https://www.schlichtungsstelle-bgg.de/")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("compliance_status"), FieldPanel("compliance_text")], heading=_("State of compliance")),
        FieldPanel("non_accessible_content"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("statement_date"), FieldPanel("review_date")]), FieldPanel("assessment_method")],
                        heading=_("Preparation of the statement")),
        MultiFieldPanel([FieldPanel("feedback_text"), FieldPanel("feedback_page"), FieldPanel("feedback_contact_name"),
                         FieldRowPanel([FieldPanel("feedback_email"), FieldPanel("feedback_phone")])],
                        heading=_("Feedback and contact")),
        MultiFieldPanel([FieldPanel("enforcement_text"), FieldPanel("enforcement_url")], heading=_("Enforcement procedure")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("compliance_text"), index.SearchField("non_accessible_content")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1  # each language has its own home page, so: one statement per language

    class Meta:
        verbose_name = _("accessibility statement")

    @property
    def live_feedback_page(self) -> "ServicePage | None":
        """The feedback form in the reader's language, when it is published."""
        if self.feedback_page is None:
            return None
        page = self.feedback_page.localized
        return page if page.live else None


class AlertSeverity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    DANGER = "danger", _("Danger")


@register_setting(icon="warning")
class SiteAlert(BaseGenericSetting):
    """The banner editors put above every page, e.g. a current phishing wave.

    It shows while it is switched on and its end has not passed; the end is checked whenever a page
    is rendered, so no job has to switch it off. Readers may hide it for the rest of their browser
    session; a changed alert (another text, severity, link or end) shows again.
    """

    active = models.BooleanField(_("show the alert"), default=False)
    severity = models.CharField(_("severity"), max_length=10, choices=AlertSeverity.choices, default=AlertSeverity.WARNING)
    text = models.CharField(_("text"), max_length=300, blank=True)
    text_english = models.CharField(_("text in English"), max_length=300, blank=True,
                                    help_text=_("Shown on the English pages; leave empty to show the text above."))
    link_page = models.ForeignKey("wagtailcore.Page", verbose_name=_("link to a page"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    link_url = models.URLField(_("link to an address"), blank=True, help_text=_("Used when no page is chosen."))
    ends_at = models.DateTimeField(_("show until"), null=True, blank=True,
                                   help_text=_("Leave empty to show the alert until it is switched off."))

    panels = [
        FieldPanel("active"), FieldPanel("severity"), FieldPanel("text"), FieldPanel("text_english"),
        MultiFieldPanel([FieldPanel("link_page"), FieldPanel("link_url")], heading=_("Link (optional)")),
        FieldPanel("ends_at"),
    ]

    class Meta:
        verbose_name = _("site-wide alert")

    def clean(self) -> None:
        super().clean()
        if self.active and not self.text:
            raise ValidationError({"text": _("An alert that is shown needs a text.")})

    def is_showing(self, now: datetime.datetime | None = None) -> bool:
        """Switched on, with a text, and not yet at its end."""
        now = now or timezone.now()
        return self.active and bool(self.text) and (self.ends_at is None or now < self.ends_at)

    def localized_text(self) -> str:
        return self.text_english if (get_language() or "").startswith("en") and self.text_english else self.text

    def link(self) -> str:
        if self.link_page is not None:
            page = self.link_page.localized.specific_deferred
            if page.live:
                return page.get_url() or ""
        return self.link_url

    @property
    def version(self) -> str:
        """Changes whenever what readers see changes, so that a dismissed alert comes back once it is edited."""
        parts = [self.severity, self.text, self.text_english, str(self.link_page_id), self.link_url,
                 self.ends_at.isoformat() if self.ends_at else ""]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


class SecondPersonApprovalTask(GroupApprovalTask):
    """A group approval that the person who submitted the page cannot approve: release takes two people.

    Wagtail's GroupApprovalTask lets any member of the groups approve, including a moderator who
    submitted the page themselves. Here the submitter (the workflow's `requested_by`) keeps
    "Request changes" but gets no approve action, and an approve by them is refused in `on_action`.
    """

    class Meta:
        verbose_name = _("approval by a second person")
        verbose_name_plural = _("approvals by a second person")

    @staticmethod
    def submitter_id(obj) -> int | None:
        """The id of whoever submitted the object's current workflow, or None when no workflow runs."""
        state = getattr(obj, "current_workflow_state", None)
        return state.requested_by_id if state is not None else None

    def get_actions(self, obj, user):
        """Wagtail's actions for the groups, without approving for the submitter."""
        actions = super().get_actions(obj, user)
        if actions and user.pk is not None and user.pk == self.submitter_id(obj):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """The reviews waiting for the user, without those they submitted themselves."""
        return super().get_task_states_user_can_moderate(user, **kwargs).exclude(workflow_state__requested_by=user)

    def on_action(self, task_state: TaskState, user, action_name: str, **kwargs):
        """Refuse an approve by the submitter, whichever view or script asks for it."""
        if action_name == "approve" and user is not None and user.pk is not None \
                and user.pk == task_state.workflow_state.requested_by_id:
            raise PermissionDenied(_("A second person has to approve what you submitted."))
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve, but never the person who submitted the page")

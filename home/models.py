"""Wagtail pages: the personal dashboard, guidance, and the service pages that host request forms."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import GuidanceStreamBlock
from services.kinds import registry
from services.models import RequestStatus


def kind_choices() -> list[tuple[str, str]]:
    return registry.choices()


class HomePage(Page):
    """The start page: a personal dashboard for staff who are logged in, a welcome for everyone else."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.ServiceIndexPage", "home.GuidanceIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from services import permissions, selectors

        context = super().get_context(request, *args, **kwargs)
        locale_pages = Page.objects.live().public().filter(locale=self.locale)
        context["services"] = ServicePage.objects.live().public().filter(locale=self.locale).order_by("path")
        context["guidance_highlights"] = (
            GuidancePage.objects.live().public().filter(locale=self.locale).order_by("-first_published_at")[:3]
        )
        context["locale_pages"] = locale_pages
        if request.user.is_authenticated:
            context["open_requests"] = [
                (item, registry.get(item.kind)) for item in selectors.open_requests_of_applicant(request.user)[:10]
            ]
            context["queue_count"] = permissions.requests_decidable_by(request.user).count()
        return context

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        from services.views import private_response

        response = super().serve(request, *args, **kwargs)
        return private_response(response) if request.user.is_authenticated else response


class GuidanceIndexPage(Page):
    """Lists the guidance pages (working safely from home, recognising phishing, …)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.GuidancePage"]

    class Meta:
        verbose_name = _("guidance index")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["pages"] = GuidancePage.objects.child_of(self).live().public().order_by("title")
        return context


class GuidancePage(Page):
    """A guidance article editors write for staff, e.g. "Phishing erkennen und melden"."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(GuidanceStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["home.GuidanceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("guidance page")


class ServiceIndexPage(Page):
    """Lists the self-services staff can use."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ServicePage"]

    class Meta:
        verbose_name = _("service index")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.child_of(self).live().public().order_by("path")
        return context


class ServicePage(Page):
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

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("intro"), FieldPanel("body"),
                      FieldPanel("confirmation_text")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("service page")

    def clean(self) -> None:
        super().clean()
        if registry.get(self.kind) is None:
            raise ValidationError({"kind": _("Choose a kind of request the portal knows.")})

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        from services import permissions
        from services.views import process_request_form

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        kind = registry.get(self.kind)
        if kind is None:
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

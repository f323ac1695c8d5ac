"""The generic kind: services editors build in Wagtail from extra questions, without a deployment.

Its only typed field is a subject; everything else the applicant is asked comes from the service
page's extra questions (services.questions). Who decides is chosen by the editor on the page
(`ServicePage.decided_by`, one of the OrgUnit responsibilities). At submission that choice is fixed on
the request in `ServiceRequest.step_plan`, so that editing the page later never re-routes a running
request; routing and decisions read it through `steps_for`.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.responsibilities import RESPONSIBILITIES
from services.kinds.base import ApprovalStep, KindForm, RequestKind, registry


def responsibility_choices() -> list[tuple[str, Any]]:
    """The responsibilities an editor may name as deciding a generic service, with their labels."""
    return list(RESPONSIBILITIES)


class GenericRequest(models.Model):
    """The typed part of a request for an editor-built service: just what it is about."""

    request = models.OneToOneField("services.ServiceRequest", on_delete=models.CASCADE, primary_key=True, related_name="generic")
    subject = models.CharField(_("subject"), max_length=200)

    class Meta:
        verbose_name = _("request for an editor-built service")
        verbose_name_plural = _("requests for editor-built services")
        constraints = [models.CheckConstraint(condition=~models.Q(subject=""), name="generic_subject_not_empty")]

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        return self.subject


class GenericRequestForm(KindForm):
    class Meta:
        model = GenericRequest
        fields = ["subject"]
        help_texts = {"subject": _("In a few words, e.g. “Bicycle from 3 to 7 March for site visits”.")}


@dataclass(frozen=True)
class GenericKind(RequestKind):
    """A kind whose single approval step is named by the service page, and fixed on each request at submission."""

    def step_plan_for(self, service_page: Any) -> list[str]:
        if service_page is not None and not hasattr(service_page, "decided_by"):
            service_page = service_page.specific
        decided_by = getattr(service_page, "decided_by", "")
        return [decided_by] if decided_by in dict(responsibility_choices()) else []

    def steps_for(self, request: Any) -> tuple[ApprovalStep, ...]:
        labels = dict(responsibility_choices())
        plan = request.step_plan if isinstance(request.step_plan, list) else []
        return tuple(ApprovalStep(codename, labels[codename]) for codename in plan if codename in labels)

    def label_for(self, request: Any) -> str:
        """The name of the service the request was filed on ("Dienstfahrrad ausleihen"), in the active language.

        The page's translation in the reader's language when there is a live one; otherwise its own title.
        Lists join the page and its locale (`extra_relations`), so a row in the page's own language costs no query.
        """
        page = request.service_page if request.service_page_id else None
        if page is None:
            return str(self.label)
        language = translation.get_language() or settings.LANGUAGE_CODE
        if page.locale.language_code == language:
            return page.title
        return page.localized.title

    def detail_context(self, http_request: Any, request: Any) -> dict:
        """A barrier report shows by when it must be answered."""
        return {"answer_due": barrier_report_due(request)}


# Barrier reports (the accessibility statement's feedback form) are generic requests decided by this responsibility.
BARRIER_REPORT_RESPONSIBILITY = "handle_accessibility_feedback"


def is_barrier_report(request: Any) -> bool:
    """Whether the request is a barrier report: a generic request the editors' accessibility responsibility decides."""
    plan = request.step_plan if isinstance(request.step_plan, list) else []
    return request.kind == "generic" and BARRIER_REPORT_RESPONSIBILITY in plan


def barrier_report_due(request: Any) -> datetime.date | None:
    """§12b (4) BGG: a barrier report is answered within a month of its arrival; None for other requests."""
    if not is_barrier_report(request) or request.submitted_at is None:
        return None
    return timezone.localdate(request.submitted_at) + relativedelta(months=1)


def conciliation_body() -> dict[str, str]:
    """The conciliation body (Schlichtungsstelle nach §16 BGG) the answer to a barrier report names."""
    return dict(settings.BARRIER_CONCILIATION_BODY)


KIND = registry.register(GenericKind(
    slug="generic",
    label=_("Other service"),
    description=_("A service the editors set up with its own questions."),
    model=GenericRequest,
    form_class=GenericRequestForm,
    detail_template="services/kinds/generic.html",
    extra_relations=("service_page__locale",),
))

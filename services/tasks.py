"""Background work of the request domain, run through the Django Tasks API (django-tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task


@task()
def notify_applicant(*, request_id: int, action: str) -> int:
    """Tell the applicant by email, in their language, what happened to their request."""
    from services.models import EventAction, ServiceRequest

    request = ServiceRequest.objects.select_related("applicant").filter(pk=request_id).first()
    if request is None:
        return 0
    applicant = request.applicant
    with translation.override(applicant.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "request": request,
            "applicant": applicant,
            "action": EventAction(action).label,
            "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("services:request_detail", args=[request.reference]),
        }
        subject = render_to_string("services/email/status_subject.txt", context).strip()
        body = render_to_string("services/email/status_body.txt", context)
    return send_mail(subject, body, None, [applicant.email])

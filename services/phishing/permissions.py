"""Who may see and classify phishing reports: reporters their own reports, IT security every case.

IT security is the responsibility `review_it_security`, held on any unit (personally, through a group,
a delegation or as out-of-office substitute, as services.permissions evaluates it now). For everyone
else a case does not exist (404).
"""

from django.http import Http404

from portal.models import User
from portal.security_log import security_event
from services.permissions import effective_grants
from services.phishing.models import PhishingCase

IT_SECURITY = "review_it_security"


def user_may_triage_phishing(user: User) -> bool:
    """Whether the user acts as IT security now."""
    return any(grant.permission == IT_SECURITY for grant in effective_grants(user))


def get_case_for_user_or_404(user: User, pk: int) -> PhishingCase:
    """The case for IT security; for everyone else (reporters too: they see their own reports) a 404."""
    case = PhishingCase.objects.select_related("first_reporter", "classified_by").filter(pk=pk).first()
    if case is None or not user_may_triage_phishing(user):
        if case is not None:
            security_event("access_refused", user=user, reason="not_it_security", object="phishing_case", object_id=pk)
        raise Http404("No such case.")
    return case

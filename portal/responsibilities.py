"""The responsibilities of the city: what a person or group can be made responsible for on a unit.

Defined once, here: the OrgUnit model declares them as its object permissions (so guardian can grant
them), the HR import accepts them, the admin and the delegation pages offer them, and a generic
service page can name one as its decider. Adding a responsibility touches this list and a migration.
"""

from django.utils.translation import gettext_lazy as _

RESPONSIBILITIES = (
    ("decide_leave", _("Decide leave requests")),
    ("decide_remote_work", _("Decide remote work requests")),
    ("decide_vpn_access", _("Decide VPN access requests")),
    ("decide_equipment_loan", _("Decide equipment loans")),
    ("review_personnel", _("Review as HR (Personalamt)")),
    ("review_it_security", _("Review as IT security")),
    ("review_it_service_desk", _("Review as IT service desk")),
    ("handle_accessibility_feedback", _("Handle accessibility feedback")),
    # Pulse surveys (services.surveys): who reads a unit subtree's results, and who redacts the free text.
    ("view_survey_results", _("See pulse survey results")),
    ("redact_survey_free_text", _("Redact pulse survey free text")),
    ("handle_kummerkasten", _("Answer anonymous Kummerkasten messages")),
)

RESPONSIBILITY_CODENAMES = tuple(codename for codename, _label in RESPONSIBILITIES)


def responsibility_labels() -> dict[str, str]:
    """Codename → the person-readable name of each responsibility, in the active language."""
    return {codename: str(label) for codename, label in RESPONSIBILITIES}


def responsibility_label(codename: str) -> str:
    return responsibility_labels().get(codename, codename)

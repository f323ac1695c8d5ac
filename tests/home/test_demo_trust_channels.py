"""The demo's phishing story and coffee kitchen, on the people they name."""

from home import editorial
from home.demo.trust_channels import seed_coffee_kitchen, seed_phishing
from services.coffee.selectors import people_in_kitchen
from services.phishing.models import Classification, PhishingCase, PhishingWarning
from tests.factories import make_holder


def test_anna_reports_deniz_classifies_and_warns_and_anna_has_a_coffee(applicant, colleague, unit, site):
    editorial.guidance_workflow_assign(guidance_indexes=[site["guidance"]])
    make_holder(unit.get_parent(), "review_it_security", email="deniz.yilmaz@musterstadt.example")

    assert seed_phishing() is True
    assert seed_phishing() is False  # idempotent
    seed_coffee_kitchen()

    case = PhishingCase.objects.get()
    assert case.first_reporter == applicant and case.reports.count() == 2
    assert case.classification == Classification.PHISHING
    warning = PhishingWarning.objects.get()
    assert warning.page.current_workflow_state is not None and not warning.page.live
    assert [presence.user for presence in people_in_kitchen()] == [applicant]

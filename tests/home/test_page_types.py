"""A page type placed where it does not belong is refused."""

import pytest
from wagtail.models import Page

from home.models import (
    AccessibilityStatementPage,
    GuidanceIndexPage,
    GuidancePage,
    HomePage,
    KummerkastenFaqPage,
    ServiceIndexPage,
    ServicePage,
)


@pytest.mark.parametrize(("page_class", "parent_key", "allowed"), [
    (GuidancePage, "guidance", True),
    (GuidancePage, "home", False),
    (GuidancePage, "service_index", False),
    (ServicePage, "service_index", True),
    (ServicePage, "guidance", False),
    (GuidanceIndexPage, "guidance", False),
    (AccessibilityStatementPage, "home", True),
    (AccessibilityStatementPage, "service_index", False),
])
def test_page_types_only_below_their_parents(site, page_class, parent_key, allowed):
    parents = {"home": site["home"], "guidance": site["guidance"], "service_index": site["home"].get_children().type(
        ServiceIndexPage).first().specific}

    assert page_class.can_create_at(parents[parent_key]) is allowed


def test_guidance_pages_have_no_children_and_the_home_page_sits_at_the_root(site):
    assert GuidancePage.allowed_subpage_models() == []
    assert set(GuidanceIndexPage.allowed_subpage_models()) == {GuidancePage, KummerkastenFaqPage}
    assert set(HomePage.allowed_subpage_models()) == {ServiceIndexPage, GuidanceIndexPage, AccessibilityStatementPage}
    assert HomePage.allowed_parent_page_models() == [Page]

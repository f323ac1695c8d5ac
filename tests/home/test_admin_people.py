"""The Wagtail admin speaks to people: a searchable person chooser, responsibilities by name, yes/no in words."""

import re

from django.urls import reverse

from tests.factories import UserFactory
from tests.home.test_admin import admin, admin_client, delegation, editor_client, english  # noqa: F401 (fixtures)


def test_the_responsibility_form_chooses_the_person_by_search_not_from_a_select(admin_client):  # noqa: F811
    html = admin_client.get(reverse("orgunituserpermission:add")).content.decode()

    assert not re.search(r'<select[^>]*name="user"', html)
    assert 'name="user"' in html and reverse("person_chooser:choose") in html


def test_the_person_chooser_finds_people_by_a_few_letters(admin_client, colleague, approver):  # noqa: F811
    UserFactory(first_name="Inaktiv", last_name="Wolfram", is_active=False)
    response = admin_client.get(reverse("person_chooser:choose_results"), {"q": "wol"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Clara Wolf" in content and colleague.email in content
    assert approver.get_full_name() not in content
    assert "Wolfram" not in content  # inactive people are not offered


def test_only_administrators_may_look_people_up(editor_client, colleague):  # noqa: F811
    assert editor_client.get(reverse("person_chooser:choose_results"), {"q": "wol"}).status_code in (302, 403)


def test_delegations_show_responsibilities_by_name_and_yes_no_in_words(admin_client, delegation):  # noqa: F811
    listing = admin_client.get(reverse("delegation:index")).content.decode()
    inspect = admin_client.get(reverse("delegation:inspect", args=[delegation.pk])).content.decode()

    for content in (listing, inspect):
        assert "Decide leave requests" in content
        assert "decide_leave" not in content
        assert not re.search(r">\s*(True|False)\s*<", content)
    assert re.search(r">\s*No\s*<", inspect)


def test_the_responsibility_listing_names_the_person_column(admin_client, approver):  # noqa: F811
    html = admin_client.get(reverse("orgunituserpermission:index")).content.decode()

    headers = re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)
    assert not any(re.search(r"\bUser\b", header) for header in headers)
    assert any("person" in header.lower() for header in headers)

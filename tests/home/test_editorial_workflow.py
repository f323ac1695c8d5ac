"""Guidance goes live only after a second editor approved it (Wagtail's moderation workflow)."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState

from home import editorial
from home.models import GuidancePage
from tests.factories import UserFactory


@pytest.fixture
def workflow(site):
    return editorial.guidance_workflow_assign(guidance_indexes=[site["guidance"]])


@pytest.fixture
def eva(editor):
    editor.groups.add(Group.objects.get(name=editorial.EDITORS_GROUP))
    return editor


@pytest.fixture
def frank(db):
    frank = UserFactory(email="frank.otto@musterstadt.example", first_name="Frank", last_name="Otto", is_staff=True)
    frank.groups.add(*Group.objects.filter(name__in=[editorial.EDITORS_GROUP, editorial.MODERATORS_GROUP]))
    return frank


@pytest.fixture
def draft(site, eva):
    page = GuidancePage(title="Neue Phishing-Welle", slug="neue-phishing-welle", summary="Entwurf", live=False)
    site["guidance"].add_child(instance=page)
    page.save_revision(user=eva)
    return page


def test_every_guidance_page_gets_the_two_person_workflow(workflow, site, draft):
    assert draft.get_workflow() == workflow
    assert workflow.name == "Zwei-Personen-Freigabe"
    assert [task.specific.groups.get().name for task in workflow.tasks] == ["Moderators"]


def test_assigning_twice_changes_nothing(workflow, site):
    again = editorial.guidance_workflow_assign(guidance_indexes=[site["guidance"]])

    assert again == workflow
    assert again.workflow_tasks.count() == 1


def test_editor_submits_and_a_moderator_approves_so_the_page_goes_live(workflow, draft, eva, frank):
    state = workflow.start(draft, eva)
    task_state = state.current_task_state
    task = task_state.task.specific

    assert not GuidancePage.objects.get(pk=draft.pk).live
    assert task.get_actions(draft, eva) == []  # the author cannot approve her own page
    assert "approve" in [name for name, *_ in task.get_actions(draft, frank)]

    task.on_action(task_state, frank, "approve")

    draft.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert draft.live
    assert draft.live_revision.user == eva


def test_a_rejected_page_stays_a_draft(workflow, draft, eva, frank):
    state = workflow.start(draft, eva)
    task_state = state.current_task_state

    task_state.task.specific.on_action(task_state, frank, "reject")

    draft.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not draft.live


def test_guidance_keeps_revisions_and_can_be_scheduled(draft):
    assert draft.revisions.count() == 1
    assert {"go_live_at", "expire_at"} <= {field.name for field in GuidancePage._meta.fields}

"""Guidance goes live only after a second editor approved it (Wagtail's moderation workflow)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import GroupApprovalTask, TaskState, WorkflowState

from home import editorial
from home.models import GuidancePage, SecondPersonApprovalTask
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
def greta(db):
    """A second moderator besides Frank."""
    greta = UserFactory(email="greta.lang@musterstadt.example", first_name="Greta", last_name="Lang", is_staff=True)
    greta.groups.add(*Group.objects.filter(name__in=[editorial.EDITORS_GROUP, editorial.MODERATORS_GROUP]))
    return greta


def action_names(task, page, user) -> set[str]:
    return {name for name, *_ in task.get_actions(page, user)}


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
    assert isinstance(workflow.tasks.get().specific, SecondPersonApprovalTask)


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


def test_a_moderator_cannot_approve_what_they_submitted(workflow, site, frank, greta):
    page = GuidancePage(title="Eigener Entwurf", slug="eigener-entwurf", summary="Entwurf", live=False)
    site["guidance"].add_child(instance=page)
    page.save_revision(user=frank)
    state = workflow.start(page, frank)
    task_state = state.current_task_state
    task = task_state.task.specific

    assert action_names(task, page, frank) == {"reject"}  # he may still ask for changes, not approve
    assert task_state in TaskState.objects.reviewable_by(greta)
    assert task_state not in TaskState.objects.reviewable_by(frank)
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, frank, "approve")
    page.refresh_from_db()
    task_state.refresh_from_db()
    assert not page.live and task_state.status == TaskState.STATUS_IN_PROGRESS

    assert "approve" in action_names(task, page, greta)
    task.on_action(task_state, greta, "approve")

    page.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED and page.live


def test_an_editor_submits_but_cannot_approve(workflow, draft, eva, frank):
    state = workflow.start(draft, eva)
    task_state = state.current_task_state
    task = task_state.task.specific

    assert state.requested_by == eva
    assert action_names(task, draft, eva) == set()
    assert task_state not in TaskState.objects.reviewable_by(eva)
    assert "approve" in action_names(task, draft, frank)


def test_the_submitter_is_refused_in_the_admin_too(workflow, site, frank, greta, client_for):
    page = GuidancePage(title="Eigener Entwurf", slug="eigener-entwurf", summary="Entwurf", live=False)
    site["guidance"].add_child(instance=page)
    page.save_revision(user=frank)
    task_state = workflow.start(page, frank).current_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])

    client_for(frank).post(approve, {"comment": ""})
    page.refresh_from_db()
    assert not page.live

    client_for(greta).post(approve, {"comment": ""})
    page.refresh_from_db()
    assert page.live


def test_an_existing_plain_group_approval_is_turned_into_a_second_person_approval(site, frank):
    moderators = Group.objects.get(name=editorial.MODERATORS_GROUP)
    old = GroupApprovalTask.objects.create(name=editorial.GUIDANCE_APPROVAL_TASK_NAME)
    old.groups.add(moderators)
    workflow = editorial.guidance_workflow_assign(guidance_indexes=[site["guidance"]])

    task = workflow.tasks.get().specific
    assert isinstance(task, SecondPersonApprovalTask) and task.pk == old.pk
    assert list(task.groups.all()) == [moderators]
    assert GroupApprovalTask.objects.filter(name=editorial.GUIDANCE_APPROVAL_TASK_NAME).count() == 1
    assert editorial.guidance_workflow_assign(guidance_indexes=[site["guidance"]]).tasks.get().pk == old.pk

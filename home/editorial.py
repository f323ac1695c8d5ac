"""The editorial setup: the two-person approval of guidance, and what the editors' groups may do.

Wagtail brings the groups "Editors" (write, submit for approval) and "Moderators" (approve, publish).
Guidance goes live only after a second person approved it: the workflow "Zwei-Personen-Freigabe"
is assigned to the guidance index of every language, and Wagtail applies a page's nearest
workflow to everything below it. Its task is a SecondPersonApprovalTask, so a moderator cannot
approve a page they submitted themselves.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import GroupApprovalTask, Page, Task, Workflow, WorkflowPage, WorkflowTask

from home.models import SecondPersonApprovalTask

GUIDANCE_WORKFLOW_NAME = "Zwei-Personen-Freigabe"
GUIDANCE_APPROVAL_TASK_NAME = "Freigabe durch die Redaktion"
EDITORS_GROUP = "Editors"
MODERATORS_GROUP = "Moderators"

# Editors set the site-wide alert and may look at (not change) org units in the admin. Delegations, with
# their reasons, are seen only by those who gave, received or administer them.
EDITOR_PERMISSIONS = (
    ("home", "change_sitealert"),
    ("services", "change_coffeekitchensettings"),
    ("portal", "view_orgunit"),
    # The topics staff choose from in the Kummerkasten (never its messages, which only handlers read).
    ("services", "add_kummerkastentopic"),
    ("services", "change_kummerkastentopic"),
    ("services", "view_kummerkastentopic"),
    # Pulse surveys (services.surveys): editors define them and their rounds; the answers are never theirs to see.
    ("services", "add_survey"),
    ("services", "change_survey"),
    ("services", "view_survey"),
    # The letterhead of decision documents (services.documents): the city's name, address and logo.
    ("services", "change_letterhead"),
)


@transaction.atomic
def guidance_workflow_assign(*, guidance_indexes: list[Page]) -> Workflow:
    """Create the two-person approval (once) and make it the workflow of the given guidance indexes."""
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    task = SecondPersonApprovalTask.objects.filter(name=GUIDANCE_APPROVAL_TASK_NAME).first()
    if task is None:
        earlier = GroupApprovalTask.objects.filter(name=GUIDANCE_APPROVAL_TASK_NAME).first()
        if earlier is not None:
            task = _second_person_task_from(earlier)
        else:
            task = SecondPersonApprovalTask.objects.create(name=GUIDANCE_APPROVAL_TASK_NAME)
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(name=GUIDANCE_WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for index in guidance_indexes:
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow


def _second_person_task_from(task: GroupApprovalTask) -> SecondPersonApprovalTask:
    """Turn a plain group approval (set up before the second-person rule) into a SecondPersonApprovalTask in place.

    The task keeps its id, groups and workflows, so pages in moderation now follow the new rule at once.
    """
    second = SecondPersonApprovalTask(groupapprovaltask_ptr_id=task.pk, task_ptr_id=task.pk)
    second.save_base(raw=True)  # only the new table's row; the task and its group approval rows stay as they are
    Task.objects.filter(pk=task.pk).update(content_type=ContentType.objects.get_for_model(SecondPersonApprovalTask))
    return SecondPersonApprovalTask.objects.get(pk=task.pk)


def editor_permissions_grant() -> None:
    """Give Wagtail's Editors and Moderators groups the portal's editorial permissions."""
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in EDITOR_PERMISSIONS
    ]
    for name in (EDITORS_GROUP, MODERATORS_GROUP):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)

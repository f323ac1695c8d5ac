"""Who handles which Kummerkasten messages, and what each side sees of a conversation.

A message belongs to its topic's unit, or to the city's root unit when the topic names none. Whoever can
exercise ``handle_kummerkasten`` on that unit or above (held, through a group, delegated or as
out-of-office substitute: services.permissions.effective_grants) handles it. Handlers see a day's
messages and replies from the next day on, all at once.
"""

import datetime
import uuid

from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portal.models import OrgUnit, User
from services.kummerkasten.models import KummerkastenMessage, KummerkastenPost, KummerkastenTopic, PostAuthor
from services.permissions import effective_grants

HANDLER_PERMISSION = "handle_kummerkasten"


def release_day() -> datetime.date:
    """Texts written before this day have been released to the handlers (the daily batch)."""
    return timezone.localdate()


def topics_offered() -> QuerySet[KummerkastenTopic]:
    return KummerkastenTopic.objects.filter(active=True)


def handler_unit_paths(user: User) -> list[str]:
    return [grant.unit_path for grant in effective_grants(user) if grant.permission == HANDLER_PERMISSION]


def user_handles_kummerkasten(user: User) -> bool:
    return bool(handler_unit_paths(user))


def _released_posts(prefix: str = "") -> Q:
    return Q(**{f"{prefix}author": PostAuthor.HANDLER}) | Q(**{f"{prefix}written_on__lt": release_day()})


def messages_handled_by(user: User) -> QuerySet[KummerkastenMessage]:
    """The released messages of every topic the user handles, newest day first, with their latest released post."""
    paths = handler_unit_paths(user)
    if not paths:
        return KummerkastenMessage.objects.none()
    root = OrgUnit.get_first_root_node()
    covered = Q()
    for path in paths:
        covered |= Q(topic__unit__path__startswith=path)
        if root is not None and root.path.startswith(path):
            covered |= Q(topic__unit__isnull=True)
    return (KummerkastenMessage.objects.filter(covered, received_on__lt=release_day()).select_related("topic")
            .annotate(last_released_on=Max("posts__written_on", filter=_released_posts("posts__"))))


def get_message_for_handler_or_404(user: User, pk: uuid.UUID) -> KummerkastenMessage:
    message = messages_handled_by(user).filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def posts_for_handler(message: KummerkastenMessage) -> QuerySet[KummerkastenPost]:
    return message.posts.filter(_released_posts()).defer("attachment")


def posts_for_writer(message: KummerkastenMessage) -> QuerySet[KummerkastenPost]:
    return message.posts.defer("attachment")


def handler_messages_with_posts(user: User) -> QuerySet[KummerkastenMessage]:
    return messages_handled_by(user).prefetch_related(
        Prefetch("posts", queryset=KummerkastenPost.objects.filter(_released_posts()).defer("attachment")))

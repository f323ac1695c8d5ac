"""Every change to pulse surveys: scheduling rounds, answering, closing a round, redacting free text.

Answering records participation and a sealed pending answer in one transaction and nothing else — no
audit event, no log line, no notification, because each of those would carry the person and the moment
beside the answer. Closing opens the round's pending answers, shuffles them and inserts them in one batch.
"""

from __future__ import annotations

import datetime
import random

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.security_log import security_event
from services.surveys import sealing
from services.surveys.models import (
    SCALE_MAX,
    SCALE_MIN,
    FreeTextStatus,
    PendingSurveyAnswer,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyRound,
)
from services.surveys.selectors import free_texts_for_handler

FREE_TEXT_MAX_CHARS = 2000


class SurveyAnswerRefused(Exception):
    """An answer the portal does not take, with the reason for the person (`reason` for code and log)."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason


def survey_rounds_schedule(*, survey: Survey) -> list[SurveyRound]:
    """Create the rounds the survey's schedule names and that do not exist yet; rounds that have opened stay as they are."""
    today = timezone.localdate()
    rounds = []
    with transaction.atomic():
        existing = {item.number: item for item in SurveyRound.objects.select_for_update().filter(survey=survey)}
        for number in range(1, survey.round_count + 1):
            opens_on = survey.first_round_opens_on + datetime.timedelta(days=(number - 1) * survey.round_every_days)
            last_day = opens_on + datetime.timedelta(days=survey.round_open_days - 1)
            current = existing.get(number)
            if current is None:
                current = SurveyRound.objects.create(survey=survey, number=number, opens_on=opens_on, last_day=last_day)
            elif current.opens_on > today and not current.closed:
                current.opens_on, current.last_day = opens_on, last_day
                current.save(update_fields=["opens_on", "last_day"])
            rounds.append(current)
        # Rounds beyond a shortened schedule go, unless they have opened already.
        SurveyRound.objects.filter(survey=survey, number__gt=survey.round_count, opens_on__gt=today).delete()
    return rounds


def _checked_scores(survey: Survey, scores: dict[int, int]) -> dict[str, int]:
    category_ids = set(survey.categories.values_list("pk", flat=True))
    if set(scores) != category_ids:
        raise SurveyAnswerRefused(_("Please answer every question."), reason="incomplete")
    if any(not isinstance(value, int) or not SCALE_MIN <= value <= SCALE_MAX for value in scores.values()):
        raise SurveyAnswerRefused(_("Each answer is a number from 1 to 5."), reason="out_of_scale")
    return {str(category_id): value for category_id, value in sorted(scores.items())}


def survey_answer_submit(*, survey_round: SurveyRound, user: User, scores: dict[int, int], free_text: str = "",
                         today: datetime.date | None = None) -> None:
    """Take one person's answer to an open round, once: participation in the clear, the answer sealed and unlinked."""
    today = today or timezone.localdate()
    if not user.is_active or user.unit_id is None:
        raise SurveyAnswerRefused(_("Only members of staff who belong to a unit take part in pulse surveys."),
                                  reason="not_eligible")
    free_text = (free_text or "").strip()
    if free_text and not survey_round.survey.free_text_question:
        raise SurveyAnswerRefused(_("This survey asks for no free text."), reason="free_text_not_asked")
    if len(free_text) > FREE_TEXT_MAX_CHARS:
        raise SurveyAnswerRefused(_("Please write at most %(count)d characters.") % {"count": FREE_TEXT_MAX_CHARS},
                                  reason="free_text_too_long")
    checked = _checked_scores(survey_round.survey, scores)
    with transaction.atomic():
        locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
        if locked.closed or today > locked.last_day:
            raise SurveyAnswerRefused(_("This round has closed; answers are no longer taken."), reason="closed")
        if today < locked.opens_on:
            raise SurveyAnswerRefused(_("This round has not opened yet."), reason="not_open")
        try:
            with transaction.atomic():
                SurveyParticipation.objects.create(round=locked, user=user)
        except IntegrityError:
            raise SurveyAnswerRefused(_("You have already answered this round. Each person answers once per round."),
                                      reason="replayed") from None
        payload = {"unit": user.unit_id, "scores": checked, "text": free_text}
        PendingSurveyAnswer.objects.create(round=locked, sealed=sealing.seal(payload, round_id=locked.pk))


def survey_round_close(*, survey_round: SurveyRound, today: datetime.date | None = None) -> int:
    """Release a round whose last day has passed: its answers, shuffled, in one batch. Returns how many."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
        if locked.closed:
            return 0
        if today <= locked.last_day:
            raise ValueError("A round closes only after its last day.")
        pending = list(PendingSurveyAnswer.objects.filter(round=locked))
        answers = []
        for item in pending:
            payload = sealing.unseal(item.sealed, round_id=locked.pk)
            answers.append(SurveyAnswer(
                round=locked, unit_id=payload["unit"], scores=payload["scores"], free_text=payload["text"],
                free_text_status=FreeTextStatus.PENDING if payload["text"] else FreeTextStatus.NONE,
            ))
        random.SystemRandom().shuffle(answers)
        SurveyAnswer.objects.bulk_create(answers)
        PendingSurveyAnswer.objects.filter(round=locked).delete()
        locked.closed = True
        locked.save(update_fields=["closed"])
        survey_round.closed = True
        transaction.on_commit(lambda: security_event(
            "survey_round_closed", survey=locked.survey_id, round=locked.number, answers=len(answers)))
    return len(answers)


def survey_rounds_close_due(*, today: datetime.date | None = None) -> int:
    """Close every round whose last day has passed (daily, `manage.py close_survey_rounds`). Returns how many rounds."""
    today = today or timezone.localdate()
    due = SurveyRound.objects.filter(closed=False, last_day__lt=today)
    for survey_round in due:
        survey_round_close(survey_round=survey_round, today=today)
    return len(due)


def survey_free_text_redact(*, answer: SurveyAnswer, actor: User, text: str, release: bool) -> SurveyAnswer:
    """A handler's decision on one free text: release it as redacted, or withhold it. The text as written goes."""
    with transaction.atomic():
        locked = free_texts_for_handler(actor).select_for_update().filter(pk=answer.pk).first()
        if locked is None:
            raise SurveyAnswer.DoesNotExist
        text = (text or "").strip()
        if release and not text:
            raise SurveyAnswerRefused(_("A released free text cannot be empty; withhold it instead."), reason="empty")
        locked.free_text_redacted = text[:FREE_TEXT_MAX_CHARS] if release else ""
        locked.free_text_status = FreeTextStatus.RELEASED if release else FreeTextStatus.WITHHELD
        locked.free_text = ""
        locked.save(update_fields=["free_text_redacted", "free_text_status", "free_text"])
        transaction.on_commit(lambda: security_event(
            "survey_free_text_redacted", user=actor, survey=locked.round.survey_id, round=locked.round.number,
            outcome=locked.free_text_status))
    return locked

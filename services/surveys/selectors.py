"""Reads of pulse surveys: what a person can answer now, who reads which results, and the results themselves.

Results are computed for every unit of the city at once and suppressed by one rule
(services.surveys.suppression), and only then narrowed to what the reader may see: two readers who
put their pages side by side learn nothing that one shown group does not already tell.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.models import OrgUnit, User
from services.permissions import effective_grants
from services.surveys.models import FreeTextStatus, Survey, SurveyAnswer, SurveyCategory, SurveyParticipation, SurveyRound
from services.surveys.suppression import Group, shown_groups

RESULTS_RESPONSIBILITY = "view_survey_results"
REDACTION_RESPONSIBILITY = "redact_survey_free_text"


def minimum_group_size() -> int:
    return settings.SURVEY_MIN_GROUP_SIZE


def rounds_open_for(user: User, *, today: datetime.date | None = None) -> QuerySet[SurveyRound]:
    """The rounds running today, each with `answered`: whether this person has taken part (never what they answered)."""
    today = today or timezone.localdate()
    return (SurveyRound.objects.filter(closed=False, opens_on__lte=today, last_day__gte=today)
            .select_related("survey")
            .annotate(answered=Exists(SurveyParticipation.objects.filter(round=OuterRef("pk"), user=user.pk)))
            .order_by("last_day", "survey__title"))


def responsibility_paths(user: User, codename: str) -> list[str]:
    """The unit subtrees (materialised paths) for which the user can exercise `codename` now."""
    return sorted({grant.unit_path for grant in effective_grants(user) if grant.permission == codename})


def _under(paths: list[str], field_name: str) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field_name}__startswith": path})
    return condition


def surveys_with_results_for(user: User) -> QuerySet[Survey]:
    """Surveys with a closed round, for those who may read results somewhere (unit heads, HR, the staff council)."""
    if not responsibility_paths(user, RESULTS_RESPONSIBILITY):
        return Survey.objects.none()
    return Survey.objects.filter(rounds__closed=True).distinct()


def free_texts_for_handler(user: User) -> QuerySet[SurveyAnswer]:
    """Free texts of closed rounds waiting for redaction, from the units the handler is responsible for."""
    paths = responsibility_paths(user, REDACTION_RESPONSIBILITY)
    if not paths:
        return SurveyAnswer.objects.none()
    return (SurveyAnswer.objects.filter(round__closed=True, free_text_status=FreeTextStatus.PENDING)
            .filter(_under(paths, "unit__path")).select_related("round__survey"))


@dataclass
class RoundResult:
    survey_round: SurveyRound
    shown: bool
    count: int | None = None
    means: list[float | None] = field(default_factory=list)
    free_texts: list[str] = field(default_factory=list)


@dataclass
class UnitResult:
    unit: OrgUnit
    rounds: list[RoundResult]
    chart: object = None

    @property
    def any_shown(self) -> bool:
        return any(item.shown for item in self.rounds)


@dataclass
class SurveyResults:
    survey: Survey
    categories: list[SurveyCategory]
    rounds: list[SurveyRound]
    units: list[UnitResult]
    units_without_results: list[UnitResult]
    k: int


def _ancestor_paths(path: str) -> list[str]:
    step = OrgUnit.steplen
    return [path[:length] for length in range(step, len(path) + 1, step)]


def survey_results(survey: Survey, user: User) -> SurveyResults | None:
    """The results of the survey's closed rounds for the units the user may read, suppressed; None if they read none."""
    paths = responsibility_paths(user, RESULTS_RESPONSIBILITY)
    if not paths:
        return None
    k = minimum_group_size()
    categories = list(survey.categories.all())
    rounds = list(survey.rounds.filter(closed=True).order_by("number"))
    units_by_path = {unit.path: unit for unit in OrgUnit.objects.all()}
    answers = SurveyAnswer.objects.filter(round__in=rounds).values_list(
        "round_id", "unit__path", "scores", "free_text_status", "free_text_redacted")
    # Per (round, unit path): how many answered in that unit subtree, the scores, the released texts.
    counts: dict[tuple, int] = defaultdict(int)
    sums: dict[tuple, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    texts: dict[tuple, list[str]] = defaultdict(list)
    for round_id, unit_path, scores, status, redacted in answers:
        if unit_path is None:
            continue
        for path in _ancestor_paths(unit_path):
            key = (round_id, path)
            counts[key] += 1
            for category_id, value in scores.items():
                sums[key][category_id].append(value)
            if status == FreeTextStatus.RELEASED:
                texts[key].append(redacted)
    by_id = {item.pk: item for item in rounds}
    groups = [Group(round_id=round_id, unit_id=path, path=path, count=count, opens_on=by_id[round_id].opens_on,
                    last_day=by_id[round_id].last_day) for (round_id, path), count in counts.items()]
    shown = shown_groups(groups, k=k)
    visible = sorted((unit for path, unit in units_by_path.items() if any(path.startswith(prefix) for prefix in paths)),
                     key=lambda unit: unit.path)
    results, without = [], []
    for unit in visible:
        row = []
        for survey_round in rounds:
            key = (survey_round.pk, unit.path)
            if key not in shown:
                row.append(RoundResult(survey_round=survey_round, shown=False))
                continue
            means = [round(sum(values) / len(values), 1) if (values := sums[key].get(str(category.pk))) else None
                     for category in categories]
            row.append(RoundResult(survey_round=survey_round, shown=True, count=counts[key], means=means,
                                   free_texts=sorted(texts[key])))
        # A unit without anything shown is listed by name alone, whether anyone there answered or not.
        (results if any(item.shown for item in row) else without).append(UnitResult(unit=unit, rounds=row))
    return SurveyResults(survey=survey, categories=categories, rounds=rounds, units=results, units_without_results=without, k=k)

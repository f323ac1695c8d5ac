"""Pulse surveys: what editors define, the rounds, who took part, and the answers — kept apart.

Participation (who answered a round) and answers (what was answered) live in separate tables with no key
between them. While a round runs, answers wait sealed (encrypted, services.surveys.sealing) in
PendingSurveyAnswer, which holds neither person nor time; when the round closes they are opened, shuffled
and inserted into SurveyAnswer in one batch, and the pending rows are deleted. An answer's only time is its
round.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

SCALE_MIN = 1
SCALE_MAX = 5


class Survey(ClusterableModel):
    """A pulse survey editors define in the Wagtail admin (a snippet): its categories and its schedule of rounds.

    A snippet rather than a page: a survey is structured data with rounds and answers, not content in the page
    tree; staff answer it on the portal's own pages (/surveys/), and the page tree stays the editors' guidance.
    """

    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the questions."))
    free_text_question = models.CharField(
        _("free-text question"), max_length=300, blank=True,
        help_text=_("Leave empty for no free text. Free text is shown to result readers only after a handler redacted it."),
    )
    first_round_opens_on = models.DateField(_("first round opens on"))
    round_every_days = models.PositiveSmallIntegerField(
        _("a new round every (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(366)])
    round_open_days = models.PositiveSmallIntegerField(
        _("each round open for (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(366)])
    round_count = models.PositiveSmallIntegerField(
        _("number of rounds"), default=6, validators=[MinValueValidator(1), MaxValueValidator(100)])

    panels = [
        FieldPanel("title"),
        FieldPanel("introduction"),
        InlinePanel("categories", label=_("categories"), min_num=1),
        FieldPanel("free_text_question"),
        MultiFieldPanel([
            FieldPanel("first_round_opens_on"), FieldPanel("round_every_days"), FieldPanel("round_open_days"),
            FieldPanel("round_count"),
        ], heading=_("schedule of rounds")),
    ]

    class Meta:
        verbose_name = _("pulse survey")
        verbose_name_plural = _("pulse surveys")
        ordering = ["-first_round_opens_on", "title"]

    def __str__(self) -> str:
        return self.title


class SurveyCategory(Orderable):
    """One question of a survey (workload, equipment, contact with the team, health), answered on a 1–5 scale."""

    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("category"), max_length=100)
    question = models.CharField(_("question"), max_length=300, help_text=_("e.g. “How manageable was your workload?”"))

    panels = [FieldPanel("name"), FieldPanel("question")]

    class Meta(Orderable.Meta):
        verbose_name = _("survey category")
        verbose_name_plural = _("survey categories")

    def __str__(self) -> str:
        return self.name


class SurveyRound(models.Model):
    """One round of a survey: open from `opens_on` through `last_day`; each member of staff answers once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    opens_on = models.DateField(_("opens on"))
    last_day = models.DateField(_("last day"))
    closed = models.BooleanField(_("closed"), default=False, help_text=_("Answers released in one shuffled batch."))

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="services_survey_round_unique"),
            models.CheckConstraint(condition=models.Q(last_day__gte=models.F("opens_on")), name="services_survey_round_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.number}"

    def overlaps(self, other: "SurveyRound") -> bool:
        return self.opens_on <= other.last_day and other.opens_on <= self.last_day


class SurveyParticipation(models.Model):
    """That a person answered a round — and nothing else: no answer, no time. Makes the answer once-only."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations")

    class Meta:
        verbose_name = _("survey participation")
        verbose_name_plural = _("survey participations")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="services_survey_participation_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.round}"


class PendingSurveyAnswer(models.Model):
    """An answer waiting for its round to close, sealed: the unit, scores and free text are encrypted, the key
    is not in the database. A random key, no person, no time; deleted when the round closes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("pending survey answer")
        verbose_name_plural = _("pending survey answers")

    def __str__(self) -> str:
        return str(self.pk)


class FreeTextStatus(models.TextChoices):
    NONE = "none", _("No free text")
    PENDING = "pending", _("Waiting for redaction")
    RELEASED = "released", _("Released (redacted)")
    WITHHELD = "withheld", _("Withheld")


class SurveyAnswer(models.Model):
    """One released answer: its round, the unit of whoever answered, the scores — never who, never when.

    Inserted in one shuffled batch when the round closes, so neither the key nor the order tells anything.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey("portal.OrgUnit", on_delete=models.SET_NULL, null=True, related_name="+")
    scores = models.JSONField(_("scores"), default=dict, help_text=_("Category id → 1–5."))
    free_text = models.TextField(_("free text as written"), blank=True)
    free_text_redacted = models.TextField(_("free text as released"), blank=True)
    free_text_status = models.CharField(max_length=10, choices=FreeTextStatus.choices, default=FreeTextStatus.NONE)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(condition=models.Q(free_text_status__in=FreeTextStatus.values),
                                   name="services_survey_answer_free_text_status_valid"),
        ]

    def __str__(self) -> str:
        return str(self.pk)

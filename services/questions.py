"""Extra questions editors add to a service page: form fields, checked answers, and a snapshot per request.

Editors add questions (home.blocks.QuestionStreamBlock) beside a kind's typed fields, never instead
of them. This module

- reads a page's questions defensively from the stored StreamField data (an unknown type, a missing
  label or a malformed value is skipped, never trusted),
- builds a Django form for them (prefix "extra", so their names never meet the kind's field names),
  which checks each answer like a typed field,
- turns the answers into JSON stored in `ServiceRequest.extra_answers` **with the questions as they
  were asked**: `{"questions": [{"id", "type", "label", "help_text", "required", "options", "answer"}]}`.
  The request keeps its questions however the page changes later; a file answer is an Attachment of
  the request, referred to by id,
- and reads that snapshot back as label → answer rows for the request page (all text, escaped there).
"""

import datetime
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from services.attachments import attachment_create, attachment_validate
from services.kinds.base import DateInput
from services.models import Attachment, ServiceRequest

logger = logging.getLogger(__name__)

FORM_PREFIX = "extra"
DRAFT_KEY = "_extra"  # where a draft keeps the raw answers, beside the kind's own fields in draft_data
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_QUESTIONS = 50
MAX_OPTIONS = 50
LABEL_MAX_LENGTH = 200
HELP_TEXT_MAX_LENGTH = 300
SHORT_TEXT_MAX_LENGTH = 300
LONG_TEXT_MAX_LENGTH = 5000


class QuestionType(models.TextChoices):
    """The block types of QuestionStreamBlock; a stored question of any other type is ignored."""

    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")
    NUMBER = "number", pgettext_lazy("type of an extra question", "Number")
    YES_NO = "yes_no", _("Yes or no")
    FILE = "file", _("File")


@dataclass(frozen=True)
class Question:
    """One extra question, as read from a page or from a request's snapshot."""

    id: str
    type: str
    label: str
    help_text: str = ""
    required: bool = False
    options: tuple[str, ...] = ()
    # Rules of a date question: not before today, and not before the answer to the date question so worded.
    not_in_past: bool = False
    not_before: str = ""

    def as_snapshot(self, answer: Any) -> dict[str, Any]:
        snapshot = {"id": self.id, "type": self.type, "label": self.label, "help_text": self.help_text,
                    "required": self.required, "options": list(self.options), "answer": answer}
        if self.type == QuestionType.DATE:
            snapshot.update(not_in_past=self.not_in_past, not_before=self.not_before)
        return snapshot


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _options(value: Any) -> tuple[str, ...]:
    """Choice options from a ListBlock's raw form ([{"type": "item", "value": …}] or plain strings)."""
    if not isinstance(value, list):
        return ()
    options: list[str] = []
    for item in value[:MAX_OPTIONS]:
        text = _text(item.get("value") if isinstance(item, dict) else item, LABEL_MAX_LENGTH)
        if text and text not in options:
            options.append(text)
    return tuple(options)


def _question(question_id: Any, question_type: Any, value: Any) -> Question | None:
    """A Question from stored data, or None if anything about it is not what a question looks like."""
    if question_type not in QuestionType.values:
        logger.warning("Ignoring an extra question of unknown type %r.", question_type)
        return None
    if not isinstance(value, dict) or not isinstance(question_id, str) or not ID_PATTERN.fullmatch(question_id):
        return None
    label = _text(value.get("label"), LABEL_MAX_LENGTH)
    options = _options(value.get("options")) if question_type == QuestionType.CHOICE else ()
    if not label or (question_type == QuestionType.CHOICE and not options):
        return None
    rules = {}
    if question_type == QuestionType.DATE:
        rules = {"not_in_past": value.get("not_in_past") is True, "not_before": _text(value.get("not_before"), LABEL_MAX_LENGTH)}
    return Question(id=question_id, type=question_type, label=label, help_text=_text(value.get("help_text"), HELP_TEXT_MAX_LENGTH),
                    required=value.get("required") is True, options=options, **rules)


def _unique(questions: Iterable[Question | None]) -> list[Question]:
    seen: set[str] = set()
    unique = []
    for question in questions:
        if question is not None and question.id not in seen:
            seen.add(question.id)
            unique.append(question)
    return unique[:MAX_QUESTIONS]


def page_questions(page: Any) -> list[Question]:
    """The extra questions asked on a service page: its own, then those its translations ask that it lacks.

    A question an editor added in one language only is asked in the other too, in the wording it has
    there, so that an English applicant is asked everything a German one is (and the other way round).
    """
    own = own_questions(page)
    return _unique([*own, *missing_questions(page, own=own)])


def missing_questions(page: Any, *, own: list[Question] | None = None) -> list[Question]:
    """The questions the page's live translations ask and the page itself does not (the same block id), in their wording."""
    translations = getattr(page, "get_translations", None)
    if page is None or translations is None:
        return []
    known = {question.id for question in (own_questions(page) if own is None else own)}
    missing = []
    for translation in translations().live().specific().order_by("locale__language_code"):
        for question in own_questions(translation):
            if question.id not in known:
                known.add(question.id)
                missing.append(question)
    return missing


def own_questions(page: Any) -> list[Question]:
    """The extra questions of a service page itself (empty for a page without any), read from the raw stream data."""
    stream = getattr(page.specific if page is not None else None, "questions", None)
    if not stream:
        return []
    try:
        raw = list(stream.raw_data)
    except (AttributeError, KeyError, TypeError, ValueError):
        logger.warning("The extra questions of page %s cannot be read.", getattr(page, "pk", None))
        return []
    return _unique(
        _question(item.get("id"), item.get("type"), item.get("value")) if isinstance(item, dict) else None for item in raw
    )


def _snapshot_entries(extra_answers: Any) -> list[dict]:
    entries = extra_answers.get("questions") if isinstance(extra_answers, dict) else None
    return [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []


def snapshot_questions(extra_answers: Any) -> list[Question]:
    """The questions a request was asked, from its snapshot."""
    return _unique(_question(entry.get("id"), entry.get("type"), entry) for entry in _snapshot_entries(extra_answers))


def snapshot_answers(extra_answers: Any) -> dict[str, Any]:
    """Question id → stored answer, from a request's snapshot."""
    return {entry["id"]: entry.get("answer") for entry in _snapshot_entries(extra_answers) if isinstance(entry.get("id"), str)}


# --- The form --------------------------------------------------------------------------------------

YES, NO = "yes", "no"


def _yes_no(value: str) -> bool:
    return value == YES


def _is_file_answer(answer: Any) -> bool:
    return isinstance(answer, dict) and isinstance(answer.get("attachment_id"), int) and not isinstance(answer["attachment_id"], bool)


def _form_field(question: Question, previous: Any) -> forms.Field:
    common = {"label": question.label, "help_text": question.help_text, "required": question.required}
    match question.type:
        case QuestionType.SHORT_TEXT:
            return forms.CharField(max_length=SHORT_TEXT_MAX_LENGTH, **common)
        case QuestionType.LONG_TEXT:
            return forms.CharField(max_length=LONG_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), **common)
        case QuestionType.CHOICE:
            return forms.ChoiceField(choices=[(option, option) for option in question.options], widget=forms.RadioSelect,
                                     error_messages={"invalid_choice": _("Choose one of the options given.")}, **common)
        case QuestionType.DATE:
            attrs = {"min": timezone.localdate().isoformat()} if question.not_in_past else None
            return forms.DateField(widget=DateInput(attrs=attrs), **common)
        case QuestionType.NUMBER:
            return forms.DecimalField(max_digits=15, decimal_places=4, **common)
        case QuestionType.YES_NO:
            return forms.TypedChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], coerce=_yes_no, empty_value=None,
                                          widget=forms.RadioSelect, **common)
        case QuestionType.FILE:
            if _is_file_answer(previous):
                # Handed in before (the request was sent back for changes): keep it unless a new file replaces it.
                common["required"] = False
                common["help_text"] = " ".join(filter(None, [question.help_text, gettext(
                    "Already handed in: %(name)s. Choose a file only to replace it.") % {"name": previous.get("name", "")}]))
            return forms.FileField(max_length=200, validators=[attachment_validate], widget=forms.FileInput, **common)
    raise ValueError(f"Unknown question type {question.type!r}")


def _initial(question: Question, answer: Any) -> Any:
    """What a stored answer looks like in the form again (for a request sent back for changes)."""
    if question.type == QuestionType.YES_NO and isinstance(answer, bool):
        return YES if answer else NO
    if question.type == QuestionType.FILE or answer is None:
        return None
    return answer


def _json_answer(question: Question, value: Any) -> Any:
    """The cleaned value as JSON: text, an ISO date, a number, true/false, or None when left out."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class QuestionForm(forms.Form):
    """The extra questions as a form of their own, rendered below the kind's form and checked with it.

    `previous` holds the answers given before (by question id), used when a request sent back for
    changes is resubmitted: its answers are shown again, and a file handed in then is kept unless
    replaced.
    """

    prefix = FORM_PREFIX

    def __init__(self, *args, questions: list[Question], previous: Mapping[str, Any] | None = None, **kwargs) -> None:
        self.questions = questions
        self.previous = dict(previous or {})
        initial = {question.id: _initial(question, self.previous.get(question.id)) for question in questions}
        kwargs["initial"] = {**initial, **{key: value for key, value in (kwargs.get("initial") or {}).items() if value}}
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question.id] = _form_field(question, self.previous.get(question.id))

    def clean(self) -> dict[str, Any]:
        """The rules editors stated between date questions, each error at its field like a typed field's."""
        cleaned = super().clean()
        dates = {question.label.casefold(): question for question in self.questions if question.type == QuestionType.DATE}
        today = timezone.localdate()
        for question in dates.values():
            value = cleaned.get(question.id)
            if not isinstance(value, datetime.date) or question.id in self.errors:
                continue
            if question.not_in_past and value < today:
                self.add_error(question.id, gettext("The date must not be in the past."))
                continue
            earlier = dates.get(question.not_before.casefold()) if question.not_before else None
            other = cleaned.get(earlier.id) if earlier is not None and earlier.id != question.id else None
            if isinstance(other, datetime.date) and value < other:
                self.add_error(question.id, gettext("The date (%(date)s) must not be before the answer to “%(question)s”"
                                                    " (%(other)s).") % {
                    "date": value.strftime("%d.%m.%Y"), "question": earlier.label, "other": other.strftime("%d.%m.%Y")})
        return cleaned

    def answers(self) -> dict[str, Any]:
        """The snapshot to store: every question as asked, with its checked answer.

        A newly uploaded file is not an answer yet: `extra_answers_attach_files` stores it as an
        attachment of the request and puts its id in.
        """
        snapshot = []
        for question in self.questions:
            value = self.cleaned_data.get(question.id)
            if question.type == QuestionType.FILE:
                previous = self.previous.get(question.id)
                answer = None if value else (previous if _is_file_answer(previous) else None)
            else:
                answer = _json_answer(question, value)
            snapshot.append(question.as_snapshot(answer))
        return {"questions": snapshot}

    def uploaded_files(self) -> dict[str, UploadedFile]:
        return {question.id: self.cleaned_data[question.id] for question in self.questions
                if question.type == QuestionType.FILE and self.cleaned_data.get(question.id)}


def extra_answers_attach_files(*, request: ServiceRequest, answers: dict, files: Mapping[str, UploadedFile], actor) -> dict:
    """Store each uploaded file as an attachment of the request and put its id into the answer to its question."""
    for entry in _snapshot_entries(answers):
        uploaded = files.get(entry.get("id"))
        if uploaded is not None and entry.get("type") == QuestionType.FILE:
            attachment = attachment_create(request=request, uploaded=uploaded, uploaded_by=actor)
            entry["answer"] = {"attachment_id": attachment.pk, "name": attachment.original_name, "size": attachment.size}
    return answers


# --- Showing the answers ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerRow:
    """One question and its answer, ready for a description list; `text` is plain text (escaped when shown)."""

    label: str
    text: str
    multiline: bool = False
    attachment: Attachment | None = None
    answered: bool = True


@dataclass
class AnswerDisplay:
    rows: list[AnswerRow] = field(default_factory=list)
    attachment_ids: set[int] = field(default_factory=set)


def _answer_text(question: Question, answer: Any) -> str | None:
    """The answer as the reader sees it, or None when it is missing or not of the question's type."""
    if question.type in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT, QuestionType.CHOICE):
        return answer if isinstance(answer, str) and answer else None
    if question.type == QuestionType.DATE and isinstance(answer, str):
        try:
            return date_format(datetime.date.fromisoformat(answer), "SHORT_DATE_FORMAT")
        except ValueError:
            return None
    if question.type == QuestionType.NUMBER and isinstance(answer, int | float) and not isinstance(answer, bool):
        return number_format(answer)
    if question.type == QuestionType.YES_NO and isinstance(answer, bool):
        return gettext("Yes") if answer else gettext("No")
    return None


def answer_display(request: ServiceRequest, attachments: Iterable[Attachment]) -> AnswerDisplay:
    """The rows for the request page, from the request's snapshot (never from the page as it is now)."""
    by_id = {attachment.pk: attachment for attachment in attachments}
    display = AnswerDisplay()
    answers = snapshot_answers(request.extra_answers)
    for question in snapshot_questions(request.extra_answers):
        answer = answers.get(question.id)
        if question.type == QuestionType.FILE:
            attachment = by_id.get(answer["attachment_id"]) if _is_file_answer(answer) else None
            if attachment is not None:
                display.attachment_ids.add(attachment.pk)
                display.rows.append(AnswerRow(question.label, attachment.original_name, attachment=attachment))
                continue
            text = None
        else:
            text = _answer_text(question, answer)
        display.rows.append(AnswerRow(question.label, text or gettext("Not answered"), answered=text is not None,
                                      multiline=question.type == QuestionType.LONG_TEXT))
    return display

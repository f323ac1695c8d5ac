"""The extra-question blocks editors can add to a service page and the question types services.questions understands are the same set.

services.questions skips a stored question of a type it does not know (it only logs a warning), so a
block renamed on one side only would be dropped from every form without an error. These tests name
the mismatch instead, in both directions, and check that what a block saves is read back as a question.
"""

from types import SimpleNamespace

import pytest

from home.blocks import QuestionStreamBlock
from home.models import ServicePage
from services.questions import QuestionForm, QuestionType, page_questions

QUESTION_STREAM = ServicePage._meta.get_field("questions").stream_block
BLOCK_TYPES = sorted(QUESTION_STREAM.child_blocks)
QUESTION_TYPES = sorted(QuestionType.values)


def test_service_pages_offer_the_question_stream_block():
    assert isinstance(QUESTION_STREAM, QuestionStreamBlock)


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_every_block_editors_can_add_is_a_question_type(block_type):
    assert block_type in QuestionType.values, (
        f"Editors can add a {block_type!r} question, but services.questions.QuestionType does not know it:"
        " such questions would be skipped on every form."
    )


@pytest.mark.parametrize("question_type", QUESTION_TYPES)
def test_every_question_type_is_offered_as_a_block(question_type):
    assert question_type in QUESTION_STREAM.child_blocks, (
        f"services.questions understands {question_type!r} questions, but QuestionStreamBlock offers no such block."
    )


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_what_a_block_saves_is_read_back_as_a_question_with_a_form_field(block_type):
    block = QUESTION_STREAM.child_blocks[block_type]
    value = block.to_python({"label": "Wie viele?", "help_text": "Ein Hinweis", "required": True, "options": ["Eins", "Zwei"]})
    stream = QUESTION_STREAM.to_python([{"type": block_type, "id": "q-1", "value": block.get_prep_value(value)}])
    page = SimpleNamespace(pk=None, specific=SimpleNamespace(questions=stream))

    [question] = page_questions(page)

    assert (question.id, question.type, question.label, question.help_text, question.required) == (
        "q-1", block_type, "Wie viele?", "Ein Hinweis", True)
    assert list(QuestionForm(questions=[question]).fields) == ["q-1"]

"""The Kummerkasten: the receipt-code round trip, its limits, the HinSchG pointer, clean attachments, handlers, the FAQ."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader, PdfWriter

from home.editorial import guidance_workflow_assign
from home.kummerkasten import kummerkasten_faq_entry_submit
from home.models import GuidanceIndexPage, KummerkastenFaqPage
from services.delegation.services import delegation_create
from services.kummerkasten import receipts, services
from services.kummerkasten.models import KummerkastenMessage, KummerkastenPost, MessageStatus
from services.kummerkasten.selectors import messages_handled_by
from tests.factories import UserFactory
from tests.services.kummerkasten.conftest import receipt_code, write


def read(client, code):
    return client.post("/kummerkasten/", {"action": "read", "code": code})


def test_receipt_code_round_trip(applicant, topic, handler, client_for, next_day):
    code = receipt_code(write(client_for(applicant, mfa=False), topic))
    assert len(code.replace("-", "")) >= 16 and set(code.replace("-", "")) <= set(receipts.ALPHABET)
    # Today's messages are not released yet: the handlers see the whole day together tomorrow.
    assert "Raum 3.12" not in client_for(handler).get("/kummerkasten/handling/").content.decode()
    message = KummerkastenMessage.objects.get()
    with next_day():  # a login ends after a day, so everyone logs in again
        handler_client, writer = client_for(handler), client_for(applicant, mfa=False)
        assert "Raum 3.12" in handler_client.get(f"/kummerkasten/handling/{message.pk}/").content.decode()
        response = handler_client.post(f"/kummerkasten/handling/{message.pk}/answer/", {"text": "Der Hausdienst kommt am Montag."})
        assert response.status_code == 302
        # Lower case and without dashes works as well.
        thread = read(writer, code.replace("-", "").lower()).content.decode()
        assert "Der Hausdienst kommt am Montag." in thread and "Raum 3.12" in thread
        reply = writer.post("/kummerkasten/", {"action": "reply", "code": code, "text": "Danke, und das Fenster?"})
        assert "Danke, und das Fenster?" in reply.content.decode()
        assert "Danke, und das Fenster?" not in handler_client.get(f"/kummerkasten/handling/{message.pk}/").content.decode()
    with next_day(), next_day():
        assert "Danke, und das Fenster?" in client_for(handler).get(f"/kummerkasten/handling/{message.pk}/").content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.OPEN and message.posts.count() == 3


def test_receipt_code_is_stored_only_as_a_keyed_hash(applicant, topic):
    message, code = services.kummerkasten_message_create(writer_id=applicant.pk, topic=topic, text="Hallo")
    assert message.receipt_hash == receipts.keyed_hash("receipt", code.replace("-", ""))
    with override_settings(KUMMERKASTEN_HASH_KEY="another-key"):
        assert services.kummerkasten_message_find(user_id=applicant.pk, code=code) is None


@pytest.mark.parametrize("text", ["", "   ", "x" * 100_000])
def test_empty_or_overlong_message_is_refused_and_nothing_saved(applicant, topic, client_for, text):
    response = write(client_for(applicant, mfa=False), topic, text=text)
    assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    assert not KummerkastenMessage.objects.exists() and not KummerkastenPost.objects.exists()


def test_guessed_codes_are_rate_limited_and_reveal_nothing(applicant, topic, client_for, settings):
    settings.KUMMERKASTEN_CODE_ATTEMPTS_PER_HOUR = 3
    client = client_for(applicant, mfa=False)
    code = receipt_code(write(client, topic))
    wrong = [read(client, guess) for guess in ("AAAA-BBBB-CCCC-DDDD-EEEE", "kurz", "AAAA-BBBB-CCCC-DDDD-EEEF")]
    # A well-formed guess and a malformed one get the same answer.
    assert all(r.status_code == 200 and "Keine Nachricht hat diesen Belegcode" in r.content.decode() for r in wrong)
    refused = read(client, code)
    assert refused.status_code == 429 and "Heizung" not in refused.content.decode()
    other = client_for(UserFactory(unit=applicant.unit), mfa=False)
    assert "Heizung" in read(other, code).content.decode()


def test_daily_limit_per_account_counts_apart_from_the_messages(applicant, topic, client_for, settings, next_day):
    settings.KUMMERKASTEN_DAILY_LIMIT = 2
    client = client_for(applicant, mfa=False)
    assert write(client, topic).status_code == 200
    assert write(client, topic).status_code == 200
    refused = write(client, topic)
    assert refused.status_code == 429 and KummerkastenMessage.objects.count() == 2
    # The counter is one number under an HMAC of the account and the day: neither the account nor a message in it.
    keys = [key for key in cache._cache if "kummerkasten:" in key and "once" not in key]
    assert len(keys) == 1 and f":{applicant.pk}:" not in keys[0] and applicant.email not in keys[0]
    assert cache.get(keys[0].split(":", 2)[-1]) == 3
    assert not any(str(pk) in keys[0] for pk in KummerkastenMessage.objects.values_list("pk", flat=True))
    with next_day():
        assert write(client_for(applicant, mfa=False), topic).status_code == 200


@override_settings(WHISTLEBLOWING_CHANNEL_NAME="Meldestelle Musterstadt", WHISTLEBLOWING_CHANNEL_ADDRESS="hinweis@musterstadt.example")
def test_a_report_of_a_legal_violation_is_pointed_to_the_hinschg_channel(applicant, topic, client_for):
    client = client_for(applicant, mfa=False)
    response = write(client, topic, text="Im Bauamt gibt es Bestechung bei Aufträgen.")
    page = response.content.decode()
    assert "Meldestelle Musterstadt" in page and "hinweis@musterstadt.example" in page and 'role="alert"' in page
    assert not KummerkastenMessage.objects.exists()
    sent = write(client, topic, text="Im Bauamt gibt es Bestechung bei Aufträgen.", send_anyway="on")
    assert receipt_code(sent) and KummerkastenMessage.objects.count() == 1


def test_reloading_the_receipt_page_does_not_send_twice(applicant, topic, client_for):
    client = client_for(applicant, mfa=False)
    page = client.get("/kummerkasten/").content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    data = {"action": "write", "once": once, "topic": topic.pk, "text": "Einmal"}
    assert receipt_code(client.post("/kummerkasten/", data))
    again = client.post("/kummerkasten/", data).content.decode()
    assert "bereits gesendet" in again and KummerkastenMessage.objects.count() == 1


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (8, 6), "red")
    exif = Image.Exif()
    exif[0x013B] = "Anna Schmidt"  # Artist
    exif[0x0110] = "Diensthandy 42"  # Model
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_image_attachments_lose_their_metadata(applicant, topic):
    original = _jpeg_with_exif()
    assert b"Anna Schmidt" in original
    message, _code = services.kummerkasten_message_create(
        writer_id=applicant.pk, topic=topic, text="Foto", attachment=SimpleUploadedFile("IMG_2041.jpg", original))
    stored = bytes(message.posts.get().attachment)
    assert b"Anna Schmidt" not in stored and b"Diensthandy" not in stored and b"Exif" not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 6)


def test_pdf_attachments_lose_document_information_and_xmp(applicant, topic):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Anna Schmidt", "/Title": "Beschwerde"})
    out = io.BytesIO()
    writer.write(out)
    message, _code = services.kummerkasten_message_create(
        writer_id=applicant.pk, topic=topic, text="PDF", attachment=SimpleUploadedFile("a.pdf", out.getvalue()))
    stored = bytes(message.posts.get().attachment)
    assert b"Anna Schmidt" not in stored and b"Beschwerde" not in stored
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 1 and not reader.metadata and "/Metadata" not in reader.trailer["/Root"]


def test_other_files_are_refused(applicant, topic, client_for):
    response = write(client_for(applicant, mfa=False), topic,
                     attachment=SimpleUploadedFile("notiz.docx", b"PK\x03\x04 not really a document"))
    assert "Nur JPEG- und PNG-Bilder und PDF-Dokumente" in response.content.decode()
    assert not KummerkastenMessage.objects.exists()


def _released(topic, text="Frage"):
    message, _code = services.kummerkasten_message_create(writer_id=0, topic=topic, text=text)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    KummerkastenMessage.objects.filter(pk=message.pk).update(received_on=yesterday)
    KummerkastenPost.objects.filter(message=message).update(written_on=yesterday)
    return message


def test_handlers_see_the_topics_of_their_unit_and_a_delegate_sees_them_too(unit, topic, city_topic, handler, colleague,
                                                                            client_for):
    own, city = _released(topic), _released(city_topic)
    assert set(messages_handled_by(handler)) == {own}  # the city's topics belong to the root unit's handlers
    now = timezone.now()
    delegation_create(delegator=handler, delegate=colleague, unit=unit, codenames=["handle_kummerkasten"], reason="Urlaub",
                      starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=3))
    assert set(messages_handled_by(colleague)) == {own}
    root_handler = UserFactory()
    from tests.factories import grant_responsibility
    grant_responsibility(root_handler, unit.get_parent(), "handle_kummerkasten")
    assert set(messages_handled_by(root_handler)) == {own, city}
    outsider = UserFactory(unit=unit)
    assert client_for(outsider).get(f"/kummerkasten/handling/{own.pk}/").status_code == 404


def test_handlers_need_two_factor_authentication(topic, handler, client_for):
    message = _released(topic)
    response = client_for(handler, mfa=False).get(f"/kummerkasten/handling/{message.pk}/")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_publishing_to_the_faq_submits_a_draft_to_moderation(topic, handler, site, client_for):
    index = GuidanceIndexPage.objects.get()
    faq = index.add_child(instance=KummerkastenFaqPage(title="Fragen an den Kummerkasten", slug="kummerkasten-faq"))
    guidance_workflow_assign(guidance_indexes=[index])
    message = _released(topic, text="Wann kommt die neue Heizung, Frau Müller aus Raum 3?")
    services.kummerkasten_answer_create(message=message, handler=handler, text="Im Herbst.")
    client = client_for(handler)
    form = client.get(f"/kummerkasten/handling/{message.pk}/publish/")
    assert form.status_code == 200 and "Im Herbst." in form.content.decode()
    response = client.post(f"/kummerkasten/handling/{message.pk}/publish/",
                           {"question": "Wann kommt die neue Heizung?", "answer": "Im Herbst."})
    assert response.status_code == 302
    faq.refresh_from_db()
    assert len(faq.entries) == 0  # the live page is unchanged
    assert faq.workflow_in_progress and faq.current_workflow_state.status == "in_progress"
    draft = faq.get_latest_revision_as_object()
    assert [entry.value["question"] for entry in draft.entries] == ["Wann kommt die neue Heizung?"]
    # A second entry while the first waits joins the same moderation.
    kummerkasten_faq_entry_submit(message=message, handler=handler, question="Und das Fenster?", answer="Auch.")
    faq.refresh_from_db()
    assert len(faq.get_latest_revision_as_object().entries) == 2 and len(faq.entries) == 0


def test_the_demo_lets_anna_read_the_answer_with_her_code(unit, applicant, client_for):
    from home.demo.kummerkasten import DEMO_RECEIPT_CODE, seed_kummerkasten

    clara = UserFactory(email="clara.wolf@musterstadt.example")
    UserFactory(email="admin@musterstadt.example", is_superuser=True)
    seed_kummerkasten({"STADT": unit.get_parent()}, today=timezone.localdate())
    seed_kummerkasten({"STADT": unit.get_parent()}, today=timezone.localdate())  # idempotent
    assert KummerkastenMessage.objects.count() == 1
    thread = read(client_for(applicant, mfa=False), DEMO_RECEIPT_CODE).content.decode()
    assert "Ventilatoren" in thread and "30 Grad" in thread
    assert len(messages_handled_by(clara)) == 1

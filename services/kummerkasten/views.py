"""The Kummerkasten's pages: one address for writing, reading and replying, and the handlers' pages.

Everything the writer does is a POST to the same address, so that neither the path (in any access log)
nor the query string ever carries a receipt code, and a write cannot be told from a read there. The
receipt code is shown once, in the answer to the POST that stored the message; no redirect, no message
in the session.
"""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.http import private_response
from portal.mfa import mfa_setup_redirect
from portal.security_log import security_event
from services.kummerkasten import services
from services.kummerkasten.forms import AnswerForm, CodeForm, MessageForm, ReplyForm
from services.kummerkasten.models import MessageStatus
from services.kummerkasten.receipts import keyed_hash
from services.kummerkasten.rules import reads_as_legal_violation
from services.kummerkasten.selectors import (
    get_message_for_handler_or_404,
    handler_messages_with_posts,
    posts_for_handler,
    posts_for_writer,
    user_handles_kummerkasten,
)

ONCE_SECONDS = 24 * 60 * 60


def _whistleblowing() -> dict:
    return {"name": settings.WHISTLEBLOWING_CHANNEL_NAME, "address": settings.WHISTLEBLOWING_CHANNEL_ADDRESS}


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context = {"whistleblowing": _whistleblowing(), "max_chars": settings.KUMMERKASTEN_MAX_CHARS, **context}
    return private_response(render(request, template, context, status=status))


def _start(request: HttpRequest, *, message_form: MessageForm | None = None, code_form: CodeForm | None = None,
           status: int = 200, **context) -> HttpResponse:
    return _page(request, "services/kummerkasten/start.html", {
        "message_form": message_form or MessageForm(), "code_form": code_form or CodeForm(), **context}, status)


def _thread(request: HttpRequest, message, code: str, *, reply_form: ReplyForm | None = None, **context) -> HttpResponse:
    return _page(request, "services/kummerkasten/thread.html", {
        "message": message, "posts": posts_for_writer(message), "code": code,
        "reply_form": reply_form or ReplyForm(initial={"code": code}), **context})


def _write(request: HttpRequest) -> HttpResponse:
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _start(request, message_form=form)
    data = form.cleaned_data
    if reads_as_legal_violation(data["text"]) and not data["send_anyway"]:
        form.offer_send_anyway()
        return _start(request, message_form=form, legal_warning=True)
    once_key = "kummerkasten:once:" + keyed_hash("once", data["once"])
    if not cache.add(once_key, 1, timeout=ONCE_SECONDS):
        return _start(request, already_sent=True)
    try:
        message, code = services.kummerkasten_message_create(
            writer_id=request.user.pk, topic=data["topic"], text=data["text"], attachment=data["attachment"])
    except ValidationError as error:
        cache.delete(once_key)
        form.add_error("attachment", error)
        return _start(request, message_form=form)
    except services.KummerkastenError as error:
        cache.delete(once_key)
        form.add_error(None, str(error))
        return _start(request, message_form=form, status=429 if isinstance(error, services.DailyLimitReached) else 200)
    return _page(request, "services/kummerkasten/receipt.html", {"message": message, "code": code})


def _find(request: HttpRequest, code: str) -> tuple[object | None, HttpResponse | None]:
    """The message of `code`, or the start page saying (without telling anything about other codes) why not."""
    code_form = CodeForm({"action": "read", "code": code})
    code_form.is_valid()
    try:
        message = services.kummerkasten_message_find(user_id=request.user.pk, code=code)
    except services.CodeAttemptsExhausted as error:
        security_event("kummerkasten_code_attempts_exhausted", request=request)
        code_form.add_error("code", str(error))
        return None, _start(request, code_form=code_form, status=429)
    if message is None:
        code_form.add_error("code", _("No message has this receipt code. Please check what you typed."))
        return None, _start(request, code_form=code_form)
    return message, None


def _read(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _start(request, code_form=form)
    message, refusal = _find(request, form.cleaned_data["code"])
    return refusal or _thread(request, message, form.cleaned_data["code"])


def _reply(request: HttpRequest) -> HttpResponse:
    form = ReplyForm(request.POST)
    code = request.POST.get("code", "")
    message, refusal = _find(request, code)
    if refusal is not None:
        return refusal
    if not form.is_valid():
        return _thread(request, message, code, reply_form=form)
    try:
        services.kummerkasten_reply_create(writer_id=request.user.pk, message=message, text=form.cleaned_data["text"])
    except services.KummerkastenError as error:
        form.add_error(None, str(error))
        return _thread(request, message, code, reply_form=form)
    return _thread(request, message, code, replied=True)


ACTIONS = {"write": _write, "read": _read, "reply": _reply}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def kummerkasten(request: HttpRequest) -> HttpResponse:
    """Write a message, or read the answers and reply with the receipt code."""
    if request.method == "GET":
        return _start(request)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return _start(request)
    return action(request)


def _handler_only(request: HttpRequest) -> None:
    if not user_handles_kummerkasten(request.user):
        raise Http404


@never_cache
@login_required
@require_GET
def handling_list(request: HttpRequest) -> HttpResponse:
    _handler_only(request)
    refusal = mfa_setup_redirect(request)
    if refusal is not None:
        return refusal
    messages = list(handler_messages_with_posts(request.user).order_by("status", "-received_on"))
    return _page(request, "services/kummerkasten/handling_list.html", {"kummerkasten_messages": messages})


def _handler_message(request: HttpRequest, pk: uuid.UUID):
    message = get_message_for_handler_or_404(request.user, pk)
    return message, mfa_setup_redirect(request)


def _detail(request: HttpRequest, message, *, answer_form: AnswerForm | None = None, status: int = 200) -> HttpResponse:
    return _page(request, "services/kummerkasten/handling_detail.html", {
        "message": message, "posts": posts_for_handler(message), "answer_form": answer_form or AnswerForm(),
        "closed": message.status == MessageStatus.CLOSED}, status)


@never_cache
@login_required
@require_GET
def handling_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    message, refusal = _handler_message(request, pk)
    return refusal or _detail(request, message)


@never_cache
@login_required
@require_POST
def handling_answer(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    message, refusal = _handler_message(request, pk)
    if refusal is not None:
        return refusal
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, message, answer_form=form, status=400)
    try:
        services.kummerkasten_answer_create(message=message, handler=request.user, text=form.cleaned_data["text"])
    except services.KummerkastenError as error:
        form.add_error(None, str(error))
        return _detail(request, message, answer_form=form)
    return redirect("kummerkasten:handling_detail", pk=message.pk)


@never_cache
@login_required
@require_POST
def handling_close(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    message, refusal = _handler_message(request, pk)
    if refusal is not None:
        return refusal
    try:
        services.kummerkasten_message_close(message=message, handler=request.user)
    except services.KummerkastenError:
        pass  # closed already: the page says so
    return redirect("kummerkasten:handling_detail", pk=message.pk)


@never_cache
@login_required
@require_GET
def handling_attachment(request: HttpRequest, pk: uuid.UUID, post: uuid.UUID) -> HttpResponse:
    message, refusal = _handler_message(request, pk)
    if refusal is not None:
        return refusal
    item = posts_for_handler(message).defer(None).filter(pk=post, attachment__isnull=False).first()
    if item is None:
        raise Http404
    response = HttpResponse(bytes(item.attachment), content_type=item.attachment_type)
    response["Content-Disposition"] = f'attachment; filename="kummerkasten-{item.number}.{item.attachment_extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)

"""Checking and storing files handed in with a request."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from services.models import Attachment, ServiceRequest

EXTENSIONS = {"application/pdf": {"pdf"}, "image/png": {"png"}, "image/jpeg": {"jpg", "jpeg"}}


def attachment_validate(uploaded: UploadedFile) -> str:
    """Return the file's real content type, or raise ValidationError with a message the person can act on.

    The type is read from the file's first bytes, not from its name or the browser's claim, so an HTML
    page renamed to .pdf is refused.
    """
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file %(name)s is %(size)s; at most %(limit)s are allowed.")
            % {"name": uploaded.name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="too_large",
        )
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    allowed = settings.ATTACHMENT_CONTENT_TYPES
    if kind is None or kind.mime not in allowed:
        raise ValidationError(
            _("The file %(name)s is not a PDF, PNG or JPEG document.") % {"name": uploaded.name}, code="content_type"
        )
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if extension not in EXTENSIONS.get(kind.mime, set()):
        raise ValidationError(
            _("The file %(name)s does not match its ending: its content is %(type)s.")
            % {"name": uploaded.name, "type": kind.extension.upper()},
            code="extension_mismatch",
        )
    return kind.mime


def attachment_create(*, request: ServiceRequest, uploaded: UploadedFile, uploaded_by) -> Attachment:
    content_type = attachment_validate(uploaded)
    return Attachment.objects.create(
        request=request, file=uploaded, original_name=uploaded.name[:200], content_type=content_type,
        size=uploaded.size, uploaded_by=uploaded_by,
    )

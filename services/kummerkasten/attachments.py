"""Attachments without metadata: what cannot be cleaned is refused.

Images (JPEG, PNG) are decoded and encoded again from their pixels alone, so EXIF (camera, GPS, time,
owner), XMP, IPTC, ICC comments and PNG text chunks stay behind. PDFs are rebuilt page by page with
pypdf, without the document information (author, creator, dates) and without XMP metadata on the
document or its pages; encrypted PDFs, and PDFs with embedded files or scripts, are refused.
"""

import io
import warnings

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject

ALLOWED = {"image/jpeg", "image/png", "application/pdf"}


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _clean_image(data: bytes, mime: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                mode = "RGB" if mime == "image/jpeg" else ("RGBA" if "A" in upright.getbands() else "RGB")
                pixels = Image.new(mode, upright.size)
                pixels.paste(upright.convert(mode))
    except (OSError, Image.DecompressionBombError, Image.DecompressionBombWarning, ValueError) as error:
        raise _refuse(_("The image could not be read, so its metadata cannot be removed."), "unreadable") from error
    out = io.BytesIO()
    if mime == "image/jpeg":
        pixels.save(out, format="JPEG", quality=90)
    else:
        pixels.save(out, format="PNG")
    return out.getvalue()


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _refuse(_("Encrypted PDF documents cannot be cleaned of their metadata; please attach an unprotected one."),
                          "encrypted")
        catalog = reader.trailer["/Root"]
        names = catalog.get("/Names")
        if "/OpenAction" in catalog or "/AA" in catalog or (names is not None and ("/EmbeddedFiles" in names or "/JavaScript" in names)):
            raise _refuse(_("PDF documents with embedded files or scripts are not accepted."), "active_content")
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            for key in ("/Metadata", "/PieceInfo"):
                if key in added:
                    del added[NameObject(key)]
        # No document information at all (the pages are copied into a new catalog, without its XMP).
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PdfReadError, KeyError, ValueError, TypeError) as error:
        raise _refuse(_("The PDF document could not be read, so its metadata cannot be removed."), "unreadable") from error
    return out.getvalue()


def attachment_clean(uploaded: UploadedFile) -> tuple[bytes, str]:
    """The file's content without metadata and its content type, or ValidationError saying why it is refused."""
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise _refuse(_("The file is %(size)s; at most %(limit)s are allowed.") % {
            "size": filesizeformat(uploaded.size), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}, "too_large")
    data = uploaded.read()
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in ALLOWED:
        raise _refuse(_("Only JPEG and PNG images and PDF documents can be attached: their metadata can be removed."),
                      "content_type")
    if kind.mime == "application/pdf":
        return _clean_pdf(data), kind.mime
    return _clean_image(data, kind.mime), kind.mime

"""Rendering a decision document: HTML from templates/pdf/, turned into a tagged PDF/UA-1 (and PDF/A-3a) by weasyprint.

Nothing is fetched from outside: the URL fetcher hands out the portal's own static files (the stylesheet
and the fonts shipped with the KERN UX package) and the data: images the renderer embeds itself (the QR
code, the logo); every other address, whatever editors wrote into the letterhead, is refused and noted.
"""

import base64
import logging
import mimetypes
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import pydyf
import segno
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("services.documents")

# file:///static/… is where {% static %} paths land against this base; nothing else of the file system is read.
BASE_URL = "file:///"
PDF_VARIANT = "pdf/ua-1"
PDFUA_NAMESPACE = "http://www.aiim.org/pdfua/ns/id/"


class RefusedURL(ValueError):
    """The document asked for something outside the portal's static files."""


class StaticOnlyFetcher(weasyprint.URLFetcher):
    """Serves the portal's static files and data: images; refuses every other URL and remembers it."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        if url.startswith("data:image/"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        path = unquote(parts.path)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        normalised = posixpath.normpath(path)
        if parts.scheme == "file" and not parts.netloc and normalised.startswith(static_prefix):
            found = finders.find(normalised.removeprefix(static_prefix))
            if found:
                with open(found, "rb") as static_file:
                    body = static_file.read()
                content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": content_type})
        self.refused.append(url[:200])
        logger.warning("Decision document: refused to load %s", url[:200])
        raise RefusedURL(f"Not one of the portal's static files: {url[:200]}")


def qr_code_data_uri(payload: str) -> str:
    """The QR code leading to /verify/ with reference and code, as a PNG data: URI (segno, pure Python)."""
    return segno.make(payload, error="m").png_data_uri(scale=4, border=4)


def image_data_uri(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def _declare_pdfa_too(document, pdf) -> None:
    """PDF/UA-1 and PDF/A-3a ask for the same PDF 1.7, tags, embedded fonts and an sRGB output intent;
    weasyprint writes one variant's identification, so the XMP metadata is rewritten to name both."""
    rdf = document.metadata.generate_rdf_metadata("a", 3, "A")
    identification = (f'<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                      f'xmlns:pdfuaid="{PDFUA_NAMESPACE}" rdf:about="" pdfuaid:part="1"/>').encode()
    closing = rdf.rindex(b"</rdf:RDF>")
    rdf = rdf[:closing] + identification + rdf[closing:]
    content = b"\n".join((b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">',
                          rdf, b'</x:xmpmeta>\n<?xpacket end="r"?>'))
    metadata = pydyf.Stream([content], {"Type": "/Metadata", "Subtype": "/XML"}, compress=False)
    pdf.add_object(metadata)
    pdf.catalog["Metadata"] = metadata.reference
    for pdf_object in pdf.objects:  # PDF/A: annotations (the links) are printed
        if isinstance(pdf_object, dict) and pdf_object.get("Type") == "/Annot":
            pdf_object["F"] = 4


def html_to_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """weasyprint with the portal's rules: tagged PDF/UA-1 declaring PDF/A-3a, static files only."""
    fetcher = fetcher or StaticOnlyFetcher()
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT, pdf_identifier=True, output_intent="srgb", finisher=_declare_pdfa_too,
        uncompressed_pdf=False)


@dataclass
class Rendered:
    content: bytes
    warnings: list[str]


def render_decision_html(context: dict, *, language: str) -> str:
    with translation.override(language):
        return render_to_string("pdf/decision.html", {**context, "language": language})


def render_decision_pdf(context: dict, *, language: str) -> Rendered:
    """The decision document as PDF bytes, and what had to be left out (refused addresses)."""
    fetcher = StaticOnlyFetcher()
    html = render_decision_html(context, language=language)
    content = html_to_pdf(html, fetcher=fetcher)
    warnings = [f"refused address: {url}" for url in fetcher.refused]
    return Rendered(content=content, warnings=warnings)

"""Reading reports as data: an uploaded `.eml` is parsed with Python's `email` package and never opened.

Nothing here renders, executes or follows anything: attachments are skipped, HTML is searched for
addresses as text, links are only collected. What reports are grouped by is normalised here, and every
address shown on a page is defanged (hxxps://evil[.]example) so that no browser or mail client turns it
into a link.
"""

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.utils import getaddresses
from urllib.parse import urlsplit, urlunsplit

MAX_LINKS = 50
MAX_HEADER_CHARS = 20_000
MAX_VALUE_CHARS = 1000
ALLOWED_SCHEMES = ("http", "https")
URL_PATTERN = re.compile(r"""https?://[^\s"'<>()\[\]{}\\^`|]+""", re.IGNORECASE)
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SUBJECT_PREFIX = re.compile(r"^\s*((re|aw|fw|fwd|wg|antw)\s*:\s*)+", re.IGNORECASE)
TEXT_TYPES = ("text/plain", "text/html")


class NotAnEmail(ValueError):
    """The uploaded file is no e-mail message (no header block with a sender)."""


class NotAWebAddress(ValueError):
    """An address that is not http(s) (javascript:, data:, file:, …) or has no host."""


@dataclass
class ParsedMail:
    sender: str = ""
    subject: str = ""
    links: list[str] = field(default_factory=list)
    headers: str = ""


def normalize_url(value: str) -> str:
    """The address as reports are grouped by it: http(s) only, scheme and host in lower case, no fragment.

    Raises NotAWebAddress for anything else, `javascript:` and `data:` included.
    """
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError as error:
        raise NotAWebAddress(value) from error
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        raise NotAWebAddress(value)
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))[:MAX_VALUE_CHARS]


def normalize_sender(value: str) -> str:
    """The bare address of a From line ("Bank <noreply@bank.example>" → "noreply@bank.example"), lower case."""
    addresses = [address for _name, address in getaddresses([value]) if "@" in address]
    return addresses[0].strip().lower()[:MAX_VALUE_CHARS] if addresses else ""


def normalize_subject(value: str) -> str:
    """The subject without reply and forward prefixes, whitespace collapsed, case folded."""
    return " ".join(SUBJECT_PREFIX.sub("", value).split()).casefold()[:MAX_VALUE_CHARS]


def extract_links(text: str) -> list[str]:
    """Every http(s) address in a text, normalised, each once, in order of appearance, at most MAX_LINKS."""
    links: list[str] = []
    for match in URL_PATTERN.finditer(text):
        try:
            link = normalize_url(match.group(0).rstrip(".,;:!?"))
        except NotAWebAddress:
            continue
        if link not in links:
            links.append(link)
        if len(links) >= MAX_LINKS:
            break
    return links


def parse_eml(data: bytes) -> ParsedMail:
    """Sender, subject, links and the header block of an e-mail, read as data.

    Only text parts are read, as strings; attachments are never decoded. Raises NotAnEmail when the file
    has no header block with a sender.
    """
    if b"\x00" in data[:4096]:
        raise NotAnEmail("binary data")
    message = email.message_from_bytes(data, policy=email.policy.default)
    keys = [key.lower() for key in message.keys()]
    if "from" not in keys or not ({"subject", "date", "message-id", "to", "received"} & set(keys)):
        raise NotAnEmail("no e-mail header block")
    try:
        sender = normalize_sender(str(message.get("from", "")))
        subject = " ".join(str(message.get("subject", "")).split())
    except (ValueError, TypeError, IndexError) as error:
        raise NotAnEmail("unreadable headers") from error
    if not sender:
        raise NotAnEmail("no sender address")
    links: list[str] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() not in TEXT_TYPES or part.get_filename():
            continue
        try:
            text = part.get_content()
        except (LookupError, ValueError, AssertionError):  # unknown charset or broken transfer encoding
            text = part.get_payload(decode=True).decode("utf-8", errors="replace") if part.get_payload() else ""
        for link in extract_links(text):
            if link not in links and len(links) < MAX_LINKS:
                links.append(link)
    headers = "\n".join(f"{key}: {value}" for key, value in message.items())[:MAX_HEADER_CHARS]
    return ParsedMail(sender=sender, subject=subject[:500], links=links, headers=headers)


def defang(value: str) -> str:
    """An address made harmless to display: hxxps://evil[.]example/login, noreply[@]bank[.]example.

    Used for every sender, link and address a report holds, wherever it is shown.
    """
    text = re.sub(r"^(h)tt(ps?)(?=:)", r"\1xx\2", value.strip(), flags=re.IGNORECASE)
    parts = urlsplit(text) if "://" in text else None
    if parts is not None and parts.netloc:
        host = parts.netloc.replace(".", "[.]")
        rest = text.split("://", 1)[1][len(parts.netloc):]
        return f"{parts.scheme}://{host}{rest}"
    return text.replace("@", "[@]").replace(".", "[.]")


def defang_text(text: str) -> str:
    """A text (a header block, a subject, a note) with every web and e-mail address in it defanged."""
    text = URL_PATTERN.sub(lambda match: defang(match.group(0)), text)
    return EMAIL_PATTERN.sub(lambda match: defang(match.group(0)), text)

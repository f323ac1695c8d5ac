"""German word stems for search, so that inflected forms find each other ("Urlaubs" → Urlaub, "Monitore" → Monitor).

PostgreSQL's German text-search configuration stems on its own; SQLite's full-text index, the embedded
default, matches whole words only. So the searchable pages index the stems of their text beside it
(`StemmedSearchMixin.search_stems`) and a query asks for each word or one of its stems
(`home.selectors.search_pages`), on both databases alike. The stemmer is the Snowball project's German
one (snowballstemmer). A final "s" that Snowball keeps after letters it does not expect there (the
plural of loanwords: "Pedelecs", "Laptops") is dropped as a second stem.
"""

import re
import threading

import snowballstemmer
from django.utils.html import strip_tags
from wagtail.blocks import StreamValue
from wagtail.search import index

WORD = re.compile(r"\w+")
_local = threading.local()


def _stemmer():
    """Snowball's stemmers keep state while they work: one per thread."""
    if not hasattr(_local, "stemmer"):
        _local.stemmer = snowballstemmer.stemmer("german")
    return _local.stemmer


def word_stems(word: str) -> list[str]:
    """The stems a word is indexed and searched by: Snowball's, and without a final "s" when Snowball kept one."""
    lowered = word.lower()
    stem = _stemmer().stemWord(lowered)
    stems = [stem]
    if stem.endswith("s") and len(stem) > 3:
        stems.append(_stemmer().stemWord(stem[:-1]))
    return list(dict.fromkeys(stems))


def text_stems(text: str) -> str:
    """Every stem of a text, each once, separated by spaces."""
    seen: dict[str, None] = {}
    for word in WORD.findall(text):
        for stem in word_stems(word):
            seen.setdefault(stem, None)
    return " ".join(seen)


class StemmedSearchMixin:
    """A page whose searchable text is also indexed as German stems (field `search_stems`)."""

    def search_stems(self) -> str:
        parts = [self.title]
        for field in self.search_fields:
            if not isinstance(field, index.SearchField) or field.field_name in ("title", "search_stems"):
                continue
            value = getattr(self, field.field_name, None)
            if isinstance(value, StreamValue):
                parts.extend(str(text) for text in value.stream_block.get_searchable_content(value))
            elif isinstance(value, str):
                parts.append(strip_tags(value))
        return text_stems(" ".join(parts))

"""The small, frozen records every layer speaks: Article, Quote, Hit, QuoteHit."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

PARAGRAPH_SEPARATOR = "\n\n"

# Titles dropped when two speaker names are compared ("Mr Shoigu" is the "Shoigu" of "Sergey Shoigu").
_TITLES = frozenset(
    "mr mrs ms miss dr prof professor sir dame lord lady rev hon sen senator rep gov governor gen general "
    "col capt sgt det insp".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’]?\s+(?=[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Quote:
    """One quote in an article, attributed to the speaker it resolves to.

    Offsets are character positions in ``Article.body``; ``paragraph`` indexes ``Article.paragraphs``.
    """

    text: str
    speaker: str  # resolved: the fullest name used in the article ("Sergey Shoigu"), or the role as written
    kind: str  # "direct" | "indirect" | "mixed"
    cue: str = ""  # the reporting verb as written ("said", "added", "according to")
    mention: str = ""  # the speaker as written at the cue ("Mr Shoigu", "he")
    paragraph: int = 0
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Article:
    """An article as read from its file, boilerplate removed. ``body`` holds paragraphs separated by a blank line."""

    id: str
    headline: str
    body: str
    path: str = ""
    date: str = ""  # ISO 8601 date ("2021-07-13") when known
    source: str = ""
    url: str = ""
    author: str = ""
    quotes: tuple[Quote, ...] = field(default=(), compare=False)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(self.body.split(PARAGRAPH_SEPARATOR)) if self.body else ()

    @property
    def title(self) -> str:
        """The headline, or the first sentence of the body when the feed gave none."""
        return self.headline or first_sentence(self.body)

    @property
    def content_hash(self) -> str:
        """Changes whenever anything indexed about the article changes (quotes are derived, so not included)."""
        h = hashlib.blake2b(digest_size=16)
        for part in (self.headline, self.body, self.date, self.source, self.url, self.author):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of text: [start, end) character offsets."""

    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """One article found by a search."""

    id: str
    headline: str
    date: str
    source: str
    url: str
    path: str
    score: float
    snippet: str
    snippet_spans: tuple[Span, ...] = ()
    speakers: tuple[str, ...] = ()
    headline_spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class QuoteHit:
    """One quote found by a search."""

    speaker: str
    text: str
    kind: str
    cue: str
    article_id: str
    headline: str
    date: str
    score: float
    paragraph: int = 0
    text_spans: tuple[Span, ...] = ()


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of ``text``, cut at a word boundary near ``limit`` characters."""
    text = " ".join(text.split())
    if not text:
        return ""
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence.rfind(" ", 0, limit)
    return sentence[: cut if cut > 0 else limit].rstrip(",;:") + "…"


def fold(text: str) -> str:
    """Case- and accent-folded text, for comparing names across articles."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def speaker_key(name: str) -> str:
    """The identity of a speaker across articles: folded, titles and punctuation dropped.

    "Mr. Shoigu" and "shoigu" share a key; "Sergey Shoigu" keeps its first name, and the engine matches a
    surname-only query against full names through the speaker field, not through this key.
    """
    words = re.findall(r"\w+", fold(name))
    kept = [w for w in words if w not in _TITLES]
    return " ".join(kept or words)

"""The small, frozen records every layer speaks: Article, Quote, Hit, QuoteHit, and the results of searches."""

from __future__ import annotations

import functools
import hashlib
import itertools
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
    role: str | None = None  # the speaker's role in the text's words ("Russian Defence Minister"), if given
    speaker_kind: str = ""  # "person" | "organisation" | "group" | "description" | "document"; "" if no speaker


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
    role: str | None = None  # the speaker's role in the text's words, if it gives one
    speaker_kind: str = ""  # person | organisation | group | description | document
    quote_index: int = 0  # which of the article's quotes (in the order the article gives them)
    source: str = ""
    provenance: QuoteProvenance | None = None  # every article that carried this quote, when looked up

    @property
    def quote_id(self) -> str:
        """Names the quote: "ARTICLE_ID#INDEX"."""
        return f"{self.article_id}#{self.quote_index}"


@dataclass(frozen=True)
class Occurrence:
    """One article that carried a quote (its own wording: the same words, or a longer or trimmed form)."""

    article_id: str
    date: str  # YYYY-MM-DD, "" when the article has none
    source: str
    quote_index: int
    headline: str = ""  # filled by a quote group lookup, not by a search
    text: str = ""
    speaker: str = ""


@dataclass(frozen=True)
class QuoteProvenance:
    """One quote across the index: who carried it, and who carried it first."""

    first_seen: Occurrence | None  # the earliest dated occurrence (ties: the lowest article id)
    articles: int
    sources: tuple[str, ...]  # sorted
    occurrences: tuple[Occurrence, ...]  # oldest first, undated last

    def reported(self) -> str:
        """ "first reported 2017-03-01 by Reuters · in 3 articles from 2 sources" (parts the index lacks left out:
        no date, no source); "" for a quote carried by one article. The CLI and the TUI both show this line."""
        if self.articles < 2:
            return ""
        first = ""
        if self.first_seen is not None and self.first_seen.date:
            by = f" by {self.first_seen.source}" if self.first_seen.source else ""
            first = f"first reported {self.first_seen.date}{by}"
        n = len(self.sources)
        sources = f" from {n:,} source{'' if n == 1 else 's'}" if n else ""
        return " · ".join(x for x in (first, f"in {self.articles:,} articles{sources}") if x)


# -- results of searches ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    total: int
    seconds: float
    query: str
    suggestion: str | None = None
    partial: bool = False  # the time limit cut the search short
    capped: bool = False  # counting was cut short: ``total`` is a lower bound ("1,200+")
    # Articles with no date that matched the query but that the date filter (since / until) left out.
    undated_excluded: int = 0
    # search(with_facets=True): hits by source and by month over every match,
    # {"source": {name: n}, "month": {"YYYY-MM": n}}
    facets: dict[str, dict[str, int]] | None = None


@dataclass(frozen=True)
class QuoteResult:
    hits: tuple[QuoteHit, ...]
    total: int
    seconds: float
    query: str
    capped: bool = False  # counting was cut short: ``total`` is a lower bound
    # Articles with no date whose quotes matched but that the date filter (since / until) left out.
    undated_excluded: int = 0


@dataclass(frozen=True)
class SpeakerCount:
    name: str  # the fullest form of the name
    count: int
    names: tuple[str, ...]  # every form merged into it ("Sergey Shoigu", "Mr Shoigu")
    kind: str = "person"  # person | organisation: descriptions and groups are never counted across articles


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM
    quotes: int


@dataclass(frozen=True)
class SpeakerPage:
    """What one speaker said across the index (``NewsSearcher.speaker_page``)."""

    speaker: str  # the fullest form of the name
    kind: str
    names: tuple[str, ...]  # every form of the name in the index
    roles: tuple[str, ...]  # as the texts give them, most used first
    quotes: int
    articles: int
    timeline: tuple[MonthCount, ...]  # every month from the first to the last dated quote, empty months too
    top_quotes: tuple[QuoteHit, ...]  # most reported first (by articles), each with its provenance
    quoted_with: tuple[SpeakerCount, ...]  # other speakers by articles shared (``count``: articles)


@dataclass(frozen=True)
class IndexStats:
    articles: int
    quotes: int
    size_bytes: int
    modified: float  # epoch seconds of the last commit
    generation: tuple[str, int]


def quote_marks(kind: str) -> tuple[str, str]:
    """The marks a quote of ``kind`` is shown between: a direct quote is the speaker's words, so “…”; indirect
    speech is the writer's paraphrase and a mixed quote carries its own marks around the quoted words: none."""
    return ("“", "”") if kind == "direct" else ("", "")


def shown_quote(text: str, kind: str) -> str:
    opening, closing = quote_marks(kind)
    return f"{opening}{text}{closing}"


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


# -- folding and normalising text ----------------------------------------------------------------------------
#
# One fold for every field, every query and every speaker name: the index, highlighting, ``who:`` and
# ``--speaker`` all compare words through ``fold``, so "Łukasz" is "lukasz" everywhere and "Straße" "strasse".

# Latin letters that do not decompose into a base letter and a mark, as a reader of the language would type
# them on an English keyboard (ICU's Latin-ASCII transliteration): "Łukasz" -> "lukasz", "Straße" -> "strasse".
_BASE_LETTERS = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ı": "i", "ł": "l",
    "ŀ": "l", "ŧ": "t", "ƀ": "b", "ƈ": "c", "ƌ": "d", "ƒ": "f", "ƙ": "k", "ƚ": "l", "ƞ": "n", "ƥ": "p",
    "ƫ": "t", "ƭ": "t", "ƴ": "y", "ƶ": "z", "ǥ": "g", "ȡ": "d", "ȥ": "z", "ȴ": "l", "ȵ": "n", "ȶ": "t",
    "ȷ": "j", "ȼ": "c", "ɇ": "e", "ɓ": "b", "ɗ": "d", "ɠ": "g", "ɨ": "i", "ɲ": "n", "ɵ": "o", "ʈ": "t",
    "ʋ": "v", "ʉ": "u", "ⱥ": "a", "ⱦ": "t", "ǝ": "e", "ə": "e",
}  # fmt: skip
# Where folding changes anything: Latin letters with marks, combining marks themselves (decomposed text),
# ligatures ("ﬁ") and full-width letters and digits. Other scripts keep their letters (only their case folds).
_FOLDED_RANGES = (
    (0x00C0, 0x02AF), (0x0300, 0x036F), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF),
    (0xFB00, 0xFB06), (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A),
    (0x0591, 0x05C7), (0x064B, 0x065F), (0x0670, 0x0670),  # Hebrew points, Arabic harakat: left out
)  # fmt: skip
# Kashida (tatweel), which only stretches Arabic words: left out, as harakat are.
_LEFT_OUT = {0x0640: ""}


def _fold_char(char: str) -> str | None:
    """What one character folds to, or None when folding leaves it alone (or would make it not a letter)."""
    if unicodedata.combining(char):
        return ""
    folded = "".join(
        _BASE_LETTERS.get(c, c)
        for c in unicodedata.normalize("NFKD", _BASE_LETTERS.get(char.casefold(), char.casefold()))
        if not unicodedata.combining(c)
    )
    return folded if folded != char and folded.isalnum() else None


_FOLD_TABLE = {
    code: folded
    for first, last in _FOLDED_RANGES
    for code in range(first, last + 1)
    if (folded := _fold_char(chr(code))) is not None
} | _LEFT_OUT


def fold(text: str) -> str:
    """Case, accents, ligatures and width folded: how the index, queries and speaker names compare words.

    "Zürich" -> "zurich", "Łukasz" -> "lukasz", "Straße" -> "strasse", "ﬁnance" -> "finance", "Ｆ１" -> "f1".
    Arabic harakat and Hebrew points are left out, as searchers type words without them. ASCII text is only
    lower-cased (the indexer's fast path).
    """
    text = text.lower()
    if text.isascii():
        return text
    return text.casefold().translate(_FOLD_TABLE)


# Characters that are not there for a reader: soft hyphens, zero-width spaces, (non-)joiners, word joiners and
# byte-order marks inside text. Left in, they split words ("Not\u00adfall" would be two words).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]")
# Compatibility forms NFKC changes whose meaning it keeps (Unicode decomposition tags): ligatures and other
# <compat> letters, <font> (mathematical letters used as fancy text), <wide> / <narrow> (full- and half-width
# forms), Arabic presentation forms, <square> (CJK squared words). Not <super>, <sub>, <fraction>, <circle>:
# "m²" is not "m2" nor "½" "1⁄2".
_KEPT_MEANING_TAGS = frozenset(
    {"<compat>", "<font>", "<wide>", "<narrow>", "<initial>", "<medial>", "<final>", "<isolated>", "<square>"}
)
# Where those characters live (scanning these blocks once takes a few milliseconds, not all of Unicode).
_COMPAT_RANGES = ((0x00A0, 0x33FF), (0xA640, 0xA7FF), (0xF900, 0xFFEF), (0x1D400, 0x1D7FF))


@functools.cache
def _compat_forms() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """The characters ``normalise_text`` replaces by their NFKC form: (those of the Basic Multilingual Plane,
    those beyond it, the table of their forms).

    Only forms whose NFKC form is letters or digits: punctuation and spaces keep their look ("…" stays one
    character, full-width CJK punctuation stays full-width), spacing accents ("´" used as an apostrophe) are
    never split into a space and a combining mark. Two patterns, because a character class holding characters
    beyond U+FFFF is searched a hundred times slower than one that does not (3 s instead of 30 ms for 2,000
    articles).
    """
    table: dict[str, str] = {}
    for first, last in _COMPAT_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            tag = unicodedata.decomposition(char).partition(" ")[0]
            if tag in _KEPT_MEANING_TAGS:
                normal = unicodedata.normalize("NFKC", char)
                if normal != char and normal.isalnum():
                    table[char] = normal
    codes = sorted(ord(c) for c in table)
    basic = "[" + character_ranges([c for c in codes if c <= 0xFFFF]) + "]"
    beyond = "[" + character_ranges([c for c in codes if c > 0xFFFF]) + "]"
    return re.compile(basic), re.compile(beyond), table


def character_ranges(codes: list[int]) -> str:
    """The body of a regular expression character class of ``codes`` (sorted), consecutive ones as ranges."""
    parts: list[str] = []
    for _, run in itertools.groupby(enumerate(codes), key=lambda pair: pair[1] - pair[0]):
        run_codes = [code for _, code in run]
        first, last = re.escape(chr(run_codes[0])), re.escape(chr(run_codes[-1]))
        parts.append(first if len(run_codes) == 1 else f"{first}-{last}")
    return "".join(parts)


_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


def normalise_text(text: str) -> str:
    """Text as search sees it: invisible characters removed, canonically composed (NFC: "e" + U+0301 -> "é"),
    and compatibility letters written plainly ("ﬁ" -> "fi", "ｆｕｌｌ" -> "full"; see ``_compat_forms``).

    Each step first looks (at C speed) whether there is anything to do: most text has nothing.
    """
    if text.isascii():
        return text
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    basic, beyond, table = _compat_forms()
    changed = False
    if basic.search(text):
        text = basic.sub(lambda m: table[m.group()], text)
        changed = True
    if _BEYOND_BMP.search(text) and beyond.search(text):
        text = beyond.sub(lambda m: table[m.group()], text)
        changed = True
    if changed and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def speaker_key(name: str) -> str:
    """The identity of a speaker across articles: folded, titles and punctuation dropped.

    "Mr. Shoigu" and "shoigu" share a key; "Sergey Shoigu" keeps its first name, and the engine matches a
    surname-only query against full names through the speaker field, not through this key.
    """
    words = re.findall(r"\w+", fold(name))
    kept = [w for w in words if w not in _TITLES]
    return " ".join(kept or words)

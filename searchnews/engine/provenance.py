"""Quote provenance: one quote across every article that carried it, with its first seen.

Two quotes are the same quote when their words are the same once case, punctuation and quote marks are set
aside, or when one is a stretch of the other (wire copy trimmed by the outlets that carry it). The words are cut
into overlapping runs of ``SHINGLE_WORDS`` and each run hashed; one quote is a stretch of another when every
run of it is a run of the other. To find the articles to test, a quote is indexed by its first and its last run
(its marks): a copy trimmed at the end starts as the longer form does, one trimmed at the start ends as it does,
and an exact repeat has both. A stretch cut at both ends is not found. Measured on the 36k corpus's 176,356
quotes: 16,254 found in another article this way, against 16,524 by winnowing (the smallest hash of every 4
runs, Schleimer et al. 2003, which finds any stretch of 9 words or more) for 3.5 times the terms: each term
cost the index about 100 bytes and the indexer ~65 us (winnowing made indexing 35% slower and the index 80%
larger on 6,000 articles). A quote of fewer than ``CONTAIN_WORDS`` words joins only its exact repeats (one
hash of all its words); under ``MIN_WORDS`` it joins nothing ("fake news", "terrorists" are scare quotes, not
one quote said once and reported fifty times).

At index time an article gets its quotes' marks as terms of ``quote_print`` (to find the articles sharing one)
and each quote's runs in the ``provenance`` column with the article's source (to test containment without
reading stored documents: a stored document costs ~100 us to read, a column value a few). Groups are
computed from the index when asked, so an article added, changed or deleted joins or leaves them at its
commit, and a rebuild gives the same groups.
"""

from __future__ import annotations

import bisect
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from searchnews.model import Occurrence, QuoteProvenance, fold, normalise_text

SHINGLE_WORDS = 6
# A stretch this long or longer is one quote with its longer form; shorter ones only with their exact repeats
# (a 6-word run like "at the end of the day" is in many unrelated quotes).
CONTAIN_WORDS = 9
MIN_WORDS = 5
PRINT_FIELD = "quote_print"
COLUMN_FIELD = "provenance"
_WORD = re.compile(r"\w+")
_U16 = struct.Struct("<H")
# Runs of words are hashed by a rolling polynomial over the words' CRC-32s (modulo a Mersenne prime): one
# multiply-add per word, where hashing each run's text (blake2b) cost 10x as much, a tenth of indexing time.
_MOD = (1 << 61) - 1
_BASE = 1_000_000_007
_TOP = pow(_BASE, SHINGLE_WORDS - 1, _MOD)
_LOW32 = 0xFFFFFFFF


@dataclass(frozen=True)
class QuotePrints:
    """A quote's fingerprints: ``runs`` (32 bits each) are every run of ``SHINGLE_WORDS`` words, or one hash
    of all its words under ``CONTAIN_WORDS``, and containment is tested on them; ``marks`` (61 bits) are its
    first and last run (or that one hash), the index terms that find the articles to test."""

    runs: frozenset[int]
    marks: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.runs)


NO_PRINTS = QuotePrints(frozenset(), frozenset())


def quote_words(text: str) -> list[str]:
    """The words of a quote as provenance compares them: folded, punctuation and quote marks left out."""
    return _WORD.findall(fold(normalise_text(text)))


def fingerprints(text: str) -> QuotePrints:
    """The fingerprints of one quote (none under ``MIN_WORDS`` words)."""
    words = quote_words(text)
    n = len(words)
    if n < MIN_WORDS:
        return NO_PRINTS
    codes = [zlib.crc32(w.encode("utf-8")) for w in words]
    if n < CONTAIN_WORDS:
        h = n  # the length first: a short quote's hash is never one of a longer quote's runs
        for c in codes:
            h = (h * _BASE + c) % _MOD
        return QuotePrints(frozenset({h & _LOW32}), frozenset({h}))
    h = 0
    for c in codes[:SHINGLE_WORDS]:
        h = (h * _BASE + c) % _MOD
    runs = [h]
    for i in range(SHINGLE_WORDS, n):
        h = ((h - codes[i - SHINGLE_WORDS] * _TOP) * _BASE + codes[i]) % _MOD
        runs.append(h)
    return QuotePrints(frozenset(r & _LOW32 for r in runs), frozenset({runs[0], runs[-1]}))


def same_runs(a: frozenset[int], b: frozenset[int]) -> bool:
    return bool(a) and bool(b) and (a <= b or b <= a)


def same_quote(a: QuotePrints, b: QuotePrints) -> bool:
    """Whether two quotes are one: the same words, or one a stretch of the other (every run of words of the
    shorter is in the longer)."""
    return same_runs(a.runs, b.runs)


def print_term(value: int) -> str:
    return format(value, "016x")


def index_fields(source: str, quote_prints: Sequence[QuotePrints]) -> dict[str, object]:
    """The fields an article document gets for provenance: its quotes' marks as terms, and each quote's runs in
    the column (with the source, which is not a column of its own)."""
    terms = sorted({print_term(m) for prints in quote_prints for m in prints.marks})
    fields: dict[str, object] = {COLUMN_FIELD: encode_column(source, [p.runs for p in quote_prints])}
    if terms:
        fields[PRINT_FIELD] = " ".join(terms)
    return fields


def encode_column(source: str, quote_runs: Sequence[frozenset[int]]) -> bytes:
    src = source.encode("utf-8")[:65535]
    parts = [_U16.pack(len(src)), src]
    for runs in quote_runs:
        ordered = sorted(runs)[:65535]
        parts.append(_U16.pack(len(ordered)))
        parts.append(struct.pack(f"<{len(ordered)}I", *ordered))
    return b"".join(parts)


def decode_column(data: bytes) -> tuple[str, list[frozenset[int]]]:
    """(source, runs of each quote) from a ``provenance`` column value."""
    if not data:
        return "", []
    (n,) = _U16.unpack_from(data, 0)
    at = 2 + n
    source = data[2:at].decode("utf-8", "replace")
    quotes: list[frozenset[int]] = []
    while at < len(data):
        (k,) = _U16.unpack_from(data, at)
        at += 2
        quotes.append(frozenset(struct.unpack_from(f"<{k}I", data, at)))
        at += 4 * k
    return source, quotes


@dataclass(frozen=True)
class _Article:
    article_id: str
    date: str
    source: str
    runs: list[frozenset[int]]  # of each quote


class ProvenanceReader:
    """Looks up the occurrences of quotes in one searcher's view of the index. Keep one per searcher: opening
    the columns reads their offsets (~3 ms a segment), and it keeps what it has read."""

    def __init__(self, searcher: Searcher) -> None:
        self.s = searcher
        self._offsets: list[int] = []  # each segment's first document, for bisect
        self._segments: list[tuple] | None = None  # each segment's (id, date, provenance) column readers
        self._seen: dict[int, _Article] = {}

    def _columns_of(self, docnum: int) -> tuple[int, tuple]:
        """(offset, (id, date, provenance) column readers) of the segment holding ``docnum``. Each segment is read
        alone: Whoosh's multi-segment column reader leaves out the segments that lack a column (a segment of
        undated articles has no ``date`` column) and then maps documents to the wrong segment, or to none."""
        if self._segments is None:
            self._segments = []
            for sub, offset in self.s.reader().leaf_readers():
                self._offsets.append(offset)
                self._segments.append(
                    tuple(
                        sub.column_reader(name, translate=translate) if sub.has_column(name) else None
                        for name, translate in (("id", True), ("date", False), (COLUMN_FIELD, True))
                    )
                )
        at = bisect.bisect_right(self._offsets, docnum) - 1
        return self._offsets[at], self._segments[at]

    def article(self, docnum: int) -> _Article:
        found = self._seen.get(docnum)
        if found is None:
            offset, (ids, dates, column) = self._columns_of(docnum)
            local = docnum - offset
            source, runs = decode_column(column[local]) if column is not None else ("", [])
            found = self._seen[docnum] = _Article(
                ids[local] if ids is not None else "",
                _day(dates[local]) if dates is not None else "",  # no date column: no article here has one
                source,
                runs,
            )
        return found

    def documents_with(self, marks: Iterable[int]) -> set[int]:
        """The live documents holding any of ``marks``, looked up segment by segment (a Whoosh Or query looked
        each term up twice in each segment: twice as slow)."""
        terms = [print_term(m) for m in sorted(marks)]
        found: set[int] = set()
        for sub, offset in self.s.reader().leaf_readers():
            if not sub.doc_count_all():
                continue
            for term in terms:
                try:
                    postings = sub.postings(PRINT_FIELD, term)  # deleted documents left out
                except TermNotFound:
                    continue
                found.update(offset + d for d in postings.all_ids())
        return found

    def occurrences(self, prints: QuotePrints) -> list[Occurrence]:
        """Every quote in the index that is the quote with these fingerprints, oldest first."""
        if not prints:
            return []
        found = []
        for docnum in self.documents_with(prints.marks):
            art = self.article(docnum)
            for index, other in enumerate(art.runs):
                if same_runs(prints.runs, other):
                    found.append(Occurrence(art.article_id, art.date, art.source, index))
        return sorted(found, key=_oldest_first)

    def provenance(self, prints: QuotePrints, own: Occurrence) -> QuoteProvenance:
        """The provenance of one quote (``own``: where it was found, counted even when it has no fingerprints)."""
        occurrences = self.occurrences(prints)
        if not any(o.article_id == own.article_id and o.quote_index == own.quote_index for o in occurrences):
            occurrences = sorted([*occurrences, own], key=_oldest_first)
        return summarise(occurrences)

    def article_frequency(self, prints: QuotePrints) -> int:
        """At most how many articles carry this quote whole: the fewest articles either of its marks is in
        (read from the lexicon, no document opened). 1 for a quote with no fingerprints."""
        if not prints:
            return 1
        return min(self.s.doc_frequency(PRINT_FIELD, print_term(m)) for m in prints.marks)


def summarise(occurrences: Sequence[Occurrence]) -> QuoteProvenance:
    """First seen, articles and sources of occurrences sorted oldest first (``_oldest_first``)."""
    articles = {o.article_id for o in occurrences}
    sources = sorted({o.source for o in occurrences if o.source})
    first = occurrences[0] if occurrences else None
    return QuoteProvenance(first, len(articles), tuple(sources), tuple(occurrences))


def _oldest_first(o: Occurrence) -> tuple[bool, str, str, str, int]:
    # The earliest dated occurrence first; a tie (same day) goes to the lower article id, then the earlier quote,
    # so every run and every rebuild names the same first seen. Undated occurrences come last.
    return (not o.date, o.date, o.article_id, o.source, o.quote_index)


def _day(ticks: int) -> str:
    """YYYY-MM-DD of a raw ``date`` column value; "" for an article with no date (the column's default, out of
    the range of dates)."""
    try:
        return long_to_datetime(ticks).date().isoformat()
    except (OverflowError, ValueError):
        return ""


def related(prints: QuotePrints, shown: Iterable[QuotePrints]) -> bool:
    """Whether a quote is one of those already shown."""
    return any(same_quote(prints, other) for other in shown)

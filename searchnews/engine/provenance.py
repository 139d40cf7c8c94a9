"""Quote provenance: one quote across every article that carried it, with its first seen.

Two quotes are the same quote when their words are the same once case, punctuation and quote marks are set
aside, or when one is a stretch of the other (wire copy trimmed by the outlets that carry it). The words are cut
into overlapping runs of ``SHINGLE_WORDS`` and each run hashed; a quote keeps the smallest hash of every
``WINDOW`` consecutive runs (winnowing, Schleimer et al. 2003). A run of words inside a longer quote has all
its windows inside the longer one's, so its fingerprints are a subset of the longer one's: containment is a
subset test on a handful of numbers, exact for a true stretch. A quote of fewer than ``CONTAIN_WORDS`` words
has a window of its own that the longer quote does not have, so it joins only its exact repeats (one
fingerprint: the hash of all its words); under ``MIN_WORDS`` it joins nothing ("fake news", "terrorists" are
scare quotes, not one quote said once and reported fifty times).

At index time an article gets its quotes' fingerprints as terms of ``quote_print`` (to find the articles
sharing one) and, per quote, in the ``provenance`` column with the article's source (to test containment
without reading stored documents: a stored document costs ~100 us to read, a column value a few). Groups are
computed from the index when asked, so an article added, changed or deleted joins or leaves them at its
commit, and a rebuild gives the same groups.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from whoosh.query import Or, Term
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from searchnews.model import Occurrence, QuoteProvenance, fold, normalise_text

SHINGLE_WORDS = 6
WINDOW = 4  # fingerprints kept: about 2 / (WINDOW + 1) of the runs
CONTAIN_WORDS = SHINGLE_WORDS + WINDOW - 1  # a stretch this long or longer is found inside its longer form
MIN_WORDS = 5
PRINT_FIELD = "quote_print"
COLUMN_FIELD = "provenance"
_WORD = re.compile(r"\w+")
_U16 = struct.Struct("<H")

Prints = frozenset[int]


def quote_words(text: str) -> list[str]:
    """The words of a quote as provenance compares them: folded, punctuation and quote marks left out."""
    return _WORD.findall(fold(normalise_text(text)))


def _hash(text: str) -> int:
    # Stable across processes (Python's hash() is salted per process); 63 bits, so a chance collision between
    # the corpus's ~10^6 fingerprints is unlikely, and a group needs all of a quote's fingerprints to agree.
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def fingerprints(text: str) -> Prints:
    """The fingerprints of one quote (empty under ``MIN_WORDS`` words)."""
    words = quote_words(text)
    n = len(words)
    if n < MIN_WORDS:
        return frozenset()
    if n < CONTAIN_WORDS:
        return frozenset({_hash("=" + " ".join(words))})
    runs = [_hash(" ".join(words[i : i + SHINGLE_WORDS])) for i in range(n - SHINGLE_WORDS + 1)]
    return frozenset(min(runs[i : i + WINDOW]) for i in range(len(runs) - WINDOW + 1))


def same_quote(a: Prints, b: Prints) -> bool:
    """Whether two quotes are one: the same words, or one a stretch of the other."""
    return bool(a) and bool(b) and (a <= b or b <= a)


def print_term(value: int) -> str:
    return format(value, "016x")


def index_fields(source: str, quote_prints: Sequence[Prints]) -> dict[str, object]:
    """The fields an article document gets for provenance: its quotes' fingerprints as terms, and per quote in
    the column (with the source, which is not a column of its own)."""
    terms = sorted({print_term(p) for prints in quote_prints for p in prints})
    fields: dict[str, object] = {COLUMN_FIELD: encode_column(source, quote_prints)}
    if terms:
        fields[PRINT_FIELD] = " ".join(terms)
    return fields


def encode_column(source: str, quote_prints: Sequence[Prints]) -> bytes:
    src = source.encode("utf-8")[:65535]
    parts = [_U16.pack(len(src)), src]
    for prints in quote_prints:
        ordered = sorted(prints)
        parts.append(_U16.pack(len(ordered)))
        parts.append(struct.pack(f"<{len(ordered)}Q", *ordered))
    return b"".join(parts)


def decode_column(data: bytes) -> tuple[str, list[Prints]]:
    """(source, fingerprints of each quote) from a ``provenance`` column value."""
    if not data:
        return "", []
    (n,) = _U16.unpack_from(data, 0)
    at = 2 + n
    source = data[2:at].decode("utf-8", "replace")
    quotes: list[Prints] = []
    while at < len(data):
        (k,) = _U16.unpack_from(data, at)
        at += 2
        quotes.append(frozenset(struct.unpack_from(f"<{k}Q", data, at)))
        at += 8 * k
    return source, quotes


@dataclass(frozen=True)
class _Article:
    article_id: str
    date: str
    source: str
    prints: list[Prints]


class ProvenanceReader:
    """Looks up the occurrences of quotes in one searcher's view of the index (one per search: it keeps the
    column readers and what it has read)."""

    def __init__(self, searcher: Searcher) -> None:
        self.s = searcher
        reader = searcher.reader()
        self._ids = reader.column_reader("id")
        self._dates = reader.column_reader("date", translate=False)  # an article with no date holds the default
        self._columns = reader.column_reader(COLUMN_FIELD) if _has_column(reader) else None
        self._seen: dict[int, _Article] = {}

    def article(self, docnum: int) -> _Article:
        found = self._seen.get(docnum)
        if found is None:
            source, prints = decode_column(self._columns[docnum]) if self._columns is not None else ("", [])
            found = self._seen[docnum] = _Article(self._ids[docnum], _day(self._dates[docnum]), source, prints)
        return found

    def occurrences(self, prints: Prints) -> list[Occurrence]:
        """Every quote in the index that is the quote with these fingerprints, oldest first."""
        if not prints:
            return []
        found = []
        q = Or([Term(PRINT_FIELD, print_term(p)) for p in sorted(prints)])
        for docnum in self.s.docs_for_query(q):
            art = self.article(docnum)
            for index, other in enumerate(art.prints):
                if same_quote(prints, other):
                    found.append(Occurrence(art.article_id, art.date, art.source, index))
        return sorted(found, key=_oldest_first)

    def provenance(self, prints: Prints, own: Occurrence) -> QuoteProvenance:
        """The provenance of one quote (``own``: where it was found, counted even when it has no fingerprints)."""
        occurrences = self.occurrences(prints)
        if not any(o.article_id == own.article_id and o.quote_index == own.quote_index for o in occurrences):
            occurrences = sorted([*occurrences, own], key=_oldest_first)
        return summarise(occurrences)

    def article_frequency(self, prints: Prints) -> int:
        """At most how many articles carry this quote whole: the fewest articles any of its fingerprints is in
        (read from the lexicon, no document opened). 1 for a quote with no fingerprints."""
        if not prints:
            return 1
        return min(self.s.doc_frequency(PRINT_FIELD, print_term(p)) for p in prints)


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


def _has_column(reader) -> bool:
    return any(sub.has_column(COLUMN_FIELD) for sub, _ in reader.leaf_readers())


def related(prints: Prints, shown: Iterable[Prints]) -> bool:
    """Whether a quote is one of those already shown."""
    return any(same_quote(prints, other) for other in shown)


def quote_group(searcher: Searcher, article_id: str, quote_index: int) -> QuoteProvenance | None:
    """Every occurrence of one quote (named by its article and its place there), each with its article's
    headline and its own wording and speaker; None when the index has no such quote."""
    # Local import: documents imports this module for the fields it writes.
    from searchnews.engine.documents import stored_quotes

    fields = searcher.document(id=article_id)
    quotes = stored_quotes(fields) if fields is not None else []
    if not 0 <= quote_index < len(quotes):
        return None
    reader = ProvenanceReader(searcher)
    own_docnum = searcher.document_number(id=article_id)
    own_article = reader.article(own_docnum)
    own = Occurrence(article_id, own_article.date, own_article.source, quote_index)
    found = reader.provenance(fingerprints(quotes[quote_index].text), own)
    filled = []
    for o in found.occurrences:
        doc = searcher.document(id=o.article_id) or {}
        q = stored_quotes(doc)[o.quote_index]
        filled.append(dataclasses.replace(o, headline=doc.get("headline", ""), text=q.text, speaker=q.speaker))
    return summarise(filled)

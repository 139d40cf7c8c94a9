"""What a search needs beyond ranking: each matching document's source and date, to filter by source, sort by
date and count hits by source and by month.

Read from the index, never from stored documents (a stored document holds the whole body: reading 10,000 of them
to count their sources took seconds): dates from the date column, one read of its bytes per segment; sources from
the ``source`` field's postings, each document's source words. A source is a KEYWORD field (words split on spaces,
lower-cased), so a document's words stand for its source; the name as written is read from one stored document
per source.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long

from searchnews.engine import whoosh_read

_US_PER_DAY = 86_400_000_000
# The date column's default (no date) is past every real date.
_LATEST_DATE = datetime_to_long(dt.datetime.max)
SORTS = ("relevance", "date")


class DocFacts:
    """The date and source of each document of one searcher, read once when first asked for."""

    def __init__(self, searcher: Searcher) -> None:
        self.s = searcher
        self._dates: list[int] | None = None
        self._source_keys: dict[int, tuple[str, ...]] | None = None
        self._names: dict[tuple[str, ...], str] = {}

    def date_value(self, docnum: int) -> int | None:
        """The document's date as the column holds it (microseconds since year 1), None when it has none."""
        if self._dates is None:
            dates: list[int] = []
            for sub, offset in self.s.reader().leaf_readers():
                dates.extend([_LATEST_DATE + 1] * (offset - len(dates)))
                if sub.doc_count_all() and sub.has_column("date"):
                    dates.extend(whoosh_read.column_values(sub.column_reader("date", translate=False)))
            self._dates = dates
        value = self._dates[docnum] if docnum < len(self._dates) else _LATEST_DATE + 1
        return None if value > _LATEST_DATE else value

    def month(self, docnum: int) -> str | None:
        """ "YYYY-MM" of the document's date, None when it has none."""
        value = self.date_value(docnum)
        if value is None:
            return None
        day = dt.date.fromordinal(value // _US_PER_DAY + 1)
        return f"{day.year:04d}-{day.month:02d}"

    def source_key(self, docnum: int) -> tuple[str, ...]:
        """The document's source as its indexed words (sorted; () when it has no source)."""
        if self._source_keys is None:
            words: dict[int, list[str]] = {}
            for sub, offset in self.s.reader().leaf_readers():
                if "source" not in sub.indexed_field_names():
                    continue
                for term in sub.lexicon("source"):
                    word = term.decode("utf-8") if isinstance(term, bytes) else term
                    for sub_docnum in sub.postings("source", term).all_ids():  # deleted documents left out
                        words.setdefault(offset + sub_docnum, []).append(word)
            self._source_keys = {d: tuple(sorted(set(w))) for d, w in words.items()}
        return self._source_keys.get(docnum, ())

    def docs_from(self, keys: Sequence[tuple[str, ...]]) -> frozenset[int]:
        """The documents whose source is one of ``keys`` (``source_key`` of a name)."""
        self.source_key(0)
        wanted = set(keys)
        return frozenset(d for d, key in (self._source_keys or {}).items() if key in wanted)

    def source_name(self, docnum: int) -> str:
        """The document's source as written in the article ("" when it has none)."""
        key = self.source_key(docnum)
        if not key:
            return ""
        if key not in self._names:
            self._names[key] = self.s.stored_fields(docnum).get("source", "") or " ".join(key)
        return self._names[key]


def source_key(searcher: Searcher, name: str) -> tuple[str, ...]:
    """A source name given by a user, as the index's words for it ("The Guardian" -> ("guardian", "the"))."""
    analyzer = searcher.schema["source"].analyzer
    return tuple(sorted({t.text for t in analyzer(name)}))


def filter_sources(facts: DocFacts, scored: Iterable[tuple[int, float]], keys: Sequence[tuple[str, ...]]):
    """The (docnum, score) pairs whose source is one of ``keys``."""
    wanted = set(keys)
    return [(d, s) for d, s in scored if facts.source_key(d) in wanted]


def filter_dates(facts: DocFacts, scored: Iterable[tuple[int, float]], since: dt.date | None, until: dt.date | None):
    """(pairs dated from ``since`` to ``until``, how many undated pairs the bounds left out)."""
    low = datetime_to_long(dt.datetime.combine(since, dt.time.min)) if since else None
    high = datetime_to_long(dt.datetime.combine(until, dt.time.max)) if until else None
    kept, undated = [], 0
    for d, s in scored:
        value = facts.date_value(d)
        if value is None:
            undated += 1
        elif (low is None or value >= low) and (high is None or value <= high):
            kept.append((d, s))
    return kept, undated


def newest_first(facts: DocFacts, scored: Iterable[tuple[int, float]]) -> list[tuple[int, float]]:
    """Newest first, the best score first on the same date, undated documents last."""
    return sorted(scored, key=lambda p: (-(facts.date_value(p[0]) or -1), -p[1], p[0]))


def count_facets(facts: DocFacts, docnums: Iterable[int]) -> dict[str, dict[str, int]]:
    """Hits by source name and by month ("YYYY-MM"), each most first (months in calendar order). Documents with no
    source or no date are in neither count."""
    sources: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for d in docnums:
        name = facts.source_name(d)
        if name:
            sources[name] += 1
        month = facts.month(d)
        if month:
            months[month] += 1
    return {"source": dict(sources.most_common()), "month": dict(sorted(months.items()))}

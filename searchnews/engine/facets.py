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
from collections.abc import Callable, Iterable, Sequence

from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long

from searchnews.engine import whoosh_read
from searchnews.engine.scoring import LATEST_DATE

_US_PER_DAY = 86_400_000_000
# The date column's default (no date) is past every real date.
SORTS = ("relevance", "date")


class DocFacts:
    """The date and source of each document of one searcher, read once when first asked for, as lists indexed by
    top-level docnum: the filters, orders and counts below look them up in C (``map``, ``Counter``) rather than
    calling a method per document (the counts for 29,000 matches took 450 ms that way at load 11, 6x more than
    the search)."""

    def __init__(self, searcher: Searcher, dates: Callable[[], list[int]]) -> None:
        self.s = searcher
        self._dates = dates  # Ranker.document_dates
        self._masks: list[int] | None = None
        self._words: list[str] = []
        self._keys: dict[int, tuple[str, ...]] = {}
        self._names: dict[int, str] = {}

    def dates(self) -> list[int]:
        """Each document's date as the date column holds it (microseconds since year 1; past ``LATEST_DATE``:
        none): the ranker's list, read once per searcher."""
        return self._dates()

    def date_value(self, docnum: int) -> int | None:
        """The document's date as the column holds it, None when it has none."""
        value = self.dates()[docnum]
        return None if value > LATEST_DATE else value

    def masks(self) -> list[int]:
        """Each document's source words as bits of an int (bit i: the i-th word of the source lexicon): a pass over
        the source field's postings a block at a time: 29 ms for 36,574 articles, where collecting each document's
        words in tuples from Whoosh's id iteration took 150 ms (load 11 on 2 cores)."""
        if self._masks is None:
            reader = self.s.reader()
            masks = [0] * reader.doc_count_all()
            words: list[str] = []
            index: dict[str, int] = {}
            for sub, offset in reader.leaf_readers():
                if "source" not in sub.indexed_field_names():
                    continue
                for term in sub.lexicon("source"):
                    word = term.decode("utf-8") if isinstance(term, bytes) else term
                    if word not in index:
                        index[word] = len(words)
                        words.append(word)
                    bit = 1 << index[word]
                    for docnum in _doc_ids(sub.postings("source", term)):
                        masks[offset + docnum] |= bit
            self._words, self._masks = words, masks
        return self._masks

    def key_of(self, mask: int) -> tuple[str, ...]:
        """The source words a mask stands for, sorted."""
        key = self._keys.get(mask)
        if key is None:
            key = self._keys[mask] = tuple(sorted(w for i, w in enumerate(self._words) if mask >> i & 1))
        return key

    def source_key(self, docnum: int) -> tuple[str, ...]:
        """The document's source as its indexed words (sorted; () when it has no source)."""
        return self.key_of(self.masks()[docnum])

    def name_of(self, mask: int, docnum: int) -> str:
        """The source as written in the article ``docnum``, whose source words are ``mask`` (read once a source)."""
        if mask not in self._names:
            self._names[mask] = self.s.stored_fields(docnum).get("source", "") or " ".join(self.key_of(mask))
        return self._names[mask]

    def masks_of(self, keys: Sequence[tuple[str, ...]]) -> set[int]:
        """The masks of the sources ``keys``."""
        wanted = set(keys)
        return {m for m in set(self.masks()) if m and self.key_of(m) in wanted}

    def docs_from(self, keys: Sequence[tuple[str, ...]]) -> frozenset[int]:
        """The documents whose source is one of ``keys`` (``source_key`` of a name)."""
        wanted = self.masks_of(keys)
        return frozenset(d for d, mask in enumerate(self.masks()) if mask in wanted)


def _doc_ids(postings) -> Iterable[int]:
    """A segment's postings' document numbers, deleted documents left out: a block at a time where the codec
    allows (``whoosh_read``), else Whoosh's own iteration."""
    deleted, raw = whoosh_read.unwrap_deletions(postings)
    if not whoosh_read.has_blocks(raw):
        return postings.all_ids()
    ids = [d for block, _weights in whoosh_read.posting_blocks(raw) for d in block]
    return [d for d in ids if d not in deleted] if deleted else ids


def source_key(searcher: Searcher, name: str) -> tuple[str, ...]:
    """A source name given by a user, as the index's words for it ("The Guardian" -> ("guardian", "the"))."""
    analyzer = searcher.schema["source"].analyzer
    return tuple(sorted({t.text for t in analyzer(name)}))


def filter_sources(facts: DocFacts, scored: list[tuple[int, float]], keys: Sequence[tuple[str, ...]]):
    """The (docnum, score) pairs whose source is one of ``keys``."""
    wanted, masks = facts.masks_of(keys), facts.masks()
    return [p for p in scored if masks[p[0]] in wanted]


def filter_dates(facts: DocFacts, scored: list[tuple[int, float]], since: dt.date | None, until: dt.date | None):
    """(pairs dated from ``since`` to ``until``, how many undated pairs the bounds left out)."""
    low = datetime_to_long(dt.datetime.combine(since, dt.time.min)) if since else 0
    high = datetime_to_long(dt.datetime.combine(until, dt.time.max)) if until else LATEST_DATE
    dates = facts.dates()
    kept = [p for p in scored if low <= dates[p[0]] <= high]
    undated = sum(1 for p in scored if dates[p[0]] > LATEST_DATE)
    return kept, undated


def newest_first(facts: DocFacts, scored: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Newest first, the best score first on the same date, undated documents last."""
    dates = facts.dates()
    # ``scored`` is best first: a stable sort by date keeps that order within a date.
    return sorted(scored, key=lambda p: -1 if dates[p[0]] > LATEST_DATE else dates[p[0]], reverse=True)


def count_facets(facts: DocFacts, docnums: list[int]) -> dict[str, dict[str, int]]:
    """Hits by source name and by month ("YYYY-MM"), sources most first, months in calendar order. Documents with
    no source or no date are in neither count."""
    masks, dates = facts.masks(), facts.dates()
    by_mask = Counter(map(masks.__getitem__, docnums))
    example = {masks[d]: d for d in docnums}
    sources: Counter[str] = Counter()
    for mask, n in by_mask.items():
        if mask:
            sources[facts.name_of(mask, example[mask])] += n
    months: Counter[str] = Counter()
    for value, n in Counter(map(dates.__getitem__, docnums)).items():
        if value <= LATEST_DATE:
            day = dt.date.fromordinal(value // _US_PER_DAY + 1)
            months[f"{day.year:04d}-{day.month:02d}"] += n
    return {"source": dict(sources.most_common()), "month": dict(sorted(months.items()))}

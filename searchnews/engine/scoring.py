"""Ranking: BM25F as Whoosh scores it, a term at a time with each word's scores kept, and Whoosh's own search with
our collectors where a query needs it. The one place that reads Whoosh's read-side internals, through
``whoosh_read``: each segment's field lengths, posting blocks, the undated documents of the date column."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

import numpy as np
from whoosh import query, scoring
from whoosh.collectors import FilterCollector, TimeLimitCollector
from whoosh.query import And, Every, Or, Query, Term
from whoosh.reading import IndexReader
from whoosh.searching import Searcher, TimeLimit
from whoosh.util.times import datetime_to_long

from searchnews.engine import whoosh_read
from searchnews.engine.query import is_date_condition, nodes
from searchnews.engine.schema import term_text

# search(): words are scored a term at a time when their postings not yet scored number at most this many
# (more goes to Whoosh's search, which a time limit can cut short; about 0.15 us a posting here); the scores of
# recent words are kept, up to WORD_CACHE_POSTINGS documents in all (16 bytes each).
TERM_SEARCH_POSTINGS = 2_000_000
WORD_CACHE_POSTINGS = 2_000_000


class DocScores:
    """The documents matching a query node and their scores: top-level docnums in order (int64) and their scores
    (float64), two arrays of the same length."""

    __slots__ = ("ids", "scores")

    def __init__(self, ids: np.ndarray, scores: np.ndarray) -> None:
        self.ids = ids
        self.scores = scores

    def __len__(self) -> int:
        return len(self.ids)

    def docnums(self) -> list[int]:
        return self.ids.tolist()

    def best(self, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best (docnum, score) pairs, best first, ties by docnum, as Whoosh orders them: the
        limit-th best score found by a partition, and only the documents at or above it sorted."""
        if limit <= 0 or not len(self.ids):
            return []
        ids, scores = self.ids, self.scores
        if len(ids) > limit:
            threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= threshold
            ids, scores = ids[keep], scores[keep]
        order = np.lexsort((ids, -scores))[:limit]
        return list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))


NO_SCORES = DocScores(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Ranker:
    """One Whoosh searcher's ranking: the documents matching a query, best first, with their scores; the scores of
    recent words kept (one thread's, as the searcher is)."""

    def __init__(self, searcher: Searcher) -> None:
        self.s = searcher
        self._dates: list[int] | None = None
        self._undated: frozenset[int] | None = None
        self._word_scores: OrderedDict[tuple, dict[int, float]] = OrderedDict()
        self._word_scores_size = 0

    def document_dates(self) -> list[int]:
        """Each document's date as the date column holds it, by top-level docnum (past ``LATEST_DATE``: none),
        read once per searcher. Segment by segment: a segment where no article is dated has no date column, and
        all its documents are undated (Whoosh's multi-segment column reader would misplace the others)."""
        if self._dates is None:
            reader = self.s.reader()
            dates: list[int] = []
            for sub, offset in reader.leaf_readers():
                dates.extend([NO_DATE] * (offset - len(dates)))
                if sub.doc_count_all() and sub.has_column("date"):
                    dates.extend(whoosh_read.column_values(sub.column_reader("date", translate=False)))
            dates.extend([NO_DATE] * (reader.doc_count_all() - len(dates)))
            self._dates = dates
        return self._dates

    def undated_docs(self) -> frozenset[int]:
        """The documents with no date (top-level docnums)."""
        if self._undated is None:
            self._undated = frozenset(d for d, value in enumerate(self.document_dates()) if value > LATEST_DATE)
        return self._undated

    def undated_left_out_by_clauses(self, q: Query, time_limit: float | None) -> int:
        """How many documents with no date the query's own ``date:`` conditions leave out: those that match the
        query with its date conditions taken as met, less those that match it as it is."""
        if not any(is_date_condition(node) for node in nodes(q)):
            return 0
        undated = self.undated_docs()
        if not undated:
            return 0
        met = q.accept(lambda node: Every() if is_date_condition(node) else node)
        _, with_dates_met, _, _ = self.ranked(met, set(undated), 1, time_limit)
        _, as_it_is, _, _ = self.ranked(q, set(undated), 1, time_limit)
        return max(0, (with_dates_met or 0) - (as_it_is or 0))

    def ranked(
        self,
        q: Query,
        allow: Query | None,
        limit: int | None,
        time_limit: float | None,
        sortedby=None,
        optimize: bool = False,
    ) -> tuple[list[tuple[int, float]], int | None, bool, int]:
        """The first ``limit`` documents for ``q``, best first (or in ``sortedby``'s order, scored 0): ([(docnum,
        score)], how many matched or None when unknown, whether the time limit cut the search short, how many
        documents with no date matched but were not in ``allow``).

        Scored a term at a time when the query allows it (``term_search``), else by Whoosh (``_run``).
        """
        if allow is None and sortedby is None:
            found = self.term_search(q, limit if limit is not None else self.s.doc_count_all())
            if found is not None:
                scored, matched, _ = found
                return scored, matched, False, 0
        results, partial, matched, undated = self._run(q, allow, limit, time_limit, sortedby, optimize)
        # Not list(results): it asks len(), a second pass.
        return [(h.docnum, h.score if sortedby is None else 0.0) for h in results], matched, partial, undated

    def _run(
        self,
        q: Query,
        allow: Query | frozenset[int] | None,
        limit: int | None,
        time_limit: float | None,
        sortedby=None,
        optimize: bool = False,
    ):
        """Run a query, restricted to ``allow`` when given (a query or a set of docnums): (results, partial, matched,
        undated). ``partial`` when the time limit cut it short; ``matched``, how many documents matched, when known
        (``optimize`` skips blocks and so leaves it unknown: None); ``undated``, how many documents with no date
        matched but were not allowed.

        The filter wraps the time limit, not the other way round: Whoosh's TimeLimitCollector hands matches
        straight to its child, so a FilterCollector inside it filters nothing (and ours keeps the time limit,
        see ``_DateFilterCollector``). Never terms=True with a filter either: Whoosh 2.7.5 then counts
        filtered-out documents.
        """
        # optimize (block skipping) only where the caller needs no count.
        if optimize or sortedby is not None or limit is None:
            collector = top = self.s.collector(limit=limit, sortedby=sortedby, optimize=optimize)
        else:  # a count is wanted: every match counted (Whoosh's own drops branches that cannot reach the page)
            collector = top = whoosh_read.CountingTopCollector(limit=limit)
        if any(isinstance(leaf, query.MultiTerm) for leaf in q.leaves()):
            # Whoosh re-optimises the matcher tree every few matches (dropping exhausted branches: a common word's
            # headline postings end long before its body postings, and the search then runs 4x faster). For a
            # wildcard's tree of hundreds of terms that re-optimising is 90% of the search: not for those.
            collector.replace = 0
        if time_limit is not None:
            collector = TimeLimitCollector(collector, timelimit=time_limit, use_alarm=False)
        counter = None
        if allow is not None:
            collector = counter = _DateFilterCollector(collector, allow, self.undated_docs())
        try:
            self.s.search_with_collector(q, collector)
        except TimeLimit:
            return collector.results(), True, None, counter.undated_count if counter else 0
        # Without block skipping, Whoosh's top-N collector sees every match (after the filter) and counts them.
        matched = whoosh_read.collected_total(top) if not optimize else None
        return collector.results(), False, matched, counter.undated_count if counter else 0

    def term_search(self, q: Query, limit: int) -> tuple[list[tuple[int, float]], int, bool] | None:
        """Terms joined by AND and OR, scored a term at a time: ([(docnum, score)], total, False); None for any
        other query.

        That is what the parser makes of words (each word an OR across fields, words joined by AND), and what a
        phrase becomes when its words are loosened (``_phrase_search``). The same BM25F scores, order and count as
        Whoosh's search (a test compares them), without its per-document method calls: a word in most articles
        ("said", or the first letter typed in the TUI) took 100 ms, most of it in those calls. Typing re-runs
        nearly the same query at every key ("seven a", "seven ac", ...): each word's scores are kept, so only the
        word being typed is read from the postings.
        """
        matched = self.term_matches(q)
        if matched is None:
            return None
        return matched.best(limit), len(matched), False

    def term_matches(self, q: Query) -> DocScores | None:
        """Every document matching terms joined by AND and OR, with its score (top-level docnums); None for any
        other query, past TERM_SEARCH_POSTINGS postings not yet read, or on an index not laid out as expected
        (then Whoosh's own search)."""
        return self._scores(q) if self.readable(q) else None

    def readable(self, q: Query) -> bool:
        """Whether ``q`` is terms joined by AND and OR whose postings this scores a term at a time: at most
        TERM_SEARCH_POSTINGS of them not yet read, each laid out as expected. Each term's scores are read (and
        kept) on the way, so that ``term_scores`` then has them all."""
        if not _terms_only(q):
            return False
        reader = self.s.reader()
        cache = self._word_scores
        terms = {_node_key(t): t for t in q.leaves()}
        unread = sum(reader.doc_frequency(t.fieldname, term_text(t.text)) for k, t in terms.items() if k not in cache)
        return unread <= TERM_SEARCH_POSTINGS and all(self._scores(t) is not None for t in terms.values())

    def term_scores(self, t: Term) -> DocScores:
        """One term's BM25F score in each document holding it (kept as a word's scores are); none when its postings
        are not what the fast path reads."""
        return self._scores(t) or NO_SCORES

    def scores_at(self, sub: Searcher, t: Term, ids: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
        """The BM25F scores of the term ``t`` in some documents of one segment (``sub``, a leaf searcher of this
        one): ``ids``, segment docnums, where its weights (frequency times the field's boost) are ``weights``; the
        scores ``term_scores`` holds for them, read from postings the caller has read anyway (a phrase's, with
        their positions). None where ``term_scores`` would not read the term either."""
        reader = sub.reader()
        scorer = self.s.weighting.scorer(sub, t.fieldname, term_text(t.text))
        lengths = field_length_array(reader, t.fieldname)
        if not isinstance(scorer, scoring.BM25FScorer) or lengths is None:
            return None
        return _bm25(scorer, lengths, ids, weights, t.boost)

    def combined(self, maps: list[DocScores], every: bool) -> DocScores:
        """The documents in every one of ``maps`` (``every``: an AND) or in any (an OR), scores summed in order."""
        return maps[0] if len(maps) == 1 else _combined(maps, self.s.doc_count_all(), every)

    def _scores(self, node: Query) -> DocScores | None:
        """Each matching document's BM25F score for ``node`` (top-level docnums). A term's scores and an OR's (a
        word across fields) are kept for the next searches of this searcher, the least recently used going first
        past WORD_CACHE_POSTINGS documents in all."""
        key = _node_key(node)
        cache = self._word_scores
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        if type(node) is Term:
            scores = self._term_scores(node)
        else:
            maps = []
            for child in node.children():
                child_scores = self._scores(child)
                if child_scores is None:
                    return None
                maps.append(child_scores)
            if len(maps) == 1:
                return maps[0]  # kept as its child
            if type(node) is And:
                return self.combined(maps, every=True)  # not kept: the next key changes it
            scores = self.combined(maps, every=False)
        if scores is not None:
            cache[key] = scores
            self._word_scores_size += len(scores)
            while self._word_scores_size > WORD_CACHE_POSTINGS and len(cache) > 1:
                _, dropped = cache.popitem(last=False)
                self._word_scores_size -= len(dropped)
        return scores

    def _term_scores(self, t: Term) -> DocScores | None:
        """One term's BM25F score in each document holding it, its postings read as arrays segment by segment
        and scored in one step each (``_score_postings``)."""
        text = term_text(t.text)
        ids: list[np.ndarray] = []
        scores: list[np.ndarray] = []
        for sub, offset in self.s.leaf_searchers():
            reader = sub.reader()
            if (t.fieldname, text) not in reader:
                continue
            scorer = self.s.weighting.scorer(sub, t.fieldname, text)
            lengths = field_length_array(reader, t.fieldname)
            postings = reader.postings(t.fieldname, text)
            deleted, postings = whoosh_read.unwrap_deletions(postings)
            if not isinstance(scorer, scoring.BM25FScorer) or lengths is None or not whoosh_read.has_blocks(postings):
                return None
            sub_ids, sub_scores = _score_postings(postings, scorer, lengths, deleted, t.boost)
            ids.append(sub_ids + offset)
            scores.append(sub_scores)
        if not ids:
            return NO_SCORES
        if len(ids) == 1:
            return DocScores(ids[0], scores[0])
        return DocScores(np.concatenate(ids), np.concatenate(scores))


class _CachedLengthsBM25F(scoring.BM25F):
    """Whoosh's BM25F, reading each document's field length from a list instead of the length column.

    Whoosh reads the length of every scored document from its column file (a seek and a read each): half the
    time of a search for a common word. The lengths of a field are one byte a document, read once per segment.
    """

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, scoring.BM25FScorer):
            lengths = field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


BM25_CACHED_LENGTHS = _CachedLengthsBM25F()


def field_lengths(reader: IndexReader, fieldname: str) -> list[int] | None:
    """Each document's length in ``fieldname`` (the segment's), read once per segment reader; None when the
    column is not what the fast path reads (then scoring reads lengths as Whoosh does)."""
    cache = reader.__dict__.setdefault("_searchnews_lengths", {})
    if fieldname not in cache:
        cache[fieldname] = whoosh_read.field_lengths(reader, fieldname)
    return cache[fieldname]


def field_length_array(reader: IndexReader, fieldname: str) -> np.ndarray | None:
    """``field_lengths`` as an array of floats (exact: lengths are small integers), read once per segment reader."""
    cache = reader.__dict__.setdefault("_searchnews_length_arrays", {})
    if fieldname not in cache:
        lengths = field_lengths(reader, fieldname)
        cache[fieldname] = None if lengths is None else np.array(lengths, dtype=np.float64)
    return cache[fieldname]


LATEST_DATE = datetime_to_long(datetime.max)  # a date column value past it: no date (the column's default)
NO_DATE = LATEST_DATE + 1


class _DateFilterCollector(FilterCollector):
    """Whoosh's FilterCollector, which also counts the matches it leaves out that have no date
    (``undated_count``), and keeps the time limit of a TimeLimitCollector inside it (Whoosh's own checks the
    time only when it collects matches itself, which it never does inside a filter)."""

    def __init__(self, child, allow, undated: frozenset[int]) -> None:
        super().__init__(child, allow=allow)
        self.undated = undated
        self.undated_count = 0

    def collect_matches(self) -> None:
        child, allow, undated, offset = self.child, whoosh_read.filter_allowed(self), self.undated, self.offset
        timer = child if isinstance(child, TimeLimitCollector) and not child.greedy else None
        left_out = 0
        try:
            for sub_docnum in child.matches():
                if timer is not None and timer.timedout:
                    raise TimeLimit
                docnum = offset + sub_docnum
                if allow is not None and docnum not in allow:
                    left_out += docnum in undated
                    continue
                child.collect(sub_docnum)
        finally:
            self.undated_count += left_out


def best_scored(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (docnum, score) pairs of a map, best first, ties by docnum: ``DocScores.best``."""
    ids = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    order = np.argsort(ids)
    return DocScores(ids[order], values[order]).best(limit)


def _combined(maps: list[DocScores], doc_count: int, every: bool) -> DocScores:
    """The documents in every one of ``maps`` (``every``: an AND) or in any (an OR), their scores summed in the
    query's order, as Whoosh's AND and OR add them: 0.0 + a + b is a + b, so one array of all documents holds the
    sums, and a document missing from a map adds nothing."""
    total = np.zeros(doc_count, dtype=np.float64)
    seen = np.zeros(doc_count, dtype=np.int32)
    for m in maps:
        total[m.ids] += m.scores  # a map's docnums are distinct: one addition each
        seen[m.ids] += 1
    ids = np.flatnonzero(seen == len(maps)) if every else np.flatnonzero(seen)
    return DocScores(ids.astype(np.int64, copy=False), total[ids])


def _terms_only(q: Query) -> bool:
    """Terms joined by AND and OR, with no boost, coordination or minimum match of an AND or OR's own (those
    change Whoosh's scores)."""
    if type(q) is Term:
        return True
    if type(q) not in (And, Or) or q.boost != 1.0 or getattr(q, "scale", None) is not None:
        return False
    if getattr(q, "minmatch", 0):
        return False
    children = list(q.children())
    return bool(children) and all(_terms_only(c) for c in children)


def _node_key(node: Query) -> tuple:
    if type(node) is Term:
        return ("term", node.fieldname, term_text(node.text), node.boost)
    return (type(node).__name__, tuple(_node_key(c) for c in node.children()))


def _score_postings(
    m,
    scorer: scoring.BM25FScorer,
    lengths: np.ndarray,
    deleted: frozenset[int] | set[int],
    boost: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The segment docnums of ``m``'s postings and ``boost`` times their BM25 scores, computed for all at once
    with the same operations in the same order as Whoosh's scorer (so the same floats)."""
    ids, tf = whoosh_read.posting_arrays(m)
    if deleted:
        live = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
        ids, tf = ids[live], tf[live]
    return ids, _bm25(scorer, lengths, ids, tf, boost)


def _bm25(
    scorer: scoring.BM25FScorer, lengths: np.ndarray, ids: np.ndarray, tf: np.ndarray, boost: float
) -> np.ndarray:
    """``boost`` times the BM25 scores of a term in the segment documents ``ids``, where its weights are ``tf``:
    the same operations in the same order as Whoosh's scorer, so the same floats."""
    idf, k1, b, avgfl = scorer.idf, scorer.K1, scorer.B, scorer.avgfl
    top = idf * (k1 + 1) * boost
    norm_a, norm_b = k1 * (1 - b), k1 * b / avgfl
    return top * tf / (tf + norm_a + norm_b * lengths[ids])

"""Phrases: a phrase query answered in two steps (its words rank candidates, then positions are read for the best
of them only, or for every document at once when those do not settle the best or when its words are few), and
whether documents or a quote's words hold a phrase."""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Sequence

import numpy as np
from whoosh import query
from whoosh.query import And, Or, Phrase, Query, Term
from whoosh.reading import IndexReader

from searchnews.engine import whoosh_read
from searchnews.engine.postings import ArrayPositions
from searchnews.engine.query import evaluate, nodes
from searchnews.engine.schema import term_text
from searchnews.engine.scoring import DocScores, Ranker, best_scored

PHRASE_CANDIDATES = 200  # search(): best articles holding a phrase's words whose positions are read first
PHRASE_FIRST_ROUND = 20  # of them, checked first (``_rounds``)
PHRASE_CHECK_ALL = 100  # a phrase whose words meet in at most this many articles is checked in all of them
# A phrase query whose phrases' words occur at most this many times in their fields (in an index of at most
# EVERY_PHRASE_ARTICLES; past it, in proportion to the articles) is found in the whole index at once (EveryPhrase),
# its phrases scored from the postings read to find them, rather than in its best candidates first: below it,
# reading every position cost less than bounding and checking the candidates. Measured on the peers' 50 phrases,
# CPU time, at 36,575 articles: "free time", 27,527 positions, 10.3 against 15.8 ms; "they said", 161,388, 26.0
# against 16.6 ms, settled by its candidates; 100,000 instead of 40,000, the same total for the 50 (420 against 431
# ms). Both ways read every posting of the words (the candidates' bounds, their frequencies), so the crossing point
# grows with the index: at 146,300 articles, 200,000 positions against 40,000 brought their p95 from 42.1 to 35.9
# ms ("free time", 38.9 ms, and "were fireworks", 44.6, left the slowest five). The count is exact.
EVERY_PHRASE_POSITIONS = 40_000
EVERY_PHRASE_ARTICLES = 36_500


def phrase_search(
    ranker: Ranker, q: Query, allow: Query | None, limit: int, time_limit: float | None
) -> tuple[list[tuple[int, float]], int, bool] | None:
    """A query with phrases, in two steps: ([(docnum, score)], total, capped), or None to search as usual.

    Whoosh checks a phrase in every document holding all its words: for "they said", reading the positions
    of both words in 15,000 articles (300-500 ms). Here the words alone (AND) rank the candidates, and positions
    are read for the best of them only (``_best_holding``; with a date filter, the best PHRASE_CANDIDATES). A query
    whose phrases' words are few (EVERY_PHRASE_POSITIONS) is found in the whole index straight away, without
    ranking candidates (``_every_phrase_first``).
    """
    if not _is_phrase_query(q):
        return None
    fields = {node.fieldname for node in nodes(q) if isinstance(node, Phrase)}
    if not all(ranker.s.schema[f].format.supports("positions") for f in fields if f in ranker.s.schema):
        return None  # the usual search names the field without positions
    reader = ranker.s.reader()

    def loosen(node: Query) -> Query:
        """A phrase becomes its words, all required, the rarest first: it leads the skipping."""
        if not isinstance(node, Phrase):
            return node
        words = sorted(set(node.words), key=lambda w: reader.doc_frequency(node.fieldname, w))
        return And([Term(node.fieldname, w, boost=node.boost) for w in words])

    loose = q.accept(loosen)
    exact = not any(isinstance(node, (query.Not, query.AndNot)) for node in nodes(q))
    if allow is None and exact:
        found = _every_phrase_first(ranker, q, limit)
        if found is not None:
            return found
    # With every word's scores read (and kept) by readable(), the bounds are cheap.
    if allow is None and exact and ranker.readable(loose):
        return _best_holding(ranker, q, _bounds(ranker, q), limit)
    candidates, matched, partial, _ = ranker.ranked(loose, allow, PHRASE_CANDIDATES, time_limit, optimize=True)
    if matched is not None:
        exhausted = matched <= PHRASE_CANDIDATES
    else:
        exhausted = not partial and len(candidates) < PHRASE_CANDIDATES
    checked = PhraseCheck(reader, q, [d for d, _ in candidates])
    holding = checked.matching()
    if exact:  # scored as Whoosh scores the query (a NOT is Whoosh's to score: the words' scores rank those)
        scored = best_scored(_matches(ranker, checked, q, holding), len(holding))
    else:
        scored = [(d, score) for d, score in candidates if d in holding]
    if not exhausted and (len(scored) < limit or (exact and scored[limit - 1][1] <= candidates[-1][1])):
        return None  # the best are not settled among the candidates: Whoosh's search
    # Counted among the candidates: Whoosh's phrase matcher can read thousands of documents between two
    # matches, so even a time-bounded count of it overran by hundreds of milliseconds.
    return scored[:limit], len(scored), not exhausted


def _bounds(ranker: Ranker, q: Query) -> DocScores:
    """Every document that may match ``q`` (terms, phrases, AND and OR of them), with a score it cannot exceed.

    A phrase scores as its words do, or not at all: its words' documents bound it. A phrase whose words meet in
    few documents (PHRASE_CHECK_ALL; most phrases in headlines) is checked in all of them here, so the bound is its
    score: the headline's words, worth twice the body's, no longer lift an article whose headline holds them apart.
    """
    if isinstance(q, Term):
        return ranker.term_scores(q)
    if isinstance(q, Phrase):
        words = ranker.combined([ranker.term_scores(Term(q.fieldname, w, boost=q.boost)) for w in q.words], True)
        if not 0 < len(words) <= PHRASE_CHECK_ALL:
            return words
        holding = PhraseCheck(ranker.s.reader(), q, words.docnums()).matching()
        keep = np.isin(words.ids, np.fromiter(holding, dtype=np.int64, count=len(holding)))
        return DocScores(words.ids[keep], words.scores[keep])
    return ranker.combined([_bounds(ranker, child) for child in q.children()], isinstance(q, And))


def _best_holding(ranker: Ranker, q: Query, bounds: DocScores, limit: int) -> tuple[list[tuple[int, float]], int, bool]:
    """The best ``limit`` documents holding the query's phrases, exactly as Whoosh ranks them, with positions read
    in the fewest documents that settle them: ([(docnum, score)], total, capped).

    ``bounds``: every document that may match, with a score its own cannot exceed (``_bounds``). The best
    PHRASE_CANDIDATES by that bound are checked first, in rounds (``_rounds``); they settle the best when the
    ``limit``-th best score found beats every bound left, and ``total`` then counts those found to hold the phrases
    (a lower bound). Else every phrase is found in the whole index (``EveryPhrase``; where it cannot read the
    phrases, the rest are checked in one pass), and ``total`` is exact.
    """
    ids = bounds.ids
    every = EveryPhrase.supports(ranker.s.reader(), q)
    # The best candidates by a partition, not a sort of every document that may match (6 ms at 146,300 articles).
    ranked = bounds.best(PHRASE_CANDIDATES)
    first = np.fromiter((d for d, _ in ranked), dtype=np.int64, count=len(ranked))
    found: dict[int, float] = {}
    checked = 0
    for size in _rounds(limit, len(first)):
        before = len(found)
        found.update(_holding_scores(ranker, q, first[checked:size]))
        # before the last round, the best bound left is the next candidate's
        if size < len(first) and len(found) >= limit and heapq.nlargest(limit, found.values())[-1] > ranked[size][1]:
            return best_scored(found, limit), len(found), True
        # Held in so few of this round's candidates that the rest, held as often, would not fill a page: the
        # whole index. (The best by their words' scores hold a phrase more often than the rest.)
        if (
            every
            and size < len(first)
            and (len(found) - before) * (len(first) - size) < (limit - len(found)) * (size - checked)
        ):
            return _every_phrase(ranker, q, ids, limit)
        checked = size
    if len(ids) <= len(first):
        return best_scored(found, limit), len(found), False
    left = ~np.isin(ids, first)
    if len(found) >= limit and heapq.nlargest(limit, found.values())[-1] > bounds.scores[left].max():
        return best_scored(found, limit), len(found), True
    if every:  # the best are not settled
        return _every_phrase(ranker, q, ids, limit)
    # the rest in one pass: it reads every block holding one of them
    found.update(_holding_scores(ranker, q, ids[left]))
    return best_scored(found, limit), len(found), False


def _rounds(limit: int, candidates: int) -> list[int]:
    """How many of the best candidates are checked by the end of each round: twice the page, then four times as
    many each round, up to all of them. A phrase of common words held in most of its candidates ("have been": 190
    of 200) is settled by the first round, its positions read in a tenth of the documents; one held in few ("free
    time": 16 of 1,247 articles holding both words) is found in the whole index after the first round, where
    checking all the candidates cost as much again (19 of 53 ms at 146,300 articles)."""
    sizes = [min(candidates, max(2 * limit, PHRASE_FIRST_ROUND))]
    while sizes[-1] < candidates:
        sizes.append(min(candidates, sizes[-1] * 4))
    return sizes


def _holding_scores(ranker: Ranker, q: Query, candidates: np.ndarray) -> dict[int, float]:
    """docnum -> score of the ``candidates`` that match ``q``, their positions read (``PhraseCheck``)."""
    check = PhraseCheck(ranker.s.reader(), q, candidates.tolist())
    return _matches(ranker, check, q, check.matching())


def _every_phrase(ranker: Ranker, q: Query, ids: np.ndarray, limit: int) -> tuple[list[tuple[int, float]], int, bool]:
    """Every phrase found in the whole index from its words' position arrays, a block at a time, and every
    document that may match (``ids``) scored at once."""
    found = _matches(ranker, EveryPhrase(ranker), q, ids)
    return best_scored(found, limit), len(found), False


def _every_phrase_first(ranker: Ranker, q: Query, limit: int) -> tuple[list[tuple[int, float]], int, bool] | None:
    """A query whose phrases' words are few (EVERY_PHRASE_POSITIONS), found in the whole index straight away
    (``EveryPhrase``), its phrases scored where they hold from the postings read to find them: the scores of their
    words in every other document, which bound the candidates of ``_best_holding``, are never read. None for
    another query, or where a word's scores are not read this way."""
    reader = ranker.s.reader()
    bound = EVERY_PHRASE_POSITIONS * max(1.0, reader.doc_count_all() / EVERY_PHRASE_ARTICLES)
    if not EveryPhrase.supports(reader, q) or _words_positions(reader, q) > bound:
        return None
    terms = [node for node in nodes(q) if isinstance(node, Term)]  # the query's own words, outside its phrases
    if terms and not ranker.readable(Or(terms)):
        return None
    check = EveryPhrase(ranker)
    if any(check.scored(node) is None for node in nodes(q) if isinstance(node, Phrase)):
        return None
    found = _matches(ranker, check, q, _may_match(ranker, check, q))
    return best_scored(found, limit), len(found), False


def _may_match(ranker: Ranker, check: EveryPhrase, q: Query) -> np.ndarray:
    """The documents (in order) that may match a query of phrases and terms joined by AND and OR: a term's, a
    phrase's holders, their intersection or union."""
    if isinstance(q, Term):
        return ranker.term_scores(q).ids
    if isinstance(q, Phrase):
        return check.holding(q)
    children = [_may_match(ranker, check, child) for child in q.children()]
    if not children:
        return np.zeros(0, dtype=np.int64)
    merge = np.intersect1d if isinstance(q, And) else np.union1d
    return functools.reduce(merge, children)


def _matches(
    ranker: Ranker, check: PhraseCheck | EveryPhrase, q: Query, docs: np.ndarray | set[int]
) -> dict[int, float]:
    """docnum -> score of those of ``docs`` that match ``q`` (``_scores_at``)."""
    if not isinstance(docs, np.ndarray):
        docs = np.fromiter(docs, dtype=np.int64, count=len(docs))
    present, scores = _scores_at(ranker, check, q, docs)
    return dict(zip(docs[present].tolist(), scores[present].tolist(), strict=True))


def _words_positions(reader: IndexReader, q: Query) -> float:
    """How many times the words of the query's phrases occur in their fields: what EveryPhrase reads."""
    return sum(reader.frequency(node.fieldname, w) for node in nodes(q) if isinstance(node, Phrase) for w in node.words)


def _scores_at(
    ranker: Ranker, check: PhraseCheck | EveryPhrase, node: Query, docs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(whether ``node`` matches each of ``docs``, its score there or 0.0), as Whoosh's matchers add it up: a term,
    its BM25F score; a phrase, the sum of its words' scores (boost included) where it holds; an AND, the sum of its
    branches where all match; an OR, the sum of those that match; each times the node's boost. The same sums in the
    same order (adding 0.0 for a branch that does not match changes no sum)."""
    if isinstance(node, Term):
        return _scores_of(ranker.term_scores(node), docs)
    if isinstance(node, Phrase):
        scored = check.scored(node) if isinstance(check, EveryPhrase) else None
        if scored is not None:  # its words' scores where it holds, from the postings read to find it
            return _scores_of(scored, docs)
        held = check.holding(node)
        if not isinstance(held, np.ndarray):  # EveryPhrase's are in order already
            held = np.sort(np.fromiter(held, dtype=np.int64, count=len(held)))
        present = _among_sorted(docs, held)
        total = np.zeros(len(docs), dtype=np.float64)
        for w in node.words:
            total = total + _scores_of(ranker.term_scores(Term(node.fieldname, w, boost=node.boost)), docs)[1]
        return present, np.where(present, total, 0.0)
    parts = [_scores_at(ranker, check, child, docs) for child in node.children()]
    reduce = np.logical_and.reduce if isinstance(node, And) else np.logical_or.reduce
    present = reduce([p for p, _ in parts]) if parts else np.zeros(len(docs), dtype=bool)
    total = np.zeros(len(docs), dtype=np.float64)
    for p, score in parts:
        total = total + np.where(p, score, 0.0)
    return present, np.where(present, total * node.boost, 0.0)


def _scores_of(scores: DocScores, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(whether each of ``docs`` is in ``scores``, its score there or 0.0)."""
    present, at = _find_sorted(docs, scores.ids)
    if not len(scores):
        return present, np.zeros(len(docs), dtype=np.float64)
    return present, np.where(present, scores.scores[at], 0.0)


def undated_phrase_matches(ranker: Ranker, q: Query, time_limit: float | None) -> int:
    """How many documents with no date hold a phrase query: its words' documents among them, then the
    phrase checked in those only."""
    undated = ranker.undated_docs()
    if not undated:
        return 0
    reader = ranker.s.reader()
    loose = q.accept(
        lambda node: And([Term(node.fieldname, w) for w in node.words]) if isinstance(node, Phrase) else node
    )
    candidates, _, _, _ = ranker.ranked(loose, set(undated), None, time_limit)
    return len(PhraseCheck(reader, q, [d for d, _ in candidates]).matching())


def _is_phrase_query(q: Query) -> bool:
    """Phrases, terms, and AND / OR / NOT of them, with at least one phrase: what ``PhraseCheck`` evaluates."""
    if not any(isinstance(leaf, Phrase) for leaf in q.leaves()):
        return False
    allowed = (query.And, query.Or, query.Not, query.AndNot, Phrase, Term)
    return all(isinstance(node, allowed) for node in nodes(q))


class PhraseCheck:
    """Which of some documents match a query of phrases and terms (``_is_phrase_query``), from the postings.

    Each term's postings are read only at the candidate documents (skipping in between), with positions where a
    phrase needs them.
    """

    def __init__(self, reader: IndexReader, q: Query, docnums: Sequence[int]) -> None:
        self.q = q
        self.reader = reader
        self.docnums = sorted(set(docnums))
        self._positions: dict[tuple[str, str], dict[int, object]] = {}
        self._decoders: dict[str, Callable[[object], list[int]]] = {}
        self._holding: dict[int, set[int]] = {}

    def matching(self) -> set[int]:
        """The documents checked that match. Without NOT, by sets: a phrase's positions are decoded only in the
        documents holding all its words in its field, where asking every document for every leaf (the headline's
        phrase and the body's) decoded every word's positions in every document."""
        if all(isinstance(node, (query.And, query.Or, Phrase, Term)) for node in nodes(self.q)):
            return self._docs(self.q)
        return {d for d in self.docnums if evaluate(self.q, functools.partial(self._holds, d=d))}

    def _docs(self, q: Query) -> set[int]:
        if isinstance(q, Term):
            return set(self._postings(q.fieldname, term_text(q.text)))
        if isinstance(q, Phrase):
            return self.holding(q)
        children = [self._docs(child) for child in q.children()]
        if isinstance(q, query.And):
            return set.intersection(*children) if children else set()
        return set().union(*children)

    def holding(self, phrase: Phrase) -> set[int]:
        """The documents checked that hold one phrase of the query, found once (``matching`` and scoring both ask)."""
        key = id(phrase)
        if key not in self._holding:
            words = [self._postings(phrase.fieldname, term_text(w)) for w in phrase.words]
            common = set(words[0]).intersection(*words[1:]) if words else set()
            decode, slop = self._decoder(phrase.fieldname), phrase.slop
            if len(words) == 2 and slop == 1:  # two words side by side: the usual phrase, in one set operation
                first, second = words
                found = {d for d in common if not set(decode(second[d])).isdisjoint([p + 1 for p in decode(first[d])])}
            else:
                found = {d for d in common if _positions_in_order([decode(w[d]) for w in words], slop)}
            self._holding[key] = found
        return self._holding[key]

    def _holds(self, q: Query, d: int) -> bool:
        if isinstance(q, Term):
            return d in self._postings(q.fieldname, term_text(q.text))
        if isinstance(q, Phrase):
            values = [self._postings(q.fieldname, term_text(w)).get(d) for w in q.words]
            if any(v is None for v in values):
                return False
            decode = self._decoder(q.fieldname)
            return _positions_in_order([decode(v) for v in values], q.slop)
        return False

    def _decoder(self, fieldname: str) -> Callable[[object], list[int]]:
        if fieldname not in self._decoders:
            fmt = self.reader.schema[fieldname].format
            self._decoders[fieldname] = (
                whoosh_read.positions_decoder(fmt) if fmt.supports("positions") else (lambda _value: [])
            )
        return self._decoders[fieldname]

    def _postings(self, fieldname: str, text: str) -> dict[int, object]:
        """docnum -> raw posting value (positions undecoded: ``_decoder``) of ``text`` in ``fieldname``, for the
        candidate documents that hold it."""
        key = (fieldname, text)
        if key not in self._positions:
            found: dict[int, object] = {}
            for sub, offset in self.reader.leaf_readers():
                if (fieldname, text) not in sub:
                    continue
                m = sub.postings(fieldname, text)
                end = offset + sub.doc_count_all()
                _deleted, leaf = whoosh_read.unwrap_deletions(m)  # candidates are live documents
                if whoosh_read.has_blocks(leaf):
                    wanted = [d - offset for d in self.docnums if offset <= d < end]
                    for sub_docnum, value in whoosh_read.values_at(leaf, wanted):
                        found[offset + sub_docnum] = value
                    continue
                for d in self.docnums:
                    if d < offset or d >= end:
                        continue
                    if not m.is_active():
                        break
                    if m.id() < d - offset:
                        m.skip_to(d - offset)
                        if not m.is_active():
                            break
                    if m.id() == d - offset:
                        found[d] = m.value()
            self._positions[key] = found
        return self._positions[key]


class EveryPhrase:
    """The documents holding a phrase, in the whole index, and the phrase's score in each: each word's positions
    read as arrays (``ArrayPositions`` in our codec's blocks: ``whoosh_read.posting_positions``) and matched as
    (document, position) keys at once.

    For a phrase of common words held in few of the documents holding its words ("free time": 16 of 1,247), where a
    check document by document decoded each word's positions one posting at a time. The rarest word is read first,
    and the others only in the blocks holding one of its documents; those blocks hold every word's weight in every
    document holding the phrase, and so its score there: the words' scores in every other document are never read.
    """

    def __init__(self, ranker: Ranker) -> None:
        self.ranker = ranker
        self._found: dict[int, tuple[np.ndarray, np.ndarray | None]] = {}

    @staticmethod
    def supports(reader: IndexReader, q: Query) -> bool:
        """Whether every phrase of ``q`` is one this reads: words side by side (slop 1), positions stored as arrays."""
        phrases = [node for node in nodes(q) if isinstance(node, Phrase)]
        return all(
            node.slop == 1
            and node.fieldname in reader.schema
            and isinstance(reader.schema[node.fieldname].format, ArrayPositions)
            for node in phrases
        )

    def holding(self, phrase: Phrase) -> np.ndarray:
        """The documents (top-level docnums, in order) holding ``phrase``."""
        return self._find(phrase)[0]

    def scored(self, phrase: Phrase) -> DocScores | None:
        """The documents holding ``phrase`` and its score in each (the sum of its words' BM25F scores, boost
        included, as ``_scores_at`` adds them up); None where the words' scores are not read this way."""
        docs, scores = self._find(phrase)
        return None if scores is None else DocScores(docs, scores)

    def _find(self, phrase: Phrase) -> tuple[np.ndarray, np.ndarray | None]:
        key = id(phrase)
        if key not in self._found:
            self._found[key] = self._read(phrase)
        return self._found[key]

    def _read(self, phrase: Phrase) -> tuple[np.ndarray, np.ndarray | None]:
        fmt = self.ranker.s.schema[phrase.fieldname].format
        texts = [term_text(w) for w in phrase.words]
        found: list[np.ndarray] = []
        scored: list[np.ndarray] | None = []
        for sub, offset in self.ranker.s.leaf_searchers():
            reader = sub.reader()
            if not texts or any((phrase.fieldname, t) not in reader for t in texts):
                continue
            # The rarest word's positions first; the others' only in the blocks holding one of its documents
            # ("were fireworks": 244 articles of "fireworks", not every block of "were").
            order = sorted(range(len(texts)), key=lambda k: reader.doc_frequency(phrase.fieldname, texts[k]))
            read: dict[int, whoosh_read.PostingPositions] = {}  # by the word's place in the phrase
            deleted: frozenset[int] | set[int] = frozenset()
            wanted: list[int] | None = None
            for k in order:
                deleted, m = whoosh_read.unwrap_deletions(reader.postings(phrase.fieldname, texts[k]))
                read[k] = whoosh_read.posting_positions(m, fmt, wanted)
                if wanted is None:
                    wanted = read[k].posting_docs.tolist()
            postings = [read[k] for k in range(len(texts))]
            keys = [r.docs * _POSITION_SPAN + r.positions for r in postings]  # one key per (document, position)
            first = keys[0]
            holds = np.ones(len(first), dtype=bool)
            for k, later in enumerate(keys[1:], 1):  # word k at the k-th position after the first word's
                holds &= _among_sorted(first + k, later)
            docs = np.unique(first[holds] // _POSITION_SPAN)
            if deleted:
                docs = docs[~np.isin(docs, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))]
            found.append(docs + offset)
            if scored is not None:
                scores = self._scores(sub, phrase, postings, docs)
                scored = None if scores is None else [*scored, scores]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        return np.concatenate(found), None if scored is None else np.concatenate(scored)

    def _scores(
        self, sub, phrase: Phrase, postings: list[whoosh_read.PostingPositions], docs: np.ndarray
    ) -> np.ndarray | None:
        """The phrase's score in the segment documents ``docs``, which hold it: its words' scores summed in order,
        each word's weight there read from its postings (the blocks read hold every document of the rarest word)."""
        total = np.zeros(len(docs), dtype=np.float64)
        for w, read in zip(phrase.words, postings, strict=True):
            _present, at = _find_sorted(docs, read.posting_docs)
            scores = self.ranker.scores_at(sub, Term(phrase.fieldname, w, boost=phrase.boost), docs, read.weights[at])
            if scores is None:
                return None
            total = total + scores
        return total


def _among_sorted(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is one of ``keys``, which are in increasing order (as a word's (document,
    position) keys are): a binary search each, where ``np.isin`` sorted or hashed both arrays again (21 of the 45
    ms of finding "they said" in 36,575 articles)."""
    return _find_sorted(values, keys)[0]


def _find_sorted(values: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(whether each of ``values`` is one of the increasing ``keys``, and where it is when it is), by binary search."""
    if not len(keys):
        return np.zeros(len(values), dtype=bool), np.zeros(len(values), dtype=np.intp)
    at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return keys[at] == values, at


_POSITION_SPAN = 1 << 32  # positions are uint32: a (document, position) key is document * 2**32 + position


def _positions_in_order(where: list[list[int]], slop: int) -> bool:
    """Word 1 at some position, word 2 at most ``slop`` positions after it, and so on (Whoosh's phrase rule)."""
    for start in where[0]:
        at = start
        for positions in where[1:]:
            nxt = next((p for p in positions if at < p <= at + slop), None)
            if nxt is None:
                break
            at = nxt
        else:
            return True
    return False


def has_phrase(tokens: list[tuple[int, str]], words: list[str], slop: int) -> bool:
    """``words`` in order in ``tokens`` ((position, term) pairs), each at most ``slop`` positions after the one
    before."""
    if not words:
        return True
    where: dict[str, list[int]] = {}
    for n, t in tokens:
        where.setdefault(t, []).append(n)
    return _positions_in_order([where.get(w, []) for w in words], slop)

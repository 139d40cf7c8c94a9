"""Phrases: a phrase query answered in two steps (its words rank candidates, then positions are read for the best
of them only), and whether documents or a quote's words hold a phrase."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from whoosh import query
from whoosh.query import And, Phrase, Query, Term
from whoosh.reading import IndexReader

from searchnews.engine import whoosh_read
from searchnews.engine.query import evaluate, nodes
from searchnews.engine.schema import term_text
from searchnews.engine.scoring import Ranker, best_scored

PHRASE_CANDIDATES = 200  # search(): best articles holding a phrase's words whose positions are read


def phrase_search(
    ranker: Ranker, q: Query, allow: Query | None, limit: int, time_limit: float | None
) -> tuple[list[tuple[int, float]], int, bool] | None:
    """A query with phrases, in two steps: ([(docnum, score)], total, capped), or None to search as usual.

    Whoosh checks a phrase in every document holding all its words: for "they said", reading the positions
    of both words in 15,000 articles (300-500 ms). Here the words alone (AND) rank the candidates, block by
    block, and only the best PHRASE_CANDIDATES of them have their positions read. When too few of those hold
    the phrase, the usual search runs instead, so an answer is never missed, only sometimes slower.
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
    candidates, matched, partial, _ = ranker.ranked(loose, allow, PHRASE_CANDIDATES, time_limit, optimize=True)
    if matched is not None:
        exhausted = matched <= PHRASE_CANDIDATES
    else:
        exhausted = not partial and len(candidates) < PHRASE_CANDIDATES
    checked = PhraseCheck(reader, q, [d for d, _ in candidates])
    holding = checked.matching()
    scored = [(d, score) for d, score in candidates if d in holding]
    if len(scored) < limit and not exhausted:
        return _every_candidate(ranker, q, loose, limit, checked, holding) if allow is None else None
    # Counted among the candidates: Whoosh's phrase matcher can read thousands of documents between two
    # matches, so even a time-bounded count of it overran by hundreds of milliseconds.
    return scored[:limit], len(scored), not exhausted


def _every_candidate(
    ranker: Ranker, q: Query, loose: Query, limit: int, checked: PhraseCheck, holding: set[int]
) -> tuple[list[tuple[int, float]], int, bool] | None:
    """The phrase checked in every document holding its words, scored as Whoosh scores the query (a phrase: the
    sum of its words' scores, times its boost; an OR: the sum of its branches that match), or None.

    For a rare phrase of common words ("base will": one article of 5,000) the best candidates rarely hold it, and
    Whoosh's phrase matcher then read both words' positions in every article holding both, a posting at a time:
    110 ms of a 230 ms search. Here the positions are read a block at a time for the same documents.
    """
    if any(isinstance(node, (query.Not, query.AndNot)) for node in nodes(q)):
        return None  # Whoosh scores NOT through its own matchers: leave those to it
    matched = ranker.term_matches(loose)
    if matched is None:
        return None
    seen = set(checked.docnums)  # the best candidates, checked already
    rest = PhraseCheck(ranker.s.reader(), q, [d for d in matched.docnums() if d not in seen])
    holding = holding | rest.matching()
    scored = {}
    for d in holding:
        score = _whoosh_score(ranker, checked if d in seen else rest, q, d)
        if score is not None:
            scored[d] = score
    return best_scored(scored, limit), len(holding), False


def _whoosh_score(ranker: Ranker, check: PhraseCheck, node: Query, d: int) -> float | None:
    """``node``'s score in document ``d`` as Whoosh's matchers add it up, or None when ``node`` does not match."""
    if isinstance(node, Term):
        return ranker.term_scores(node).get(d)
    if isinstance(node, Phrase):
        if not check.holds(node, d):
            return None
        # The words as ``loose`` has them, boost included: their scores are kept from ranking the candidates.
        return sum(ranker.term_scores(Term(node.fieldname, w, boost=node.boost)).get(d, 0.0) for w in node.words)
    scores = [_whoosh_score(ranker, check, child, d) for child in node.children()]
    if isinstance(node, And) and any(s is None for s in scores):
        return None
    found = [s for s in scores if s is not None]
    return sum(found) * node.boost if found else None


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
            words = [self._postings(q.fieldname, term_text(w)) for w in q.words]
            common = set(words[0]).intersection(*words[1:]) if words else set()
            return {d for d in common if self._holds(q, d)}
        children = [self._docs(child) for child in q.children()]
        if isinstance(q, query.And):
            return set.intersection(*children) if children else set()
        return set().union(*children)

    def holds(self, q: Query, d: int) -> bool:
        """Whether a Term or Phrase of the query holds in document ``d`` (one of the documents checked)."""
        return self._holds(q, d)

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

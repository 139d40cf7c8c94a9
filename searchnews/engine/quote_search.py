"""Quote search and "who said X": quotes matching a query picked out of the matching articles' stored quotes, and
the speakers of the quotes best matching a half-remembered phrase."""

from __future__ import annotations

import dataclasses
import itertools
import re
import time
from collections.abc import Mapping, Sequence
from datetime import date

from whoosh import query, sorting
from whoosh.query import And, Every, Or, Phrase, Query, Term
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from searchnews.engine import facets, provenance
from searchnews.engine.documents import article_quote_hits, name_term, stored_quotes
from searchnews.engine.highlight import find_terms, query_terms
from searchnews.engine.phrases import has_phrase
from searchnews.engine.provenance import ProvenanceReader, QuotePrints, fingerprints, related
from searchnews.engine.query import MAX_QUERY_CHARS, date_filter, evaluate
from searchnews.engine.schema import (
    TOKEN_PATTERN,
    fold_word,
    has_unspaced,
    index_term,
    term_text,
    text_terms,
    unspaced_pieces,
)
from searchnews.engine.scoring import LATEST_DATE, Ranker
from searchnews.errors import QuerySyntaxError
from searchnews.model import Occurrence, QuoteHit, QuoteProvenance, QuoteResult, Span, normalise_text, speaker_key

COUNT_SECONDS = 0.01
SORTS = facets.SORTS
# Quotes of a list given their provenance unless asked for more (a lookup costs ~0.5-1 ms at 36k articles and 6
# segments: 60 of them took a TUI quote list from 13 to 64 ms of CPU). The rest are still listed once each.
PROVENANCE_LOOKUPS = 20
WHO_ARTICLES = 30  # who(): articles whose quotes are scored one by one
WHO_POSTINGS = 2000  # who(): postings read to find candidate articles (see who())
WHO_ENOUGH = 10  # who(): that many articles holding both rarest words, and the others are not read
# who(): first the articles whose quotes hold both of the phrase's two rarest words. Three: the source quote of
# 131 of 150 benchmark phrases ranked first instead of 125, for lookups 1.7x slower at p95.
WHO_TOGETHER = 2
WHO_SLOP = 4  # who(): words of the phrase this far apart still count as in order
# who(): length normalisation of a quote's score, BM25's defaults around a typical quote's length
_BM25_K1, _BM25_B, _QUOTE_WORDS = 1.2, 0.75, 30
_BM25_K1_PLUS_1 = _BM25_K1 + 1
_TOKEN = re.compile(TOKEN_PATTERN)


def _newest_first_key(ticks: object) -> int:
    """Sort key of a date column value: newest first, an undated article (the column's default, past every real
    date) last, as ``search --sort date`` orders them."""
    return -ticks if isinstance(ticks, int) and ticks <= LATEST_DATE else 1


_NEWEST_FIRST = sorting.MultiFacet(
    [sorting.TranslateFacet(_newest_first_key, sorting.FieldFacet("date")), sorting.FieldFacet("id")]
)


def search_quotes(
    ranker: Ranker,
    q: Query | None,
    names: frozenset[str] | None,
    *,
    text: str,
    limit: int | None,
    since: date | None,
    until: date | None,
    time_limit: float | None,
    started: float,
    provenance: ProvenanceReader | None = None,
    lookups: int = PROVENANCE_LOOKUPS,
    sort: str = "relevance",
    sources: Sequence[str] = (),
) -> QuoteResult:
    """Quotes matching the parsed query ``q`` (None: any) and said by one of ``names`` (``speaker_name`` terms;
    None: anyone), one row a quote, each quote once with its provenance.

    The articles whose quotes match are found by the index (best first, or newest first when there are no
    words to rank by or ``sort`` is "date"); the matching quotes are then picked out of each article's stored
    quotes. ``sources``: only articles from these sources (names as written, any case).
    """
    if sort not in SORTS:
        raise QuerySyntaxError(f"unknown sort {sort!r} (one of: {', '.join(SORTS)})")
    conditions: list[Query] = []
    if names is not None:
        conditions.append(Or([Term("speaker_name", n) for n in sorted(names)]))
    source_keys = {facets.source_key(ranker.s, name) for name in sources}
    if source_keys:
        conditions.append(Or([And([Term("source", w) for w in key]) if key else Every() for key in source_keys]))
    if q is None and not conditions:
        conditions.append(Every())
    allow = date_filter(since, until)
    article_query = And([q, *conditions]) if q is not None and conditions else (q or And(conditions))
    matcher = QuoteMatcher(ranker.s.reader(), q) if q is not None else None
    order = None if q is not None and sort == "relevance" else _NEWEST_FIRST

    def wanted(hit: QuoteHit) -> bool:
        return (
            (names is None or name_term(hit.speaker) in names)
            and (not source_keys or facets.source_key(ranker.s, hit.source) in source_keys)
            and (matcher is None or matcher.matches(hit))
        )

    def collect(page: int | None) -> tuple[list[QuoteHit], int, bool, bool, int]:
        """(hits, total, capped, more, undated): the matching quotes of the first ``page`` matching articles,
        and how many articles with no date the date filter left out."""
        scored, matched, partial, undated = ranker.ranked(article_query, allow, page, time_limit, sortedby=order)
        more = page is not None and (matched > page if matched is not None else len(scored) >= page)
        hits: list[QuoteHit] = []
        total, count_until = 0, None
        for docnum, score in scored:
            found = [qh for qh in article_quote_hits(ranker.s.stored_fields(docnum), score) if wanted(qh)]
            total += len(found)
            if limit is None or len(hits) < limit:
                hits.extend(found if limit is None else found[: limit - len(hits)])
                if limit is not None and len(hits) >= limit:
                    count_until = time.perf_counter() + COUNT_SECONDS
            elif count_until is not None and time.perf_counter() > count_until:
                return hits, total, True, True, undated
        return hits, total, partial or more, more, undated

    # Most matching articles hold a matching quote, so a page of ``limit`` articles usually fills the list;
    # when it does not (a speaker's quotes on another subject), read more articles, then all of them.
    pages = [None] if limit is None else [max(limit, 10), max(limit, 10) * 10, None]
    for page in pages:
        hits, total, capped, more, undated = collect(page)
        if not more or len(hits) >= (limit or 0):
            break
    hits = grouped(ranker, hits, provenance, lookups)
    if matcher is not None:
        hits = [dataclasses.replace(h, text_spans=matcher.spans(h.text)) for h in hits]
    undated += ranker.undated_left_out_by_clauses(article_query, time_limit)
    return QuoteResult(tuple(hits), total, time.perf_counter() - started, text, capped, undated_excluded=undated)


def who(ranker: Ranker, phrase: str, *, limit: int = 10, provenance: ProvenanceReader | None = None) -> QuoteResult:
    """The speakers of the quotes best matching a half-remembered phrase, best first, one row a speaker.

    Every word may match (a missing or wrong word costs score, not the answer); words in order and near
    each other score higher.
    """
    started = time.perf_counter()
    if len(phrase) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"phrase too long ({len(phrase)} characters; at most {MAX_QUERY_CHARS})")
    words = [t.text for t in ranker.s.schema["quote"].analyzer(normalise_text(phrase), mode="query")]
    if not words:
        raise QuerySyntaxError(f"no words to look for in {phrase!r}")
    unique = list(dict.fromkeys(words))
    weights = {w: ranker.s.idf("quote", w) for w in unique}
    df = {w: ranker.s.doc_frequency("quote", w) for w in unique}
    present = [w for w in unique if df[w]]
    if not present:
        return QuoteResult((), 0, time.perf_counter() - started, phrase)
    # Candidates come from the postings of the phrase's rarest words only: a phrase matcher, or the postings of
    # "the" and "we", would read most of the index. Every word, its order and nearness count in each quote's
    # score below. First the articles whose quotes hold both of the two rarest words (the quote a phrase comes
    # from holds them all), then, if too few, those holding any of the rarest words that fit in a budget of
    # postings (the rarest always).
    ranked = sorted(present, key=df.__getitem__)
    keys, budget = [], WHO_POSTINGS
    for w in ranked:
        if keys and df[w] > budget:
            break
        keys.append(w)
        budget -= df[w]
    articles: dict[int, None] = {}  # docnums, best first
    together = ranked[:WHO_TOGETHER]
    queries: list[Query] = [Or([Term("quote", w) for w in keys])]
    if len(together) > 1:
        queries.insert(0, And([Term("quote", w) for w in together]))
    for candidates in queries:
        if len(articles) >= WHO_ENOUGH:
            break
        found, _, _, _ = ranker.ranked(candidates, None, WHO_ARTICLES, None)
        for docnum, _score in found:
            if len(articles) < WHO_ARTICLES:
                articles.setdefault(docnum, None)
    keys = list(dict.fromkeys([*keys, *together]))
    wanted = frozenset(words)
    # A quote is scored only if it holds one of the key words, by a first (C-speed) look at its text: the
    # first three letters of a stem are the first three of every word it stems.
    key_starts = tuple({k[:3] for k in keys})
    scored: list[tuple[float, int, QuoteHit]] = []
    for rank, docnum in enumerate(articles):
        for qh in article_quote_hits(ranker.s.stored_fields(docnum), 0.0):
            if not any(k in fold_word(qh.text) for k in key_starts):
                continue
            score = _who_score(*_positions(qh.text, wanted), words, weights)
            if score > 0:
                scored.append((score, rank, qh))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best: dict[str, QuoteHit] = {}
    shown: list[QuotePrints] = []  # one row a quote: a repeat of a quote shown is not shown again
    for score, _rank, qh in scored:
        key = speaker_key(qh.speaker) or f"?{len(best)}"
        if key in best:
            continue
        prints = fingerprints(qh.text)
        if related(prints, shown):
            continue
        shown.append(prints)
        best[key] = dataclasses.replace(
            qh, score=round(score, 4), text_spans=tuple(Span(s, e) for s, e in find_terms(qh.text, set(words)))
        )
        if len(best) >= limit:
            break
    hits = with_provenance(ranker, list(best.values()), shown, provenance)
    return QuoteResult(tuple(hits), len(scored), time.perf_counter() - started, phrase)


def grouped(
    ranker: Ranker, hits: list[QuoteHit], provenance: ProvenanceReader | None = None, lookups: int = PROVENANCE_LOOKUPS
) -> list[QuoteHit]:
    """Each quote once (the first of its repeats in ``hits``: the best ranked), the first ``lookups`` with their
    provenance."""
    kept: list[QuoteHit] = []
    shown: list[QuotePrints] = []
    for hit in hits:
        prints = fingerprints(hit.text)
        if not related(prints, shown):
            kept.append(hit)
            shown.append(prints)
    return with_provenance(ranker, kept, shown, provenance, lookups)


def with_provenance(
    ranker: Ranker,
    hits: list[QuoteHit],
    prints: list[QuotePrints],
    reader: ProvenanceReader | None = None,
    lookups: int | None = None,
) -> list[QuoteHit]:
    """``hits`` (with their fingerprints ``prints``), the first ``lookups`` (None: all) with their provenance
    (``reader``: the searcher's, which keeps its columns open)."""
    reader = reader or ProvenanceReader(ranker.s)
    return [
        dataclasses.replace(
            hit, provenance=reader.provenance(p, Occurrence(hit.article_id, hit.date, hit.source, hit.quote_index))
        )
        if lookups is None or i < lookups
        else hit
        for i, (hit, p) in enumerate(zip(hits, prints, strict=True))
    ]


def _analyse(text: str) -> list[tuple[int, str]]:
    """The index terms of a quote with their positions, in order."""
    return [(pos, term) for _s, _e, term, pos in text_terms(text)]


def _positions(text: str, terms: frozenset[str]) -> tuple[dict[str, list[int]], int]:
    """Where each of ``terms`` occurs in ``text`` (word positions), and how many words ``text`` has.

    Only the words that start as some term does are folded and stemmed (see ``find_terms``).
    """
    starts = frozenset(t[:2] for t in terms)
    where: dict[str, list[int]] = {}
    pos = 0
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word.isascii():
            if word[:2].lower() in starts:
                term = index_term(word)
                if term in terms:
                    where.setdefault(term, []).append(pos)
            pos += 1
        elif has_unspaced(word):
            last = pos - 1
            for _s, _e, term, p in unspaced_pieces(word):
                last = pos + p
                if term in terms:
                    where.setdefault(term, []).append(last)
            pos = last + 1
        else:
            term = index_term(word)
            if term in terms:
                where.setdefault(term, []).append(pos)
            pos += 1
    return where, pos


def _who_score(where: dict[str, list[int]], length: int, words: list[str], weights: Mapping[str, float]) -> float:
    """How well a quote holds a half-remembered phrase, from where the phrase's words are in it (``_positions``).

    The weight (idf) of each word found, and as much again for each pair of neighbouring words found in order,
    at most WHO_SLOP words apart; then, as BM25 does, a little less for a longer quote (the phrase is a smaller
    part of it).
    """
    score = sum(weights[w] for w in where)
    if score == 0:
        return 0.0
    for a, b in itertools.pairwise(words):
        if a in where and b in where and any(0 < j - i <= WHO_SLOP for i in where[a] for j in where[b]):
            score += (weights[a] + weights[b]) / 2
    return score * _BM25_K1_PLUS_1 / (1 + _BM25_K1 * (1 - _BM25_B + _BM25_B * length / _QUOTE_WORDS))


class QuoteMatcher:
    """Whether one quote, on its own, matches a query parsed with the quote fields (``quote``, ``speaker``).

    The index finds the articles; this decides which of their quotes match, so that "fair AND deal" lists a
    quote holding both words, not two quotes of one article holding one each. Conditions on other fields (a
    date, a headline word) are the article's, already met.
    """

    def __init__(self, reader: IndexReader, q: Query) -> None:
        self.q = q
        self.reader = reader
        self.terms = query_terms(reader, q, "quote")
        self._expanded: dict[int, frozenset[str]] = {}

    def matches(self, hit: QuoteHit) -> bool:
        tokens = _analyse(hit.text)
        terms = frozenset(term for _pos, term in tokens)
        who = f"{hit.speaker}\n{hit.role}" if hit.role else hit.speaker  # who: matches a name or a role
        speaker = frozenset(term for _s, _e, term, _pos in text_terms(who, stemming=False))

        def leaf(q: Query) -> bool:
            fieldname = getattr(q, "fieldname", None)
            if fieldname not in ("quote", "speaker"):
                return True
            words = terms if fieldname == "quote" else speaker
            if isinstance(q, Phrase):
                return fieldname != "quote" or has_phrase(tokens, [term_text(w) for w in q.words], q.slop)
            if isinstance(q, Term):
                return term_text(q.text) in words
            if isinstance(q, query.MultiTerm):
                return not words.isdisjoint(self._expand(q))
            return True

        return evaluate(self.q, leaf)

    def spans(self, text: str) -> tuple[Span, ...]:
        return tuple(Span(s, e) for s, e in find_terms(text, self.terms))

    def _expand(self, q: Query) -> frozenset[str]:
        if id(q) not in self._expanded:
            try:
                found = frozenset(term_text(t) for _f, t in q.expanded_terms(self.reader))
            except Exception:
                found = frozenset()
            self._expanded[id(q)] = found
        return self._expanded[id(q)]


def quote_group(
    searcher: Searcher, article_id: str, quote_index: int, reader: ProvenanceReader | None = None
) -> QuoteProvenance | None:
    """Every occurrence of one quote (named by its article and its place there), each with its article's
    headline and its own wording and speaker; None when the index has no such quote."""
    fields = searcher.document(id=article_id)
    quotes = stored_quotes(fields) if fields is not None else []
    if not 0 <= quote_index < len(quotes):
        return None
    reader = reader or ProvenanceReader(searcher)
    own_docnum = searcher.document_number(id=article_id)
    own_article = reader.article(own_docnum)
    own = Occurrence(article_id, own_article.date, own_article.source, quote_index)
    found = reader.provenance(fingerprints(quotes[quote_index].text), own)
    filled = []
    for o in found.occurrences:
        doc = searcher.document(id=o.article_id) or {}
        q = stored_quotes(doc)[o.quote_index]
        filled.append(dataclasses.replace(o, headline=doc.get("headline", ""), text=q.text, speaker=q.speaker))
    return provenance.summarise(filled)

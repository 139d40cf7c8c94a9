"""Reading the index: article search with highlighted snippets, quotes, "who said X", speakers, suggestions.

``NewsIndex`` is shared by threads; each thread asks it for its own ``NewsSearcher`` (a Whoosh searcher is
not thread-safe). A searcher sees one generation of the index: ``is_current()`` tells when a newer one exists,
and the caller opens a new searcher then (never ``Searcher.refresh()``: in 2.7.5 it returns deleted documents).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import heapq
import itertools
import re
import struct
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from whoosh import highlight, qparser, query, scoring, sorting
from whoosh.analysis import Token
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.collectors import FilterCollector, TimeLimitCollector, TopCollector
from whoosh.index import Index
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, DateRange, Every, FuzzyTerm, Or, Phrase, Query, Term
from whoosh.reading import IndexReader
from whoosh.searching import Searcher, TimeLimit
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import datetime_to_long

from searchnews.engine.documents import count_documents, name_term, stored_quotes
from searchnews.engine.schema import (
    TOKEN_PATTERN,
    UNSPACED_CHARS,
    WORD_MARKS,
    fold_word,
    has_unspaced,
    stem,
    text_terms,
    unspaced_pieces,
)
from searchnews.engine.store import IndexStore
from searchnews.errors import QuerySyntaxError
from searchnews.model import Article, Hit, Quote, QuoteHit, Span, normalise_text, speaker_key

# The body holds every quote too: searching the quote field as well would only double the work (said: reaches it).
ARTICLE_FIELDS = ("headline", "body")
QUOTE_FIELDS = ("quote", "speaker")
# Friendly names for fields in queries: who:shoigu, said:"important role", title:border.
ALIASES = {"speaker": ["who"], "quote": ["said"], "headline": ["title"]}
SNIPPET_CHARS = 220
# Snippets are cut from an article's first characters only, as Lucene's highlighter reads only the first 50 KB
# (maxDocCharsToAnalyze): finding the words in all of an 18 MB one-line article took 2.5 s a search. Twice
# Lucene's figure; the longest article of the 36,575 in the benchmark corpus has 28,396 characters.
SNIPPET_SCAN_CHARS = 100_000
COUNT_SECONDS = 0.01
MAX_QUERY_CHARS = 2000
MAX_EXPANSIONS = 1000  # words a wildcard may match (Lucene's clause limit is 1,024)
FUZZY_PREFIX = 1  # a fuzzy word's first letters that must match exactly (Lucene's FuzzyQuery has the same knob)
# "word~9" would walk most of the lexicon (20 s on a tiny index): edit distances above 2 count as 2.
MAX_FUZZY_DISTANCE = 2
SPEAKER_SCAN_LIMIT = 2000  # articles read to count speakers of a query
PHRASE_CANDIDATES = 200  # search(): best articles holding a phrase's words whose positions are read
# search(): words are scored a term at a time when their postings not yet scored number at most this many
# (more goes to Whoosh's search, which a time limit can cut short); the scores of recent words are kept, up to
# WORD_CACHE_POSTINGS documents in all (about 90 bytes each).
TERM_SEARCH_POSTINGS = 250_000
WORD_CACHE_POSTINGS = 400_000
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
_STEMMED_FIELDS = frozenset({"headline", "body", "quote"})
_TOKEN = re.compile(TOKEN_PATTERN)


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


@dataclass(frozen=True)
class IndexStats:
    articles: int
    quotes: int
    size_bytes: int
    modified: float  # epoch seconds of the last commit
    generation: tuple[str, int]


class NewsIndex:
    """An open index, shared by threads; ``searcher()`` gives each thread its own searcher."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = IndexStore(root)
        # The generation first, then the index: a rebuild swapping in between makes swapped() true (one needless
        # reopen), where the other order would pair an old index with the new name and never tell it is stale.
        self._gen_dir = self.store.current_dir()
        self.ix: Index = self.store.open()

    def searcher(self) -> NewsSearcher:
        return NewsSearcher(self.ix.searcher(weighting=_BM25_CACHED_LENGTHS), self)

    def generation(self) -> tuple[str, int]:
        """Changes whenever a commit or a rebuild makes new data visible."""
        current = self.store.current_dir()
        name = current.name if current else ""
        if current != self._gen_dir:
            return name, -1
        return name, self.ix.latest_generation()

    def swapped(self) -> bool:
        """True when a rebuild has replaced the generation this object opened: ``reopen()`` it."""
        return self.store.current_dir() != self._gen_dir

    def reopen(self) -> NewsIndex:
        return NewsIndex(self.root)

    def stats(self) -> IndexStats:
        articles, quotes = count_documents(self.ix)
        gen = self.store.current_dir()
        toc = [f for f in gen.iterdir() if f.suffix == ".toc"] if gen else []
        modified = max((f.stat().st_mtime for f in toc), default=0.0)
        return IndexStats(articles, quotes, self.store.size_bytes(), modified, self.generation())


class NewsSearcher:
    """One thread's view of one generation of the index."""

    def __init__(self, searcher: Searcher, index: NewsIndex) -> None:
        self.s = searcher
        self.index = index
        self.schema = searcher.schema
        self._article_parser = _parser(ARTICLE_FIELDS, self.schema, {"headline": 2.0})
        self._quote_parser = _parser(QUOTE_FIELDS, self.schema, {"speaker": 0.5})
        self._spelling_parser = _parser(("spelling",), self.schema, {})
        self._speaker_groups: list[SpeakerCount] | None = None
        self._undated: frozenset[int] | None = None
        self._word_scores: OrderedDict[tuple, dict[int, float]] = OrderedDict()
        self._word_scores_size = 0

    def close(self) -> None:
        self.s.close()

    def __enter__(self) -> NewsSearcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def warm(self) -> None:
        """Read now what the first search would: each segment's field lengths for scoring."""
        for sub, _offset in self.s.leaf_searchers():
            for fieldname in (*ARTICLE_FIELDS, *QUOTE_FIELDS):
                _field_lengths(sub.reader(), fieldname)

    def is_current(self) -> bool:
        """False once a commit or a rebuild has made newer data visible: open a new searcher then."""
        return not self.index.swapped() and self.s.up_to_date()

    # -- articles -------------------------------------------------------------------------------------------

    def parse(self, text: str) -> Query:
        return self._bounded(_parse(self._article_parser, text), text)

    def _bounded(self, q: Query, text: str) -> Query:
        """``q`` with its expanding words kept cheap: a fuzzy word keeps its first letter (FUZZY_PREFIX), and a
        wildcard may match at most MAX_EXPANSIONS words of the index (else QuerySyntaxError).

        Whoosh builds a scored matcher for every word a wildcard matches before the search starts, so before any
        time limit (``a*`` took 1.5 s, with nothing found in the time left); and it finds a fuzzy word's
        neighbours by measuring its distance to every word of the field (``tajikistn~`` 4.5 s, ``~2`` 13 s).
        """
        reader = self.s.reader()
        for node in q.leaves():
            if isinstance(node, FuzzyTerm):
                node.prefixlength = max(node.prefixlength, FUZZY_PREFIX)
            elif isinstance(node, query.MultiTerm):
                n = sum(1 for _ in itertools.islice(node.expanded_terms(reader), MAX_EXPANSIONS + 1))
                if n > MAX_EXPANSIONS:
                    shown = f"{node.text}*" if isinstance(node, query.Prefix) else node.text
                    raise QuerySyntaxError(
                        f"{shown!r} matches more than {MAX_EXPANSIONS:,} words (in {text!r}): add letters"
                    )
        return q

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        since: date | None = None,
        until: date | None = None,
        time_limit: float | None = None,
        suggest: bool = True,
    ) -> SearchResult:
        started = time.perf_counter()
        q = self.parse(text)
        allow = _date_filter(since, until)
        # No terms=True: recording matched terms makes Whoosh score every match; snippets find the words in the
        # stored body instead (_match_tokens).
        body_terms = self.query_terms(q, "body")
        headline_terms = self.query_terms(q, "headline")
        found = self._phrase_search(q, allow, limit, time_limit)
        if found is not None:
            scored, total, capped = found
            partial = False
            undated = self._undated_phrase_matches(q, time_limit) if allow is not None else 0
        else:
            scored, matched, partial, undated = self._ranked(q, allow, limit, time_limit)
            # Past the time limit, the count is of what was read: the status line says the limit was hit.
            total, capped = (len(scored) if partial or matched is None else matched), False
        undated += self._undated_left_out_by_clauses(q, time_limit)
        hits = tuple(self._hit(d, score, headline_terms, body_terms) for d, score in scored)
        suggestion = self.suggest(text) if (suggest and total == 0) else None
        return SearchResult(
            hits, total, time.perf_counter() - started, text, suggestion, partial, capped, undated_excluded=undated
        )

    def _undated_docs(self) -> frozenset[int]:
        """The documents with no date (top-level docnums), read from the date column once per searcher."""
        if self._undated is None:
            undated: set[int] = set()
            for sub, offset in self.s.reader().leaf_readers():
                if not sub.doc_count_all() or not sub.has_column("date"):
                    continue
                for docnum, value in enumerate(_column_values(sub.column_reader("date", translate=False))):
                    if value > _LATEST_DATE:  # the column's default: no date
                        undated.add(offset + docnum)
            self._undated = frozenset(undated)
        return self._undated

    def _undated_left_out_by_clauses(self, q: Query, time_limit: float | None) -> int:
        """How many documents with no date the query's own ``date:`` conditions leave out: those that match the
        query with its date conditions taken as met, less those that match it as it is."""
        if not any(_is_date_condition(node) for node in _nodes(q)):
            return 0
        undated = self._undated_docs()
        if not undated:
            return 0
        met = q.accept(lambda node: Every() if _is_date_condition(node) else node)
        _, with_dates_met, _, _ = self._ranked(met, set(undated), 1, time_limit)
        _, as_it_is, _, _ = self._ranked(q, set(undated), 1, time_limit)
        return max(0, (with_dates_met or 0) - (as_it_is or 0))

    def _undated_phrase_matches(self, q: Query, time_limit: float | None) -> int:
        """How many documents with no date hold a phrase query: its words' documents among them, then the
        phrase checked in those only."""
        undated = self._undated_docs()
        if not undated:
            return 0
        reader = self.s.reader()
        loose = q.accept(
            lambda node: And([Term(node.fieldname, w) for w in node.words]) if isinstance(node, Phrase) else node
        )
        candidates, _, _, _ = self._ranked(loose, set(undated), None, time_limit)
        return len(_PhraseCheck(reader, q, [d for d, _ in candidates]).matching())

    def _ranked(
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

        Scored a term at a time when the query allows it (``_term_search``), else by Whoosh (``_run``).
        """
        if allow is None and sortedby is None:
            found = self._term_search(q, limit if limit is not None else self.s.doc_count_all())
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
        collector = top = self.s.collector(limit=limit, sortedby=sortedby, optimize=optimize)
        if any(isinstance(leaf, query.MultiTerm) for leaf in q.leaves()):
            # Whoosh re-optimises the matcher tree every few matches (dropping exhausted branches: a common word's
            # headline postings end long before its body postings, and the search then runs 4x faster). For a
            # wildcard's tree of hundreds of terms that re-optimising is 90% of the search: not for those.
            collector.replace = 0
        if time_limit is not None:
            collector = TimeLimitCollector(collector, timelimit=time_limit, use_alarm=False)
        counter = None
        if allow is not None:
            collector = counter = _DateFilterCollector(collector, allow, self._undated_docs())
        try:
            self.s.search_with_collector(q, collector)
        except TimeLimit:
            return collector.results(), True, None, counter.undated_count if counter else 0
        # Without block skipping, Whoosh's top-N collector sees every match (after the filter) and counts them.
        matched = top.total if isinstance(top, TopCollector) and not optimize else None
        return collector.results(), False, matched, counter.undated_count if counter else 0

    def _term_search(self, q: Query, limit: int) -> tuple[list[tuple[int, float]], int, bool] | None:
        """Terms joined by AND and OR, scored a term at a time: ([(docnum, score)], total, False); None for any
        other query.

        That is what the parser makes of words (each word an OR across fields, words joined by AND), and what a
        phrase becomes when its words are loosened (``_phrase_search``). The same BM25F scores, order and count as
        Whoosh's search (a test compares them), without its per-document method calls: a word in most articles
        ("said", or the first letter typed in the TUI) took 100 ms, most of it in those calls. Typing re-runs
        nearly the same query at every key ("seven a", "seven ac", ...): each word's scores are kept, so only the
        word being typed is read from the postings.
        """
        if not _terms_only(q):
            return None
        reader = self.s.reader()
        cache = self._word_scores
        unread = sum(
            reader.doc_frequency(t.fieldname, _text(t.text))
            for t in {_node_key(t): t for t in q.leaves()}.values()
            if _node_key(t) not in cache
        )
        if unread > TERM_SEARCH_POSTINGS:
            return None
        matched = self._scores(q)
        if matched is None:
            return None  # not the index this was written for: Whoosh's own search
        best = heapq.nsmallest(limit, matched.items(), key=lambda item: (-item[1], item[0]))
        return best, len(matched), False

    def _scores(self, node: Query) -> dict[int, float] | None:
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
            if type(node) is And:
                smallest = min(maps, key=len)
                # Summed in the query's order, as Whoosh's AND does. An AND is not kept: the next key changes it.
                return {d: sum(m[d] for m in maps) for d in smallest if all(d in m for m in maps)}
            if len(maps) == 1:
                return maps[0]  # kept as its child
            scores = {}
            for m in maps:  # OR: every document of any child, its scores summed
                for d, v in m.items():
                    scores[d] = scores.get(d, 0.0) + v
        if scores is not None:
            cache[key] = scores
            self._word_scores_size += len(scores)
            while self._word_scores_size > WORD_CACHE_POSTINGS and len(cache) > 1:
                _, dropped = cache.popitem(last=False)
                self._word_scores_size -= len(dropped)
        return scores

    def _term_scores(self, t: Term) -> dict[int, float] | None:
        """One term's BM25F score in each document holding it, read from its postings a block at a time."""
        text = _text(t.text)
        scores: dict[int, float] = {}
        for sub, offset in self.s.leaf_searchers():
            reader = sub.reader()
            if (t.fieldname, text) not in reader:
                continue
            scorer = self.s.weighting.scorer(sub, t.fieldname, text)
            lengths = _field_lengths(reader, t.fieldname)
            postings = reader.postings(t.fieldname, text)
            deleted: frozenset[int] | set[int] = frozenset()
            if isinstance(postings, FilterMatcher) and postings._exclude:
                deleted, postings = postings._ids, postings.child
            if (
                not isinstance(scorer, scoring.BM25FScorer)
                or lengths is None
                or not isinstance(postings, W3LeafMatcher)
            ):
                return None
            _score_postings(postings, scorer, lengths, deleted, offset, t.boost, scores)
        return scores

    def _phrase_search(
        self, q: Query, allow: Query | None, limit: int, time_limit: float | None
    ) -> tuple[list[tuple[int, float]], int, bool] | None:
        """A query with phrases, in two steps: ([(docnum, score)], total, capped), or None to search as usual.

        Whoosh checks a phrase in every document holding all its words: for "they said", reading the positions
        of both words in 15,000 articles (300-500 ms). Here the words alone (AND) rank the candidates, block by
        block, and only the best PHRASE_CANDIDATES of them have their positions read. When too few of those hold
        the phrase, the usual search runs instead, so an answer is never missed, only sometimes slower.
        """
        if not _is_phrase_query(q):
            return None
        fields = {node.fieldname for node in _nodes(q) if isinstance(node, Phrase)}
        if not all(self.schema[f].format.supports("positions") for f in fields if f in self.schema):
            return None  # the usual search names the field without positions
        reader = self.s.reader()

        def loosen(node: Query) -> Query:
            """A phrase becomes its words, all required, the rarest first: it leads the skipping."""
            if not isinstance(node, Phrase):
                return node
            words = sorted(set(node.words), key=lambda w: reader.doc_frequency(node.fieldname, w))
            return And([Term(node.fieldname, w, boost=node.boost) for w in words])

        loose = q.accept(loosen)
        candidates, matched, partial, _ = self._ranked(loose, allow, PHRASE_CANDIDATES, time_limit, optimize=True)
        if matched is not None:
            exhausted = matched <= PHRASE_CANDIDATES
        else:
            exhausted = not partial and len(candidates) < PHRASE_CANDIDATES
        holding = _PhraseCheck(reader, q, [d for d, _ in candidates]).matching()
        scored = [(d, score) for d, score in candidates if d in holding]
        if len(scored) < limit and not exhausted:
            return None
        # Counted among the candidates: Whoosh's phrase matcher can read thousands of documents between two
        # matches, so even a time-bounded count of it overran by hundreds of milliseconds.
        return scored[:limit], len(scored), not exhausted

    def _hit(self, docnum: int, score: float | None, headline_terms: frozenset[str], body_terms: frozenset[str]) -> Hit:
        fields = self.s.stored_fields(docnum)
        body = _snippet_source(fields.get("body", ""))
        snippet, spans = _snippet(body, _match_tokens(body, body_terms))
        headline = fields.get("headline", "")
        return Hit(
            id=fields["id"],
            headline=headline,
            date=_iso(fields.get("date")),
            source=fields.get("source", ""),
            url=fields.get("url", ""),
            path=fields.get("path", ""),
            score=round(float(score or 0.0), 4),
            snippet=snippet,
            snippet_spans=spans,
            speakers=tuple(name for name, _ in fields.get("speaker_counts", ())),
            headline_spans=self.spans(headline, "headline", headline_terms),
        )

    def query_terms(self, q: Query, fieldname: str) -> frozenset[str]:
        """The index terms a query matches in one field, wildcards and fuzzy terms expanded."""
        try:
            # Pass fieldname: without it, Whoosh 2.7.5's existing_terms reuses its ``fieldname`` argument as a
            # loop variable and so, after the first term, skips every term of another field.
            terms = q.existing_terms(self.s.reader(), expand=True, fieldname=fieldname)
        except Exception:  # a huge wildcard expansion is not worth failing a search over its highlighting
            terms = q.iter_all_terms()
        found = {_text(t) for f, t in terms if f == fieldname}
        # A word of a script written without spaces, longer than two characters, is a phrase of character pairs:
        # the word itself goes with them, so that highlighting shows where the whole word is, not every pair.
        for node in _nodes(q):
            if isinstance(node, Phrase) and node.fieldname == fieldname:
                word = _unspaced_word([_text(w) for w in node.words])
                if word:
                    found.add(word)
        return frozenset(found)

    def spans(self, text: str, fieldname: str, terms: frozenset[str]) -> tuple[Span, ...]:
        """Where the index terms ``terms`` of ``fieldname`` occur in ``text``."""
        if not terms or not text:
            return ()
        stemming = fieldname in _STEMMED_FIELDS
        return tuple(Span(s, e) for s, e in _find_terms(text, terms, stemming))

    def article(self, article_id: str) -> Article | None:
        f = self.s.document(id=article_id)
        if f is None:
            return None
        return Article(
            id=f["id"],
            headline=f.get("headline", ""),
            body=f.get("body", ""),
            path=f.get("path", ""),
            date=_iso(f.get("date")),
            source=f.get("source", ""),
            url=f.get("url", ""),
            author=f.get("author", ""),
            quotes=tuple(stored_quotes(f)),
        )

    def article_quotes(self, article_id: str) -> list[Quote]:
        f = self.s.document(id=article_id)
        return stored_quotes(f) if f is not None else []

    def source_paths(self) -> tuple[str, ...]:
        """Every input file the indexed articles came from (read from the ``path`` lexicon, not stored fields)."""
        return tuple(_text(t) for t in self.s.reader().lexicon("path"))

    # -- quotes ---------------------------------------------------------------------------------------------

    def quotes(
        self,
        text: str = "",
        *,
        speaker: str | None = None,
        limit: int | None = 20,
        since: date | None = None,
        until: date | None = None,
        time_limit: float | None = None,
    ) -> QuoteResult:
        """Quotes matching ``text`` (and said by ``speaker``), one row a quote.

        The articles whose quotes match are found by the index (best first, or newest first when there are no
        words to rank by); the matching quotes are then picked out of each article's stored quotes.
        """
        started = time.perf_counter()
        q = self._bounded(_parse(self._quote_parser, text), text) if text.strip() else None
        names: frozenset[str] | None = None
        conditions: list[Query] = []
        if speaker:
            names = frozenset(self.speaker_forms(speaker)) or frozenset({name_term(speaker)})
            conditions.append(Or([Term("speaker_name", n) for n in sorted(names)]))
        if q is None and not conditions:
            conditions.append(Every())
        allow = _date_filter(since, until)
        article_query = And([q, *conditions]) if q is not None and conditions else (q or And(conditions))
        matcher = _QuoteMatcher(self, q) if q is not None else None
        order = None if q is not None else _NEWEST_FIRST

        def wanted(hit: QuoteHit) -> bool:
            return (names is None or name_term(hit.speaker) in names) and (matcher is None or matcher.matches(hit))

        def collect(page: int | None) -> tuple[list[QuoteHit], int, bool, bool, int]:
            """(hits, total, capped, more, undated): the matching quotes of the first ``page`` matching articles,
            and how many articles with no date the date filter left out."""
            scored, matched, partial, undated = self._ranked(article_query, allow, page, time_limit, sortedby=order)
            more = page is not None and (matched > page if matched is not None else len(scored) >= page)
            hits: list[QuoteHit] = []
            total, count_until = 0, None
            for docnum, score in scored:
                found = [qh for qh in _article_quote_hits(self.s.stored_fields(docnum), score) if wanted(qh)]
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
        if matcher is not None:
            hits = [dataclasses.replace(h, text_spans=matcher.spans(h.text)) for h in hits]
        undated += self._undated_left_out_by_clauses(article_query, time_limit)
        return QuoteResult(tuple(hits), total, time.perf_counter() - started, text, capped, undated_excluded=undated)

    def who(self, phrase: str, *, limit: int = 10) -> QuoteResult:
        """The speakers of the quotes best matching a half-remembered phrase, best first, one row a speaker.

        Every word may match (a missing or wrong word costs score, not the answer); words in order and near
        each other score higher.
        """
        started = time.perf_counter()
        if len(phrase) > MAX_QUERY_CHARS:
            raise QuerySyntaxError(f"phrase too long ({len(phrase)} characters; at most {MAX_QUERY_CHARS})")
        words = [t.text for t in self.schema["quote"].analyzer(normalise_text(phrase), mode="query")]
        if not words:
            raise QuerySyntaxError(f"no words to look for in {phrase!r}")
        unique = list(dict.fromkeys(words))
        weights = {w: self.s.idf("quote", w) for w in unique}
        df = {w: self.s.doc_frequency("quote", w) for w in unique}
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
            found, _, _, _ = self._ranked(candidates, None, WHO_ARTICLES, None)
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
            for qh in _article_quote_hits(self.s.stored_fields(docnum), 0.0):
                if not any(k in fold_word(qh.text) for k in key_starts):
                    continue
                score = _who_score(*_positions(qh.text, wanted), words, weights)
                if score > 0:
                    scored.append((score, rank, qh))
        scored.sort(key=lambda item: (-item[0], item[1]))
        best: dict[str, QuoteHit] = {}
        for score, _rank, qh in scored:
            key = speaker_key(qh.speaker) or f"?{len(best)}"
            if key not in best:
                best[key] = dataclasses.replace(
                    qh, score=round(score, 4), text_spans=tuple(Span(s, e) for s, e in _find_terms(qh.text, set(words)))
                )
                if len(best) >= limit:
                    break
        return QuoteResult(tuple(best.values()), len(scored), time.perf_counter() - started, phrase)

    # -- speakers -------------------------------------------------------------------------------------------

    def speakers(
        self, text: str = "", *, limit: int | None = None, articles: int = SPEAKER_SCAN_LIMIT
    ) -> list[SpeakerCount]:
        """Speakers and their quote counts: of the whole index, or of the ``articles`` best matching ``text``.

        Counting reads each matching article's stored document, so a live view asks for fewer articles.
        """
        merged = merge_speakers(self._speaker_counts_in(text, articles)) if text.strip() else self._all_speakers()
        return merged[:limit] if limit else merged

    def _all_speakers(self) -> list[SpeakerCount]:
        if self._speaker_groups is None:
            self._speaker_groups = merge_speakers(self._all_speaker_counts())
        return self._speaker_groups

    def _all_speaker_counts(self) -> dict[str, int]:
        """Quotes per speaker name: the total frequency of its ``speaker_name`` term (one per quote).

        Read segment by segment (Whoosh's multi-segment lexicon looks every term up in every segment: 4 s for
        the full corpus's 52,000 names, against 0.2 s), less the counts of deleted articles, which stay in a
        segment's lexicon until it is merged.
        """
        counts: dict[str, int] = {}
        for sub, _offset in self.s.reader().leaf_readers():
            if not sub.doc_count_all() or "speaker_name" not in sub.indexed_field_names():
                continue
            for btext, info in sub.iter_field("speaker_name"):
                name = _text(btext)
                counts[name] = counts.get(name, 0) + int(info.weight())
            if sub.has_deletions():
                for docnum in range(sub.doc_count_all()):
                    if sub.is_deleted(docnum):
                        for name, n in sub.stored_fields(docnum).get("speaker_counts", ()):
                            key = name_term(name)
                            counts[key] = counts.get(key, 0) - n
        return {name: n for name, n in counts.items() if n > 0}

    def _speaker_counts_in(self, text: str, articles: int) -> dict[str, int]:
        found, _, _, _ = self._ranked(self.parse(text), None, articles, None)
        counts: dict[str, int] = {}
        for docnum, _score in found:
            for name, n in self.s.stored_fields(docnum).get("speaker_counts", ()):
                counts[name] = counts.get(name, 0) + n
        return counts

    def speaker_forms(self, name: str) -> tuple[str, ...]:
        """Every stored form of the speaker ``name`` names ("shoigu" -> "Sergey Shoigu", "Mr Shoigu").

        A whole name, or one word of a person's name: the surname, or the family name written first ("wang" ->
        "Wang Yi"); the most quoted speaker it names wins.
        """
        wanted = speaker_key(normalise_text(name))
        if not wanted:
            return ()
        groups = self._all_speakers()
        for group in groups:
            if wanted in {speaker_key(n) for n in group.names}:
                return group.names
        if " " not in wanted:
            for group in groups:
                words = speaker_key(group.name).split(" ")
                if len(words) > 1 and wanted in (words[0], words[-1]) and _looks_like_name({group.name: 1}):
                    return group.names
        return ()

    # -- did you mean ---------------------------------------------------------------------------------------

    def suggest(self, text: str) -> str | None:
        """A respelt query that finds something, or None."""
        try:
            q = _parse(self._spelling_parser, text)
            # prefix=1: a misspelling rarely gets the first letter wrong, and walking the whole dictionary for
            # words two edits away took seconds on the full corpus.
            correction = self.s.correct_query(q, text, maxdist=2, prefix=1)
        except Exception:
            return None
        fixed = correction.string
        if not fixed or fixed == text:
            return None
        try:
            found = self.s.search(self.parse(fixed), limit=1)
        except QuerySyntaxError:
            return None
        return fixed if found.scored_length() else None


_NEWEST_FIRST = sorting.MultiFacet([sorting.FieldFacet("date", reverse=True), sorting.FieldFacet("id")])


def merge_speakers(counts: dict[str, int]) -> list[SpeakerCount]:
    """Fold the forms of one speaker across articles into one entry, best-counted first.

    Same key (case, accents, titles folded) -> one speaker; a surname alone ("Mr Shoigu") joins the one full
    name ending with it ("Sergey Shoigu") when exactly one does.
    """
    groups: dict[str, dict[str, int]] = {}
    for name, n in counts.items():
        key = speaker_key(name)
        if key:
            groups.setdefault(key, {})[name] = groups.get(key, {}).get(name, 0) + n
    by_surname: dict[str, list[str]] = {}
    for key in groups:
        words = key.split(" ")
        if len(words) > 1 and _looks_like_name(groups[key]):
            by_surname.setdefault(words[-1], []).append(key)
    for key in [k for k in groups if " " not in k and k not in _PRONOUNS]:
        full = by_surname.get(key, [])
        if len(full) == 1:
            for name, n in groups.pop(key).items():
                groups[full[0]][name] = groups[full[0]].get(name, 0) + n
    merged = [
        SpeakerCount(
            name=max(forms, key=lambda n: (len(n.split()), forms[n], n)),
            count=sum(forms.values()),
            names=tuple(sorted(forms, key=lambda n: (-forms[n], n))),
        )
        for forms in groups.values()
    ]
    merged.sort(key=lambda s: (-s.count, s.name))
    return merged


# A pronoun left as a speaker is not a surname: "he" must not join the one name that happens to end in "He".
_PRONOUNS = frozenset("he she it they we i you him her them".split())


def _looks_like_name(forms: dict[str, int]) -> bool:
    """A person's name ("Sergey Shoigu"), not a role ("a Taliban spokesperson"): every word capitalised."""
    return any(all(w[:1].isupper() for w in name.split()) for name in forms)


class _NewsParser(qparser.QueryParser):
    """Whoosh's parser, but a query word of Chinese or Japanese (several character pairs to the index) is a
    phrase of its pairs: "人民共和国" must find those characters in a row, not anywhere in the article."""

    def multitoken_query(self, spec, texts, fieldname, termclass, boost):
        if any(has_unspaced(t) for t in texts):
            return self.phraseclass(fieldname, texts, boost=boost)
        return super().multitoken_query(spec, texts, fieldname, termclass, boost)


def _parser(fields: Sequence[str], schema, boosts: dict[str, float]) -> qparser.QueryParser:
    # What qparser.MultifieldParser (a function, not a class) builds, with our parser class.
    parser = _NewsParser(None, schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.MultifieldPlugin(list(fields), fieldboosts=boosts))
    parser.add_plugin(qparser.FieldAliasPlugin(ALIASES))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


_FIELD_PREFIX = re.compile(r"(?<![\w\"])([A-Za-z_]+):(?=\S)")


def _parse(parser: qparser.QueryParser, text: str) -> Query:
    """Parse a query, or raise QuerySyntaxError saying in plain words what is wrong (Whoosh itself guesses
    silently, or raises with Python's own messages: "month must be in 1..12")."""
    if "\x00" in text or any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        text = "".join(c if ord(c) >= 32 else " " for c in text)
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"query too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    # As the articles were: no soft hyphens or zero-width characters inside words, "ﬁ" as "fi".
    text = normalise_text(text)
    if not text.strip():
        raise QuerySyntaxError("empty query")
    if text.count('"') % 2:
        raise QuerySyntaxError(f"unbalanced quote in query: {text!r}")
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            break
    if depth != 0:
        raise QuerySyntaxError(f"unbalanced parentheses in query: {text!r}")
    for value in _date_values(text):
        if not _is_date(value):  # Whoosh would take "2021-07-13T25:00" for a month and two words
            raise QuerySyntaxError(f"not a date: {value!r} in query {text!r} ({DATE_FORMS})")
    # Stored-only fields (url, quotes, quote_count) hold no words: naming one is as unknown as a misspelt field.
    known = {name for name in parser.schema.names() if parser.schema[name].indexed}
    known |= {a for names in ALIASES.values() for a in names}
    for match in _FIELD_PREFIX.finditer(text):
        if match.group(1) not in known:
            raise QuerySyntaxError(
                f"unknown field {match.group(1)!r} in query (try title:, who:, said:, source:, date:)"
            )
    try:
        q = parser.parse(text)
    except Exception as exc:  # Whoosh raises assorted errors on odd input; its messages are not ours to show
        raise _query_error(text) from exc
    if _first_error(q):
        raise _query_error(text)
    _check_date_ranges(q, text)
    return q.accept(_limit_fuzzy_distance)


DATE_FORMS = "dates are written YYYY, YYYY-MM or YYYY-MM-DD: date:2021, date:2021-07-13, date:[2021-01 to 2021-06]"
# A date: clause's value: a range in brackets or braces, a quoted value, or a word (after any < > <= >=).
_DATE_CLAUSE = re.compile(r"""(?<![\w"])date:\s*(?:[<>]=?)?\s*(\[[^\]]*\]?|\{[^}]*\}?|'[^']*'?|"[^"]*"?|[^\s)]*)""")
_RANGE_WORDS = re.compile(r"(?:^|\s+)to(?:\s+|$)", re.IGNORECASE)
_DATE_VALUE = re.compile(r"(\d{4})(?:-?(\d{1,2})(?:-?(\d{1,2}))?)?")


def _query_error(text: str) -> QuerySyntaxError:
    """The error for a query Whoosh could not make sense of, in our words: the bad date of a ``date:`` clause
    named when there is one, else the query."""
    for value in _date_values(text):
        if not _is_date(value):
            return QuerySyntaxError(f"not a date: {value!r} in query {text!r} ({DATE_FORMS})")
    if _DATE_CLAUSE.search(text):
        return QuerySyntaxError(f"cannot read the date in query {text!r} ({DATE_FORMS})")
    return QuerySyntaxError(
        f"cannot make sense of query {text!r}: check its quotes, brackets and field names (title:, who:, said:, "
        "source:, date:)"
    )


def _date_values(text: str) -> list[str]:
    """The dates written in the ``date:`` clauses of a query, each end of a range on its own."""
    values: list[str] = []
    for match in _DATE_CLAUSE.finditer(text):
        value = match.group(1).strip()
        if value[:1] in "[{":
            inner = value[1:].rstrip("]}")
            values.extend(v.strip() for v in _RANGE_WORDS.split(inner) if v.strip())
        elif value.strip("'\""):
            values.append(value.strip("'\""))
    return values


def _is_date(value: str) -> bool:
    """Whether ``value`` is a date as a query may write it: a year, a month or a day, all of the calendar."""
    match = _DATE_VALUE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return year >= 1


def _check_date_ranges(q: Query, text: str) -> None:
    """A date range that ends before it starts matches nothing, silently: say so instead."""
    for node in _nodes(q):
        if (
            isinstance(node, query.NumericRange)
            and node.fieldname == "date"
            and node.start is not None
            and node.end is not None
            and node.start > node.end
        ):
            raise QuerySyntaxError(f"the date range in query {text!r} ends before it starts")


def _limit_fuzzy_distance(q: Query) -> Query:
    if isinstance(q, FuzzyTerm) and q.maxdist > MAX_FUZZY_DISTANCE:
        q = copy.copy(q)
        q.maxdist = MAX_FUZZY_DISTANCE
    return q


def _first_error(q: Query) -> str | None:
    """Whoosh marks what it could not parse with an ``error`` attribute instead of raising."""
    error = getattr(q, "error", None)
    if error:
        return str(error)
    for child in q.children():
        error = _first_error(child)
        if error:
            return error
    return None


class _CachedLengthsBM25F(scoring.BM25F):
    """Whoosh's BM25F, reading each document's field length from a list instead of the length column.

    Whoosh reads the length of every scored document from its column file (a seek and a read each): half the
    time of a search for a common word. The lengths of a field are one byte a document, read once per segment.
    """

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, scoring.BM25FScorer):
            lengths = _field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


_BM25_CACHED_LENGTHS = _CachedLengthsBM25F()
_BYTE_LENGTHS = [byte_to_length(b) for b in range(256)]


def _field_lengths(reader: IndexReader, fieldname: str) -> list[int] | None:
    cache = reader.__dict__.setdefault("_searchnews_lengths", {})
    if fieldname not in cache:
        try:  # Whoosh internals (2.7.5): on any surprise, score as Whoosh does
            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            raw = column._dbfile.get(column._basepos, column._count)
            lengths = [_BYTE_LENGTHS[b] for b in raw]
            lengths.extend([0] * (reader.doc_count_all() - len(lengths)))
        except Exception:
            lengths = None
        cache[fieldname] = lengths
    return cache[fieldname]


# The latest date a DATETIME column can hold: a larger value is the column's default, for a document with none.
_LATEST_DATE = datetime_to_long(datetime.max)


def _column_values(column) -> Iterator[int]:
    """Every value of a numeric column, in one read of its bytes instead of a read per document (Whoosh
    internals, 2.7.5; on any surprise, Whoosh's own iteration)."""
    try:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        values = [value for (value,) in struct.iter_unpack("!" + column._typecode, raw)]
        missing = column._doccount - len(values)
    except Exception:
        yield from column
        return
    yield from values
    yield from itertools.repeat(column._default, missing)


class _DateFilterCollector(FilterCollector):
    """Whoosh's FilterCollector, which also counts the matches it leaves out that have no date
    (``undated_count``), and keeps the time limit of a TimeLimitCollector inside it (Whoosh's own checks the
    time only when it collects matches itself, which it never does inside a filter)."""

    def __init__(self, child, allow, undated: frozenset[int]) -> None:
        super().__init__(child, allow=allow)
        self.undated = undated
        self.undated_count = 0

    def collect_matches(self) -> None:
        child, allow, undated, offset = self.child, self._allow, self.undated, self.offset
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


def _is_date_condition(node: Query) -> bool:
    """A ``date:`` condition of a query (a day, month or year is a range of the date field)."""
    return isinstance(node, (query.NumericRange, query.Term)) and getattr(node, "fieldname", None) == "date"


def _date_filter(since: date | None, until: date | None) -> Query | None:
    if not (since or until):
        return None
    start = datetime.combine(since, datetime.min.time()) if since else None
    end = datetime.combine(until, datetime.max.time()) if until else None
    return DateRange("date", start, end)


def _find_terms(text: str, terms: Iterable[str], stemming: bool = True) -> Iterator[tuple[int, int]]:
    """(start, end) of every word of ``text`` that the index holds as one of ``terms``."""
    for start, end, _term in _find_term_matches(text, terms, stemming):
        yield start, end


def _find_term_matches(text: str, terms: Iterable[str], stemming: bool = True) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) of every word of ``text`` that the index holds as one of ``terms``.

    Tokenises as the index does (``NewsTokenizer``), but only folds and stems the words that start with the first
    two letters of some term (or with a letter folding may change): English stemming changes only a word's
    ending, and never its first two letters. The regular expression finds those words (``_candidates``) without
    a Python step for every other word of an article.
    """
    terms = frozenset(terms)
    if not terms or not text:
        return
    # A word holding CJK characters is pieces to the index ("the北京" is "the", "北", "北京", "京"): look at
    # every such word when the text has any (one scan of the text; English text has none).
    cjk = has_unspaced(text)
    for match in _candidates(frozenset(t[:2] for t in terms), cjk).finditer(text):
        word = fold_word(match.group())
        if not word.isascii() and has_unspaced(word):
            yield from _unspaced_matches(match.group(), match.start(), terms, stemming)
            continue
        term = stem(word) if stemming else word
        if term in terms:
            yield match.start(), match.end(), term


def _unspaced_matches(word: str, start: int, terms: frozenset[str], stemming: bool) -> Iterator[tuple[int, int, str]]:
    """The terms of a word holding characters of a script written without spaces that are among ``terms``,
    overlapping pairs ("中国" and "国人" of "中国人") joined into one stretch: a highlight is where the words are,
    not a pile of pairs. A longer word among ``terms`` (``query_terms`` adds the words of such phrases) is
    highlighted where it is whole; its pairs and characters elsewhere are not ("共和" of "人民共和国")."""
    whole = [t for t in terms if len(t) > 2 and _UNSPACED_WORD.fullmatch(t)]
    parts = {t[i : i + n] for t in whole for n in (1, 2) for i in range(len(t) - n + 1)}
    found = [
        (start + s, start + e, term)
        for s, e, term, _pos in unspaced_pieces(word, stemming)
        if term in terms and term not in parts
    ]
    for term in whole:
        at = word.find(term)
        while at >= 0:
            found.append((start + at, start + at + len(term), term))
            at = word.find(term, at + 1)
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for s, e, term in found:
        if merged and s < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], e), last[2])
        else:
            merged.append((s, e, term))
    yield from merged


def _unspaced_word(words: list[str]) -> str:
    """The word a query phrase of overlapping character pairs spells ("人民", "民共" -> "人民共"), or ""."""
    if len(words) < 2 or not all(len(w) == 2 and _UNSPACED_WORD.fullmatch(w) for w in words):
        return ""
    if any(a[1] != b[0] for a, b in itertools.pairwise(words)):
        return ""
    return words[0] + "".join(w[1] for w in words[1:])


_UNSPACED_WORD = re.compile(f"[{UNSPACED_CHARS}]+")


@functools.lru_cache(maxsize=256)
def _candidates(starts: frozenset[str], cjk: bool = False) -> re.Pattern[str]:
    """The words (as ``TOKEN_PATTERN`` splits them) whose first two characters, lowercased, are one of ``starts``,
    or which have a non-ASCII character among their first two (folding may change those); with ``cjk``, also
    every word holding a character of a script written without spaces ("iPhone手机")."""
    two = sorted(re.escape(p) for p in starts if len(p) == 2)
    one = sorted(re.escape(p) for p in starts if len(p) == 1)
    shapes = [r"[^\x00-\x7f]", r"\w[^\x00-\x7f]"]
    if two:
        shapes.append("(?i:" + "|".join(two) + ")")
    if one:  # a one-letter term: a one-letter word
        shapes.append("(?i:" + "|".join(one) + r")(?!\.?\w)")
    if cjk:
        shapes.append(rf"[\w.{WORD_MARKS}]*[{UNSPACED_CHARS}]")  # "iPhone手机", "U.S.年": one word to the tokenizer
    # A word starts where the one before cannot go on: not after a word character or a mark, nor at a word
    # character after a dot inside a word ("U.S").
    return re.compile(
        rf"(?<![\w{WORD_MARKS}])(?:(?<!\w\.)|(?=[{WORD_MARKS}]))(?=" + "|".join(shapes) + ")" + TOKEN_PATTERN
    )


def _match_tokens(body: str, terms: frozenset[str]) -> list[Token]:
    # The term as the token's text: the fragment scorer prefers passages holding more of the query's terms.
    return [Token(text=t, startchar=s, endchar=e) for s, e, t in _find_term_matches(body, terms)]


def _analyse(text: str) -> list[tuple[int, str]]:
    """The index terms of a quote with their positions, in order."""
    return [(pos, term) for _s, _e, term, pos in text_terms(text)]


def _snippet_source(body: str) -> str:
    """What a snippet is cut from: the body, or its first SNIPPET_SCAN_CHARS characters ended at a word's end (a
    word cut in two could look like another word)."""
    if len(body) <= SNIPPET_SCAN_CHARS:
        return body
    end = _WORD_END.search(body, SNIPPET_SCAN_CHARS - 1, SNIPPET_SCAN_CHARS + 1000)
    return body[: end.end() if end else SNIPPET_SCAN_CHARS]


_WORD_END = re.compile(rf"[\w{WORD_MARKS}](?![\w{WORD_MARKS}])")


def _snippet(body: str, tokens: list[Token]) -> tuple[str, tuple[Span, ...]]:
    if not tokens:
        return _lead(body), ()
    if len(body) <= SNIPPET_CHARS:
        # A short body is its own snippet: the fragmenter would cut it down to the words around the matches.
        return re.sub(r"\s", " ", body), tuple(Span(t.startchar, t.endchar) for t in tokens)
    fragments = _SNIPPET_FRAGMENTER.fragment_matches(body, tokens)
    best = highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST)
    return _join_fragments(_SpanFormatter().format(_merge_overlapping(best)))


def _merge_overlapping(fragments: list[highlight.Fragment]) -> list[highlight.Fragment]:
    """Fragments whose text overlaps become one: two matches close together showed the words between twice."""
    merged: list[highlight.Fragment] = []
    for f in sorted(fragments, key=lambda f: f.startchar):
        last = merged[-1] if merged else None
        if last is not None and f.startchar <= last.endchar:
            matches = sorted({id(t): t for t in (*last.matches, *f.matches)}.values(), key=lambda t: t.startchar)
            merged[-1] = highlight.Fragment(f.text, matches, last.startchar, max(last.endchar, f.endchar))
        else:
            merged.append(f)
    return merged


def _article_quote_hits(fields: Mapping[str, Any], score: float) -> list[QuoteHit]:
    headline, day, article_id = fields.get("headline", ""), _iso(fields.get("date")), fields.get("id", "")
    return [
        QuoteHit(
            speaker=q.speaker,
            text=q.text,
            kind=q.kind,
            cue=q.cue,
            article_id=article_id,
            headline=headline,
            date=day,
            score=round(float(score or 0.0), 4),
            paragraph=q.paragraph,
            role=q.role,
            speaker_kind=q.speaker_kind,
        )
        for q in stored_quotes(fields)
    ]


def _positions(text: str, terms: frozenset[str]) -> tuple[dict[str, list[int]], int]:
    """Where each of ``terms`` occurs in ``text`` (word positions), and how many words ``text`` has.

    Only the words that start as some term does are folded and stemmed (see ``_find_terms``).
    """
    starts = frozenset(t[:2] for t in terms)
    where: dict[str, list[int]] = {}
    pos = 0
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word.isascii():
            if word[:2].lower() in starts:
                term = stem(word.lower())
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
            term = stem(fold_word(word))
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


class _QuoteMatcher:
    """Whether one quote, on its own, matches a query parsed with the quote fields (``quote``, ``speaker``).

    The index finds the articles; this decides which of their quotes match, so that "fair AND deal" lists a
    quote holding both words, not two quotes of one article holding one each. Conditions on other fields (a
    date, a headline word) are the article's, already met.
    """

    def __init__(self, searcher: NewsSearcher, q: Query) -> None:
        self.q = q
        self.reader = searcher.s.reader()
        self.terms = searcher.query_terms(q, "quote")
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
                return fieldname != "quote" or _has_phrase(tokens, [_text(w) for w in q.words], q.slop)
            if isinstance(q, Term):
                return _text(q.text) in words
            if isinstance(q, query.MultiTerm):
                return not words.isdisjoint(self._expand(q))
            return True

        return _evaluate(self.q, leaf)

    def spans(self, text: str) -> tuple[Span, ...]:
        return tuple(Span(s, e) for s, e in _find_terms(text, self.terms))

    def _expand(self, q: Query) -> frozenset[str]:
        if id(q) not in self._expanded:
            try:
                found = frozenset(_text(t) for t in q._btexts(self.reader))
            except Exception:
                found = frozenset()
            self._expanded[id(q)] = found
        return self._expanded[id(q)]


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
        return ("term", node.fieldname, _text(node.text), node.boost)
    return (type(node).__name__, tuple(_node_key(c) for c in node.children()))


def _score_postings(
    m: W3LeafMatcher,
    scorer: scoring.BM25FScorer,
    lengths: list[int],
    deleted: frozenset[int] | set[int],
    offset: int,
    boost: float,
    scores: dict[int, float],
) -> None:
    """Add ``boost`` times the BM25 score of each posting of ``m`` to ``scores`` (by top-level docnum)."""
    idf, k1, b, avgfl = scorer.idf, scorer.K1, scorer.B, scorer.avgfl
    top = idf * (k1 + 1) * boost
    norm_a, norm_b = k1 * (1 - b), k1 * b / avgfl
    while m.is_active():
        m._read_ids()
        m._read_weights()
        for docnum, tf in zip(m._ids, m._weights, strict=True):
            if deleted and docnum in deleted:
                continue
            key = docnum + offset
            scores[key] = scores.get(key, 0.0) + top * tf / (tf + norm_a + norm_b * lengths[docnum])
        m._next_block()


def _is_phrase_query(q: Query) -> bool:
    """Phrases, terms, and AND / OR / NOT of them, with at least one phrase: what ``_PhraseCheck`` evaluates."""
    if not any(isinstance(leaf, Phrase) for leaf in q.leaves()):
        return False
    allowed = (query.And, query.Or, query.Not, query.AndNot, Phrase, Term)
    return all(isinstance(node, allowed) for node in _nodes(q))


def _nodes(q: Query) -> Iterator[Query]:
    yield q
    for child in q.children():
        yield from _nodes(child)


class _PhraseCheck:
    """Which of some documents match a query of phrases and terms (``_is_phrase_query``), from the postings.

    Each term's postings are read only at the candidate documents (skipping in between), with positions where a
    phrase needs them.
    """

    def __init__(self, reader: IndexReader, q: Query, docnums: Sequence[int]) -> None:
        self.q = q
        self.reader = reader
        self.docnums = sorted(set(docnums))
        self._positions: dict[tuple[str, str], dict[int, list[int]]] = {}

    def matching(self) -> set[int]:
        return {d for d in self.docnums if _evaluate(self.q, functools.partial(self._holds, d=d))}

    def _holds(self, q: Query, d: int) -> bool:
        if isinstance(q, Term):
            return d in self._postings(q.fieldname, _text(q.text))
        if isinstance(q, Phrase):
            where = [self._postings(q.fieldname, _text(w)).get(d) for w in q.words]
            if any(p is None for p in where):
                return False
            return _positions_in_order(where, q.slop)
        return False

    def _postings(self, fieldname: str, text: str) -> dict[int, list[int]]:
        """docnum -> positions of ``text`` in ``fieldname``, for the candidate documents that hold it."""
        key = (fieldname, text)
        if key not in self._positions:
            found: dict[int, list[int]] = {}
            positions = self.reader.schema[fieldname].format.supports("positions")
            for sub, offset in self.reader.leaf_readers():
                if (fieldname, text) not in sub:
                    continue
                m = sub.postings(fieldname, text)
                end = offset + sub.doc_count_all()
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
                        found[d] = list(m.value_as("positions")) if positions else []
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


def _has_phrase(tokens: list[tuple[int, str]], words: list[str], slop: int) -> bool:
    """``words`` in order in ``tokens`` ((position, term) pairs), each at most ``slop`` positions after the one
    before."""
    if not words:
        return True
    where: dict[str, list[int]] = {}
    for n, t in tokens:
        where.setdefault(t, []).append(n)
    return _positions_in_order([where.get(w, []) for w in words], slop)


def _evaluate(q: Query, leaf: Callable[[Query], bool]) -> bool:
    """Whether a query's boolean tree holds, ``leaf`` deciding each leaf (a term, a phrase, a wildcard ...)."""
    if isinstance(q, query.AndNot):
        return _evaluate(q.a, leaf) and not _evaluate(q.b, leaf)
    if isinstance(q, query.AndMaybe):
        return _evaluate(q.a, leaf)
    if isinstance(q, query.Require):
        return _evaluate(q.a, leaf) and _evaluate(q.b, leaf)
    if isinstance(q, query.Not):
        return not _evaluate(q.query, leaf)
    if isinstance(q, query.And):
        return all(_evaluate(c, leaf) for c in q.children())
    if isinstance(q, (query.Or, query.DisjunctionMax)):
        return any(_evaluate(c, leaf) for c in q.children())
    if isinstance(q, query.WrappingQuery):
        return _evaluate(q.child, leaf)
    return leaf(q)


_SNIPPET_FRAGMENTER = highlight.PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=70, autotrim=True)


class _SpanFormatter(highlight.Formatter):
    """Returns fragments as (text, spans) pairs instead of markup, for terminals and JSON alike."""

    def format(self, fragments, replace=False):
        out = []
        for f in fragments:
            piece = f.text[f.startchar : f.endchar]
            spans = [
                (t.startchar - f.startchar, t.endchar - f.startchar)
                for t in sorted(f.matches, key=lambda t: t.startchar)
                if t.startchar is not None and t.startchar >= f.startchar and t.endchar <= f.endchar
            ]
            out.append((piece, spans))
        return out


def _join_fragments(fragments: Iterable[tuple[str, list[tuple[int, int]]]]) -> tuple[str, tuple[Span, ...]]:
    """One snippet from fragments, joined by an ellipsis; whitespace kept the same length so spans stay put."""
    text, spans = "", []
    for n, (piece, piece_spans) in enumerate(fragments):
        if n:
            text += " … "
        offset = len(text)
        text += re.sub(r"\s", " ", piece)
        spans.extend(Span(offset + s, offset + e) for s, e in piece_spans)
    return text, tuple(spans)


def _lead(body: str) -> str:
    text = " ".join(body[: SNIPPET_CHARS * 2].split())
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[: cut if cut > 0 else SNIPPET_CHARS] + " …"


def _iso(value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value or "")


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def open_index(root: Path | str | None = None) -> NewsIndex:
    from searchnews.config import default_index_dir

    return NewsIndex(Path(root) if root is not None else default_index_dir())

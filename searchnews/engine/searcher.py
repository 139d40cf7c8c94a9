"""Reading the index: article search with highlighted snippets, quotes, "who said X", speakers, suggestions.

A thin facade: ``query`` parses and bounds a query, ``scoring`` ranks, ``phrases``, ``highlight``,
``quote_search`` and ``speakers`` do the rest, and ``documents`` turns stored fields into records.

``NewsIndex`` is shared by threads; each thread asks it for its own ``NewsSearcher`` (a Whoosh searcher is
not thread-safe). A searcher sees one generation of the index: ``is_current()`` tells when a newer one exists,
and the caller opens a new searcher then (never ``Searcher.refresh()``: in 2.7.5 it returns deleted documents).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from whoosh.index import Index
from whoosh.query import Query
from whoosh.searching import Searcher

from searchnews.engine import facets, highlight, quote_search, speaker_page, speakers
from searchnews.engine.documents import article_from_fields, count_documents, iso_date, name_term
from searchnews.engine.phrases import phrase_search, undated_phrase_matches
from searchnews.engine.provenance import ProvenanceReader
from searchnews.engine.query import (
    ARTICLE_FIELDS,
    QUOTE_FIELDS,
    bounded,
    date_filter,
    make_parser,
    parse_query,
)
from searchnews.engine.schema import term_text
from searchnews.engine.scoring import BM25_CACHED_LENGTHS, Ranker, field_lengths
from searchnews.engine.speakers import SPEAKER_SCAN_LIMIT, merge_speakers
from searchnews.engine.store import IndexStore
from searchnews.errors import QuerySyntaxError
from searchnews.model import (
    Article,
    Hit,
    IndexStats,
    QuoteProvenance,
    QuoteResult,
    SearchResult,
    Span,
    SpeakerCount,
    SpeakerPage,
)

__all__ = ["IndexStats", "NewsIndex", "NewsSearcher", "QuoteResult", "SearchResult", "SpeakerCount", "open_index"]


# Whoosh's files a search reads: the term index, the postings, the columns (stored fields, lengths, dates).
_PRELOAD_SUFFIXES = frozenset({".trm", ".pst", ".col"})
_PRELOAD_RANGE = 8 << 20  # bytes asked for in one call: 550 MB of postings read in 0.3 s at 146,300 articles


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
        return NewsSearcher(self.ix.searcher(weighting=BM25_CACHED_LENGTHS), self)

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

    def preload(self) -> int:
        """Ask the system to read this generation's files into memory, as Lucene's ``preload`` and tantivy's
        warmers do (``posix_fadvise`` WILLNEED: the system reads ahead while it returns): pages of an index not read
        for a while are dropped from memory, and a search reading them again waits for the disk (at 146,300
        articles, ``who`` right after the page cache was dropped: p95 43-46 against 30 ms). The number of bytes asked
        for; 0 where the system has no such call (Windows, macOS) or the files are gone (a rebuild swapped them)."""
        if not hasattr(os, "posix_fadvise") or self._gen_dir is None:
            return 0
        asked = 0
        try:
            for path in self._gen_dir.iterdir():
                if path.suffix in _PRELOAD_SUFFIXES:
                    with open(path, "rb") as f:
                        size = os.fstat(f.fileno()).st_size
                        # A range at a time: for the whole file at once, Linux read its first 50 of 550 MB.
                        for start in range(0, size, _PRELOAD_RANGE):
                            os.posix_fadvise(f.fileno(), start, _PRELOAD_RANGE, os.POSIX_FADV_WILLNEED)
                        asked += size
        except OSError:
            return asked  # a generation removed meanwhile: the next searcher opens the new one
        return asked

    def stats(self) -> IndexStats:
        articles, quotes = count_documents(self.ix)
        gen = self.store.current_dir()
        toc = [f for f in gen.iterdir() if f.suffix == ".toc"] if gen else []
        modified = max((f.stat().st_mtime for f in toc), default=0.0)
        return IndexStats(articles, quotes, self.store.size_bytes(), modified, self.generation())


class NewsSearcher:
    """One thread's view of one generation of the index: parses, ranks (``scoring.Ranker``), and presents."""

    def __init__(self, searcher: Searcher, index: NewsIndex) -> None:
        self.s = searcher
        self.index = index
        self.schema = searcher.schema
        self.ranker = Ranker(searcher)
        self._article_parser = make_parser(ARTICLE_FIELDS, self.schema, {"headline": 2.0})
        self._quote_parser = make_parser(QUOTE_FIELDS, self.schema, {"speaker": 0.5})
        self._spelling_parser = make_parser(("spelling",), self.schema, {})
        self._speaker_groups: list[SpeakerCount] | None = None
        self._facts: facets.DocFacts | None = None
        self.provenance = ProvenanceReader(searcher)  # quote provenance; opens its columns when first asked

    def close(self) -> None:
        self.s.close()

    def __enter__(self) -> NewsSearcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def warm(self) -> None:
        """Read now what the first search would: each segment's field lengths for scoring; and the index's files
        into memory, in the background (``NewsIndex.preload``)."""
        self.index.preload()
        for sub, _offset in self.s.leaf_searchers():
            for fieldname in (*ARTICLE_FIELDS, *QUOTE_FIELDS):
                field_lengths(sub.reader(), fieldname)

    def is_current(self) -> bool:
        """False once a commit or a rebuild has made newer data visible: open a new searcher then."""
        return not self.index.swapped() and self.s.up_to_date()

    # -- articles -------------------------------------------------------------------------------------------

    def parse(self, text: str) -> Query:
        return bounded(self.s.reader(), parse_query(self._article_parser, text), text)

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        since: date | None = None,
        until: date | None = None,
        time_limit: float | None = None,
        suggest: bool = True,
        sort: str = "relevance",
        sources: Sequence[str] = (),
        with_facets: bool = False,
    ) -> SearchResult:
        """The best ``limit`` articles for ``text``; ``sort="date"``, newest first. ``sources``: only articles from
        these sources (names as written, any case). ``with_facets``: also count every match by source and month."""
        if sort not in facets.SORTS:
            raise QuerySyntaxError(f"unknown sort {sort!r} (one of: {', '.join(facets.SORTS)})")
        if sort != "relevance" or sources or with_facets:
            return self._search_all(text, limit, since, until, time_limit, suggest, sort, sources, with_facets)
        started = time.perf_counter()
        q = self.parse(text)
        allow = date_filter(since, until)
        # No terms=True: recording matched terms makes Whoosh score every match; snippets find the words in the
        # stored body instead (_match_tokens).
        body_terms = self.query_terms(q, "body")
        headline_terms = self.query_terms(q, "headline")
        found = phrase_search(self.ranker, q, allow, limit, time_limit)
        if found is not None:
            scored, total, capped = found
            partial = False
            undated = undated_phrase_matches(self.ranker, q, time_limit) if allow is not None else 0
        else:
            scored, matched, partial, undated = self.ranker.ranked(q, allow, limit, time_limit)
            # Past the time limit, the count is of what was read: the status line says the limit was hit.
            total, capped = (len(scored) if partial or matched is None else matched), False
        undated += self.ranker.undated_left_out_by_clauses(q, time_limit)
        hits = tuple(self._hit(d, score, headline_terms, body_terms) for d, score in scored)
        suggestion = self.suggest(text) if (suggest and total == 0) else None
        return SearchResult(
            hits, total, time.perf_counter() - started, text, suggestion, partial, capped, undated_excluded=undated
        )

    def _search_all(
        self,
        text: str,
        limit: int,
        since: date | None,
        until: date | None,
        time_limit: float | None,
        suggest: bool,
        sort: str,
        sources: Sequence[str],
        with_facets: bool,
    ) -> SearchResult:
        """``search`` over every match: all of them are found and scored, then filtered by source and date, counted
        and ordered with each document's source and date from the index (``facets.DocFacts``)."""
        started = time.perf_counter()
        q = self.parse(text)
        found = phrase_search(self.ranker, q, None, self.s.doc_count_all(), time_limit)
        if found is not None:
            scored, partial = found[0], False
        else:
            scored, _, partial, _ = self.ranker.ranked(q, None, None, time_limit)
        facts = self.doc_facts()
        matched_any = bool(scored)  # "did you mean" is for words that find nothing, not for filters that leave nothing
        if sources:
            scored = facets.filter_sources(facts, scored, [facets.source_key(self.s, name) for name in sources])
        undated = 0
        if since or until:
            scored, undated = facets.filter_dates(facts, scored, since, until)
        undated += self.ranker.undated_left_out_by_clauses(q, time_limit)
        counts = facets.count_facets(facts, [d for d, _ in scored]) if with_facets else None
        if sort == "date":
            scored = facets.newest_first(facts, scored)
        body_terms, headline_terms = self.query_terms(q, "body"), self.query_terms(q, "headline")
        hits = tuple(self._hit(d, score, headline_terms, body_terms) for d, score in scored[:limit])
        suggestion = self.suggest(text) if (suggest and not matched_any) else None
        return SearchResult(
            hits,
            len(scored),
            time.perf_counter() - started,
            text,
            suggestion,
            partial,
            undated_excluded=undated,
            facets=counts,
        )

    def latest(self, limit: int = 10, *, with_facets: bool = False) -> SearchResult:
        """Every article, newest first: the dated ones by date, then the undated, the last indexed first. What a
        list shows before anything is typed. Read from the date column and the deleted-document set, never a query
        ("*" is a wildcard over every word: 14.8 s on 2,226 articles)."""
        started = time.perf_counter()
        reader = self.s.reader()
        deleted = reader.has_deletions()
        docnums = [d for d in range(reader.doc_count_all() - 1, -1, -1) if not (deleted and reader.is_deleted(d))]
        facts = self.doc_facts()
        ordered = facets.newest_first(facts, [(d, 0.0) for d in docnums])
        counts = facets.count_facets(facts, docnums) if with_facets else None
        hits = tuple(self._hit(d, None, frozenset(), frozenset()) for d, _ in ordered[:limit])
        return SearchResult(hits, len(ordered), time.perf_counter() - started, "", None, False, facets=counts)

    def source_docs(self, names: Sequence[str]) -> frozenset[int]:
        """The documents (top-level docnums) from any of the sources ``names`` (any case): a filter, as the ``allow``
        of a search (quotes from one source)."""
        return self.doc_facts().docs_from([facets.source_key(self.s, name) for name in names])

    def doc_facts(self) -> facets.DocFacts:
        """Each document's date and source, read from the index once per searcher (sorting, filters, facets)."""
        if self._facts is None:
            self._facts = facets.DocFacts(self.s, self.ranker.document_dates)
        return self._facts

    def _hit(self, docnum: int, score: float | None, headline_terms: frozenset[str], body_terms: frozenset[str]) -> Hit:
        fields = self.s.stored_fields(docnum)
        body = highlight.snippet_source(fields.get("body", ""))
        snippet, spans = highlight.snippet(body, highlight.match_tokens(body, body_terms))
        headline = fields.get("headline", "")
        return Hit(
            id=fields["id"],
            headline=headline,
            date=iso_date(fields.get("date")),
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
        return highlight.query_terms(self.s.reader(), q, fieldname)

    def spans(self, text: str, fieldname: str, terms: frozenset[str]) -> tuple[Span, ...]:
        """Where the index terms ``terms`` of ``fieldname`` occur in ``text``."""
        return highlight.field_spans(text, fieldname, terms)

    def article(self, article_id: str) -> Article | None:
        f = self.s.document(id=article_id)
        return article_from_fields(f) if f is not None else None

    def source_paths(self) -> tuple[str, ...]:
        """Every input file the indexed articles came from (read from the ``path`` lexicon, not stored fields)."""
        return tuple(term_text(t) for t in self.s.reader().lexicon("path"))

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
        sort: str = "relevance",
        sources: Sequence[str] = (),
        provenance_for: int = quote_search.PROVENANCE_LOOKUPS,
    ) -> QuoteResult:
        """Quotes matching ``text`` (and said by ``speaker``), one row a quote: a quote repeated or trimmed in
        other articles is listed once, the first ``provenance_for`` with their provenance (a lookup each, ~0.5-1
        ms at 36k articles). ``sort="date"``: newest articles first; ``sources``: only articles from these
        sources.

        The articles whose quotes match are found by the index (best first, or newest first when there are no
        words to rank by); the matching quotes are then picked out of each article's stored quotes.
        """
        started = time.perf_counter()
        q = bounded(self.s.reader(), parse_query(self._quote_parser, text), text) if text.strip() else None
        names: frozenset[str] | None = None
        if speaker:
            names = frozenset(self.speaker_forms(speaker)) or frozenset({name_term(speaker)})
        return quote_search.search_quotes(
            self.ranker,
            q,
            names,
            text=text,
            limit=limit,
            since=since,
            until=until,
            time_limit=time_limit,
            started=started,
            provenance=self.provenance,
            lookups=provenance_for,
            sort=sort,
            sources=sources,
        )

    def who(self, phrase: str, *, limit: int = 10) -> QuoteResult:
        """The speakers of the quotes best matching a half-remembered phrase, best first, one row a speaker.

        Every word may match (a missing or wrong word costs score, not the answer); words in order and near
        each other score higher.
        """
        return quote_search.who(self.ranker, phrase, limit=limit, provenance=self.provenance)

    # -- speakers -------------------------------------------------------------------------------------------

    def speakers(
        self, text: str = "", *, limit: int | None = None, articles: int = SPEAKER_SCAN_LIMIT
    ) -> list[SpeakerCount]:
        """Speakers and their quote counts: of the whole index, or of the ``articles`` best matching ``text``.

        Counting reads each matching article's stored document, so a live view asks for fewer articles.
        """
        if text.strip():
            merged = merge_speakers(*speakers.speaker_counts_in(self.ranker, self.parse(text), articles))
        else:
            merged = self._all_speakers()
        return merged[:limit] if limit else merged

    def _all_speakers(self) -> list[SpeakerCount]:
        if self._speaker_groups is None:
            reader = self.s.reader()
            self._speaker_groups = merge_speakers(speakers.all_speaker_counts(reader), speakers.organisations(reader))
        return self._speaker_groups

    def speaker_page(self, name: str) -> SpeakerPage | None:
        """The speaker page of ``name`` (any form of it): names, kind, roles, counts, timeline, most reported
        quotes, speakers quoted beside them. None when no person or organisation in the index goes by it."""
        group = speakers.find_group(self._all_speakers(), name)
        if group is None:
            return None
        return speaker_page.speaker_page(self.s, group, self._all_speakers(), self.provenance)

    def quote_group(self, article_id: str, quote_index: int) -> QuoteProvenance | None:
        """Quote provenance: every article that carried the quote ``quote_index`` of ``article_id`` (the same
        words, or a trimmed or longer form), oldest first, each with its headline and wording."""
        return quote_search.quote_group(self.s, article_id, quote_index, self.provenance)

    def speaker_forms(self, name: str) -> tuple[str, ...]:
        """Every stored form of the speaker ``name`` names ("shoigu" -> "Sergey Shoigu", "Mr Shoigu")."""
        return speakers.speaker_forms(self._all_speakers(), name)

    # -- did you mean ---------------------------------------------------------------------------------------

    def suggest(self, text: str) -> str | None:
        """A respelt query that finds something, or None."""
        try:
            q = parse_query(self._spelling_parser, text)
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


def open_index(root: Path | str | None = None) -> NewsIndex:
    from searchnews.config import default_index_dir

    return NewsIndex(Path(root) if root is not None else default_index_dir())

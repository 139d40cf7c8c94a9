"""The TUI's link to the engine: one search thread that owns a cached searcher, and the data the widgets show.

Whoosh searchers are not thread-safe, so every engine call of the app runs in one single-thread executor that
opens the index and its searcher lazily (the first paint never waits for the index) and keeps them until
``reload()``. Nothing here imports Textual: the records below are plain data the widgets render.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from searchnews.engine.searcher import IndexStats, NewsIndex, NewsSearcher, QuoteResult, SearchResult
from searchnews.errors import QuerySyntaxError
from searchnews.model import Article, Quote, QuoteHit, QuoteProvenance, Span, SpeakerCount
from searchnews.tui.session import SearchRequest

T = TypeVar("T")
HIGHLIGHT_CHARS = 300_000  # about 60 pages
SEARCH_TIME_LIMIT = 0.5  # seconds; a cancelled search keeps its thread busy, so none may run long
QUOTE_LIMIT = 60


@dataclass(frozen=True)
class ArticleView:
    """An article ready to show: where the query matches it, and which quote (if any) to bring into view."""

    article: Article
    headline_spans: tuple[Span, ...]
    body_spans: tuple[Span, ...]
    focus: Quote | None = None
    reported: QuoteProvenance | None = None  # the focused quote's other articles, when it was carried in several


@dataclass(frozen=True)
class IndexState:
    stats: IndexStats
    opened_at: float  # time.time() when this generation was opened


class Stale(Exception):
    """A queued call that a newer call with the same key replaced before it started."""


class _Lane:
    """One thread with its own searcher (Whoosh searchers are not thread-safe)."""

    def __init__(self, name: str) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"searchnews-{name}")
        self.searcher: NewsSearcher | None = None  # touched only in the lane's thread


class SearchBackend:
    """Runs engine calls in threads that own the index's searchers.

    Searches and article loads share the ``search`` lane; speaker counts, which can take seconds on a broad
    query, and index statistics have the ``slow`` lane, so they never hold up the next keystroke's search.
    A call made with a ``key`` is skipped if, by the time its thread is free, a newer call with that key came.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lanes = {"search": _Lane("search"), "slow": _Lane("slow")}
        self._index: NewsIndex | None = None
        self._index_lock = threading.Lock()
        self._tickets: dict[str, int] = {}

    async def call(self, fn: Callable[[NewsSearcher], T], *, lane: str = "search", key: str | None = None) -> T:
        """Run ``fn(searcher)`` in a lane's thread and return its result; raise Stale if a newer call with
        the same ``key`` superseded it before it started."""
        ticket = None
        if key is not None:
            ticket = self._tickets[key] = self._tickets.get(key, 0) + 1
        chosen = self._lanes[lane]
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(chosen.executor, self._run, chosen, fn, key, ticket)

    async def call_index(self, fn: Callable[[NewsIndex], T], *, lane: str = "search") -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._lanes[lane].executor, lambda: fn(self._open()))

    async def reload(self) -> None:
        """Drop the searchers and open the index again (a new generation after a rebuild)."""
        with self._index_lock:
            self._index = None
        loop = asyncio.get_running_loop()
        for lane in self._lanes.values():
            await loop.run_in_executor(lane.executor, self._close_lane, lane)

    async def state(self) -> IndexState:
        """Counts, size and age of the index (counting reads every document: the slow lane)."""
        return await self.call_index(lambda ix: IndexState(ix.stats(), time.time()), lane="slow")

    def close(self) -> None:
        for lane in self._lanes.values():
            lane.executor.submit(self._close_lane, lane)
            lane.executor.shutdown(wait=False, cancel_futures=False)

    # -- in the lanes' threads ------------------------------------------------------------------------------

    def _open(self) -> NewsIndex:
        with self._index_lock:  # the index object is shared by the lanes; open it once
            if self._index is None:
                self._index = NewsIndex(self.root)
            return self._index

    def _run(self, lane: _Lane, fn: Callable[[NewsSearcher], T], key: str | None, ticket: int | None) -> T:
        if key is not None and self._tickets.get(key) != ticket:
            raise Stale(key)
        if lane.searcher is None or lane.searcher.index is not self._open():
            self._close_lane(lane)
            lane.searcher = self._open().searcher()
        return fn(lane.searcher)

    @staticmethod
    def _close_lane(lane: _Lane) -> None:
        if lane.searcher is not None:
            lane.searcher.close()
        lane.searcher = None


def load_article(
    searcher: NewsSearcher, article_id: str, query: str, quote: QuoteHit | None = None
) -> ArticleView | None:
    """The article ``article_id`` with the words of ``query`` located in its headline and body."""
    article = searcher.article(article_id)
    if article is None:
        return None
    headline_spans: tuple[Span, ...] = ()
    body_spans: tuple[Span, ...] = ()
    if query.strip():
        try:
            q = searcher.parse(query)
        except QuerySyntaxError:
            q = None
        if q is not None:
            terms = searcher.query_terms(q, "body") | searcher.query_terms(q, "quote")
            # Matches are marked in the first HIGHLIGHT_CHARS of the article: a dump of many megabytes opens at
            # once, and n / N still walk every match a reader will scroll to.
            body_spans = searcher.spans(article.body[:HIGHLIGHT_CHARS], "body", terms)
            headline_spans = searcher.spans(article.title, "headline", searcher.query_terms(q, "headline") | terms)
    focus = find_quote(article, quote) if quote is not None else None
    reported = None
    if quote is not None and quote.provenance is not None and quote.provenance.articles > 1:
        reported = searcher.quote_group(quote.article_id, quote.quote_index)  # with each article's headline
    return ArticleView(article, headline_spans, body_spans, focus, reported)


def find_quote(article: Article, hit: QuoteHit) -> Quote | None:
    """The article's own record of a quote found by a quote search (same text, best in the same paragraph)."""
    same = [q for q in article.quotes if q.text == hit.text]
    for q in same:
        if q.paragraph == hit.paragraph:
            return q
    if same:
        return same[0]
    start = article.body.find(hit.text)
    if start < 0:
        return None
    return Quote(hit.text, hit.speaker, hit.kind, hit.cue, "", hit.paragraph, start, start + len(hit.text))


# -- what the lists and the chart show, besides a search's hits ----------------------------------------------

# Before anything is typed the list shows the newest articles: the dated ones by date, then the undated (the last
# indexed first), so an index without dates (plain text files, the seed article) does not open on an empty list.
DATED = "date:>=1000"


def run_search(request: SearchRequest, searcher: NewsSearcher) -> SearchResult | QuoteResult:
    """A request's answer: quotes, articles, or (nothing typed) the newest articles."""
    if request.view == "quotes":
        return searcher.quotes(request.query, speaker=request.speaker, limit=QUOTE_LIMIT, time_limit=SEARCH_TIME_LIMIT)
    if request.newest:
        return newest_articles(searcher, request.limit)
    # "Did you mean" can take seconds on a big index: it is asked for separately, in the slow lane.
    return searcher.search(request.query, limit=request.limit, time_limit=SEARCH_TIME_LIMIT, suggest=False)


def newest_articles(searcher: NewsSearcher, limit: int) -> SearchResult:
    """The newest ``limit`` articles, with every dated article's month counted for the chart."""
    return searcher.latest(limit, with_facets=True)


def month_counts(searcher: NewsSearcher, query: str, time_limit: float | None = SEARCH_TIME_LIMIT) -> dict[str, int]:
    """Articles matching ``query`` by month ("YYYY-MM" -> n), from the engine's facets of every match."""
    result = searcher.search(query.strip() or DATED, limit=1, with_facets=True, suggest=False, time_limit=time_limit)
    return dict((result.facets or {}).get("month", {}))


def month_series(months: Mapping[str, int]) -> list[tuple[str, int]]:
    """Every month from the first to the last one counted, empty months as 0, so the chart is a timeline."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    series: list[tuple[str, int]] = []
    while True:
        key = f"{year:04d}-{month:02d}"
        series.append((key, months.get(key, 0)))
        if key >= last:
            return series
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@dataclass(frozen=True)
class QuoteSpeakers:
    """The speakers of the quotes a quote search lists, counted as the list narrows by them."""

    speakers: tuple[SpeakerCount, ...]
    total: int  # the quotes listed (unknown speakers too): "All speakers"
    capped: bool  # more quotes match than are listed ("60+")


def _name_key(name: str) -> str:
    return " ".join(name.replace(",", " ").split()).casefold()


def quote_speakers(searcher: NewsSearcher, result: QuoteResult) -> QuoteSpeakers:
    """Who said the quotes the list shows, counted as choosing them narrows the list.

    Each listed quote counts for the entry of the index-wide speaker list (``searcher.speakers()``, read once per
    searcher) that holds its form of the name, which is what choosing that entry narrows the quotes to
    (``quotes(speaker=...)`` takes every form of the name): choosing a speaker lists at least their count.
    Counting the best 300 articles' quotes, whether or not they matched the query, gave "All speakers 21" beside
    16 quotes listed, and speakers whose quotes did not match at all; counting a fuller quote search instead took
    1.2-2.3 s a query on the 36k corpus, where this reads nothing more.
    """
    group_of = {_name_key(form): group for group in searcher.speakers() for form in group.names}
    counts: Counter[str] = Counter()
    groups: dict[str, SpeakerCount] = {}
    for hit in result.hits:
        if not hit.speaker:
            continue
        group = group_of.get(_name_key(hit.speaker))
        name = group.name if group is not None else hit.speaker
        counts[name] += 1
        groups.setdefault(name, group or SpeakerCount(hit.speaker, 0, (hit.speaker,)))
    speakers = tuple(SpeakerCount(name, n, groups[name].names, groups[name].kind) for name, n in counts.most_common())
    # "All speakers" is the rows listed: the engine's total counts every occurrence of a quote that several
    # articles carried, where the list shows it once ("3 quotes" beside one row); "+" when more match.
    listed = len(result.hits)
    return QuoteSpeakers(speakers, listed, result.capped or result.total > listed)

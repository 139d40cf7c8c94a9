"""The TUI's link to the engine: one search thread that owns a cached searcher, and the data the widgets show.

Whoosh searchers are not thread-safe, so every engine call of the app runs in one single-thread executor that
opens the index and its searcher lazily (the first paint never waits for the index) and keeps them until
``reload()``. Nothing here imports Textual: the records below are plain data the widgets render.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from searchnews.engine.searcher import IndexStats, NewsIndex, NewsSearcher
from searchnews.errors import QuerySyntaxError
from searchnews.model import Article, Quote, QuoteHit, Span

T = TypeVar("T")


@dataclass(frozen=True)
class ArticleView:
    """An article ready to show: where the query matches it, and which quote (if any) to bring into view."""

    article: Article
    headline_spans: tuple[Span, ...]
    body_spans: tuple[Span, ...]
    focus: Quote | None = None


@dataclass(frozen=True)
class IndexState:
    stats: IndexStats
    opened_at: float  # time.time() when this generation was opened


class SearchBackend:
    """Runs engine calls in one thread that owns the index's searcher."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="searchnews-search")
        # Touched only inside the executor's thread.
        self._index: NewsIndex | None = None
        self._searcher: NewsSearcher | None = None

    async def call(self, fn: Callable[[NewsSearcher], T]) -> T:
        """Run ``fn(searcher)`` in the search thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._with_searcher, fn)

    async def call_index(self, fn: Callable[[NewsIndex], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._with_index, fn)

    async def reload(self) -> IndexState:
        """Drop the searcher and open the index again (a new generation after a rebuild)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._reload)

    async def state(self) -> IndexState:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._state)

    def close(self) -> None:
        self._executor.submit(self._close)
        self._executor.shutdown(wait=False, cancel_futures=False)

    # -- in the search thread ------------------------------------------------------------------------------

    def _with_index(self, fn: Callable[[NewsIndex], T]) -> T:
        if self._index is None:
            self._index = NewsIndex(self.root)
        return fn(self._index)

    def _with_searcher(self, fn: Callable[[NewsSearcher], T]) -> T:
        if self._searcher is None:
            self._searcher = self._with_index(lambda ix: ix.searcher())
        return fn(self._searcher)

    def _reload(self) -> IndexState:
        self._close()
        return self._state()

    def _state(self) -> IndexState:
        return IndexState(self._with_index(lambda ix: ix.stats()), time.time())

    def _close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._index = None


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
            body_spans = searcher.spans(article.body, "body", terms)
            headline_spans = searcher.spans(article.title, "headline", searcher.query_terms(q, "headline") | terms)
    focus = find_quote(article, quote) if quote is not None else None
    return ArticleView(article, headline_spans, body_spans, focus)


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

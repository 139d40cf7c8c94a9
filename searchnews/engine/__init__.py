"""The only package that imports Whoosh: schema, on-disk store, writer and searcher."""

from searchnews.engine.searcher import (
    IndexStats,
    NewsIndex,
    NewsSearcher,
    QuoteResult,
    SearchResult,
    SpeakerCount,
    open_index,
)

__all__ = [
    "IndexStats",
    "NewsIndex",
    "NewsSearcher",
    "QuoteResult",
    "SearchResult",
    "SpeakerCount",
    "open_index",
]

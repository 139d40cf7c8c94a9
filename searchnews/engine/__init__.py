"""The only package that imports Whoosh: it stores and searches the records it is given.

Schema and analysis, the on-disk store, the writer, and the searcher (a facade over query planning, scoring,
phrases, highlighting, quote search and speakers); Whoosh's internals only through whoosh_read and whoosh_write.
"""

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

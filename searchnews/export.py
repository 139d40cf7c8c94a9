"""``searchnews export``: every article of the index with its quotes, for other engines to load.

Two formats, both streamed one article at a time from the index's stored fields (memory does not grow with the
index):

- ``jsonl``: one JSON object a line, the fields ``searchnews extract --json`` prints (id, headline, date, source,
  url, body, quotes) plus ``author`` and ``path``, and an ``id`` for each quote (``ARTICLE_ID#qN``). The JSON Lines
  reader of ``searchnews index`` reads these fields back, so an export re-indexes to the same articles and quotes.
- ``opensearch``: a ``_bulk`` body (an ``index`` action line, then the article as its source line) and an index
  template (``opensearch_template``) whose analysis matches ours: standard words, lower case, ASCII folding, the
  English (Porter) stemmer, no stop words; quotes as nested documents (text, speaker, role, kind, ...).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from searchnews.engine.documents import article_from_fields
from searchnews.engine.searcher import NewsIndex
from searchnews.model import Article, Quote

FORMATS = ("jsonl", "opensearch")
DEFAULT_INDEX_NAME = "searchnews"
# The quote fields ``extract --json`` prints, in its order; fields the Quote record gains later follow them.
_QUOTE_FIELDS = ("text", "speaker", "kind", "cue", "paragraph", "mention", "start", "end", "role", "speaker_kind")
_SURROGATE = re.compile("[\ud800-\udfff]")

Progress = Callable[[int, int], None]  # (articles written, articles in the index)


@dataclass(frozen=True)
class ExportSummary:
    articles: int
    quotes: int


def live_articles(index: NewsIndex) -> tuple[int, Iterator[Article]]:
    """(how many live articles, an iterator over them with their quotes), read from stored fields one at a time."""
    searcher = index.ix.searcher()
    total = searcher.doc_count()

    def articles() -> Iterator[Article]:
        try:
            for _docnum, fields in searcher.reader().iter_docs():  # live documents only, in index order
                yield article_from_fields(fields)
        finally:
            searcher.close()

    return total, articles()


def quote_record(article_id: str, n: int, quote: Quote) -> dict[str, Any]:
    record: dict[str, Any] = {"id": f"{article_id}#q{n}"}
    record.update((name, getattr(quote, name)) for name in _QUOTE_FIELDS)
    record["speaker_kind"] = quote.speaker_kind or None
    for extra in dataclasses.fields(Quote):
        if extra.name not in record:
            record[extra.name] = getattr(quote, extra.name)
    return record


def article_record(article: Article) -> dict[str, Any]:
    """One article as the JSON Lines export writes it."""
    return {
        "id": article.id,
        "headline": article.headline,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "author": article.author,
        "path": article.path,
        "body": article.body,
        "quotes": [quote_record(article.id, n, q) for n, q in enumerate(article.quotes)],
    }


def opensearch_source(article: Article) -> dict[str, Any]:
    """The ``_source`` of an article in OpenSearch: the JSON Lines record, with no date as null (not "")."""
    record = article_record(article)
    record["date"] = article.date or None
    return record


def bulk_lines(articles: Iterator[Article], index_name: str = DEFAULT_INDEX_NAME) -> Iterator[str]:
    """The ``_bulk`` body: for each article an action line and its source line (no trailing newlines)."""
    for article in articles:
        yield json_line({"index": {"_index": index_name, "_id": article.id}})
        yield json_line(opensearch_source(article))


def jsonl_lines(articles: Iterator[Article]) -> Iterator[str]:
    for article in articles:
        yield json_line(article_record(article))


def json_line(value: Any) -> str:
    """Compact JSON on one line; lone surrogates (a file name that is not UTF-8) escaped, as JSON allows."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def export(
    index: NewsIndex,
    out: TextIO,
    fmt: str = "jsonl",
    *,
    index_name: str = DEFAULT_INDEX_NAME,
    on_progress: Progress | None = None,
) -> ExportSummary:
    """Write every live article of ``index`` to ``out`` in ``fmt`` (``FORMATS``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    total, articles = live_articles(index)
    counted = _Counted(articles)
    lines = jsonl_lines(counted) if fmt == "jsonl" else bulk_lines(counted, index_name)
    for line in lines:
        out.write(line)
        out.write("\n")
        if on_progress is not None and counted.articles % 500 == 0:
            on_progress(counted.articles, total)
    if on_progress is not None:
        on_progress(counted.articles, total)
    return ExportSummary(counted.articles, counted.quotes)


class _Counted:
    """Articles passed through, counted (articles and quotes) as they go."""

    def __init__(self, articles: Iterator[Article]) -> None:
        self._articles = articles
        self.articles = self.quotes = 0

    def __iter__(self) -> Iterator[Article]:
        for article in self._articles:
            self.articles += 1
            self.quotes += len(article.quotes)
            yield article


def export_to_file(index: NewsIndex, path: Path, fmt: str = "jsonl", **kwargs: Any) -> ExportSummary:
    """``export`` into ``path``, written whole or not at all (a half-written export is never left under its name)."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            summary = export(index, out, fmt, **kwargs)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return summary


# -- the OpenSearch index template ----------------------------------------------------------------------------

_TEXT = {"type": "text", "analyzer": "searchnews_text"}
_NAME = {"type": "text", "analyzer": "searchnews_plain", "fields": {"keyword": {"type": "keyword"}}}


def opensearch_template(index_name: str = DEFAULT_INDEX_NAME) -> dict[str, Any]:
    """An index template (``PUT _index_template/<name>``) for the bulk body, analysed as searchnews analyses.

    searchnews' words: letters and digits with inner dots ("U.S"), lower-cased, accents folded, Porter-stemmed,
    no stop list; names (speakers, authors) unstemmed. OpenSearch's ``standard`` tokenizer, ``asciifolding`` and
    the ``english`` stemmer (Porter) come closest. The headline's weight of 2 is a query-time boost there
    (``headline^2``): OpenSearch no longer takes boosts in mappings.
    """
    return {
        "index_patterns": [f"{index_name}*"],
        "template": {
            "settings": {
                "analysis": {
                    "filter": {"searchnews_stemmer": {"type": "stemmer", "language": "english"}},
                    "analyzer": {
                        "searchnews_text": {
                            "type": "custom",
                            "tokenizer": "standard",
                            "filter": ["lowercase", "asciifolding", "searchnews_stemmer"],
                        },
                        "searchnews_plain": {
                            "type": "custom",
                            "tokenizer": "standard",
                            "filter": ["lowercase", "asciifolding"],
                        },
                    },
                }
            },
            "mappings": {
                "properties": {
                    "id": {"type": "keyword"},
                    "headline": _TEXT,
                    "body": _TEXT,
                    "date": {"type": "date", "format": "strict_date"},
                    "source": {"type": "keyword"},
                    "url": {"type": "keyword", "index": False},
                    "author": _NAME,
                    "path": {"type": "keyword"},
                    "quotes": {
                        "type": "nested",
                        "properties": {
                            "id": {"type": "keyword"},
                            "text": _TEXT,
                            "speaker": _NAME,
                            "role": _NAME,
                            "kind": {"type": "keyword"},
                            "speaker_kind": {"type": "keyword"},
                            "cue": {"type": "keyword"},
                            "mention": _NAME,
                            "paragraph": {"type": "integer"},
                            "start": {"type": "integer"},
                            "end": {"type": "integer"},
                        },
                    },
                }
            },
        },
    }


def write_template(path: Path, index_name: str = DEFAULT_INDEX_NAME) -> None:
    path.write_text(json.dumps(opensearch_template(index_name), indent=2) + "\n", encoding="utf-8")

"""Article and quote documents: built from records for the writer, read back into records for the searcher."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from whoosh.index import Index
from whoosh.query import Term
from whoosh.searching import Searcher

from searchnews.engine.schema import ARTICLE, QUOTE
from searchnews.model import Article, Quote


def article_document(article: Article, quotes: Sequence[Quote], extractor: str) -> dict[str, Any]:
    speakers = _speaker_counts(quotes)
    doc: dict[str, Any] = {
        "kind": ARTICLE,
        "id": article.id,
        "article_id": article.id,
        "headline": article.title,
        "body": article.body,
        "spelling": "\n".join((article.headline, _lede(article), *(name for name, _ in speakers))),
        "path": article.path,
        "hash": article.content_hash,
        "extractor": extractor,
        "url": article.url,
        "author": article.author,
        "source": article.source,
        "speaker": "\n".join(name for name, _ in speakers),
        "speaker_counts": speakers,
        "quote": "\n".join(q.text for q in quotes),
        "_stored_quote": "",  # the quote documents store them; the article only needs them searchable
    }
    date = _parse_date(article.date)
    if date is not None:
        doc["date"] = date
    return doc


def quote_documents(article: Article, quotes: Sequence[Quote]) -> Iterator[dict[str, Any]]:
    date = _parse_date(article.date)
    for n, q in enumerate(quotes):
        doc: dict[str, Any] = {
            "kind": QUOTE,
            "id": f"{article.id}#q{n}",
            "article_id": article.id,
            "speaker": q.speaker,
            "speaker_name": q.speaker,
            "quote": q.text,
            "mention": q.mention,
            "cue": q.cue,
            "quote_kind": q.kind,
            "paragraph": q.paragraph,
            "span": (q.start, q.end, q.paragraph),
            "headline_text": article.title,
        }
        if date is not None:
            doc["date"] = date
        yield doc


def _lede(article: Article, paragraphs: int = 2) -> str:
    return "\n".join(article.paragraphs[:paragraphs])


def _speaker_counts(quotes: Iterable[Quote]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for q in quotes:
        if q.speaker:
            counts[q.speaker] = counts.get(q.speaker, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10])
    except ValueError:
        return None


def stored_quotes(searcher: Searcher, article_id: str) -> list[Quote]:
    """The quotes an earlier build extracted for an unchanged article, so a rebuild need not extract again."""
    docs = [searcher.stored_fields(n) for n in searcher.document_numbers(article_id=article_id, kind=QUOTE)]
    docs.sort(key=lambda d: int(d["id"].rsplit("#q", 1)[1]))
    return [
        Quote(
            text=d["quote"],
            speaker=d.get("speaker_name", ""),
            kind=d.get("quote_kind", ""),
            cue=d.get("cue", ""),
            mention=d.get("mention", ""),
            paragraph=d["span"][2],
            start=d["span"][0],
            end=d["span"][1],
        )
        for d in docs
    ]


def count_documents(ix: Index) -> tuple[int, int]:
    """(articles, quotes) live in the index, deleted documents not counted."""
    with ix.searcher() as searcher:
        return tuple(sum(1 for _ in searcher.docs_for_query(Term("kind", k))) for k in (ARTICLE, QUOTE))

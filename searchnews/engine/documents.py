"""Article documents: built from records for the writer, read back into records for the searcher."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from whoosh.index import Index
from whoosh.searching import Searcher

from searchnews.engine import provenance
from searchnews.model import Article, Quote, QuoteHit


def article_document(article: Article, quotes: Sequence[Quote], extractor: str) -> dict[str, Any]:
    speakers = _speaker_counts(quotes)
    kinds = _speaker_kinds(quotes)
    doc: dict[str, Any] = {
        "id": article.id,
        "headline": article.title,
        "body": article.body,
        "spelling": "\n".join((article.headline, *(name for name, _ in speakers))),
        "path": article.path,
        "state": f"{article.content_hash} {extractor}",
        "url": article.url,
        "author": article.author,
        "source": article.source,
        # who: finds a speaker by name or by the role the text gives them ("who:economist")
        "speaker": "\n".join([name for name, _ in speakers] + sorted({q.role for q in quotes if q.role})),
        "speaker_counts": speakers,
        "speaker_kinds": [kinds.get(name, "") for name, _ in speakers],
        "quote": "\n".join(q.text for q in quotes),
        "quotes": [
            (q.text, q.speaker, q.kind, q.cue, q.mention, q.paragraph, q.start, q.end, q.role, q.speaker_kind)
            for q in quotes
        ],
        "quote_count": len(quotes),
    }
    # The index-wide speaker list counts people and organisations; a description ("the company", "police"), a
    # group or a document speaks for its own article only and is not merged with its namesakes elsewhere.
    names = [name_term(q.speaker) for q in quotes if name_term(q.speaker) and q.speaker_kind in _LISTED_KINDS]
    if names:
        doc["speaker_name"] = ",".join(names)
    organisations = sorted({name_term(q.speaker) for q in quotes if q.speaker_kind == "organisation"} - {""})
    if organisations:
        doc["organisation"] = ",".join(organisations)
    doc.update(provenance.index_fields(article.source, [provenance.fingerprints(q.text) for q in quotes]))
    date = _parse_date(article.date)
    if date is not None:
        doc["date"] = date
    return doc


_LISTED_KINDS = frozenset({"person", "organisation", ""})  # "": a quote from before kinds were given


def listed_kind(kind: str) -> bool:
    """Whether a speaker of this kind is counted across articles (a person or an organisation)."""
    return kind in _LISTED_KINDS


def speaker_count_rows(fields: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    """(name, quotes, kind) of each speaker of a stored article ("" kind: stored before kinds were)."""
    kinds = fields.get("speaker_kinds") or ()
    return [
        (name, n, kinds[i] if i < len(kinds) else "") for i, (name, n) in enumerate(fields.get("speaker_counts", ()))
    ]


def name_term(speaker: str) -> str:
    """A speaker's name as one ``speaker_name`` term (commas separate terms there)."""
    return " ".join(speaker.replace(",", " ").split())


def split_state(state: str) -> tuple[str, str]:
    """(content hash, extractor version) from the ``state`` column."""
    content_hash, _, extractor = state.partition(" ")
    return content_hash, extractor


def _speaker_counts(quotes: Iterable[Quote]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for q in quotes:
        if q.speaker:
            counts[q.speaker] = counts.get(q.speaker, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _speaker_kinds(quotes: Iterable[Quote]) -> dict[str, str]:
    """The kind of each speaker of an article: the one its quotes give most often (the first on a tie)."""
    votes: dict[str, dict[str, int]] = {}
    for q in quotes:
        if q.speaker:
            tally = votes.setdefault(q.speaker, {})
            tally[q.speaker_kind] = tally.get(q.speaker_kind, 0) + 1
    return {name: max(tally, key=tally.__getitem__) for name, tally in votes.items()}


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10])
    except ValueError:
        return None


def stored_quotes(fields: Mapping[str, Any]) -> list[Quote]:
    """The quotes of an article, from its stored fields (rows stored before roles and kinds have 8 values)."""
    quotes = []
    for t, speaker, kind, cue, mention, paragraph, start, end, *more in fields.get("quotes", ()):
        role, speaker_kind = (*more, None, "")[:2]
        quotes.append(
            Quote(
                text=t,
                speaker=speaker,
                kind=kind,
                cue=cue,
                mention=mention,
                paragraph=paragraph,
                start=start,
                end=end,
                role=role,
                speaker_kind=speaker_kind or "",
            )
        )
    return quotes


def count_documents(ix: Index) -> tuple[int, int]:
    """(articles, quotes) live in the index, deleted documents not counted."""
    articles = quotes = 0
    with ix.searcher() as searcher:
        for (n,) in live_columns(searcher, "quote_count"):
            articles += 1
            quotes += n
    return articles, quotes


def live_columns(searcher: Searcher, *names: str) -> Iterator[tuple[Any, ...]]:
    """The values of the columns ``names`` of every live document, segment by segment, deleted ones left out."""
    for sub, _offset in searcher.reader().leaf_readers():  # [(reader, 0)] when atomic
        if not sub.doc_count_all():
            continue  # an empty index's reader has no columns
        deletions = sub.has_deletions()
        for docnum, row in enumerate(zip(*(sub.column_reader(name) for name in names), strict=True)):
            if deletions and sub.is_deleted(docnum):
                continue
            yield row


def article_from_fields(fields: Mapping[str, Any]) -> Article:
    """An article as stored, its quotes included."""
    return Article(
        id=fields["id"],
        headline=fields.get("headline", ""),
        body=fields.get("body", ""),
        path=fields.get("path", ""),
        date=iso_date(fields.get("date")),
        source=fields.get("source", ""),
        url=fields.get("url", ""),
        author=fields.get("author", ""),
        quotes=tuple(stored_quotes(fields)),
    )


def article_quote_hits(fields: Mapping[str, Any], score: float) -> list[QuoteHit]:
    headline, day, article_id = fields.get("headline", ""), iso_date(fields.get("date")), fields.get("id", "")
    source = fields.get("source", "")
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
            quote_index=index,
            source=source,
        )
        for index, q in enumerate(stored_quotes(fields))
    ]


def iso_date(value) -> str:
    """A stored date as YYYY-MM-DD ("" when there is none)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value or "")

"""Speakers: one identity for the forms of a speaker's name across articles, and quote counts per speaker."""

from __future__ import annotations

from whoosh.query import Query
from whoosh.reading import IndexReader

from searchnews.engine.documents import listed_kind, name_term, speaker_count_rows
from searchnews.engine.schema import term_text
from searchnews.engine.scoring import Ranker
from searchnews.model import SpeakerCount, normalise_text
from searchnews.names import SpeakerGroup, find_speaker, merge_speaker_forms

SPEAKER_SCAN_LIMIT = 2000  # articles read to count speakers of a query


def organisations(reader: IndexReader) -> frozenset[str]:
    """The speaker names stored as organisations (``organisation`` terms), every segment's."""
    found: set[str] = set()
    for sub, _offset in reader.leaf_readers():
        if sub.doc_count_all() and "organisation" in sub.indexed_field_names():
            found.update(term_text(t) for t in sub.lexicon("organisation"))
    return frozenset(found)


def all_speaker_counts(reader: IndexReader) -> dict[str, int]:
    """Quotes per speaker name: the total frequency of its ``speaker_name`` term (one per quote).

    Read segment by segment (Whoosh's multi-segment lexicon looks every term up in every segment: 4 s for
    the full corpus's 52,000 names, against 0.2 s), less the counts of deleted articles, which stay in a
    segment's lexicon until it is merged.
    """
    counts: dict[str, int] = {}
    for sub, _offset in reader.leaf_readers():
        if not sub.doc_count_all() or "speaker_name" not in sub.indexed_field_names():
            continue
        for btext, info in sub.iter_field("speaker_name"):
            name = term_text(btext)
            counts[name] = counts.get(name, 0) + int(info.weight())
        if sub.has_deletions():
            for docnum in range(sub.doc_count_all()):
                if sub.is_deleted(docnum):
                    for name, n, kind in speaker_count_rows(sub.stored_fields(docnum)):
                        if listed_kind(kind):
                            key = name_term(name)
                            counts[key] = counts.get(key, 0) - n
    return {name: n for name, n in counts.items() if n > 0}


def speaker_counts_in(ranker: Ranker, q: Query, articles: int) -> tuple[dict[str, int], frozenset[str]]:
    """Quotes per speaker name in the ``articles`` best matching ``q``, from their stored documents, and which
    names are organisations. People and organisations only: a description ("the company", "police") speaks
    for its own article and is never added up with its namesakes in others."""
    found, _, _, _ = ranker.ranked(q, None, articles, None)
    counts: dict[str, int] = {}
    organisation_names: set[str] = set()
    for docnum, _score in found:
        for name, n, kind in speaker_count_rows(ranker.s.stored_fields(docnum)):
            if listed_kind(kind):
                key = name_term(name)
                counts[key] = counts.get(key, 0) + n
                if kind == "organisation":
                    organisation_names.add(key)
    return counts, frozenset(organisation_names)


def speaker_forms(groups: list[SpeakerCount], name: str) -> tuple[str, ...]:
    """Every stored form of the speaker ``name`` names: "trump", "President Trump" and "Donald J. Trump" give
    "Donald Trump" and all its forms (the rules are ``names.find_speaker``'s)."""
    found = find_speaker([SpeakerGroup(g.name, g.count, g.names) for g in groups], normalise_text(name))
    return found.names if found is not None else ()


def merge_speakers(counts: dict[str, int], organisation_names: frozenset[str] = frozenset()) -> list[SpeakerCount]:
    """Fold the forms of one speaker across articles into one entry, best-counted first (``names``' rules:
    titles, initials and middle names dropped; a lone surname joins the one full name it can stand for).
    An entry is an organisation when its main form was stored as one (``organisations``), else a person."""
    return [
        SpeakerCount(g.name, g.count, g.names, "organisation" if g.name in organisation_names else "person")
        for g in merge_speaker_forms(counts)
    ]


def find_group(groups: list[SpeakerCount], name: str) -> SpeakerCount | None:
    """The entry of the speaker list that ``name`` names, by any form of it (``names.find_speaker``'s rules)."""
    found = find_speaker([SpeakerGroup(g.name, g.count, g.names) for g in groups], normalise_text(name))
    if found is None:
        return None
    return next((g for g in groups if g.name == found.name), None)

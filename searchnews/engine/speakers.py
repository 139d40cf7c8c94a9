"""Speakers: one identity for the forms of a speaker's name across articles, and quote counts per speaker."""

from __future__ import annotations

from whoosh.query import Query
from whoosh.reading import IndexReader

from searchnews.engine.documents import name_term
from searchnews.engine.schema import term_text
from searchnews.engine.scoring import Ranker
from searchnews.model import SpeakerCount, normalise_text, speaker_key

SPEAKER_SCAN_LIMIT = 2000  # articles read to count speakers of a query


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
                    for name, n in sub.stored_fields(docnum).get("speaker_counts", ()):
                        key = name_term(name)
                        counts[key] = counts.get(key, 0) - n
    return {name: n for name, n in counts.items() if n > 0}


def speaker_counts_in(ranker: Ranker, q: Query, articles: int) -> dict[str, int]:
    """Quotes per speaker name in the ``articles`` best matching ``q``, from their stored documents."""
    found, _, _, _ = ranker.ranked(q, None, articles, None)
    counts: dict[str, int] = {}
    for docnum, _score in found:
        for name, n in ranker.s.stored_fields(docnum).get("speaker_counts", ()):
            counts[name] = counts.get(name, 0) + n
    return counts


def speaker_forms(groups: list[SpeakerCount], name: str) -> tuple[str, ...]:
    """Every stored form of the speaker ``name`` names ("shoigu" -> "Sergey Shoigu", "Mr Shoigu").

    A whole name, or one word of a person's name: the surname, or the family name written first ("wang" ->
    "Wang Yi"); the most quoted speaker it names wins.
    """
    wanted = speaker_key(normalise_text(name))
    if not wanted:
        return ()
    for group in groups:
        if wanted in {speaker_key(n) for n in group.names}:
            return group.names
    if " " not in wanted:
        for group in groups:
            words = speaker_key(group.name).split(" ")
            if len(words) > 1 and wanted in (words[0], words[-1]) and _looks_like_name({group.name: 1}):
                return group.names
    return ()


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

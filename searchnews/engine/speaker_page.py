"""A speaker's page: every form of their name, what they said over time, their most reported quotes, and the
speakers quoted beside them.

Read from the articles quoting them (their stored documents: ~100 us each, so a few hundred milliseconds for
the most quoted person of the 36k corpus); the most reported quotes are ranked by the lexicon first (the
fewest articles any of a quote's fingerprints is in, no document opened), then the best of those looked up
in full.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence

from whoosh.query import Or, Term
from whoosh.searching import Searcher

from searchnews.engine.documents import article_quote_hits, listed_kind, name_term, speaker_count_rows
from searchnews.engine.provenance import ProvenanceReader, QuotePrints, fingerprints, related
from searchnews.model import MonthCount, Occurrence, QuoteHit, SpeakerCount, SpeakerPage

TOP_QUOTES = 5
QUOTED_WITH = 8
# Quotes looked up in full for the most reported: the lexicon's bound is an upper bound for a whole quote
# and misses its trimmed forms, so a few more than are shown.
TOP_CANDIDATES = 4 * TOP_QUOTES


def speaker_page(
    searcher: Searcher, group: SpeakerCount, groups: Sequence[SpeakerCount], reader: ProvenanceReader | None = None
) -> SpeakerPage:
    """The page of the speaker ``group`` (one entry of the index-wide speaker list ``groups``)."""
    forms = frozenset(name_term(n) for n in group.names)
    canonical = {name_term(n): g for g in groups for n in g.names}
    q = Or([Term("speaker_name", f) for f in sorted(forms)])
    mine: list[QuoteHit] = []
    articles: set[str] = set()
    roles: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    beside: Counter[str] = Counter()
    for docnum in searcher.docs_for_query(q):
        fields = searcher.stored_fields(docnum)
        said = [h for h in article_quote_hits(fields, 0.0) if name_term(h.speaker) in forms]
        if not said:
            continue
        mine.extend(said)
        articles.add(said[0].article_id)
        roles.update(h.role for h in said if h.role)
        kinds.update(h.speaker_kind for h in said if h.speaker_kind)
        beside.update(_others(fields, forms, canonical, group.name))
    kind = kinds.most_common(1)[0][0] if kinds else group.kind
    return SpeakerPage(
        speaker=group.name,
        kind=kind,
        names=group.names,
        roles=tuple(role for role, _ in roles.most_common()),
        quotes=len(mine),
        articles=len(articles),
        timeline=timeline(h.date for h in mine),
        top_quotes=tuple(most_reported(reader or ProvenanceReader(searcher), mine)),
        quoted_with=tuple(
            SpeakerCount(name, n, canonical[name_term(name)].names if name_term(name) in canonical else (name,))
            for name, n in sorted(beside.items(), key=lambda item: (-item[1], item[0]))[:QUOTED_WITH]
        ),
    )


def _others(fields, forms: frozenset[str], canonical: dict[str, SpeakerCount], own: str) -> set[str]:
    """The other people and organisations quoted in one article, by their index-wide name."""
    found = set()
    for name, _n, kind in speaker_count_rows(fields):
        key = name_term(name)
        if key in forms or not listed_kind(kind):
            continue
        other = canonical[key].name if key in canonical else name
        if other != own:
            found.add(other)
    return found


def timeline(dates: Iterable[str]) -> tuple[MonthCount, ...]:
    """Quotes per month, from the first month to the last with a dated quote, empty months included."""
    per_month = Counter(d[:7] for d in dates if d)
    if not per_month:
        return ()
    first, last = min(per_month), max(per_month)
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months.append(MonthCount(key, per_month.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def most_reported(reader: ProvenanceReader, said: Sequence[QuoteHit], top: int = TOP_QUOTES) -> list[QuoteHit]:
    """The speaker's quotes carried by the most articles, each once, with its provenance."""
    bound: dict[int, int] = {}
    prints: list[QuotePrints] = [fingerprints(h.text) for h in said]
    for i, p in enumerate(prints):
        bound[i] = reader.article_frequency(p)
    order = sorted(range(len(said)), key=lambda i: (-bound[i], said[i].date or "9999", said[i].quote_id))
    chosen: list[int] = []
    for i in order:
        if not related(prints[i], (prints[j] for j in chosen)):
            chosen.append(i)
            if len(chosen) >= TOP_CANDIDATES:
                break
    found = []
    for i in chosen:
        h = said[i]
        own = Occurrence(h.article_id, h.date, h.source, h.quote_index)
        found.append(dataclasses.replace(h, provenance=reader.provenance(prints[i], own)))
    found.sort(key=lambda h: (-h.provenance.articles, h.provenance.first_seen.date or "9999", h.quote_id))
    return found[:top]

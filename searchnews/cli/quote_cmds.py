"""Commands on quotes and speakers: quotes, who, speakers, speaker."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from searchnews.cli.common import (
    FormatOpt,
    IndexOpt,
    JsonOpt,
    LimitOpt,
    SinceOpt,
    SortOpt,
    SortOrder,
    SourceOpt,
    UntilOpt,
    _console,
    _date,
    _emit,
    _index_dir,
    _plural,
    _print_json,
    _print_undated,
    _styled,
    app,
    example,
    fail,
    reports_errors,
)
from searchnews.model import QuoteHit, QuoteProvenance, SpeakerPage, quote_marks

AllOccurrencesOpt = Annotated[
    bool,
    typer.Option(
        "--all-occurrences", "-a", help="Under each quote, every article that carried it (date, source, headline)."
    ),
]


def _quote_json(h: QuoteHit, group: QuoteProvenance | None = None) -> dict[str, Any]:
    """A quote as JSON: the occurrence found, then its provenance (first seen, articles, sources), and with
    --all-occurrences every occurrence."""
    row = _occurrence_fields(h)
    prov = h.provenance
    if prov is not None:
        first = prov.first_seen
        row["first_seen"] = {"date": first.date or None, "source": first.source, "article_id": first.article_id}
        row["articles"] = prov.articles
        row["sources"] = list(prov.sources)
    if group is not None:
        row["occurrences"] = [
            {"article_id": o.article_id, "date": o.date or None, "source": o.source, "headline": o.headline,
             "speaker": o.speaker, "text": o.text}
            for o in group.occurrences
        ]  # fmt: skip
    return row


def _occurrence_fields(h: QuoteHit) -> dict[str, Any]:
    return {
        "speaker": h.speaker,
        "text": h.text,
        "kind": h.kind,
        "cue": h.cue,
        "article_id": h.article_id,
        "headline": h.headline,
        "date": h.date,
        "score": h.score,
        "role": h.role,
        "speaker_kind": h.speaker_kind or None,
    }


def _print_quotes(hits, console, groups: dict[str, QuoteProvenance] | None = None) -> None:
    for h in hits:
        console.print()
        how = " · ".join(x for x in (h.cue, h.kind) if x)
        role = f", {h.role}" if h.role and h.role != h.speaker else ""
        who = _styled(h.speaker or "(unknown speaker)", (), "bold") + _styled(role, (), "dim")
        console.print(who + _styled(f"  {how}", (), "dim"))
        opening, closing = quote_marks(h.kind)
        console.print(_styled(f"  {opening}", ()) + _styled(h.text, h.text_spans) + _styled(closing, ()))
        console.print(f"  {' · '.join(x for x in (h.headline, h.date, h.source) if x)}", style="dim", markup=False)
        if h.provenance is not None and h.provenance.articles > 1:
            console.print(f"  {h.provenance.reported()}", style="cyan", markup=False)
        group = (groups or {}).get(h.quote_id)
        if group is not None:
            for o in group.occurrences:
                line = " · ".join(x for x in (o.date or "undated", o.source, o.headline, o.article_id) if x)
                console.print(f"    {line}", style="dim", markup=False)


def _groups(searcher, hits, wanted: bool) -> dict[str, QuoteProvenance]:
    """Every occurrence of each quote listed (--all-occurrences), with headlines and wordings."""
    if not wanted:
        return {}
    found = {h.quote_id: searcher.quote_group(h.article_id, h.quote_index) for h in hits}
    return {k: g for k, g in found.items() if g is not None}


@app.command(
    "quotes",
    epilog=example("searchnews quotes drills", "searchnews quotes --speaker 'Sergey Shoigu' --json"),
)
@reports_errors
def quotes_command(
    query: Annotated[str, typer.Argument(help="Words of the quote (Whoosh query syntax).")] = "",
    speaker: Annotated[str | None, typer.Option("--speaker", "-s", help="Only quotes by this speaker.")] = None,
    index: IndexOpt = None,
    limit: LimitOpt = 20,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sort: SortOpt = SortOrder.relevance,
    source: SourceOpt = None,
    all_occurrences: AllOccurrencesOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Quotes matching a query, optionally by one speaker; a quote carried by several articles is listed once."""
    from searchnews.engine import open_index

    with open_index(_index_dir(index)).searcher() as searcher:
        result = searcher.quotes(
            query,
            speaker=speaker,
            limit=limit,
            since=_date(since, "--since"),
            until=_date(until, "--until"),
            sort=sort.value,
            sources=tuple(source or ()),
            provenance_for=limit,
        )
        groups = _groups(searcher, result.hits, all_occurrences)
    if _emit([_quote_json(h, groups.get(h.quote_id)) for h in result.hits], fmt, as_json):
        return
    console = _console()
    by = f" by {speaker}" if speaker else ""
    more = "+" if result.capped else ""
    noun, verb = ("quote", "matches") if result.total == 1 and not more else ("quotes", "match")
    what = f" {verb} {query!r}" if query else ""  # no words: every quote (by the speaker), newest first
    # The count is of quotes as found, each repeat in another article one; the list shows each quote once.
    shown = len(result.hits)
    grouped = f", {shown:,} shown with repeats grouped" if shown < min(result.total, limit) else ""
    console.print(f"{result.total:,}{more} {noun}{by}{what}{grouped} ({result.seconds * 1000:.0f} ms)")
    _print_undated(result, console)
    _print_quotes(result.hits, console, groups)


@app.command("who", epilog=example("searchnews who 'play an important role' --limit 3"))
@reports_errors
def who_command(
    phrase: Annotated[str, typer.Argument(help="The phrase, as well as you remember it.")],
    index: IndexOpt = None,
    limit: LimitOpt = 10,
    all_occurrences: AllOccurrencesOpt = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Who said it: the speakers of the quotes best matching a phrase, best first, each quote once."""
    from searchnews.engine import open_index

    with open_index(_index_dir(index)).searcher() as searcher:
        result = searcher.who(phrase, limit=limit)
        groups = _groups(searcher, result.hits, all_occurrences)
    if _emit([_quote_json(h, groups.get(h.quote_id)) for h in result.hits], fmt, as_json):
        return
    console = _console()
    if not result.hits:
        console.print(f"Nobody in the index said anything like {phrase!r}.")
    _print_quotes(result.hits, console, groups)


@app.command("speakers", epilog=example("searchnews speakers --limit 20", "searchnews speakers taliban --json"))
@reports_errors
def speakers_command(
    query: Annotated[str, typer.Argument(help="Only speakers in articles matching this query.")] = "",
    index: IndexOpt = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="How many speakers.")] = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Speakers with their quote counts: all, or within the articles matching a query."""
    from searchnews.engine import open_index

    with open_index(_index_dir(index)).searcher() as searcher:
        speakers = searcher.speakers(query, limit=limit)
    rows = [{"speaker": s.name, "quotes": s.count, "names": list(s.names), "kind": s.kind} for s in speakers]
    if _emit(rows, fmt, as_json):
        return
    width = max((len(str(s.count)) for s in speakers), default=1)
    for s in speakers:
        others = [n for n in s.names if n != s.name]
        also = f"  (also: {', '.join(others)})" if others else ""
        typer.echo(f"{s.count:>{width}}  {s.name}{also}")


@app.command("speaker", epilog=example("searchnews speaker 'Jeff Sessions'", "searchnews speaker sessions --json"))
@reports_errors
def speaker_command(
    name: Annotated[str, typer.Argument(help='Any form of the speaker\'s name ("trump", "Mr. Trump").')],
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A speaker's page: name forms, kind, roles, counts, quotes by month, most reported quotes, quoted with."""
    from searchnews.engine import open_index

    with open_index(_index_dir(index)).searcher() as searcher:
        page = searcher.speaker_page(name)
    if page is None:
        fail(f"no person or organisation named {name!r} in {_index_dir(index)} (see `searchnews speakers`)")
        return
    if as_json:
        _print_json(speaker_json(page))
        return
    _print_page(page, _console())


def speaker_json(page: SpeakerPage) -> dict[str, Any]:
    return {
        "speaker": page.speaker,
        "kind": page.kind,
        "names": list(page.names),
        "roles": list(page.roles),
        "quotes": page.quotes,
        "articles": page.articles,
        "timeline": [{"month": m.month, "quotes": m.quotes} for m in page.timeline],
        "top_quotes": [_quote_json(h) for h in page.top_quotes],
        "quoted_with": [{"speaker": s.name, "articles": s.count} for s in page.quoted_with],
    }


SPARKS = "▁▂▃▄▅▆▇█"
TIMELINE_WIDTH = 72  # characters of the quotes-by-month line; longer timelines put several months in one


def sparkline(counts: list[int], width: int = TIMELINE_WIDTH) -> tuple[str, int]:
    """Block characters for ``counts`` (an empty month a space), and how many months each character holds."""
    per = max(1, -(-len(counts) // width))
    buckets = [sum(counts[i : i + per]) for i in range(0, len(counts), per)]
    top = max(buckets, default=0) or 1
    return "".join(SPARKS[min(7, (n * 8 - 1) // top)] if n else " " for n in buckets), per


def _print_page(page: SpeakerPage, console) -> None:
    console.print(_styled(page.speaker, (), "bold") + _styled(f"  {page.kind}", (), "dim"))
    others = [n for n in page.names if n != page.speaker]
    if others:
        console.print(f"also: {', '.join(others)}", style="dim", markup=False)
    if page.roles:
        console.print(f"roles: {'; '.join(page.roles[:6])}", markup=False)
    console.print(f"{_plural(page.quotes, 'quote')} in {_plural(page.articles, 'article')}")
    if page.timeline:
        # The line fits the terminal: two months of labels (16 characters) beside it.
        line, per = sparkline([m.quotes for m in page.timeline], max(12, min(TIMELINE_WIDTH, console.width - 17)))
        peak = max(page.timeline, key=lambda m: m.quotes)
        unit = "month" if per == 1 else f"{per} months"
        console.print()
        console.print(f"quotes by month, one character per {unit} (peak {peak.month}: {peak.quotes:,})")
        console.print(f"{page.timeline[0].month} {line} {page.timeline[-1].month}", markup=False)
    if page.top_quotes:
        console.print()
        console.print("most reported", style="bold")
        for h in page.top_quotes:
            opening, closing = quote_marks(h.kind)
            console.print(f"  {opening}{h.text}{closing}", markup=False)
            prov = h.provenance
            where = prov.reported() if prov is not None else ""
            where = where or " · ".join(x for x in (h.date, h.source, h.headline) if x)
            if where:
                console.print(f"    {where}", style="dim", markup=False)
    if page.quoted_with:
        console.print()
        shown = ", ".join(f"{s.name} ({s.count})" for s in page.quoted_with)
        console.print(f"quoted with (articles): {shown}", markup=False)

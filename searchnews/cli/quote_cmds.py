"""Commands on quotes and speakers: quotes, who, speakers."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from searchnews.cli.common import (
    FormatOpt,
    IndexOpt,
    JsonOpt,
    LimitOpt,
    SinceOpt,
    UntilOpt,
    _console,
    _date,
    _emit,
    _index_dir,
    _print_undated,
    _styled,
    app,
    example,
    reports_errors,
)
from searchnews.model import quote_marks


def _quote_json(h) -> dict[str, Any]:
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


def _print_quotes(hits, console) -> None:
    for h in hits:
        console.print()
        how = " · ".join(x for x in (h.cue, h.kind) if x)
        role = f", {h.role}" if h.role and h.role != h.speaker else ""
        who = _styled(h.speaker or "(unknown speaker)", (), "bold") + _styled(role, (), "dim")
        console.print(who + _styled(f"  {how}", (), "dim"))
        opening, closing = quote_marks(h.kind)
        console.print(_styled(f"  {opening}", ()) + _styled(h.text, h.text_spans) + _styled(closing, ()))
        console.print(f"  {' · '.join(x for x in (h.headline, h.date) if x)}", style="dim")


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
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Quotes matching a query, optionally by one speaker."""
    from searchnews.engine import open_index

    with open_index(_index_dir(index)).searcher() as searcher:
        result = searcher.quotes(
            query, speaker=speaker, limit=limit, since=_date(since, "--since"), until=_date(until, "--until")
        )
    if _emit([_quote_json(h) for h in result.hits], fmt, as_json):
        return
    console = _console()
    by = f" by {speaker}" if speaker else ""
    more = "+" if result.capped else ""
    noun, verb = ("quote", "matches") if result.total == 1 and not more else ("quotes", "match")
    what = f" {verb} {query!r}" if query else ""  # no words: every quote (by the speaker), newest first
    console.print(f"{result.total:,}{more} {noun}{by}{what} ({result.seconds * 1000:.0f} ms)")
    _print_undated(result, console)
    _print_quotes(result.hits, console)


@app.command("who", epilog=example("searchnews who 'play an important role' --limit 3"))
@reports_errors
def who_command(
    phrase: Annotated[str, typer.Argument(help="The phrase, as well as you remember it.")],
    index: IndexOpt = None,
    limit: LimitOpt = 10,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Who said it: the speakers of the quotes best matching a phrase, best first."""
    from searchnews.engine import open_index

    with open_index(_index_dir(index)).searcher() as searcher:
        result = searcher.who(phrase, limit=limit)
    if _emit([_quote_json(h) for h in result.hits], fmt, as_json):
        return
    console = _console()
    if not result.hits:
        console.print(f"Nobody in the index said anything like {phrase!r}.")
    _print_quotes(result.hits, console)


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
    if _emit([{"speaker": s.name, "quotes": s.count, "names": list(s.names)} for s in speakers], fmt, as_json):
        return
    width = max((len(str(s.count)) for s in speakers), default=1)
    for s in speakers:
        others = [n for n in s.names if n != s.name]
        also = f"  (also: {', '.join(others)})" if others else ""
        typer.echo(f"{s.count:>{width}}  {s.name}{also}")

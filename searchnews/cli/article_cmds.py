"""Commands on articles: search, show, open, extract."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from searchnews.cli.common import (
    EXIT_FAILED_INPUTS,
    EXIT_OK,
    FormatOpt,
    IndexOpt,
    JsonOpt,
    LimitOpt,
    OutputFormat,
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
from searchnews.model import shown_quote


@app.command(
    "search",
    epilog=example(
        "searchnews search 'border drills'",
        "searchnews search '\"army drills\" NOT ukraine' --since 2021-01-01 --json | jq -r '.[].id'",
        "searchnews search 'who:shoigu said:\"important role\"'",
        "searchnews search election --sort date --source Reuters --facets",
    ),
)
@reports_errors
def search_command(
    query: Annotated[str, typer.Argument(help='Whoosh query: words, "phrases", AND/OR/NOT, who:, said:, title:')],
    index: IndexOpt = None,
    limit: LimitOpt = 10,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sort: SortOpt = SortOrder.relevance,
    source: SourceOpt = None,
    facets: Annotated[
        bool, typer.Option("--facets", help="Count every match by source and by month (a histogram under the list).")
    ] = False,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Search articles: ranked, with highlighted snippets."""
    from searchnews.engine import open_index

    if facets and fmt not in (None, OutputFormat.json):
        fail(f"--facets goes with text or --json output, not --format {fmt.value}")
    with open_index(_index_dir(index)).searcher() as searcher:
        result = searcher.search(
            query,
            limit=limit,
            since=_date(since, "--since"),
            until=_date(until, "--until"),
            sort=sort.value,
            sources=tuple(source or ()),
            with_facets=facets,
        )
    rows = [
        {
            "id": h.id,
            "headline": h.headline,
            "date": h.date,
            "source": h.source,
            "url": h.url,
            "path": h.path,
            "score": h.score,
            "snippet": h.snippet,
            "speakers": list(h.speakers),
        }
        for h in result.hits
    ]
    if facets and (as_json or fmt is not None):
        _print_json({"results": rows, "facets": result.facets})
        return
    if _emit(rows, fmt, as_json):
        return
    console = _console()
    more = "+" if result.capped else ""
    matches = "article matches" if result.total == 1 and not more else "articles match"
    console.print(f"{result.total:,}{more} {matches} {query!r} ({result.seconds * 1000:.0f} ms)")
    _print_undated(result, console)
    if result.suggestion:
        console.print(f"Did you mean: {result.suggestion}")
    for n, h in enumerate(result.hits, 1):
        console.print()
        console.print(_styled(f"{n}. ", ()) + _styled(h.headline, h.headline_spans, "bold"))
        meta = " · ".join(x for x in (h.date, h.source, h.url or h.path) if x)
        console.print(f"   {meta}", style="dim")
        console.print(_styled("   ", ()) + _styled(h.snippet, h.snippet_spans))
        if h.speakers:
            console.print(f"   speakers: {', '.join(h.speakers)}", style="dim")
    if result.facets is not None:
        _print_facets(result.facets, result.total, console)


_BLOCKS = "▁▂▃▄▅▆▇█"
_MAX_BARS = 72  # months shown one bar each up to six years; a longer span is shown a bar a year
_SHOWN_SOURCES = 5


def month_histogram(months: dict[str, int]) -> tuple[str, str, str]:
    """(first period, one bar per month (or per year past six years) from first to last, last period): a bar's
    height is its count against the highest, "·" for none."""
    if not months:
        return "", "", ""
    first, last = min(months), max(months)
    (y0, m0), (y1, m1) = (map(int, first.split("-")), map(int, last.split("-")))
    if (y1 - y0) * 12 + m1 - m0 + 1 <= _MAX_BARS:
        periods = [
            f"{y:04d}-{m:02d}" for y in range(y0, y1 + 1) for m in range(1, 13) if (y0, m0) <= (y, m) <= (y1, m1)
        ]
        counts = [months.get(p, 0) for p in periods]
    else:
        periods = [f"{y:04d}" for y in range(y0, y1 + 1)]
        counts = [sum(n for month, n in months.items() if month.startswith(p)) for p in periods]
    peak = max(counts)
    bars = "".join(_BLOCKS[max(0, -(-n * len(_BLOCKS) // peak) - 1)] if n else "·" for n in counts)
    return periods[0], bars, periods[-1]


def _print_facets(facets: dict[str, dict[str, int]], total: int, console) -> None:
    console.print()
    months, sources = facets["month"], facets["source"]
    first, bars, last = month_histogram(months)
    undated = total - sum(months.values())
    notes = [f"peak {max(months, key=months.__getitem__)}: {max(months.values()):,}"] if months else []
    if undated:
        notes.append(f"{_plural(undated, 'undated article')}")
    line = f"{first} {bars} {last}" if months else "no dated articles"
    console.print(f"by month:  {line}" + (f"  ({'; '.join(notes)})" if notes else ""), markup=False)
    shown = " · ".join(f"{name} {n:,}" for name, n in list(sources.items())[:_SHOWN_SOURCES])
    more = f" · {len(sources) - _SHOWN_SOURCES:,} more" if len(sources) > _SHOWN_SOURCES else ""
    console.print(f"by source: {shown or 'none named'}{more}", markup=False)


# -- show -------------------------------------------------------------------------------------------------------


@app.command(
    "show",
    epilog=example(
        'searchnews show "$(searchnews search drills --format jsonl | head -1 | jq -r .id)"',
        "searchnews show ID --json",
    ),
)
@reports_errors
def show_command(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="The article's id, as search and quotes print it.")],
    index: IndexOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One whole article from the index: headline, metadata, body with its quotes marked, and its quotes."""
    from searchnews.engine import open_index

    with open_index(_index_dir(index)).searcher() as searcher:
        article = searcher.article(article_id)
    if article is None:
        fail(f"no article {article_id!r} in {_index_dir(index)} (ids are printed by search, quotes and who)")
    if as_json:
        _print_json(_article_json(article, article.quotes))
        return
    from rich.text import Text

    console = _console()
    console.print(article.title, style="bold")
    meta = " · ".join(x for x in (article.date, article.source, article.author, article.url or article.path) if x)
    if meta:
        console.print(meta, style="dim")
    console.print()
    body = Text()
    at = 0
    for q in sorted(article.quotes, key=lambda q: q.start):
        if q.start < at:
            continue  # a quote inside another: marked once
        end = q.end
        while end < len(article.body) and article.body[end] in "”’\"'»":  # the marker goes after the closing mark
            end += 1
        body.append(article.body[at : q.start])
        body.append(article.body[q.start : end], style="bold" if q.kind == "direct" else "italic")
        body.append(f" [{q.speaker or '?'}]", style="dim cyan")
        at = end
    body.append(article.body[at:])
    console.print(body)


def _article_json(article, quotes) -> dict[str, Any]:
    return {
        "id": article.id,
        "headline": article.headline,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "body": article.body,
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "kind": q.kind,
                "cue": q.cue,
                "paragraph": q.paragraph,
                "mention": q.mention,
                "start": q.start,
                "end": q.end,
                "role": q.role,
                "speaker_kind": q.speaker_kind or None,
            }
            for q in quotes
        ],
    }


# -- open --------------------------------------------------------------------------------------------------------


@app.command(
    "open",
    epilog=example(
        "searchnews open ID             # its file in $EDITOR, else $PAGER, else less; its URL when it has no file",
        "EDITOR=code searchnews open ID --print",
    ),
)
@reports_errors
def open_command(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="The article's id, as search and quotes print it.")],
    index: IndexOpt = None,
    print_only: Annotated[bool, typer.Option("--print", help="Print what would be run, run nothing.")] = False,
) -> None:
    """Open an article's file in $EDITOR (else $PAGER, else less), or its URL in the browser when it has no file."""
    import shlex

    from searchnews.engine import open_index

    with open_index(_index_dir(index)).searcher() as searcher:
        article = searcher.article(article_id)
    if article is None:
        fail(f"no article {article_id!r} in {_index_dir(index)} (ids are printed by search, quotes and who)")
    if article.path and Path(article.path).is_file():
        command = [*_viewer(), article.path]
        if print_only:
            typer.echo(shlex.join(command))
            return
        _run_viewer(command)
    elif article.url:
        if print_only:
            typer.echo(shlex.join(["webbrowser", article.url]))
            return
        import webbrowser

        if not webbrowser.open(article.url):
            fail(f"no browser to open {article.url} (article {article_id!r})")
    else:
        where = f"its file {article.path} is gone" if article.path else "it has no file"
        fail(f"cannot open article {article_id!r}: {where} and it has no URL")


def _viewer() -> list[str]:
    """$EDITOR, else $PAGER, else less; as a command line ("code -w" is a command and an option)."""
    import shlex

    for variable in ("EDITOR", "PAGER"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                fail(f"${variable} {value!r} is not a command line (unbalanced quote)")
            if words:
                return words
    return ["less"]


def _run_viewer(command: list[str]) -> None:
    import subprocess

    try:
        code = subprocess.run(command, check=False).returncode
    except OSError as exc:
        fail(f"cannot run {command[0]!r}: {exc.strerror or exc}")
    if code:
        fail(f"{command[0]} exited with {code}", EXIT_FAILED_INPUTS)


# -- extract -----------------------------------------------------------------------------------------------------


@app.command(
    "extract", epilog=example("searchnews extract page.html", "searchnews extract feed.jsonl.gz --json | head -1")
)
@reports_errors
def extract_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to read.")],
    as_json: JsonOpt = False,
) -> None:
    """Read articles and print them as found: headline, date, source, body, quotes (no index)."""
    from searchnews.errors import InputError, one_line_reason
    from searchnews.ingest import Unsupported, discover, read_path
    from searchnews.quotes import extract_quotes

    failed = 0
    console = None if as_json else _console()
    for item in discover(paths):
        if isinstance(item, Unsupported):
            continue  # a folder's other files; `index` lists them
        articles = [item] if isinstance(item, InputError) else read_path(item)
        for article in articles:
            if isinstance(article, InputError):
                failed += 1
                typer.echo(f"searchnews: skipped {article.where}: {article.reason}", err=True)
                continue
            try:
                quotes = extract_quotes(article)
            except Exception as exc:  # a bug in a rule, on this text: name the article, go on with the others
                failed += 1
                typer.echo(f"searchnews: skipped {article.id}: quotes not extracted: {one_line_reason(exc)}", err=True)
                continue
            if as_json:
                _print_json(_article_json(article, quotes))
            else:
                _print_article(article, quotes, console)
    raise typer.Exit(EXIT_FAILED_INPUTS if failed else EXIT_OK)


def _print_article(article, quotes, console) -> None:
    console.rule(article.id, style="dim")
    console.print(article.title, style="bold")
    meta = " · ".join(x for x in (article.date, article.source, article.author, article.url) if x)
    if meta:
        console.print(meta, style="dim")
    console.print()
    console.print(article.body)
    console.print()
    console.print(f"{len(quotes)} quotes", style="bold")
    for q in quotes:
        mention = f" ({q.mention})" if q.mention and q.mention != q.speaker else ""
        shown = f"{q.speaker} {q.mention}".casefold()
        role = f", {q.role}" if q.role and q.role.casefold() not in shown else ""
        console.print(
            f"  [{q.kind}] {q.speaker or '?'}{mention}{role} {q.cue}: {shown_quote(q.text, q.kind)}", markup=False
        )

"""The ``searchnews`` command: thin shells over the engine, text for people and ``--json`` for scripts.

Exit codes: 0 done; 1 some inputs failed (the rest were indexed); 2 usage error, bad query, missing or broken
index, or index locked by another writer; 3 internal error (a bug); 130 interrupted.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from searchnews.config import default_index_dir, default_jobs, default_seeds_dir
from searchnews.errors import SearchnewsError
from searchnews.model import quote_marks, shown_quote

EXIT_OK, EXIT_FAILED_INPUTS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
DEBUG_ENV = "SEARCHNEWS_DEBUG"

EXIT_CODES_HELP = (
    "\b\nExit codes:\n"
    "  0    done\n"
    "  1    some inputs failed (each named on stderr), or nothing could be read\n"
    "  2    usage error, bad query, missing, broken or locked index\n"
    "  3    internal error (a bug; SEARCHNEWS_DEBUG=1 shows where)\n"
    "  130  interrupted (Ctrl-C); committed work is kept"
)

app = typer.Typer(
    help="Full-text search for news articles: who said what, from the keyboard.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=False,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

IndexOpt = Annotated[
    Path | None,
    typer.Option("--index", help="Index directory [default: $SEARCHNEWS_INDEX or ./index]", show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        help="json (as --json), jsonl (one object a line, streams) or csv (lists joined by '; ').",
        show_default=False,
    ),
]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, help="How many results.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only articles dated on or after YYYY-MM-DD.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Only articles dated on or before YYYY-MM-DD.")]

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn searchnews errors into one line on stderr and exit 2; Ctrl-C into one line and exit 130.

    A reader that closed our standard output (``searchnews search x | head -1``) got what it wanted: exit 0.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            _stdout_closed()
            raise typer.Exit(EXIT_OK) from None
        except SearchnewsError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            typer.echo("searchnews: interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug, or an index damaged where no check looked: one line either way
            if os.environ.get(DEBUG_ENV):
                raise
            if "index" in kwargs:
                _fail_if_damaged(_index_dir(kwargs["index"]))
            fail(f"internal error: {type(exc).__name__}: {exc} (set {DEBUG_ENV}=1 to see where)", EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _fail_if_damaged(index_dir: Path) -> None:
    """After an unexpected error: when the index's files are not what was written, that is the cause to report."""
    from searchnews.engine.check import digest_problems
    from searchnews.engine.store import REBUILD_HINT, IndexStore

    gen = IndexStore(index_dir).current_dir()
    problems = digest_problems(gen) if gen is not None and gen.is_dir() else []
    if problems:
        fail(f"index at {index_dir} is damaged ({'; '.join(problems[:3])}): {REBUILD_HINT}")


def _stdout_closed() -> None:
    """Send what is left of our output nowhere, so Python's flush at exit does not fail on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def example(*lines: str) -> str:
    """A help epilog: example commands, then the exit codes."""
    shown = "\n".join(f"  $ {line}" for line in lines)
    return f"\b\nExamples:\n{shown}\n\n{EXIT_CODES_HELP}"


def fail(message: str, code: int = EXIT_USAGE) -> None:
    typer.echo(f"searchnews: {message}", err=True)
    raise typer.Exit(code)


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _index_dir(index: Path | None) -> Path:
    return index if index is not None else default_index_dir()


def _date(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        fail(f"{option} {value!r}: expected a date as YYYY-MM-DD")
    return None


def _print_json(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=None)
    # Lone surrogates (a file name that is not UTF-8) cannot be written as UTF-8: escape them as JSON allows, so
    # the output stays valid and json.loads + os.fsencode gives the name back.
    text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


def _emit(rows: list[dict[str, Any]], fmt: OutputFormat | None, as_json: bool) -> bool:
    """Print ``rows`` for a script when --json or --format asks for it; False when text is wanted."""
    if fmt is None and not as_json:
        return False
    fmt = fmt or OutputFormat.json
    if fmt is OutputFormat.json:
        _print_json(rows)
    elif fmt is OutputFormat.jsonl:
        for row in rows:
            _print_json(row)
    else:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        if rows:
            writer.writerow(rows[0].keys())
        for row in rows:
            writer.writerow(_csv_cell(v) for v in row.values())
    return True


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_csv_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _console():
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    # rich exits 1 when the reader of a pipe goes away; that reader (`| head`) got what it wanted.
    console.on_broken_pipe = _reader_went_away  # type: ignore[method-assign]
    return console


def _reader_went_away() -> None:
    _stdout_closed()
    raise typer.Exit(EXIT_OK)


def _styled(text: str, spans, style: str = "bold yellow"):
    from rich.text import Text

    out = Text(text)
    for span in spans:
        out.stylize(style, span.start, span.end)
    return out


# -- index -------------------------------------------------------------------------------------------------------


@app.command(
    "index",
    epilog=example(
        "searchnews index ~/news                # add a folder (its files and everything below)",
        "searchnews index                       # update from the recorded sources",
        "searchnews index --rebuild --json      # rebuild them in a new generation, swapped in atomically",
        "searchnews index --prune               # also drop articles whose files are gone",
    ),
)
@reports_errors
def index_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to index [default: the sources recorded in the index, else ./seeds]."),
    ] = None,
    index: IndexOpt = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build a new index and swap it in atomically.")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Remove articles whose files are gone.")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Processes [default: all cores].", show_default=False)
    ] = None,
    wait: Annotated[float, typer.Option("--wait", min=0, help="Seconds to wait for another writer.")] = 0.0,
    as_json: JsonOpt = False,
) -> None:
    """Index articles (.txt, .html, .json, .jsonl, and .gz of each): incremental, atomic, parallel.

    The index records the files and folders it was built from: without paths, `index` and `index --rebuild`
    read those again (a first run with no index reads ./seeds). Given paths are added to them; with --rebuild
    they replace them.
    """
    index_dir = _index_dir(index)
    inputs = list(paths) if paths else _recorded_or_seeds(index_dir)
    try:
        summary = _index_with_progress(
            index_dir, inputs, rebuild=rebuild, prune=prune, jobs=jobs or default_jobs(), wait=wait
        )
    except KeyboardInterrupt:
        fail("interrupted: work committed before is kept; run the same command again to finish", EXIT_INTERRUPTED)
    if as_json:
        _print_json(summary.to_json())
    else:
        typer.echo(
            f"indexed {summary.indexed}, unchanged {summary.unchanged}, removed {summary.removed}, "
            f"failed {len(summary.failed)}: {_plural(summary.articles, 'article')} and "
            f"{_plural(summary.quotes, 'quote')} "
            f"in {index_dir} ({summary.seconds:.1f}s)"
        )
    if summary.read_nothing:
        typer.echo("searchnews: nothing could be indexed from the given paths", err=True)
    raise typer.Exit(EXIT_FAILED_INPUTS if summary.failed or summary.read_nothing else EXIT_OK)


def _recorded_or_seeds(index_dir: Path) -> list[Path] | None:
    """None (the index's recorded sources) when it records any; ./seeds for a first build; else an error."""
    from searchnews.engine.store import IndexStore

    store = IndexStore(index_dir)
    if store.sources():
        return None
    if not store.exists():
        return [default_seeds_dir()]
    fail(f"index at {index_dir} records no sources (built by an older searchnews): give the files or folders to index")
    return None


def _index_with_progress(index_dir: Path, inputs: list[Path], **options: Any):
    """``index_paths`` with a progress bar when stderr is a terminal; each failed input named on stderr."""
    from searchnews.indexing import index_paths

    progress = _Progress() if sys.stderr.isatty() else None
    try:
        summary = index_paths(index_dir, inputs, on_progress=progress.update if progress else None, **options)
    finally:
        if progress:
            progress.stop()
    for failure in summary.failed:
        typer.echo(f"searchnews: skipped {failure.where}: {failure.reason}", err=True)
    if summary.skipped:
        reasons = ", ".join(f"{n:,} {reason}" for reason, n in sorted(summary.skipped.items(), key=lambda x: -x[1]))
        total = sum(summary.skipped.values())
        typer.echo(
            f"searchnews: skipped {_plural(total, 'archive record')} that are not article pages ({reasons})", err=True
        )
    if summary.unsupported:
        shown = ", ".join(summary.unsupported[:_SHOWN_UNSUPPORTED])
        more = (
            f" and {len(summary.unsupported) - _SHOWN_UNSUPPORTED:,} more"
            if len(summary.unsupported) > _SHOWN_UNSUPPORTED
            else ""
        )
        from searchnews.ingest.formats import FORMATS

        typer.echo(
            f"searchnews: not read, unsupported type ({_plural(len(summary.unsupported), 'file')}): {shown}{more}; "
            f"searchnews reads {', '.join(FORMATS)} and their .gz",
            err=True,
        )
    return summary


_SHOWN_UNSUPPORTED = 5


class _Progress:
    """A progress bar on stderr, for people watching a terminal: bytes read of the inputs, articles, rate, time left.

    Bytes, not files: one JSON Lines feed of 36,000 articles is one file, and its bar moves as it is read.
    """

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("indexing"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[articles]:,} articles · {task.fields[rate]}/s"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=Console(stderr=True),
            transient=True,
            refresh_per_second=4,
        )
        self.started = time.monotonic()
        self.task = self.progress.add_task("index", total=None, articles=0, rate="…")
        self.progress.start()

    def update(self, event) -> None:
        elapsed = time.monotonic() - self.started
        rate = f"{event.articles / elapsed:,.0f}" if elapsed > 1 else "…"
        self.progress.update(
            self.task,
            completed=event.bytes_done,
            total=event.bytes_total or None,
            articles=event.articles,
            rate=rate,
        )

    def stop(self) -> None:
        self.progress.stop()


@app.command(
    "sources",
    epilog=example("searchnews sources", "searchnews sources --json"),
)
@reports_errors
def sources_command(index: IndexOpt = None, as_json: JsonOpt = False, fmt: FormatOpt = None) -> None:
    """The files and folders the index was built from: what `index` and `index --rebuild` read again."""
    from searchnews.engine.store import IndexStore

    index_dir = _index_dir(index)
    store = IndexStore(index_dir)
    if not store.exists() and not store.sources():
        fail(f"no index at {index_dir}: run `searchnews index` first")
    sources = [{"path": p, "exists": os.path.exists(p)} for p in store.sources()]
    if _emit(sources, fmt, as_json):
        return
    for source in sources:
        typer.echo(source["path"] + ("" if source["exists"] else "  (missing)"))


@app.command("check", epilog=example("searchnews check", "searchnews check --json | jq .current.sound"))
@reports_errors
def check_command(index: IndexOpt = None, as_json: JsonOpt = False) -> None:
    """Read the whole index: every file against its checksum, every posting list, stored document and column.

    Exit 0 when the live generation is sound, 2 when it is damaged (and how to recover).
    """
    from searchnews.engine.check import check_generation
    from searchnews.engine.store import IndexStore

    index_dir = _index_dir(index)
    store = IndexStore(index_dir)
    current, previous = store.current_dir(), store.previous_dir()
    if current is None:
        fail(f"no index at {index_dir}: run `searchnews index` first")
    if not current.is_dir():
        fail(f"index at {index_dir} is broken (missing {current.name}): run `searchnews index --rebuild`")
    progress = _Spinner("checking") if sys.stderr.isatty() and not as_json else None
    try:
        report = check_generation(current, on_progress=progress.update if progress else None)
        before = (
            check_generation(previous) if (previous is not None and previous.is_dir() and not report.sound) else None
        )
    finally:
        if progress:
            progress.stop()
    if report.sound:
        recovery = None
    elif before is not None and before.sound:
        recovery = f"`searchnews rollback` brings back the previous generation ({previous.name}), which is sound"
    else:
        recovery = "`searchnews index --rebuild` rebuilds it from the recorded sources (`searchnews sources`)"
    if as_json:
        _print_json(
            {
                "index": str(index_dir),
                "current": report.to_json(),
                "previous": before.to_json() if before is not None else None,
                "recovery": recovery,
            }
        )
    else:
        verdict = "sound" if report.sound else "DAMAGED"
        typer.echo(f"{index_dir}: {report.generation} is {verdict} ({report.seconds:.1f}s)")
        typer.echo(
            f"  {_plural(report.segments, 'segment')}, {_plural(report.documents, 'document')}; read "
            f"{_plural(report.files, 'file')} against checksums, {report.terms:,} terms with "
            f"{report.postings:,} postings, {report.stored:,} stored documents, {report.column_values:,} column values"
        )
        if not report.checksums:
            typer.echo("  no checksums recorded (written by an older searchnews): contents read, not compared")
        for problem in report.problems:
            typer.echo(f"  damaged: {problem}")
        if recovery:
            typer.echo(f"  to recover: {recovery}")
    raise typer.Exit(EXIT_OK if report.sound else EXIT_USAGE)


class _Spinner:
    """A one-line activity note on stderr while a long read runs."""

    def __init__(self, what: str) -> None:
        from rich.console import Console
        from rich.status import Status

        self.what = what
        self.status = Status(what, console=Console(stderr=True))
        self.status.start()

    def update(self, where: str) -> None:
        self.status.update(f"{self.what} {where}")

    def stop(self) -> None:
        self.status.stop()


@app.command(
    "rollback",
    epilog=example(
        "searchnews index --rebuild ~/other-news   # a rebuild from the wrong folder ...",
        "searchnews rollback                       # ... undone",
    ),
)
@reports_errors
def rollback_command(
    index: IndexOpt = None,
    wait: Annotated[float, typer.Option("--wait", min=0, help="Seconds to wait for another writer.")] = 0.0,
) -> None:
    """Go back to the previous generation of the index (after a bad rebuild); run again to undo."""
    from searchnews.engine.store import IndexStore

    index_dir = _index_dir(index)
    store = IndexStore(index_dir)
    with store.writer_lock(wait):
        gen = store.rollback()
    typer.echo(f"{index_dir} is back to {gen.name}; sources: {', '.join(store.sources()) or 'none recorded'}")


# -- search ------------------------------------------------------------------------------------------------------


@app.command(
    "search",
    epilog=example(
        "searchnews search 'border drills'",
        "searchnews search '\"army drills\" NOT ukraine' --since 2021-01-01 --json | jq -r '.[].id'",
        "searchnews search 'who:shoigu said:\"important role\"'",
    ),
)
@reports_errors
def search_command(
    query: Annotated[str, typer.Argument(help='Whoosh query: words, "phrases", AND/OR/NOT, who:, said:, title:')],
    index: IndexOpt = None,
    limit: LimitOpt = 10,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Search articles: ranked, with highlighted snippets."""
    from searchnews.engine import open_index

    with open_index(_index_dir(index)).searcher() as searcher:
        result = searcher.search(query, limit=limit, since=_date(since, "--since"), until=_date(until, "--until"))
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


# -- quotes ------------------------------------------------------------------------------------------------------


def _print_undated(result, console) -> None:
    """Date filters cannot place an undated article: say how many matching ones they left out."""
    if result.undated_excluded:
        n = result.undated_excluded
        console.print(
            f"({_plural(n, 'undated article')} also {'matches' if n == 1 else 'match'}, left out by the date filter)",
            style="dim",
        )


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


# -- tui ---------------------------------------------------------------------------------------------------------


@app.command("tui", epilog=example("searchnews tui", "searchnews tui shoigu --quotes"))
@reports_errors
def tui_command(
    query: Annotated[str, typer.Argument(help="Start with this query.")] = "",
    quotes: Annotated[bool, typer.Option("--quotes", help="Start in the quote-only view.")] = False,
    index: IndexOpt = None,
) -> None:
    """Open the terminal UI."""
    _run_tui(_index_dir(index), query, quotes)


def _run_tui(index_dir: Path, query: str, quotes: bool) -> None:
    from searchnews.engine.store import IndexStore

    if not IndexStore(index_dir).exists():
        seeds = default_seeds_dir()
        if not seeds.is_dir():
            fail(f"no index at {index_dir} and no seeds folder at {seeds} to build one from")
        typer.echo(f"Building the index at {index_dir} from {seeds} ...", err=True)
        _index_with_progress(index_dir, [seeds], jobs=default_jobs())
    from searchnews.tui import run

    run(index_dir, query=query, quotes=quotes)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"searchnews {version('searchnews')}")
        raise typer.Exit(EXIT_OK)


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    show_version: Annotated[
        bool | None,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """With no command: open the terminal UI on the default index, building it from ./seeds first if needed."""
    if ctx.invoked_subcommand is None:
        reports_errors(_run_tui)(default_index_dir(), "", False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""What every command shares: options, exit codes, errors to exit codes, and output (text, JSON, JSON Lines, CSV)."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from searchnews.config import default_index_dir
from searchnews.errors import SearchnewsError

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


# The commands register on this app as their modules are imported (searchnews.cli imports them all).
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
    typer.Option(
        "--index",
        help="Index directory [default: $SEARCHNEWS_INDEX, else the config file's index, else ./index]",
        show_default=False,
    ),
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


class SortOrder(str, Enum):
    relevance = "relevance"
    date = "date"


SortOpt = Annotated[
    SortOrder, typer.Option("--sort", help="relevance (best first) or date (newest first, undated last).")
]
SourceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        metavar="NAME",
        help="Only articles from this source (any case; repeat for more).",
        show_default=False,
    ),
]

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
        columns = _csv_columns(rows)
        if rows:
            writer.writerow(".".join(c) for c in columns)
        for row in rows:
            writer.writerow(_csv_cell(_lookup(row, column)) for column in columns)
    return True


def _csv_columns(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """The CSV's columns: each key of the rows, in order, an object value's keys as columns of their own
    (``first_seen.date``, ``first_seen.source``): a spreadsheet sorts and filters on them."""
    columns: dict[tuple[str, ...], None] = {}
    nested = {k for row in rows for k, v in row.items() if isinstance(v, dict)}
    for row in rows:
        for key, value in row.items():
            if key not in nested:
                columns.setdefault((key,), None)
            elif isinstance(value, dict):
                for sub in value:
                    columns.setdefault((key, sub), None)
    return list(columns)


def _lookup(row: dict[str, Any], column: tuple[str, ...]) -> Any:
    value: Any = row
    for key in column:
        value = value.get(key) if isinstance(value, dict) else None
    return value


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


def _print_undated(result, console) -> None:
    """Date filters cannot place an undated article: say how many matching ones they left out."""
    if result.undated_excluded:
        n = result.undated_excluded
        console.print(
            f"({_plural(n, 'undated article')} also {'matches' if n == 1 else 'match'}, left out by the date filter)",
            style="dim",
        )

"""Commands that build and look after the index: index, sources, check, rollback."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from searchnews.cli.common import (
    EXIT_FAILED_INPUTS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    FormatOpt,
    IndexOpt,
    JsonOpt,
    _emit,
    _index_dir,
    _plural,
    _print_json,
    app,
    example,
    fail,
    reports_errors,
)
from searchnews.config import configured_sources, default_exclude, default_jobs, default_seeds_dir


@app.command(
    "index",
    epilog=example(
        "searchnews index ~/news                # add a folder (its files and everything below)",
        "searchnews index                       # update from the recorded sources",
        "searchnews index --rebuild --json      # rebuild them in a new generation, swapped in atomically",
        "searchnews index --prune               # also drop articles whose files are gone",
        "searchnews index --watch ~/news        # keep it current as files come, change and go (Ctrl-C ends)",
    ),
)
@reports_errors
def index_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to index [default: the sources recorded in the index, else the config file's "
            "sources, else ./seeds]."
        ),
    ] = None,
    index: IndexOpt = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build a new index and swap it in atomically.")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Remove articles whose files are gone.")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Processes [default: all cores].", show_default=False)
    ] = None,
    wait: Annotated[float, typer.Option("--wait", min=0, help="Seconds to wait for another writer.")] = 0.0,
    watch: Annotated[
        bool, typer.Option("--watch", help="Then keep watching: one run (with --prune) per burst of changes.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Index articles (.txt, .html, .json, .jsonl, and .gz of each): incremental, atomic, parallel.

    The index records the files and folders it was built from: without paths, `index` and `index --rebuild`
    read those again (a first run with no index reads the config file's sources, else ./seeds). Given paths are
    added to them; with --rebuild they replace them.
    """
    index_dir = _index_dir(index)
    inputs = list(paths) if paths else _recorded_or_seeds(index_dir)
    if watch:
        if rebuild:
            fail("--watch keeps an index current: rebuild it first, then watch")
        _watch(index_dir, inputs, jobs or default_jobs(), wait, as_json)
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


def _watch(index_dir: Path, inputs: list[Path] | None, jobs: int, wait: float, as_json: bool) -> None:
    """Index, then index each burst of changes until Ctrl-C (exit 0: every run's work is committed)."""
    from searchnews.watch import run_line, watch_index

    def on_run(run) -> None:
        for failure in run.summary.failed:
            typer.echo(f"searchnews: skipped {failure.where}: {failure.reason}", err=True)
        if as_json:
            _print_json(run.to_json())
        else:
            typer.echo(run_line(run, index_dir))
        sys.stdout.flush()
        if run.first:
            shown = ", ".join(run.summary.sources) or "nothing"
            typer.echo(f"searchnews: watching {shown} (Ctrl-C to stop)", err=True)

    # SIGTERM (a service manager's stop, `kill`) ends the watch as Ctrl-C does: the run under way is cancelled,
    # every committed one kept.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        watch_index(index_dir, inputs, on_run=on_run, exclude=default_exclude(), jobs=jobs, wait=wait)
    except KeyboardInterrupt:
        typer.echo("searchnews: stopped watching; every run's work is committed", err=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    raise typer.Exit(EXIT_OK)


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def _recorded_or_seeds(index_dir: Path) -> list[Path] | None:
    """None (the index's recorded sources) when it records any; else the config file's sources; ./seeds for a
    first build; else an error."""
    from searchnews.engine.store import IndexStore

    store = IndexStore(index_dir)
    if store.sources():
        return None
    configured = configured_sources()
    if configured:
        return list(configured)
    if not store.exists():
        return [default_seeds_dir()]
    fail(f"index at {index_dir} records no sources (built by an older searchnews): give the files or folders to index")
    return None


def _index_with_progress(index_dir: Path, inputs: list[Path], **options: Any):
    """``index_paths`` with a progress bar when stderr is a terminal; each failed input named on stderr."""
    from searchnews.indexing import index_paths

    progress = _Progress() if sys.stderr.isatty() else None
    options.setdefault("exclude", default_exclude())
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

"""The tui command (and the bare `searchnews`): the terminal UI, building the index from ./seeds first if needed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from searchnews.cli.common import (
    IndexOpt,
    _index_dir,
    app,
    example,
    fail,
    reports_errors,
)
from searchnews.cli.index_cmds import _index_with_progress
from searchnews.config import configured_sources, default_jobs, default_seeds_dir


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
        configured = configured_sources()
        if configured:
            inputs = list(configured)
        else:
            seeds = default_seeds_dir()
            if not seeds.is_dir():
                fail(f"no index at {index_dir} and no seeds folder at {seeds} to build one from")
            inputs = [seeds]
        typer.echo(f"Building the index at {index_dir} from {', '.join(map(str, inputs))} ...", err=True)
        _index_with_progress(index_dir, inputs, jobs=default_jobs())
    from searchnews.tui import run

    run(index_dir, query=query, quotes=quotes)

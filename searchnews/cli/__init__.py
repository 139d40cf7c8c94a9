"""The ``searchnews`` command: thin shells over the engine, text for people and ``--json`` for scripts.

Exit codes: 0 done; 1 some inputs failed (the rest were indexed); 2 usage error, bad query, missing or broken
index, or index locked by another writer; 3 internal error (a bug); 130 interrupted.

The commands live in modules of this package: ``index_cmds`` (index, sources, check, rollback), ``article_cmds``
(search, show, extract), ``quote_cmds`` (quotes, who, speakers), ``tui_cmd``; ``common`` holds what they share,
``app`` among it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from searchnews.cli.common import EXIT_OK, app, reports_errors
from searchnews.config import default_index_dir


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


# The commands register themselves on `app` when their modules are imported; `--help` lists them in this order,
# the order a new user meets them, not the order of the modules.
from searchnews.cli import article_cmds, config_cmd, export_cmd, index_cmds, quote_cmds, tui_cmd  # noqa: E402
from searchnews.cli.tui_cmd import _run_tui  # noqa: E402

_ORDER = (
    "index",
    "sources",
    "check",
    "rollback",
    "search",
    "quotes",
    "who",
    "speakers",
    "speaker",
    "show",
    "open",
    "extract",
    "export",
    "config",
    "tui",
)
app.registered_commands.sort(key=lambda c: _ORDER.index(c.name) if c.name in _ORDER else len(_ORDER))

__all__ = ["app", "article_cmds", "config_cmd", "export_cmd", "index_cmds", "main", "quote_cmds", "tui_cmd"]

if __name__ == "__main__":
    main()

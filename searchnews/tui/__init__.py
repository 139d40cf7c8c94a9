"""The terminal UI: the only package that imports Textual. ``run()`` opens it on an index."""

from __future__ import annotations

from pathlib import Path


def run(index_dir: Path, query: str = "", quotes: bool = False) -> None:
    """Open the app on the index at ``index_dir``, optionally with a first query or in the quote view."""
    from searchnews.tui.app import run as run_app

    run_app(index_dir, query=query, quotes=quotes)

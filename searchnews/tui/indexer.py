"""Updating or rebuilding the index from the app: one run in a thread, its progress and end posted as messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.message import Message

from searchnews.errors import SearchnewsError
from searchnews.tui.messages import IndexProgress, IndexUpdated
from searchnews.tui.session import plural


def write_index(index_dir: Path, rebuild: bool, post: Callable[[Message], object]) -> None:
    """Update (or rebuild) the index from the sources it records; post ``IndexProgress`` and one ``IndexUpdated``.

    Runs in a thread worker: ``post`` is the app's ``post_message``, which is thread-safe.
    """
    # The writer pulls in ingest and the quote extractor: import it only when asked to write.
    from searchnews.config import default_exclude, default_jobs
    from searchnews.engine.searcher import NewsIndex
    from searchnews.engine.store import IndexStore
    from searchnews.indexing import Progress, index_paths

    verb = "rebuilding" if rebuild else "updating"

    def progress(p: Progress) -> None:
        post(IndexProgress(p.files_done, p.files_total, verb))

    try:
        paths: list[str] | None = None  # the sources the index records
        if not IndexStore(index_dir).sources():  # an index from before sources were recorded
            with NewsIndex(index_dir).searcher() as s:
                paths = [p for p in s.source_paths() if Path(p).exists()]
            if not paths:
                raise SearchnewsError("none of the indexed files exist here to read again")
        summary = index_paths(
            index_dir,
            paths,
            rebuild=rebuild,
            prune=not rebuild,
            jobs=default_jobs(),
            exclude=default_exclude(),  # the config file's patterns, as `searchnews index` applies them
            on_progress=progress,
        )
    except Exception as exc:  # any failure is the run's, reported in the app; the app goes on
        post(IndexUpdated(f"{verb} failed: {exc}", failed=True))
        return
    post(
        IndexUpdated(
            f"{summary.indexed} indexed, {summary.unchanged} unchanged, {summary.removed} removed, "
            f"{len(summary.failed)} failed: {plural(summary.articles, 'article')}, {plural(summary.quotes, 'quote')}",
            failed=False,
        )
    )

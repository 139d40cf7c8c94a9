"""``searchnews index --watch``: keep an index current while files appear, change or go.

The operating system tells of changes (watchfiles: inotify, FSEvents, ReadDirectoryChangesW); a burst of them
(a folder copied in, an editor's save) becomes one index run, ``indexing.index_paths`` on the changed files with
``prune``: the same writer lock and atomic commits as any ``searchnews index``, incremental by content, and the
articles of files that are gone removed. Changes made while a run works are kept by watchfiles and make the next
run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchnews.indexing import IndexSummary, index_paths
from searchnews.ingest import canonical_path
from searchnews.ingest.discovery import excluded
from searchnews.ingest.formats import format_of

# A burst ends after STEP_MS without a change; however long it lasts, a run starts after DEBOUNCE_MS at most.
# 400 ms: a copy of 2,225 files (BBC) into a watched folder came as one burst; an editor's save as one change.
STEP_MS = 400
DEBOUNCE_MS = 5000


@dataclass
class WatchRun:
    """One index run of the watch: why (the files changed, added, deleted) and what it did."""

    summary: IndexSummary
    changed: list[str] = field(default_factory=list)  # files that exist, read again
    gone: list[str] = field(default_factory=list)  # files deleted or moved away
    first: bool = False  # the run at start, over every source

    def to_json(self) -> dict[str, Any]:
        return {**self.summary.to_json(), "changed": self.changed, "gone": self.gone, "first": self.first}


def watch_index(
    index_dir: Path,
    paths: Sequence[Path] | None,
    *,
    on_run: Callable[[WatchRun], None],
    exclude: Sequence[str] = (),
    jobs: int = 1,
    wait: float = 0.0,
    stop_event: Any = None,
    step_ms: int = STEP_MS,
    debounce_ms: int = DEBOUNCE_MS,
) -> None:
    """Watch ``paths`` and the index's recorded sources; index them all once, then each burst of changes, until
    ``stop_event`` is set or Ctrl-C (KeyboardInterrupt, raised to the caller).

    The first run starts once the watcher is in place, so a file written after its line is printed is never
    missed; a change during that run makes a second run.
    """
    import watchfiles

    from searchnews.engine.store import IndexStore

    roots = [canonical_path(p) for p in [*(paths or []), *IndexStore(index_dir).sources()] if os.path.exists(p)]
    if not roots:
        on_run(WatchRun(index_paths(index_dir, paths, prune=True, jobs=jobs, wait=wait, exclude=exclude), first=True))
        return
    wanted = _Wanted(list(dict.fromkeys(roots)), canonical_path(index_dir), tuple(exclude))
    first = True
    # yield_on_timeout: an empty set every second with nothing changed; the first tells the watcher is running.
    for changes in watchfiles.watch(
        *wanted.roots,
        watch_filter=lambda _change, path: wanted(path),
        step=step_ms,
        debounce=debounce_ms,
        stop_event=stop_event,
        raise_interrupt=True,
        rust_timeout=1000,
        yield_on_timeout=True,
    ):
        if first:
            summary = index_paths(index_dir, paths, prune=True, jobs=jobs, wait=wait, exclude=exclude)
            on_run(WatchRun(summary, first=True))
            first = False
            continue
        paths_changed = sorted({path for _change, path in changes})
        present = [p for p in paths_changed if os.path.isfile(p)]
        gone = [p for p in paths_changed if not os.path.exists(p)]
        if not present and not gone:
            continue  # nothing, or a file made and removed within the burst
        summary = index_paths(index_dir, [Path(p) for p in present], prune=True, jobs=jobs, wait=_LOCK_WAIT)
        on_run(WatchRun(summary, present, gone))


# Another searchnews (an `index` run, the TUI's update) may hold the writer lock: the watch waits its turn.
_LOCK_WAIT = 600.0


class _Wanted:
    """Whether a changed path concerns the index: inside a watched source, not in the index itself, not hidden,
    not excluded, and a file of a format searchnews reads, or a folder."""

    def __init__(self, roots: Sequence[Path], index_dir: Path, exclude: tuple[str, ...]) -> None:
        self.roots = roots
        self.index_dir = index_dir
        self.exclude = exclude

    def __call__(self, path: str) -> bool:
        p = Path(path)
        if p == self.index_dir or self.index_dir in p.parents:
            return False
        root = next((r for r in self.roots if p == r or r in p.parents), None)
        if root is None:
            return False
        inside = p.relative_to(root).parts if root.is_dir() else ()
        if any(part.startswith(".") for part in inside):
            return False
        for depth in range(1, len(inside)):  # the folders between the source and the file
            if excluded(root.joinpath(*inside[:depth]), True, self.exclude):
                return False
        is_dir = os.path.isdir(p)
        if inside and excluded(p, is_dir, self.exclude):
            return False
        # A deleted path without a suffix may have been a folder: its articles go too.
        return is_dir or format_of(p) is not None or (not p.suffix and not os.path.exists(p))


def run_line(run: WatchRun, index_dir: Path) -> str:
    """One line for a person watching: the time, what changed, what the run did."""
    s = run.summary
    what = "all sources" if run.first else ", ".join(_short(p) for p in [*run.changed, *run.gone][:3])
    more = len(run.changed) + len(run.gone) - 3
    if not run.first and more > 0:
        what += f" and {more:,} more"
    return (
        f"{time.strftime('%H:%M:%S')} {what}: indexed {s.indexed}, unchanged {s.unchanged}, removed {s.removed}, "
        f"failed {len(s.failed)}: {s.articles:,} article{'' if s.articles == 1 else 's'} in {index_dir} "
        f"({s.seconds:.1f}s)"
    )


def _short(path: str) -> str:
    return os.path.basename(path) or path

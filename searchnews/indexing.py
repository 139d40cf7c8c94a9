"""An index run: read the inputs, extract the quotes of what is new or changed, and hand the records to the engine.

``index_paths`` is the whole of ``searchnews index`` and of the TUI's indexing: the files and folders given (or
the sources the index records) read by ``searchnews.ingest``, quotes by ``searchnews.quotes``, articles stored by
``searchnews.engine.writer`` (incremental by content hash, atomic rebuilds, parallel writers), and a summary.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchnews.engine.store import IndexStore
from searchnews.engine.writer import DISK_FULL, IndexUpdate, update_index
from searchnews.errors import IndexWriteError, InputError, UnsupportedContent, UsageError, one_line_reason
from searchnews.ingest import Unsupported, canonical_path, discover, read_path
from searchnews.model import Article
from searchnews.quotes import EXTRACTOR_VERSION, extract_quotes

# Progress is reported at most this often (a reader of JSON Lines reports its position every few lines).
PROGRESS_INTERVAL_SECONDS = 0.1
# Lone surrogates: file names that are not UTF-8 (decoded with surrogateescape) and broken "\ud83d" escapes in
# JSON. Whoosh cannot encode them in terms, and a terminal or a JSON reader cannot take them either.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ARTICLE_TEXT_FIELDS = ("id", "headline", "body", "path", "date", "source", "url", "author")


@dataclass
class IndexSummary:
    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[InputError] = field(default_factory=list)
    articles: int = 0
    quotes: int = 0
    seconds: float = 0.0
    unsupported: list[str] = field(default_factory=list)  # files in the folders that searchnews does not read
    skipped: dict[str, int] = field(default_factory=dict)  # records of archives that are not articles, by reason
    sources: list[str] = field(default_factory=list)  # what the index is now built from

    @property
    def read_nothing(self) -> bool:
        """True when inputs were given and not one article could be read from them."""
        return self.indexed == 0 and self.unchanged == 0 and (bool(self.failed) or bool(self.unsupported))

    def to_json(self) -> dict[str, Any]:
        return {
            "indexed": self.indexed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"path": f.where, "error": f.reason} for f in self.failed],
            "unsupported": self.unsupported,
            "skipped": self.skipped,
            "articles": self.articles,
            "quotes": self.quotes,
            "sources": self.sources,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Progress:
    files_done: int
    files_total: int
    articles: int  # articles read so far
    path: str
    bytes_done: int = 0  # of the input files as stored on disk
    bytes_total: int = 0


def index_paths(
    root: Path,
    paths: Sequence[str | Path] | None,
    *,
    rebuild: bool = False,
    prune: bool = False,
    jobs: int = 1,
    wait: float = 0.0,
    on_progress: Callable[[Progress], None] | None = None,
    exclude: Sequence[str] = (),
) -> IndexSummary:
    """Index ``paths`` into the index at ``root``; see the module docstring. Raises IndexLockedError.

    ``paths`` None means the sources the index records (what it was built from). Given paths are added to them;
    with ``rebuild`` they replace them. ``exclude``: glob patterns of files and folders a walk leaves out
    (``discover``); with ``prune``, articles of files now excluded are removed.
    """
    store = IndexStore(root)
    try:
        return _index_paths(store, paths, rebuild, prune, jobs, wait, on_progress, tuple(exclude))
    except OSError as exc:
        if exc.errno not in DISK_FULL:
            raise
        _let_go_of(exc)
        with store.writer_lock(wait):
            store.remove_stale_generations()  # a rebuild that could not even start
        raise IndexWriteError(
            f"no space left on the disk of {root} ({_free_space(root)} free after removing the unfinished work; "
            "the index is as it was): free some space and run the same command again"
        ) from None


def _let_go_of(exc: OSError) -> None:
    """Close the half-written files a full disk left open, now: their space comes back at once, and Python does
    not try to flush them at exit (one "Exception ignored ... No space left on device" per file on stderr)."""
    hook = sys.unraisablehook

    def quiet(unraisable: Any) -> None:
        if not (isinstance(unraisable.exc_value, OSError) and unraisable.exc_value.errno in DISK_FULL):
            hook(unraisable)

    sys.unraisablehook = quiet
    try:
        traceback.clear_frames(exc.__traceback__)  # the frames' locals hold the cancelled writers and their files
        exc.__traceback__ = None
        exc.__context__ = None
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _index_paths(
    store: IndexStore,
    paths: Sequence[str | Path] | None,
    rebuild: bool,
    prune: bool,
    jobs: int,
    wait: float,
    on_progress: Callable[[Progress], None] | None,
    exclude: tuple[str, ...] = (),
) -> IndexSummary:
    root = store.root
    started = time.perf_counter()
    summary = IndexSummary()

    def choose_sources(recorded: list[str]) -> list[str]:
        if paths is None:
            if not recorded:
                raise UsageError(f"index at {root} records no sources to read: give the files or folders to index")
            if rebuild:
                _refuse_missing(recorded, root)
            return recorded
        given = [str(canonical_path(p)) for p in paths]
        if rebuild:
            _refuse_missing(given, root)
        return _merge_sources([] if rebuild else recorded, [p for p in given if os.path.exists(p)])

    with update_index(
        store, choose_sources, rebuild=rebuild, jobs=jobs, wait=wait, extractor=EXTRACTOR_VERSION
    ) as update:
        summary.sources = update.sources
        files = _files(paths if paths is not None else update.sources, summary, exclude)
        seen = _write_articles(files, update, summary, on_progress)
        if prune:
            summary.removed = update.prune(seen.ids, seen.paths)
    summary.articles, summary.quotes = update.documents
    summary.seconds = time.perf_counter() - started
    return summary


def _free_space(path: Path) -> str:
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return "unknown"
    return f"{usage.free / 2**20:,.1f} MB"


def _refuse_missing(sources: list[str], root: Path) -> None:
    """A rebuild replaces the index with what it reads: from a source that is not there (a typo, a drive not
    mounted) it would swap in an index without that source's articles. Refused before anything is written."""
    missing = [p for p in sources if not os.path.exists(p)]
    if missing:
        raise UsageError(
            f"cannot rebuild {root}: {', '.join(missing)} does not exist, and its articles would be lost; "
            "the index is unchanged (to drop a source, rebuild naming the ones to keep)"
        )


def _merge_sources(recorded: list[str], given: list[str]) -> list[str]:
    """``recorded`` then the new ones of ``given``; a path inside a recorded folder adds nothing."""
    sources = list(recorded)
    for path in given:
        if not any(path == s or path.startswith(s.rstrip("/") + "/") for s in sources):
            sources.append(path)
    return sources


@dataclass(frozen=True)
class _Seen:
    ids: set[str]
    paths: set[str]


def _files(paths: Sequence[str | Path], summary: IndexSummary, exclude: tuple[str, ...] = ()) -> list[Path]:
    files: list[Path] = []
    for item in discover(paths, exclude):
        if isinstance(item, InputError):
            summary.failed.append(item)
        elif isinstance(item, Unsupported):
            summary.unsupported.append(item.path)
        else:
            files.append(item)
    return files


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _write_articles(
    files: list[Path],
    update: IndexUpdate,
    summary: IndexSummary,
    on_progress: Callable[[Progress], None] | None,
) -> _Seen:
    seen = _Seen(ids=set(), paths=set())
    first_path: dict[str, str] = {}
    read = 0
    sizes = [_file_size(path) for path in files]
    bytes_total, bytes_before = sum(sizes), 0
    last_report = 0.0

    def report(done: int, path: Path, position: int) -> None:
        nonlocal last_report
        now = time.monotonic()
        if on_progress is None or (now - last_report < PROGRESS_INTERVAL_SECONDS and done < len(files)):
            return
        last_report = now
        on_progress(
            Progress(
                files_done=done,
                files_total=len(files),
                articles=read,
                path=str(path),
                bytes_done=bytes_before + position,
                bytes_total=bytes_total,
            )
        )

    for done, path in enumerate(files):
        seen.paths.add(_storable_text(path.as_posix()))
        for item in read_path(
            path,
            on_position=lambda position, d=done, p=path: report(d, p, position),
            on_skipped=lambda reason: summary.skipped.__setitem__(reason, summary.skipped.get(reason, 0) + 1),
        ):
            if isinstance(item, UnsupportedContent):
                summary.unsupported.append(item.path)
                continue
            if isinstance(item, InputError):
                summary.failed.append(item)
                continue
            item = _storable(item)
            read += 1
            if item.id in first_path:
                summary.failed.append(
                    InputError(item.path, f"duplicate article id {item.id!r} (first in {first_path[item.id]})")
                )
                continue
            first_path[item.id] = item.path
            seen.ids.add(item.id)
            if update.unchanged(item):
                summary.unchanged += 1
                continue
            quotes = update.kept_quotes(item)
            if quotes is None:
                try:
                    quotes = extract_quotes(item)
                except Exception as exc:  # a bug in a rule, on this text: this article's failure, not the run's
                    summary.failed.append(
                        InputError(item.path or item.id, f"quotes not extracted: {one_line_reason(exc)}")
                    )
                    continue
            update.store(item, quotes)
            summary.indexed += 1
        bytes_before += sizes[done]
        report(done + 1, path, 0)
    return seen


def _storable_text(text: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def _storable(article: Article) -> Article:
    """The article with lone surrogates replaced by U+FFFD (one character for one: quote offsets stay valid)."""
    changed = {
        name: _storable_text(value)
        for name in _ARTICLE_TEXT_FIELDS
        if _LONE_SURROGATE.search(value := getattr(article, name))
    }
    return dataclasses.replace(article, **changed) if changed else article

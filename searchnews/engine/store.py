"""The index directory on disk: generations, the atomic swap, and the writer lock.

Layout of an index directory::

    index/
      CURRENT -> gen-20261126T203000-1234     a relative symlink, replaced atomically by a rebuild
      gen-20261126T203000-1234/               a Whoosh index (incremental updates commit here, atomically)
      PREVIOUS -> gen-20261125T101500-987      the generation before: `searchnews rollback` makes it live again
      SOURCES.json                            the files and folders the live generation was built from
      writer.lock                             flock()ed by the one process allowed to write

Each generation keeps its own ``SOURCES.json`` too, so going back to the previous generation brings back the
sources it was built from, and the copy at the top survives a generation that is lost or damaged: `index` and
`index --rebuild` without paths read it.

A rebuild writes a new generation beside the live one and swaps ``CURRENT`` with one ``rename``: readers
see either the old index or the new one, never a half-built one, and a rebuild that dies leaves the old one
live. The previous generation is kept (a reader may still have its files open); older ones are removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index

from searchnews.engine import whoosh_write
from searchnews.engine.check import quick_check
from searchnews.engine.durable import sync_dir, sync_files, write_json
from searchnews.engine.schema import SCHEMA_VERSION, build_schema
from searchnews.errors import IndexCorruptError, IndexLockedError, IndexMissingError, UsageError

CURRENT = "CURRENT"
PREVIOUS = "PREVIOUS"
LOCK = "writer.lock"
GENERATION_PREFIX = "gen-"
SCHEMA_FILE = "SCHEMA_VERSION"
SOURCES_FILE = "SOURCES.json"
WHOOSH_INDEX_NAME = "MAIN"
REBUILD_HINT = (
    "run `searchnews index --rebuild` (it rebuilds from the recorded sources; `searchnews sources` lists them), "
    "or `searchnews rollback` to go back to the previous generation"
)


@dataclass(frozen=True)
class IndexStore:
    root: Path

    def current_dir(self) -> Path | None:
        """The live generation, or None when there is no index here."""
        return self._link_target(CURRENT)

    def exists(self) -> bool:
        return self.current_dir() is not None

    def open(self) -> Index:
        """The live Whoosh index; a clear error when it is missing or broken."""
        gen = self.current_dir()
        if gen is None:
            raise IndexMissingError(f"no index at {self.root}: run `searchnews index` first")
        return _check_generation(self.root, gen)

    def create_generation(self) -> tuple[Path, Index]:
        """A new, empty generation beside the live one (not yet visible to readers)."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"{GENERATION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        gen = self.root / name
        gen.mkdir()
        (gen / SCHEMA_FILE).write_text(SCHEMA_VERSION)
        sync_files([gen / SCHEMA_FILE])
        ix = whoosh_index.create_in(str(gen), build_schema())
        sync_files(gen.glob("_*.toc"))
        sync_dir(gen)
        sync_dir(self.root)  # the new folder's name, before any link may point at it
        return gen, ix

    def publish(self, gen: Path) -> None:
        """Make ``gen`` the live generation with one atomic rename, then drop generations older than the last."""
        previous = self.current_dir()
        if previous is not None:
            self._replace_link(PREVIOUS, previous.name)
        self._replace_link(CURRENT, gen.name)
        self.remove_stale_generations()

    def previous_dir(self) -> Path | None:
        return self._link_target(PREVIOUS)

    def rollback(self) -> Path:
        """Make the previous generation live again (and the live one previous, so a second rollback undoes it)."""
        current, previous = self.current_dir(), self.previous_dir()
        if previous is None or not previous.is_dir():
            raise UsageError(f"index at {self.root} has no previous generation to go back to")
        _check_generation(self.root, previous)
        self._replace_link(CURRENT, previous.name)
        if current is not None and current.is_dir():
            self._replace_link(PREVIOUS, current.name)
        sources = _read_sources_file(previous / SOURCES_FILE)
        if sources is not None:
            write_json(self.root / SOURCES_FILE, {"sources": sources})
        return previous

    def sources(self) -> list[str]:
        """The files and folders the live generation was built from (absolute paths), in the order first given."""
        gen = self.current_dir()
        for path in ([gen / SOURCES_FILE] if gen is not None else []) + [self.root / SOURCES_FILE]:
            found = _read_sources_file(path)
            if found is not None:
                return found
        return []

    def record_sources(self, gen: Path, sources: list[str], *, live: bool) -> None:
        """Record ``sources`` in generation ``gen``, and at the top when ``gen`` is (or is about to be) live."""
        value = {"sources": sources}
        write_json(gen / SOURCES_FILE, value)
        if live:
            write_json(self.root / SOURCES_FILE, value)

    def collect_garbage(self, gen: Path) -> int:
        """Remove what killed or interrupted writers left in ``gen``: temporary folders, segments no commit kept.

        Call with the writer lock held. Returns the bytes freed.
        """
        freed = 0
        for tmp in gen.glob("*.tmp"):  # a writer's temporary storage (job files, sorted runs)
            if tmp.is_dir():
                freed += _tree_size(tmp)
                shutil.rmtree(tmp, ignore_errors=True)
        try:
            ix = whoosh_index.open_dir(str(gen), indexname=WHOOSH_INDEX_NAME)
            generation, live = ix.latest_generation(), {s.segment_id() for s in whoosh_write.segments(ix)}
        except Exception:  # nothing committed yet, or unreadable: leave the files to open() to judge
            return freed
        toc_pattern, segment_pattern = whoosh_write.file_patterns(WHOOSH_INDEX_NAME)
        for path in gen.iterdir():
            toc, segment = toc_pattern.match(path.name), segment_pattern.match(path.name)
            if (toc and int(toc.group(1)) != generation) or (segment and segment.group(1) not in live):
                with contextlib.suppress(OSError):
                    freed += path.stat().st_size
                    path.unlink()
        return freed

    def remove_stale_generations(self) -> None:
        """Remove generations that are neither live nor the one before: leftovers of rebuilds, finished or not."""
        keep = {p.name for p in (self.current_dir(), self._link_target(PREVIOUS)) if p is not None}
        for gen in self._generations():
            if gen.name not in keep:
                shutil.rmtree(gen, ignore_errors=True)

    def _link_target(self, name: str) -> Path | None:
        link = self.root / name
        return self.root / os.readlink(link) if link.is_symlink() else None

    def _replace_link(self, name: str, target: str) -> None:
        tmp = self.root / f".{name}.{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(target, tmp)
        os.replace(tmp, self.root / name)
        sync_dir(self.root)

    def _generations(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [p for p in self.root.iterdir() if p.is_dir() and p.name.startswith(GENERATION_PREFIX)]

    @contextlib.contextmanager
    def writer_lock(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the writer lock; wait up to ``wait`` seconds for another writer, then raise IndexLockedError."""
        path = self.root / LOCK
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # a file where the directory should be, no permission, a read-only disk
            raise UsageError(f"cannot use {self.root} as an index directory: {exc.strerror or exc}") from exc
        try:
            deadline = time.monotonic() + max(wait, 0.0)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        holder = _read_text(path) or "another process"
                        raise IndexLockedError(
                            f"index at {self.root} is locked by another writer ({holder}; lock file {path}); "
                            f"gave up after {wait:g}s (use --wait SECONDS to wait longer)"
                        ) from None
                    time.sleep(0.1)
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()}".encode())
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the flock, as does the death of the process

    def size_bytes(self) -> int:
        gen = self.current_dir()
        if gen is None or not gen.is_dir():
            return 0
        return sum(f.stat().st_size for f in gen.iterdir() if f.is_file())


def _check_generation(root: Path, gen: Path) -> Index:
    """Generation ``gen`` of the index at ``root``, opened; IndexCorruptError saying how to recover if it cannot be."""
    if not gen.is_dir():
        raise IndexCorruptError(f"index at {root} is broken (missing {gen.name}): {REBUILD_HINT}")
    version = _read_text(gen / SCHEMA_FILE)
    if version != SCHEMA_VERSION:
        raise IndexCorruptError(
            f"index at {root} was built by another version of searchnews "
            f"(schema {version or 'unknown'}, need {SCHEMA_VERSION}): {REBUILD_HINT}"
        )
    try:
        ix = whoosh_index.open_dir(str(gen), indexname=WHOOSH_INDEX_NAME)
        # Segment files are only opened by a reader: open one now, so a deleted or truncated segment is
        # reported here, as a broken index, and not as a traceback from the first search.
        ix.reader().close()
    except Exception as exc:  # Whoosh raises many kinds here (EmptyIndexError, EOFError, struct.error ...)
        reason = str(exc).strip().split("\n", 1)[0][:160] or type(exc).__name__
        raise IndexCorruptError(f"index at {root} is damaged: it cannot be opened ({reason}): {REBUILD_HINT}") from exc
    problems = quick_check(gen, (segment.segment_id() for segment in whoosh_write.segments(ix)))
    if problems:
        raise IndexCorruptError(f"index at {root} is damaged ({'; '.join(problems[:3])}): {REBUILD_HINT}")
    return ix


def _read_sources_file(path: Path) -> list[str] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sources = value.get("sources") if isinstance(value, dict) else None
    return [str(s) for s in sources] if isinstance(sources, list) else None


def _tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _read_text(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""

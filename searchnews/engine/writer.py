"""Writing the index: the records it is given stored in a generation of the index, incrementally by content hash,
atomic rebuilds, parallel Whoosh writers with durable commits.

``update_index`` is one run's writes under the writer lock: it opens (or creates) the generation, hands the caller an
``IndexUpdate`` to store articles and their quotes through, and publishes or cleans up when the caller is done.
Reading the inputs and extracting quotes is the caller's (``searchnews.indexing``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from searchnews.engine import whoosh_write
from searchnews.engine.check import record_checksums
from searchnews.engine.documents import article_document, count_documents, live_columns, split_state, stored_quotes
from searchnews.engine.durable import sync_dir, sync_files
from searchnews.engine.postings import NewsCodec
from searchnews.engine.store import IndexStore
from searchnews.errors import IndexCorruptError
from searchnews.model import Article, Quote

# A run that writes fewer articles than this uses one process: Whoosh's multi-process writer costs more to start
# than it saves, and it leaves one segment per process behind.
PARALLEL_THRESHOLD = 2000
# Long runs commit now and then, so an interrupted run keeps what it did (the next run skips it by hash): first
# after a minute, then after four times as long as the time before (at most every 10 minutes). Not more often:
# each commit of the multi-process writer leaves one segment per process, every segment costs every query, and
# Whoosh merges segments slowly (14,000 articles of small segments took 190 s). Measured on the full corpus,
# 8 segments against 2: search median 25.6 against 17.4 ms. With this schedule a first build of the 36k corpus
# (2-4 minutes) commits once on the way (4 segments), and a build interrupted after 2 minutes keeps half of it.
FIRST_COMMIT_SECONDS = 60.0
COMMIT_INTERVAL_GROWTH = 4.0
MAX_COMMIT_INTERVAL_SECONDS = 600.0
WRITER_MEMORY_MB = 256
DISK_FULL = whoosh_write.DISK_FULL


@dataclass(frozen=True)
class _Known:
    """What the index already holds about one article."""

    hash: str
    extractor: str
    path: str


class IndexUpdate:
    """One run's writes, handed out by ``update_index``: which articles the index holds as they are, and the
    storing and removing of articles."""

    def __init__(
        self, sources: list[str], batch: _BatchWriter, known: dict[str, _Known], fresh: bool, reuse: Searcher | None
    ) -> None:
        self.sources = sources  # what the index is built from, as recorded by this run
        self.fresh = fresh  # a new generation (a first build or a rebuild): every article is written
        self._batch = batch
        self._known = known
        self._reuse = reuse
        self.documents = (0, 0)  # (articles, quotes) in the index once the run is done

    def _current(self, article: Article) -> bool:
        before = self._known.get(article.id)
        return before is not None and before.hash == article.content_hash and before.extractor == self._batch.extractor

    def unchanged(self, article: Article) -> bool:
        """True when the index holds this article as it is (same content, same extractor): nothing to write."""
        return self._current(article) and not self.fresh

    def kept_quotes(self, article: Article) -> list[Quote] | None:
        """The quotes stored for an unchanged article in the generation a rebuild replaces, or None: a rebuild
        does not extract them again."""
        if self._current(article) and self._reuse is not None:
            fields = self._reuse.document(id=article.id)
            return stored_quotes(fields) if fields is not None else None
        return None

    def store(self, article: Article, quotes: Sequence[Quote]) -> None:
        """Write an article and its quotes, replacing the version the index holds."""
        self._batch.replace(article, quotes, existed=article.id in self._known and not self.fresh)

    def prune(self, ids: set[str], paths: set[str]) -> int:
        """Remove articles whose file is gone, and articles missing from a file that was read again (``ids`` and
        ``paths``: those read by this run); nothing in a new generation. Returns how many were removed."""
        return 0 if self.fresh else _prune(self._batch, self._known, ids, paths)


@contextlib.contextmanager
def update_index(
    store: IndexStore,
    choose_sources: Callable[[list[str]], list[str]],
    *,
    rebuild: bool,
    jobs: int,
    wait: float,
    extractor: str,
) -> Iterator[IndexUpdate]:
    """Writes to the index of ``store`` under its writer lock (IndexLockedError when another run holds it past
    ``wait`` seconds).

    ``choose_sources(recorded)`` gives the sources to record from those recorded. A first build is published at
    once and filled by periodic commits; a rebuild stays invisible until the block ends without error, then is
    swapped in. An error or an interrupt in the block cancels the writer and removes its files.
    """
    with store.writer_lock(wait):
        store.remove_stale_generations()
        sources = choose_sources(store.sources())
        old_ix = _open_existing(store, rebuild)
        if old_ix is None or rebuild:
            gen, ix = store.create_generation()
            if old_ix is None:
                # A first build is published at once and filled by periodic commits: interrupted, it keeps
                # what it committed. A rebuild stays invisible until it is complete.
                store.record_sources(gen, sources, live=True)
                store.publish(gen)
            else:
                store.record_sources(gen, sources, live=False)
        else:
            gen = store.current_dir()
            ix = old_ix
            assert gen is not None
            store.collect_garbage(gen)  # what a killed run left behind
            store.record_sources(gen, sources, live=True)
        fresh = ix is not old_ix
        known = _known_articles(old_ix) if old_ix is not None else {}
        reuse = old_ix.searcher() if (old_ix is not None and fresh) else None
        try:
            with whoosh_write.postings_pickle_protocol(), _BatchWriter(ix, jobs, extractor) as batch:
                update = IndexUpdate(sources, batch, known, fresh, reuse)
                yield update
        except BaseException:
            # Interrupted or failed: the writer was cancelled; its files go now, not at the next run.
            if fresh and old_ix is not None:
                shutil.rmtree(gen, ignore_errors=True)  # an unfinished rebuild: never visible, never kept
            else:
                store.collect_garbage(gen)
            raise
        finally:
            if reuse is not None:
                reuse.close()
        if fresh and old_ix is not None:
            store.record_sources(gen, sources, live=True)
            store.publish(gen)
        update.documents = count_documents(store.open())


def _open_existing(store: IndexStore, rebuild: bool) -> Index | None:
    if not store.exists():
        return None
    try:
        return store.open()
    except IndexCorruptError:
        if rebuild:
            return None  # a rebuild is the cure
        raise


def _prune(batch: _BatchWriter, known: dict[str, _Known], ids: set[str], paths: set[str]) -> int:
    """Remove articles whose file is gone, and articles missing from a file that was read again."""
    removed = 0
    for article_id, info in known.items():
        if article_id in ids:
            continue
        # A path with U+FFFD stands for a file name that is not UTF-8: it cannot be looked up, so it is kept.
        if info.path in paths or ("\ufffd" not in info.path and not os.path.exists(info.path)):
            batch.delete(article_id)
            removed += 1
    return removed


class _BatchWriter:
    """One Whoosh writer, opened lazily: single-process for small runs, ``procs=jobs`` for large ones."""

    def __init__(self, ix: Index, jobs: int, extractor: str) -> None:
        self.ix = ix
        self.extractor = extractor
        self.jobs = max(1, jobs)
        self.pending: list[tuple[str, list[dict[str, Any]], bool]] = []
        self.writer: IndexWriter | None = None
        self.commit_interval = FIRST_COMMIT_SECONDS
        self.next_commit = time.monotonic() + self.commit_interval

    def __enter__(self) -> _BatchWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._cancel()
            return
        try:
            self._flush_pending(parallel=False)
            self._commit()
        except BaseException:  # Ctrl-C during the last commit: stop the sub-processes now, not when they finish
            self._cancel()
            raise

    def _commit(self) -> None:
        if self.writer is not None:
            self.writer.commit()
            self.writer = None

    def _cancel(self) -> None:
        writer, self.writer = self.writer, None
        if writer is not None:
            # A writer interrupted half-way through its commit may fail to cancel cleanly; its files are
            # collected by the caller either way.
            with contextlib.suppress(Exception):
                writer.cancel()

    def replace(self, article: Article, quotes: Sequence[Quote], existed: bool) -> None:
        docs = [article_document(article, quotes, self.extractor)]
        if self.writer is None:
            self.pending.append((article.id, docs, existed))
            if len(self.pending) >= PARALLEL_THRESHOLD:
                self._flush_pending(parallel=self.jobs > 1)
            return
        self._write(article.id, docs, existed)

    def delete(self, article_id: str) -> None:
        self._flush_pending(parallel=False)
        if self.writer is None:
            self.writer = self._open(parallel=False)
        self.writer.delete_by_term("id", article_id)

    def _flush_pending(self, parallel: bool) -> None:
        if not self.pending:
            return
        if self.writer is None:
            self.writer = self._open(parallel)
        pending, self.pending = self.pending, []
        for article_id, docs, existed in pending:
            self._write(article_id, docs, existed)

    def _open(self, parallel: bool) -> IndexWriter:
        # compound=False: Whoosh opens a sub-file of a compound segment by copying it into memory (BytesIO of
        # the mmap), which was most of a cold `searchnews search` (1.4 s on the full corpus).
        # codec: posting blocks of arrays, positions apart (engine/postings.py).
        options = {"limitmb": WRITER_MEMORY_MB, "timeout": 5.0, "compound": False, "codec": NewsCodec()}
        if parallel:
            return _DurableMpWriter(self.ix, procs=self.jobs, multisegment=True, **options)
        return _DurableSegmentWriter(self.ix, **options)

    def _write(self, article_id: str, docs: list[dict[str, Any]], existed: bool) -> None:
        assert self.writer is not None
        if existed:
            self.writer.delete_by_term("id", article_id)
        for doc in docs:
            self.writer.add_document(**doc)
        if time.monotonic() >= self.next_commit:
            parallel = isinstance(self.writer, _DurableMpWriter)
            self._commit()
            self.writer = self._open(parallel)
            self.commit_interval = min(self.commit_interval * COMMIT_INTERVAL_GROWTH, MAX_COMMIT_INTERVAL_SECONDS)
            self.next_commit = time.monotonic() + self.commit_interval


class _DurableCommit:
    """A commit is on disk when Whoosh reports it: segment files synced before the table of contents that names
    them is written, then the table and the folder. Whoosh itself syncs nothing, so after a power cut a table
    could name segments whose data never reached the disk.
    """

    storage: Any

    def before_toc(self, segments: list[Any]) -> None:
        for task in getattr(self, "tasks", ()):  # the multi-process writer's sub-processes, joined by now
            if task.exitcode == whoosh_write.SUBWRITER_DISK_FULL:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            if task.exitcode:  # Whoosh would commit without its documents, silently
                raise RuntimeError(f"a sub-process of the index writer failed (exit code {task.exitcode})")
        folder = Path(self.storage.folder)
        sync_files(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("_"))  # segments, columns

    def after_toc(self, segments: list[Any]) -> None:
        folder = Path(self.storage.folder)
        sync_files(folder.glob("_*.toc"))
        record_checksums(folder, (segment.segment_id() for segment in segments))
        sync_dir(folder)


class _DurableSegmentWriter(_DurableCommit, whoosh_write.HookedSegmentWriter):
    """Whoosh's single-process writer, with durable commits."""


class _DurableMpWriter(_DurableCommit, whoosh_write.QuietMpWriter):
    """Whoosh's multi-process writer, safe to interrupt, with durable commits."""


def _known_articles(ix: Index) -> dict[str, _Known]:
    """id -> (hash, extractor, path) of every live article, read from columns rather than stored documents."""
    known: dict[str, _Known] = {}
    with ix.searcher() as searcher:
        for article_id, state, path in live_columns(searcher, "id", "state", "path"):
            content_hash, extractor = split_state(state)
            known[article_id] = _Known(hash=content_hash, extractor=extractor, path=path)
    return known

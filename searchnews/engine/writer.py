"""Building and updating the index: incremental by content hash, atomic rebuilds, parallel Whoosh writers.

``index_paths`` is the whole of ``searchnews index``: read the inputs, skip what is unchanged, extract the
quotes of what is new or changed, write article and quote documents, prune what is gone, and report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import pickle
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.codec import whoosh3
from whoosh.index import Index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter, SegmentWriter

from searchnews.engine.check import record_checksums
from searchnews.engine.documents import article_document, count_documents, live_columns, split_state, stored_quotes
from searchnews.engine.store import IndexStore, sync_dir, sync_files
from searchnews.errors import IndexCorruptError, IndexWriteError, InputError, UnsupportedContent, UsageError
from searchnews.ingest import Unsupported, canonical_path, discover, read_path
from searchnews.model import Article, Quote
from searchnews.quotes import EXTRACTOR_VERSION, extract_quotes

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
# Progress is reported at most this often (a reader of JSON Lines reports its position every few lines).
PROGRESS_INTERVAL_SECONDS = 0.1
WRITER_MEMORY_MB = 256
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


@dataclass(frozen=True)
class _Known:
    """What the index already holds about one article."""

    hash: str
    extractor: str
    path: str


def index_paths(
    root: Path,
    paths: Sequence[str | Path] | None,
    *,
    rebuild: bool = False,
    prune: bool = False,
    jobs: int = 1,
    wait: float = 0.0,
    on_progress: Callable[[Progress], None] | None = None,
) -> IndexSummary:
    """Index ``paths`` into the index at ``root``; see the module docstring. Raises IndexLockedError.

    ``paths`` None means the sources the index records (what it was built from). Given paths are added to them;
    with ``rebuild`` they replace them.
    """
    store = IndexStore(root)
    try:
        return _index_paths(store, paths, rebuild, prune, jobs, wait, on_progress)
    except OSError as exc:
        if exc.errno not in _DISK_FULL:
            raise
        with store.writer_lock(wait):
            store.remove_stale_generations()  # a rebuild that could not even start
        raise IndexWriteError(
            f"no space left on the disk of {root} ({_free_space(root)} free after removing the unfinished work; "
            "the index is as it was): free some space and run the same command again"
        ) from exc


def _index_paths(
    store: IndexStore,
    paths: Sequence[str | Path] | None,
    rebuild: bool,
    prune: bool,
    jobs: int,
    wait: float,
    on_progress: Callable[[Progress], None] | None,
) -> IndexSummary:
    root = store.root
    started = time.perf_counter()
    summary = IndexSummary()
    with store.writer_lock(wait):
        store.remove_stale_generations()
        recorded = store.sources()
        if paths is None:
            if not recorded:
                raise UsageError(f"index at {root} records no sources to read: give the files or folders to index")
            sources = recorded
        else:
            given = [str(canonical_path(p)) for p in paths]
            sources = _merge_sources([] if rebuild else recorded, [p for p in given if os.path.exists(p)])
        summary.sources = sources
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
            files = _files(paths if paths is not None else sources, summary)
            with _postings_pickle_protocol(), _BatchWriter(ix, jobs) as batch:
                seen = _write_articles(files, known, fresh, reuse, batch, summary, on_progress)
                if prune and not fresh:
                    summary.removed = _prune(batch, known, seen)
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
        summary.articles, summary.quotes = count_documents(store.open())
    summary.seconds = time.perf_counter() - started
    return summary


def _free_space(path: Path) -> str:
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return "unknown"
    return f"{usage.free / 2**20:,.1f} MB"


def _merge_sources(recorded: list[str], given: list[str]) -> list[str]:
    """``recorded`` then the new ones of ``given``; a path inside a recorded folder adds nothing."""
    sources = list(recorded)
    for path in given:
        if not any(path == s or path.startswith(s.rstrip("/") + "/") for s in sources):
            sources.append(path)
    return sources


POSTINGS_PICKLE_PROTOCOL = 5
_protocol_lock = threading.Lock()
_protocol_users = 0
_whoosh_dumps = whoosh3.dumps


@contextlib.contextmanager
def _postings_pickle_protocol() -> Iterator[None]:
    """While our writers run, Whoosh pickles blocks of postings with protocol 5 instead of 2.

    Whoosh 2.7 writes each block (ids, weights and every posting's positions) with pickle protocol 2, where each
    bytes object is read back through a call to ``_codecs.encode``: 144 µs to read a block of 128 postings,
    30 µs with protocol 5, and the block is a third smaller. Readers take any protocol, so segments written
    before stay readable. Scoped to our writes (sub-processes fork inside it), so plain Whoosh in the same
    process keeps its own format.
    """
    global _protocol_users
    with _protocol_lock:
        _protocol_users += 1
        whoosh3.dumps = _dumps_postings
    try:
        yield
    finally:
        with _protocol_lock:
            _protocol_users -= 1
            if not _protocol_users:
                whoosh3.dumps = _whoosh_dumps


def _dumps_postings(obj: Any, protocol: int | None = None) -> bytes:
    return pickle.dumps(obj, POSTINGS_PICKLE_PROTOCOL)


def _open_existing(store: IndexStore, rebuild: bool) -> Index | None:
    if not store.exists():
        return None
    try:
        return store.open()
    except IndexCorruptError:
        if rebuild:
            return None  # a rebuild is the cure
        raise


@dataclass(frozen=True)
class _Seen:
    ids: set[str]
    paths: set[str]


def _files(paths: Sequence[str | Path], summary: IndexSummary) -> list[Path]:
    files: list[Path] = []
    for item in discover(paths):
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
    known: dict[str, _Known],
    fresh: bool,
    reuse: Searcher | None,
    batch: _BatchWriter,
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
            before = known.get(item.id)
            current = before is not None and before.hash == item.content_hash and before.extractor == EXTRACTOR_VERSION
            if current and not fresh:
                summary.unchanged += 1
                continue
            quotes = _reused_quotes(reuse, item.id) if (current and reuse is not None) else None
            if quotes is None:
                quotes = extract_quotes(item)
            batch.replace(item, quotes, existed=before is not None and not fresh)
            summary.indexed += 1
        bytes_before += sizes[done]
        report(done + 1, path, 0)
    return seen


def _reused_quotes(searcher: Searcher, article_id: str) -> list[Quote] | None:
    fields = searcher.document(id=article_id)
    return stored_quotes(fields) if fields is not None else None


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


def _prune(batch: _BatchWriter, known: dict[str, _Known], seen: _Seen) -> int:
    """Remove articles whose file is gone, and articles missing from a file that was read again."""
    removed = 0
    for article_id, info in known.items():
        if article_id in seen.ids:
            continue
        # A path with U+FFFD stands for a file name that is not UTF-8: it cannot be looked up, so it is kept.
        if info.path in seen.paths or ("\ufffd" not in info.path and not os.path.exists(info.path)):
            batch.delete(article_id)
            removed += 1
    return removed


class _BatchWriter:
    """One Whoosh writer, opened lazily: single-process for small runs, ``procs=jobs`` for large ones."""

    def __init__(self, ix: Index, jobs: int) -> None:
        self.ix = ix
        self.jobs = max(1, jobs)
        self.pending: list[tuple[str, list[dict[str, Any]], bool]] = []
        self.writer: IndexWriter | None = None
        self.written = 0
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
        docs = [article_document(article, quotes, EXTRACTOR_VERSION)]
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
        options = {"limitmb": WRITER_MEMORY_MB, "timeout": 5.0, "compound": False}
        if parallel:
            return _QuietMpWriter(self.ix, procs=self.jobs, multisegment=True, **options)
        return _DurableSegmentWriter(self.ix, **options)

    def _write(self, article_id: str, docs: list[dict[str, Any]], existed: bool) -> None:
        assert self.writer is not None
        if existed:
            self.writer.delete_by_term("id", article_id)
        for doc in docs:
            self.writer.add_document(**doc)
        self.written += 1
        if time.monotonic() >= self.next_commit:
            parallel = isinstance(self.writer, MpWriter)
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

    def _commit_toc(self, segments) -> None:
        for task in getattr(self, "tasks", ()):  # the multi-process writer's sub-processes, joined by now
            if task.exitcode == _SUBWRITER_DISK_FULL:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            if task.exitcode:  # Whoosh would commit without its documents, silently
                raise RuntimeError(f"a sub-process of the index writer failed (exit code {task.exitcode})")
        folder = Path(self.storage.folder)
        sync_files(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("_"))  # segments, columns
        super()._commit_toc(segments)  # type: ignore[misc]  # writes _MAIN_<n>.toc (by a rename) and cleans up
        sync_files(folder.glob("_*.toc"))
        record_checksums(folder, (segment.segment_id() for segment in segments))
        sync_dir(folder)


_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
_SUBWRITER_FAILED, _SUBWRITER_DISK_FULL = 70, 71  # exit codes of a sub-process of the writer


class _DurableSegmentWriter(_DurableCommit, SegmentWriter):
    """Whoosh's single-process writer, with durable commits."""


class _QuietMpWriter(_DurableCommit, MpWriter):
    """Whoosh's multi-process writer, made safe to interrupt, with durable commits.

    Its sub-processes ignore SIGINT (Ctrl-C is the parent's to handle, without a traceback from each child),
    and ``cancel()`` terminates them: Whoosh's own only flips a flag in the parent's copy, which leaves the
    children waiting forever and the parent waiting for them at exit.
    """

    def _new_task(self):
        task = _SubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        # SIGINT stays blocked across the fork: the child ignores it before unblocking it, and a Ctrl-C that comes
        # meanwhile reaches the parent when it unblocks (ignoring it here instead would lose it).
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            task.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return task

    def cancel(self) -> None:
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        deadline = time.monotonic() + 1.0
        for task in self.tasks:
            task.join(timeout=max(0.0, deadline - time.monotonic()))
            if task.is_alive():  # stuck where SIGTERM cannot reach it: Ctrl-C must not wait on it
                task.kill()
                task.join(timeout=1.0)
        self.tasks = []
        # Whoosh's queues have feeder threads that Python joins at exit; nobody will read them now.
        for q in (self.jobqueue, self.resultqueue):
            q.cancel_join_thread()
        super().cancel()


class _SubWriter(SubWriterTask):
    """A sub-process of ``_QuietMpWriter``: ignores SIGINT, and exits when its parent dies.

    Whoosh's waits on its job queue forever once the parent is gone (``kill -9``, the OOM killer), and its copy
    of the parent's descriptors keeps ``writer.lock`` locked: every later ``searchnews index`` would fail.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.parent = os.getpid()

    def run(self) -> None:
        with contextlib.suppress(ValueError):  # not the main thread: nothing to ignore
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        threading.Thread(target=self._exit_with_parent, daemon=True).start()
        try:
            super().run()
        except OSError as exc:
            # The parent reports it: a sub-process that dies quietly would lose its documents from the commit.
            os._exit(_SUBWRITER_DISK_FULL if exc.errno in _DISK_FULL else _SUBWRITER_FAILED)
        except BaseException:
            os._exit(_SUBWRITER_FAILED)

    def _exit_with_parent(self) -> None:
        while os.getppid() == self.parent:
            time.sleep(0.2)
        os._exit(1)


def _known_articles(ix: Index) -> dict[str, _Known]:
    """id -> (hash, extractor, path) of every live article, read from columns rather than stored documents."""
    known: dict[str, _Known] = {}
    with ix.searcher() as searcher:
        for article_id, state, path in live_columns(searcher, "id", "state", "path"):
            content_hash, extractor = split_state(state)
            known[article_id] = _Known(hash=content_hash, extractor=extractor, path=path)
    return known

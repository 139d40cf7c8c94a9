"""The one door to Whoosh's write-side internals (whoosh-reloaded 2.7.5, pinned exactly in pyproject.toml).

Our writers subclass Whoosh's and override methods it does not document (``_commit_toc``, ``MpWriter._new_task``),
swap the pickler its W3 codec writes posting blocks with and the way its writers spill sorted runs to disk
(``SortingPool._write_run`` / ``_read_run``), and read a generation's segment list and file-name patterns
(``Index._segments()``, ``TOC._pattern``). ``tests/test_whoosh_internals.py`` checks each of those on the pinned
version and names what changed if an upgrade moves it.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import pickle
import re
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

from whoosh.codec import whoosh3
from whoosh.externalsort import SortingPool
from whoosh.index import TOC, Index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter


def segments(ix: Index) -> list[Any]:
    """The segments of the generation ``ix`` opened (its table of contents' list). Relies on: ``Index._segments()``."""
    return ix._segments()


def file_patterns(indexname: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(table of contents, segment file) name patterns of an index: group 1 of a match is the generation number,
    or the segment id. Relies on: ``TOC._pattern`` and ``TOC._segment_pattern``."""
    return TOC._pattern(indexname), TOC._segment_pattern(indexname)


POSTINGS_PICKLE_PROTOCOL = 5
RUN_CHUNK = 10_000  # postings pickled together when the writer's pool spills a sorted run to disk
_protocol_lock = threading.Lock()
_protocol_users = 0
_whoosh_dumps = whoosh3.dumps
_whoosh_runs = (SortingPool._write_run, SortingPool._read_run)


@contextlib.contextmanager
def postings_pickle_protocol() -> Iterator[None]:
    """While our writers run, Whoosh pickles blocks of postings with protocol 5 instead of 2, and the runs its
    writers spill to disk in chunks.

    Whoosh 2.7 writes each block (ids, weights and every posting's positions) with pickle protocol 2, where each
    bytes object is read back through a call to ``_codecs.encode``: 144 µs to read a block of 128 postings,
    30 µs with protocol 5, and the block is a third smaller. Readers take any protocol, so segments written
    before stay readable.

    A writer whose postings outgrow its memory (``limitmb``) sorts them and spills them to a run file, then merges
    the runs at commit; Whoosh pickles and unpickles them one posting at a time, 2.2 ms of the 16.2 ms an article
    cost a single-process build of 16,000 articles (none for 4,000, which never spill): here RUN_CHUNK postings
    are one pickle (``_write_run_chunks``), read back a chunk at a time (``_read_run_chunks``, which also reads
    Whoosh's own runs).

    Scoped to our writes (sub-processes fork inside it), so plain Whoosh in the same process keeps its own format.
    """
    global _protocol_users
    with _protocol_lock:
        _protocol_users += 1
        whoosh3.dumps = _dumps_postings
        SortingPool._write_run, SortingPool._read_run = _write_run_chunks, _read_run_chunks
    try:
        yield
    finally:
        with _protocol_lock:
            _protocol_users -= 1
            if not _protocol_users:
                whoosh3.dumps = _whoosh_dumps
                SortingPool._write_run, SortingPool._read_run = _whoosh_runs


def _dumps_postings(obj: Any, protocol: int | None = None) -> bytes:
    return pickle.dumps(obj, POSTINGS_PICKLE_PROTOCOL)


def _write_run_chunks(self: SortingPool, f, items) -> None:
    """A sorted run (a list, or the merge of other runs) written as pickled lists of RUN_CHUNK items."""
    items = iter(items)
    while chunk := list(itertools.islice(items, RUN_CHUNK)):
        pickle.dump(chunk, f, POSTINGS_PICKLE_PROTOCOL)
    f.close()


def _read_run_chunks(self: SortingPool, path) -> Iterator[Any]:
    """The items of a run, in order, then the run removed: a chunk is a list, an item of Whoosh's own a tuple."""
    f = self._open_run(path)
    try:
        while True:
            try:
                chunk = pickle.load(f)
            except EOFError:
                return
            if isinstance(chunk, list):
                yield from chunk
            else:
                yield chunk
    finally:
        f.close()
        self._remove_run(path)


class CommitHooks:
    """Mixin for Whoosh's writers: ``before_toc(segments)`` runs once the segments are written and before Whoosh
    writes the table of contents naming them, ``after_toc(segments)`` once it has. Relies on: both writers
    committing through ``_commit_toc(segments)``."""

    def before_toc(self, segments: list[Any]) -> None:
        pass

    def after_toc(self, segments: list[Any]) -> None:
        pass

    def _commit_toc(self, segments) -> None:
        self.before_toc(segments)
        super()._commit_toc(segments)  # type: ignore[misc]  # writes _MAIN_<n>.toc (by a rename) and cleans up
        self.after_toc(segments)


DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
SUBWRITER_FAILED, SUBWRITER_DISK_FULL = 70, 71  # exit codes of a sub-process of the writer


class HookedSegmentWriter(CommitHooks, SegmentWriter):
    """Whoosh's single-process writer, with commit hooks."""


class QuietMpWriter(CommitHooks, MpWriter):
    """Whoosh's multi-process writer, made safe to interrupt, with commit hooks.

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
    """A sub-process of ``QuietMpWriter``: ignores SIGINT, and exits when its parent dies.

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
            os._exit(SUBWRITER_DISK_FULL if exc.errno in DISK_FULL else SUBWRITER_FAILED)
        except BaseException:
            os._exit(SUBWRITER_FAILED)

    def _exit_with_parent(self) -> None:
        while os.getppid() == self.parent:
            time.sleep(0.2)
        os._exit(1)

"""Power cuts (issue #17): what a commit or a swap has reported done is on disk, in the right order.

A power cut cannot be staged in a test; the order of the system calls that make data durable can. Every fsync
and rename made while an index is built and rebuilt is recorded (file descriptors named through /proc), and the
order a crash-safe commit needs is checked: segment files synced before the table of contents that names them
is renamed into place, the table and its folder synced after, and a generation's folder synced before CURRENT
is switched to it, the index folder after.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from searchnews.engine.store import IndexStore
from searchnews.indexing import index_paths

_TOC = re.compile(r"_MAIN_(\d+)\.toc$")
_SEGMENT = re.compile(r"MAIN_([0-9a-z]+)\.")


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, str, str]]:
    """("fsync", path, "") and ("rename", source, destination), in the order they happen; at the rename of a
    table of contents, ("present", file, "") for each segment file in its folder at that moment."""
    log: list[tuple[str, str, str]] = []
    real_fsync, real_rename, real_replace = os.fsync, os.rename, os.replace

    def fsync(fd: int) -> None:
        log.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"), ""))
        real_fsync(fd)

    def rename(src, dst, *args, **kwargs) -> None:
        if _TOC.search(os.fspath(dst)):
            folder = Path(dst).parent
            log.extend(("present", str(p), "") for p in sorted(folder.iterdir()) if _SEGMENT.match(p.name))
        log.append(("rename", os.fspath(src), os.fspath(dst)))
        real_rename(src, dst, *args, **kwargs)

    def replace(src, dst, *args, **kwargs) -> None:
        log.append(("rename", os.fspath(src), os.fspath(dst)))
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(os, "replace", replace)
    return log


def synced_before(log, index: int) -> set[str]:
    return {path for what, path, _ in log[:index] if what == "fsync"}


def synced_after(log, index: int) -> set[str]:
    return {path for what, path, _ in log[index + 1 :] if what == "fsync"}


def check_commits(log, gen: Path) -> int:
    """Each commit's table of contents: its segments synced before it, it and its folder after. Returns commits."""
    commits = 0
    for i, (what, _src, dst) in enumerate(log):
        if what != "rename" or not _TOC.search(dst) or Path(dst).parent != gen:
            continue
        present = {path for what, path, _ in log[:i] if what == "present" and Path(path).parent == gen}
        if not present:
            continue  # the empty index's first table of contents
        commits += 1
        before = synced_before(log, i)
        assert present <= before, f"not synced before the table of contents named them: {present - before}"
        after = synced_after(log, i)
        assert dst in after and str(gen) in after, "the table of contents and its folder are synced after"
    return commits


def test_commits_and_swaps_sync_in_a_crash_safe_order(tmp_path: Path, corpus: Path, calls) -> None:
    root = tmp_path / "ix"
    index_paths(root, [corpus], jobs=1)
    store = IndexStore(root)
    first = store.current_dir()
    assert check_commits(calls, first) >= 1

    calls.clear()
    (corpus / "new.txt").write_text("Ferry returns\n\nThe ferry is back in service.\n", encoding="utf-8")
    index_paths(root, [corpus], jobs=1)  # an update commits in place
    assert check_commits(calls, first) == 1

    calls.clear()
    index_paths(root, [corpus], rebuild=True, jobs=1)
    gen = store.current_dir()
    assert gen != first and check_commits(calls, gen) >= 1
    [swap] = [i for i, (what, _s, dst) in enumerate(calls) if what == "rename" and Path(dst) == root / "CURRENT"]
    before = synced_before(calls, swap)
    assert str(gen) in before and str(root) in before, "the new generation and its name are on disk before the swap"
    assert any(_TOC.search(p) and Path(p).parent == gen for p in before), "its table of contents too"
    assert str(root) in synced_after(calls, swap), "the swap itself is synced before it is reported"


def test_parallel_writer_commits_sync_in_the_same_order(tmp_path: Path, calls, monkeypatch) -> None:
    from searchnews.engine import writer

    monkeypatch.setattr(writer, "PARALLEL_THRESHOLD", 10)
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(40):
        (folder / f"a{n}.txt").write_text(f"Story {n}\n\nThe council agreed item {n}.\n", encoding="utf-8")
    root = tmp_path / "ix"
    summary = index_paths(root, [folder], jobs=2)
    assert summary.articles == 40
    gen = IndexStore(root).current_dir()
    assert check_commits(calls, gen) >= 1
    children_segments = {Path(p).name.split(".")[0] for what, p, _ in calls if what == "present"}
    assert len(children_segments) >= 2, "the sub-processes' segments were there to be synced"

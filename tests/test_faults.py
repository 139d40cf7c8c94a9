"""Faults a long-lived archive meets (issue #17): a full disk, on a real file system of a few megabytes.

The disk is a tmpfs mounted by the test (root can; elsewhere the test is skipped, saying why). The index lives on
it; a filler file takes the space an update needs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from searchnews.engine.store import IndexStore

# The multi-process writer starts after 50 articles instead of 2,000 (the same CLI entry point otherwise).
_PARALLEL = (
    "import sys; import searchnews.engine.writer as w; w.PARALLEL_THRESHOLD = 50; "
    "sys.argv[0] = 'searchnews'; from searchnews.cli import main; main()"
)


def searchnews(*args, parallel: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", _PARALLEL] if parallel else [sys.executable, "-m", "searchnews"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=120)


@pytest.fixture
def small_disk(tmp_path: Path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def write_articles(folder: Path, count: int, prefix: str, words: int = 400) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        body = " ".join(f"{prefix}word{(n * 7 + k) % 5000}" for k in range(words))
        text = f'{prefix} story {n}\n\nMayor Ann Lee said: "Item {n} is agreed."\n\n{body}\n'
        (folder / f"{prefix}{n}.txt").write_text(text, encoding="utf-8")
    return folder


def fill(disk: Path, leave_bytes: int) -> Path:
    """A file taking all the free space of ``disk`` but ``leave_bytes``."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with open(filler, "wb") as f:
        f.write(b"\0" * max(0, free - leave_bytes))
    return filler


@pytest.mark.parametrize(
    ("rebuild", "jobs"), [(False, 1), (True, 1), (False, 2)], ids=["update", "rebuild", "parallel-update"]
)
def test_full_disk_stops_with_one_line_keeps_the_index_and_frees_the_space(
    small_disk: Path, tmp_path: Path, rebuild: bool, jobs: int
) -> None:
    root = small_disk / "ix"
    first = write_articles(tmp_path / "first", 20, "harbour")
    more = write_articles(tmp_path / "more", 400, "ferry")
    assert searchnews("index", "--index", root, first, "--json").returncode == 0
    before = searchnews("search", "harbourword7", "--index", root, "--json").stdout
    filler = fill(small_disk, 256 * 1024)
    used_before = shutil.disk_usage(small_disk).used

    args = ["index", "--index", root, first, more, "--json", "--jobs", jobs] + (["--rebuild"] if rebuild else [])
    failed = searchnews(*args, parallel=jobs > 1)
    assert failed.returncode == 2, failed.stderr
    [line] = failed.stderr.strip().splitlines()  # one line: no "Exception ignored" from half-written files
    assert "no space left" in line and str(root) in line and "free" in line, failed.stderr
    assert "Traceback" not in failed.stderr
    assert searchnews("search", "harbourword7", "--index", root, "--json").stdout == before
    assert shutil.disk_usage(small_disk).used <= used_before + 64 * 1024, "the unfinished work was removed"
    gens = [p for p in root.iterdir() if p.name.startswith("gen-")]
    assert len(gens) == 1 and IndexStore(root).current_dir() == gens[0]

    filler.unlink()
    done = searchnews(*args, parallel=jobs > 1)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles"] == 420

"""index --watch: a real `searchnews index --watch` process on a folder; files written, changed, excluded and
deleted while it runs; Ctrl-C (SIGINT) ends it with exit 0. Deadlines are generous: they bound a hang, they do not
time anything."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import write_article

from searchnews.engine import open_index
from searchnews.watch import _Wanted

DEADLINE = 60.0


class _Lines:
    """The JSON lines of a process's stdout, read by a thread, waited for with a deadline."""

    def __init__(self, stream) -> None:
        self.queue: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            if line.strip():
                self.queue.put(json.loads(line))

    def until(self, condition) -> dict:
        ends = time.monotonic() + DEADLINE
        while True:
            left = ends - time.monotonic()
            assert left > 0, "the watch printed no such run in time"
            run = self.queue.get(timeout=left)
            if condition(run):
                return run


def _stop(process: subprocess.Popen, sig: signal.Signals) -> int:
    """Send the watch ``sig`` and wait for its exit code (killed, and the test failed, past DEADLINE)."""
    process.send_signal(sig)
    try:
        return process.wait(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def _headlines(ix: Path, query: str) -> set[str]:
    with open_index(ix).searcher() as searcher:
        return {h.headline for h in searcher.search(query, limit=50).hits}


def test_watch_indexes_new_changed_and_deleted_files_until_ctrl_c(tmp_path: Path) -> None:
    news = tmp_path / "news"
    write_article(news, "first.txt", "Lighthouse repainted", ["The lighthouse was repainted red and white."])
    ix = tmp_path / "ix"
    config = tmp_path / "xdg" / "searchnews" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('exclude = ["drafts/"]\n')
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "PYTHONUNBUFFERED": "1"}
    env.pop("SEARCHNEWS_INDEX", None)
    command = [sys.executable, "-m", "searchnews", "index", "--watch", str(news), "--index", str(ix), "--json", "-j1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = _Lines(process.stdout)
        first = lines.until(lambda run: run["first"])
        assert (first["indexed"], first["articles"]) == (1, 1)

        ferry = write_article(news, "ferry.txt", "Ferry timetable changes", ["The ferry leaves at nine from Monday."])
        lines.until(lambda run: str(ferry) in run["changed"])
        assert _headlines(ix, "ferry") == {"Ferry timetable changes"}

        write_article(news, "drafts/ferry-draft.txt", "Ferry draft", ["An unfinished ferry story."])
        ferry.write_text("Ferry timetable changes again\n\nThe ferry now leaves at ten.\n")
        changed = lines.until(lambda run: str(ferry) in run["changed"])
        assert changed["indexed"] == 1 and not any("drafts" in p for p in changed["changed"])
        assert _headlines(ix, "ferry") == {"Ferry timetable changes again"}  # the draft is excluded

        ferry.unlink()
        gone = lines.until(lambda run: str(ferry) in run["gone"])
        assert gone["removed"] == 1
        assert _headlines(ix, "ferry") == set()
        assert _headlines(ix, "lighthouse") == {"Lighthouse repainted"}
    finally:
        code = _stop(process, signal.SIGINT)
    stderr = process.stderr.read()
    assert code == 0, stderr
    assert "Traceback" not in stderr and "stopped watching" in stderr


def test_sigterm_ends_the_watch_as_ctrl_c_does(tmp_path: Path) -> None:
    news = tmp_path / "news"
    write_article(news, "first.txt", "Lighthouse repainted", ["The lighthouse was repainted red and white."])
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "PYTHONUNBUFFERED": "1"}
    ix = tmp_path / "ix"
    command = [sys.executable, "-m", "searchnews", "index", "--watch", str(news), "--index", str(ix), "--json"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = _Lines(process.stdout).until(lambda run: run["first"])  # the watcher is in place
        assert first["indexed"] == 1
    finally:
        code = _stop(process, signal.SIGTERM)
    assert code == 0 and "stopped watching" in process.stderr.read()


def test_what_the_watch_is_told_about(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "drafts").mkdir(parents=True)
    wanted = _Wanted([root], tmp_path / "ix", ("drafts/", "*.tmp.txt"))
    assert wanted(str(root / "a.txt"))
    assert wanted(str(root / "2021" / "feed.jsonl.gz"))
    assert not wanted(str(root / "drafts" / "a.txt"))  # inside an excluded folder
    assert not wanted(str(root / "a.tmp.txt"))
    assert not wanted(str(root / ".a.txt.swp"))  # hidden, as the walk skips it
    assert not wanted(str(root / "picture.png"))  # a format searchnews does not read
    assert not wanted(str(tmp_path / "elsewhere.txt"))
    assert not wanted(str(tmp_path / "ix" / "SOURCES.json"))  # the index's own files

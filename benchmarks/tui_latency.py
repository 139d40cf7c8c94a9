"""TUI latency: keystroke to results painted (Textual Pilot, in-process) and time to first paint (pty).

Keystroke to painted: the app runs headless under ``App.run_test()`` with a debounce of 0, so every keystroke
searches (the worst case: a real debounce skips the searches of keys typed faster than it). Each query is
typed one character at a time; for each key the clock starts just before ``pilot.press`` and stops at the first
screen refresh (``App._display``, called once the compositor has rendered the update; headless, nothing is
written to a terminal) after the results list received the result for exactly the text typed so far. Timestamps
come from hooks, not from Pilot's own waits (which sleep in 20 ms steps until the app is idle).

First paint, two ways:
- ``process_s``: ``searchnews tui --index X`` started under a pseudo-terminal (120x40); the clock stops when
  the search box's placeholder text has been written to the terminal, escape sequences aside (interpreter start
  and imports included; the cursor drawn on the placeholder's first letter once hid it until its first blink,
  a second later);
- ``in_process_s``: from constructing the app (modules already imported) to its first screen refresh.

Run alone: ``python benchmarks/tui_latency.py INDEX_DIR "query one" "query two"``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FIRST_PAINT_MARKER = b"Search news"
# Escape sequences (colours, cursor moves) inside the text drawn: the search box's cursor sits on the placeholder's
# first letter, in reverse video, so the marker is only found with them taken out.
_CSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")
FIRST_PAINT_TIMEOUT = 30.0
KEY_TIMEOUT = 10.0
SIZE = (120, 40)


def app_class() -> type:
    """The app class of ``searchnews.tui.app`` (``SearchNewsApp``, or the one App subclass defined there)."""
    from textual.app import App

    import searchnews.tui.app as module

    if hasattr(module, "SearchNewsApp"):
        return module.SearchNewsApp
    found = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, App) and v is not App]
    if len(found) != 1:
        raise RuntimeError(f"cannot tell the app class of searchnews.tui.app among {found}")
    return found[0]


def make_app(cls: type, index_dir: Path, debounce: float = 0.0):
    """Construct the app whatever its index parameter is called; debounce as a keyword."""
    params = inspect.signature(cls).parameters
    kwargs: dict[str, Any] = {}
    if "debounce" in params:
        kwargs["debounce"] = debounce
    if "history" in params:  # a history kept in memory only: a run neither reads nor writes the user's queries
        from searchnews.tui.history import QueryHistory

        kwargs["history"] = QueryHistory(None)
    for name in ("index_dir", "index", "root", "index_path", "path"):
        if name in params:
            kwargs[name] = Path(index_dir)
            return cls(**kwargs)
    return cls(Path(index_dir), **kwargs)


class PaintClock:
    """Records when the app refreshes its screen and when the results list gets a result (and for what)."""

    def __init__(self, app) -> None:
        self.paints: list[float] = []
        self.shown: list[tuple[float, str | None]] = []
        self.zero_hits: set[str] = set()  # queries that found nothing (the engine then looks for a suggestion)
        original = app._display

        def display(screen, renderable):
            if renderable is not None:
                self.paints.append(time.perf_counter())
            return original(screen, renderable)

        app._display = display  # the compositor calls app._display(screen, update) on every refresh

    def hook_results(self, results) -> None:
        original = results.show

        def show(result, *args, **kwargs):
            self.shown.append((time.perf_counter(), None if result is None else result.query))
            if result is not None and result.total == 0:
                self.zero_hits.add(result.query)
            return original(result, *args, **kwargs)

        results.show = show

    def painted_after(self, t: float) -> float | None:
        return next((p for p in self.paints if p >= t), None)

    def shown_for(self, query: str, since: float) -> float | None:
        return next((t for t, q in self.shown if t >= since and q == query), None)


async def keystrokes(index_dir: Path, queries: Sequence[str]) -> dict[str, Any]:
    from textual.widgets import Input

    from searchnews.tui.results import ResultsList

    cls = app_class()
    app = make_app(cls, index_dir, debounce=0.0)
    clock = PaintClock(app)
    started = time.perf_counter()
    latencies: list[tuple[str, float]] = []
    timeouts: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        first_paint = clock.paints[0] - started if clock.paints else None
        await pilot.pause()
        results = app.query_one(ResultsList)
        clock.hook_results(results)
        box = app.query_one("#query", Input)
        box.cursor_blink = False  # a blinking cursor repaints twice a second and would blur the paint clock
        box.focus()
        # The first search opens the index and its searcher: warm them as a user's first query would.
        await _type(pilot, clock, box, "warm", [], [])
        for query in queries:
            await _type(pilot, clock, box, query, latencies, timeouts)
    found = [t for q, t in latencies if q not in clock.zero_hits]
    empty = [t for q, t in latencies if q in clock.zero_hits]
    return {
        "keystroke": {
            **_summary([t for _, t in latencies]),
            "with_hits": _summary(found),
            "zero_hits": _summary(empty),
            "timeouts": len(timeouts),
            "timeout_examples": timeouts[:3],
            "queries": len(queries),
            "how": "Pilot presses each character (debounce 0: every key searches); press -> first screen refresh "
            "after ResultsList.show() got the result for the text typed so far; headless, no terminal write",
        },
        "app_class": f"{cls.__module__}.{cls.__qualname__}",
        "first_paint_run_test_s": None if first_paint is None else round(first_paint, 3),
    }


async def _type(
    pilot, clock: PaintClock, box, query: str, latencies: list[tuple[str, float]], timeouts: list[str]
) -> None:
    box.value = ""
    await pilot.pause()
    typed = ""
    for ch in query:
        typed += ch
        key = "space" if ch == " " else ch
        t0 = time.perf_counter()
        await pilot.press(key)
        deadline = t0 + KEY_TIMEOUT
        painted = None
        while time.perf_counter() < deadline:
            shown = clock.shown_for(typed, t0)
            painted = clock.painted_after(shown) if shown is not None else None
            if painted is not None:
                break
            await asyncio.sleep(0.002)
        if painted is None:
            timeouts.append(typed)
        else:
            latencies.append((typed, painted - t0))
    await pilot.pause()


def _summary(seconds: Sequence[float]) -> dict[str, Any]:
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        return {"n": 0, "median_ms": None, "p95_ms": None, "max_ms": None}
    k = (len(ms) - 1) * 0.95
    lo, hi = int(k), min(int(k) + 1, len(ms) - 1)
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[lo] + (ms[hi] - ms[lo]) * (k - lo), 2),
        "max_ms": round(ms[-1], 2),
    }


async def first_paint_in_process(index_dir: Path) -> float | None:
    cls = app_class()
    started = time.perf_counter()
    app = make_app(cls, index_dir, debounce=0.0)
    clock = PaintClock(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    return None if not clock.paints else clock.paints[0] - started


def first_paint_pty(index_dir: Path, command: Sequence[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Start ``searchnews tui --index X`` on a pseudo-terminal; seconds until the first screen is on it."""
    leader, follower = pty.openpty()
    cols, rows = SIZE
    termios_winsize = struct.pack("HHHH", rows, cols, 0, 0)
    import fcntl

    fcntl.ioctl(follower, termios.TIOCSWINSZ, termios_winsize)
    child_env = dict(env if env is not None else os.environ)
    child_env.update(TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
    # A home of its own for the TUI's history and config: the user's last query, restored into the search box,
    # hid the placeholder this waits for (and a run should not add to the user's history).
    home = tempfile.mkdtemp(prefix="searchnews-tui-home-")
    child_env.update(XDG_STATE_HOME=os.path.join(home, "state"), XDG_CONFIG_HOME=os.path.join(home, "config"))
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "tui", "--index", str(index_dir)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=child_env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    painted = None
    try:
        while time.perf_counter() - started < FIRST_PAINT_TIMEOUT:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
                if FIRST_PAINT_MARKER in _CSI.sub(b"", seen):
                    painted = time.perf_counter() - started
                    break
            elif proc.poll() is not None:
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        os.close(leader)
        shutil.rmtree(home, ignore_errors=True)
    out: dict[str, Any] = {"process_s": None if painted is None else round(painted, 3)}
    if painted is None:
        out["error"] = f"no {FIRST_PAINT_MARKER.decode()!r} on the terminal; last output: {seen[-300:]!r}"
    return out


def measure(
    index_dir: Path, queries: Sequence[str], command: Sequence[str] | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    out = asyncio.run(keystrokes(index_dir, queries))
    in_process = asyncio.run(first_paint_in_process(index_dir))
    fp: dict[str, Any] = {"in_process_s": None if in_process is None else round(in_process, 3)}
    if command:
        fp.update(first_paint_pty(index_dir, command, env))
    fp["how"] = (
        "process_s: `searchnews tui --index X` under a 120x40 pty, process start -> the search box placeholder "
        "written to the terminal; in_process_s: app constructed (modules imported) -> first screen refresh"
    )
    out["first_paint"] = fp
    return out


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    exe = Path(sys.executable).parent / "searchnews"
    print(json.dumps(measure(Path(sys.argv[1]), sys.argv[2:], [str(exe)] if exe.exists() else None), indent=2))

"""Driving the TUI in tests with Pilot: one app factory and one way to wait, shared by the TUI test modules."""

from __future__ import annotations

import contextlib
from pathlib import Path

from textual.worker import WorkerCancelled

from searchnews.tui.app import SearchNewsApp


def make_app(index_dir: Path, **kwargs) -> SearchNewsApp:
    return SearchNewsApp(index_dir, debounce=0.0, poll_interval=3600, **kwargs)


async def settle(app: SearchNewsApp, pilot) -> None:
    """Let the debounce, the searches, counts and previews finish, then let the screen catch up."""
    for _ in range(200):
        with contextlib.suppress(WorkerCancelled):  # a newer search or preview replaced it: wait for that
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return
    raise AssertionError("the app's workers did not finish")


async def type_query(app: SearchNewsApp, pilot, text: str) -> None:
    await pilot.press(*[("space" if c == " " else c) for c in text])
    await settle(app, pilot)


def status_text(app: SearchNewsApp, part: str = "#status-search") -> str:
    return app.status.query_one(part).content.plain

"""Query history: the queries used, newest last, kept across runs in the user's state directory (no Textual).

The file is ``$XDG_STATE_HOME/searchnews/history`` (``~/.local/state/searchnews/history`` by default), one query a
line, at most ``HISTORY_LIMIT`` lines. History is a convenience: a file that cannot be read or written is
skipped, never an error that stops the app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

HISTORY_LIMIT = 500


def history_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the history is kept, by the XDG base directory rules (a relative XDG_STATE_HOME is ignored)."""
    env = os.environ if env is None else env
    state = env.get("XDG_STATE_HOME", "")
    base = Path(state) if state and Path(state).is_absolute() else Path.home() / ".local" / "state"
    return base / "searchnews" / "history"


class QueryHistory:
    """Queries in the order they were last used; ``older``/``newer`` walk them as a shell's ↑ and ↓ do."""

    def __init__(self, path: Path | None = None, limit: int = HISTORY_LIMIT) -> None:
        self.path = path
        self.limit = limit
        self.entries: list[str] = self._load()
        self._at: int | None = None  # the entry the walk is on; None: not walking

    def _load(self) -> list[str]:
        if self.path is None:
            return []
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []
        return [line for line in lines if line.strip()][-self.limit :]

    @property
    def last(self) -> str | None:
        return self.entries[-1] if self.entries else None

    def add(self, query: str) -> None:
        """Record ``query`` as the newest (an earlier use of it moves up), and save; ends any walk."""
        self._at = None
        query = " ".join(query.split())
        if not query:
            return
        if self.entries and self.entries[-1] == query:
            return
        if query in self.entries:
            self.entries.remove(query)
        self.entries.append(query)
        del self.entries[: -self.limit]
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(self.path.name + ".tmp")
            partial.write_text("".join(f"{q}\n" for q in self.entries), encoding="utf-8")
            partial.replace(self.path)  # whole or not at all: a crash never leaves half a history
        except OSError:
            return

    @property
    def current(self) -> str | None:
        """The entry the walk is on (None: not walking)."""
        return None if self._at is None else self.entries[self._at]

    @property
    def walking(self) -> bool:
        return self._at is not None

    def older(self) -> str | None:
        """The query before the one shown (the newest at first); None when there is none older."""
        if not self.entries:
            return None
        at = len(self.entries) if self._at is None else self._at
        if at == 0:
            return None
        self._at = at - 1
        return self.entries[self._at]

    def newer(self) -> str | None:
        """The query after the one shown; "" past the newest (the walk ends on an empty box); None if not walking."""
        if self._at is None:
            return None
        if self._at + 1 >= len(self.entries):
            self._at = None
            return ""
        self._at += 1
        return self.entries[self._at]

    def stop(self) -> None:
        self._at = None

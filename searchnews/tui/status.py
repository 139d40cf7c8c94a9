"""The status line: hits and search time on the left, the index's size and age on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar

from searchnews.tui.backend import IndexState
from searchnews.tui.line import Line
from searchnews.tui.session import plural
from searchnews.tui.text import human_age, human_size

WIDE = 110  # columns: the app's own breakpoint between stacked and side-by-side panes


class StatusLine(Horizontal):
    def _update(self, selector: str, content: Content) -> None:
        """Repaint one part; a Line skips unchanged text and re-lays out only when sized to its text."""
        self.query_one(selector, Line).update(content)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._search = Content("")  # what the search part says when no index run is in progress
        self._writing = False
        self._index: tuple[IndexState | None, str] = (None, "")

    def compose(self) -> ComposeResult:
        yield Line(id="status-search")
        yield Line(id="status-match")
        yield ProgressBar(id="status-progress", show_eta=False)
        yield Line(id="status-index")

    def _show_search_part(self, content: Content) -> None:
        self._search = content
        if not self._writing:
            self._update("#status-search", content)

    def show_progress(self, done: int, total: int, verb: str) -> None:
        self._writing = True
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=total or None, progress=done)
        what = f"{verb} the index: {done:,}/{plural(total, 'file')}" if total else f"{verb} the index …"
        self._update("#status-search", Content(what))

    def hide_progress(self, outcome: str = "") -> None:
        """The index run ended: the search part says again what it said, after ``outcome`` if given."""
        self._writing = False
        self.query_one(ProgressBar).display = False
        shown = self._search
        if outcome:
            shown = Content(outcome).stylize("bold $text-warning") + Content(" · ") + shown
        self._update("#status-search", shown)

    def show_match(self, label: str) -> None:
        self._update("#status-match", Content(f" {label} · " if label else ""))

    def show_search(
        self,
        noun: str,
        total: int,
        shown: int,
        seconds: float,
        partial: bool = False,
        suffix: str = "",
        at_least: bool = False,
    ) -> None:
        more = partial or at_least
        count = plural(total, noun, more=more) + suffix
        if shown < total:
            count += f" (top {shown})"
        text = Content.assemble((count, "bold"), f" · {seconds * 1000:.0f} ms")
        if partial:
            text = text + Content(" · time limit hit").stylize("$text-warning")
        self._show_search_part(text)

    def show_text(self, text: str) -> None:
        self._show_search_part(Content(text))

    def show_index(self, state: IndexState | None, extra: str = "") -> None:
        self._index = (state, extra)
        if state is None:
            text = Content("reading the index …")
        else:
            s = state.stats
            text = Content(f"{plural(s.articles, 'article')} · {plural(s.quotes, 'quote')}")
            if self.size.width >= WIDE:  # below it, the search part needs the room more than size and age
                text = text + Content(f" · {human_size(s.size_bytes)} · {human_age(s.modified)}")
        if extra:
            text = Content(extra).stylize("bold $text-warning") + Content(" · ") + text
        self._update("#status-index", text)

    def on_resize(self) -> None:
        self.show_index(*self._index)

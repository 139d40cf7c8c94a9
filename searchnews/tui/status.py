"""The status line: hits and search time on the left, the index's size and age on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar

from searchnews.tui.backend import IndexState
from searchnews.tui.line import Line
from searchnews.tui.text import human_age, human_size


class StatusLine(Horizontal):
    def _update(self, selector: str, content: Content) -> None:
        """Repaint one part; a Line skips unchanged text and re-lays out only when sized to its text."""
        self.query_one(selector, Line).update(content)

    def compose(self) -> ComposeResult:
        yield Line(id="status-search")
        yield ProgressBar(id="status-progress", show_eta=False)
        yield Line(id="status-index")

    def show_progress(self, done: int, total: int, verb: str) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=total or None, progress=done)
        self._update(
            "#status-search", Content(f"{verb} the index: {done}/{total} files" if total else f"{verb} the index …")
        )

    def hide_progress(self) -> None:
        self.query_one(ProgressBar).display = False

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
        more = "+" if (partial or at_least) else ""
        count = f"{total:,}{more} {noun}{'' if total == 1 and not more else 's'}{suffix}"
        if shown < total:
            count += f" (top {shown})"
        text = Content.assemble((count, "bold"), f" · {seconds * 1000:.0f} ms")
        if partial:
            text = text + Content(" · time limit hit").stylize("$text-warning")
        self._update("#status-search", text)

    def show_text(self, text: str) -> None:
        self._update("#status-search", Content(text))

    def show_index(self, state: IndexState | None, extra: str = "") -> None:
        if state is None:
            text = Content("reading the index …")
        else:
            s = state.stats
            text = Content(
                f"{_count(s.articles, 'article')} · {_count(s.quotes, 'quote')} · "
                f"{human_size(s.size_bytes)} · {human_age(s.modified)}"
            )
        if extra:
            text = Content(extra).stylize("bold $text-warning") + Content(" · ") + text
        self._update("#status-index", text)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"

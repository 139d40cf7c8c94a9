"""The month histogram above the article list: how many of the current results fall in each month."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline

from searchnews.tui.line import Line
from searchnews.tui.session import plural
from searchnews.tui.text import META_STYLE


class MonthChart(Vertical):
    """A Sparkline of articles by month (every month from the first to the last, empty ones too) and a caption
    naming the span and the busiest month. Hidden when the results have no dates."""

    DEFAULT_CSS = """
    MonthChart {
        height: 2;
        padding: 0 1;
    }
    MonthChart Sparkline {
        height: 1;
    }
    MonthChart.-empty {
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-empty")
        self.series: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield Sparkline([], summary_function=max, id="months-bars")
        yield Line(id="months-caption")

    def show(self, series: Sequence[tuple[str, int]]) -> None:
        self.series = list(series)
        # A class, not ``display``: the stylesheet also hides the chart in the quote view, and an inline display
        # would override it.
        self.set_class(not self.series, "-empty")
        if not self.series:
            return
        self.query_one(Sparkline).data = [n for _, n in self.series]
        self.query_one("#months-caption", Line).update(self.caption)

    @property
    def caption(self) -> Content:
        if not self.series:
            return Content("")
        first, last = self.series[0][0], self.series[-1][0]
        peak_month, peak = max(self.series, key=lambda m: m[1])
        dated = sum(n for _, n in self.series)
        span = first if first == last else f"{first} – {last}"
        text = f"{plural(dated, 'dated article')} by month, {span} · most in {peak_month} ({peak:,})"
        return Content(text).stylize(META_STYLE)

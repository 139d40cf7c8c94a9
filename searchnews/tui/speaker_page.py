"""A speaker's page: name forms, kind, roles, counts, quotes by month, the most reported quotes, who else is quoted."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Sparkline, Static

from searchnews.model import SpeakerPage
from searchnews.tui.quotes import PROVENANCE_STYLE, provenance_line
from searchnews.tui.session import plural
from searchnews.tui.text import META_STYLE, QUOTE_STYLE, SPEAKER_STYLE

TOP_QUOTES = 10
QUOTED_WITH = 10
# Roles come most used first; on the 36k corpus Donald Trump has 40, most of them one-off misreadings: the page
# shows the first few, as it does name forms.
ROLES = 5
NAMES = 8


def _some(items: list[str] | tuple[str, ...], n: int) -> str:
    shown = ", ".join(items[:n])
    return shown + (f" (+{len(items) - n} more)" if len(items) > n else "")


def page_head(page: SpeakerPage) -> Content:
    """Name, kind, other names, roles and counts."""
    lines = [
        Content(page.speaker).stylize(f"bold {SPEAKER_STYLE}") + Content(f"  {page.kind}").stylize(META_STYLE),
        Content(f"{plural(page.quotes, 'quote')} in {plural(page.articles, 'article')}"),
    ]
    others = [n for n in page.names if n != page.speaker]
    if others:
        lines.append(Content("also named: " + _some(others, NAMES)).stylize(META_STYLE))
    if page.roles:
        lines.append(Content("roles: " + _some(page.roles, ROLES)).stylize(META_STYLE))
    return Content("\n").join(lines)


def timeline_caption(page: SpeakerPage) -> Content:
    if not page.timeline:
        return Content("no dated quotes").stylize(META_STYLE)
    first, last = page.timeline[0].month, page.timeline[-1].month
    peak = max(page.timeline, key=lambda m: m.quotes)
    span = first if first == last else f"{first} – {last}"
    return Content(f"quotes by month, {span} · most in {peak.month} ({peak.quotes:,})").stylize(META_STYLE)


def page_body(page: SpeakerPage) -> Content:
    """The most reported quotes (by articles), then the speakers most often quoted beside them."""
    lines = [Content("Most reported quotes").stylize("bold")]
    for q in page.top_quotes[:TOP_QUOTES]:
        lines.append(Content(f"“{q.text}”").stylize(QUOTE_STYLE))
        meta = " · ".join(x for x in (q.date, q.source, q.headline) if x)
        lines.append(Content(meta).stylize(META_STYLE))
        reported = provenance_line(q.provenance)
        if reported:
            lines.append(Content(reported).stylize(PROVENANCE_STYLE))
        lines.append(Content(""))
    if not page.top_quotes:
        lines.append(Content("none").stylize(META_STYLE))
    if page.quoted_with:
        lines.append(Content("Quoted in the same articles").stylize("bold"))
        for other in page.quoted_with[:QUOTED_WITH]:
            lines.append(Content(other.name).stylize(SPEAKER_STYLE) + Content(f"  {plural(other.count, 'article')}"))
    return Content("\n").join(lines)


class SpeakerScreen(Screen[None]):
    """One speaker's page; Escape goes back to the list."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]  # noqa: RUF012

    DEFAULT_CSS = """
    SpeakerScreen #speaker-page {
        padding: 1 2;
    }
    SpeakerScreen #speaker-timeline {
        height: 3;
        margin: 1 0 0 0;
    }
    SpeakerScreen .speaker-part {
        width: 1fr;
    }
    """

    def __init__(self, page: SpeakerPage) -> None:
        super().__init__()
        self.page = page

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="speaker-page"):
            yield Static(page_head(self.page), id="speaker-head", classes="speaker-part")
            yield Sparkline([m.quotes for m in self.page.timeline], summary_function=max, id="speaker-timeline")
            yield Static(timeline_caption(self.page), id="speaker-timeline-caption", classes="speaker-part")
            yield Static(Content(""), classes="speaker-part")
            yield Static(page_body(self.page), id="speaker-body", classes="speaker-part")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#speaker-page").focus()

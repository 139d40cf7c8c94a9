"""The article results: headline, date and source, speakers, and a snippet with the query's matches highlighted."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from searchnews.engine.searcher import SearchResult
from searchnews.model import Hit
from searchnews.tui.text import META_STYLE, SPEAKER_STYLE, clip, highlighted

SNIPPET_LINES = 2  # snippet lines per result, so a screen shows several results


def hit_prompt(hit: Hit, width: int) -> Content:
    """One result as shown: headline, a meta line, then the snippet cut to about two lines of ``width``."""
    title = highlighted(hit.headline or "(no headline)", hit.headline_spans).stylize("bold")
    meta = [part for part in (hit.date, hit.source) if part]
    meta_line = Content(" · ".join(meta) or "undated").stylize(META_STYLE)
    if hit.speakers:
        names = ", ".join(hit.speakers[:3]) + (f" +{len(hit.speakers) - 3}" if len(hit.speakers) > 3 else "")
        meta_line = meta_line + Content(" · ").stylize(META_STYLE) + Content(names).stylize(SPEAKER_STYLE)
    snippet = highlighted(hit.snippet, hit.snippet_spans)
    first = hit.snippet_spans[0].start if hit.snippet_spans else 0
    snippet = clip(snippet, max(40, width * SNIPPET_LINES - 4), around=first)
    return Content("\n").join([title, meta_line, snippet])


class ResultsList(OptionList):
    """Posts ``ArticleHighlighted`` as the cursor moves and ``ArticleChosen`` on Enter or a click."""

    BINDINGS = [  # noqa: RUF012
        Binding("enter", "select", "Open", show=True),
    ]

    class ArticleHighlighted(Message):
        def __init__(self, hit: Hit | None) -> None:
            self.hit = hit
            super().__init__()

    class ArticleChosen(Message):
        def __init__(self, hit: Hit) -> None:
            self.hit = hit
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result: SearchResult | None = None
        self._rendered_width = 0

    @property
    def hits(self) -> tuple[Hit, ...]:
        return self.result.hits if self.result else ()

    @property
    def current(self) -> Hit | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.hits)):
            return None
        return self.hits[self.highlighted]

    def show(self, result: SearchResult | None) -> None:
        """Replace the results; the cursor goes to the first, which the preview then shows."""
        self.result = result
        self._render_options()
        if self.hits:
            self.highlighted = 0
        else:
            self.post_message(self.ArticleHighlighted(None))

    def _render_options(self) -> None:
        width = self._text_width()
        self._rendered_width = width
        options: list[Option | None] = []
        for n, hit in enumerate(self.hits):
            options.extend((Option(hit_prompt(hit, width), id=str(n)), None))  # None: a separator line
        self.set_options(options)

    def _text_width(self) -> int:
        width = self.scrollable_content_region.width
        return width - 2 if width > 10 else 60

    def move(self, delta: int) -> None:
        if not self.hits:
            return
        current = self.highlighted if self.highlighted is not None else -1
        self.highlighted = max(0, min(len(self.hits) - 1, current + delta))

    def on_resize(self) -> None:
        # Snippets are cut to the width: cut them again when it changes much.
        if self.hits and abs(self._text_width() - self._rendered_width) > 4:
            keep = self.highlighted
            self._render_options()
            self.highlighted = keep

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.ArticleHighlighted(self.current))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.current is not None:
            self.post_message(self.ArticleChosen(self.current))

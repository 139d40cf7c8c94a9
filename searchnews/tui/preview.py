"""The article pane: the whole article with the query's matches highlighted and quotes marked with their speaker.

The same pane serves as the preview beside the results and, inside ``ArticleScreen``, as the full-screen reader.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from searchnews.model import Quote
from searchnews.tui.backend import ArticleView
from searchnews.tui.session import match_label, plural, step_match
from searchnews.tui.text import (
    CURRENT_MATCH_STYLE,
    MATCH_STYLE,
    META_STYLE,
    QUOTE_STYLE,
    SPEAKER_TAG_STYLE,
    highlighted,
)

CLOSING_MARKS = "\"'”’»,."


def article_content(view: ArticleView, current: int | None = None) -> tuple[Content, list[int], int | None]:
    """The article as one Content; also where each match starts in it, and where the focused quote starts."""
    article = view.article
    head = highlighted(article.title or "(no headline)", view.headline_spans).stylize("bold")
    meta = " · ".join(p for p in (article.date, article.source, article.author, article.url) if p)
    parts = [head, Content(meta or article.id).stylize(META_STYLE), *reported_lines(view), Content("")]
    prefix = Content("\n").join(parts) + Content("\n")
    base = len(prefix.plain)

    body = article.body
    quotes = sorted((q for q in article.quotes if 0 <= q.start < q.end <= len(body)), key=lambda q: q.start)
    # Each quote gets its speaker as a tag after it (after its closing quote mark), shifting later offsets.
    tags: list[tuple[int, str]] = []
    for q in quotes:
        at = q.end
        while at < len(body) and body[at] in CLOSING_MARKS and at - q.end < 3:
            at += 1
        tags.append((at, f" [{q.speaker or '?'}]"))
    tags.sort(key=lambda t: t[0])
    tag_at = [at for at, _ in tags]
    shift_total = [0]
    for _, tag in tags:
        shift_total.append(shift_total[-1] + len(tag))

    def start(offset: int) -> int:  # a span starting at a tag's place starts after the tag
        return base + offset + shift_total[bisect_right(tag_at, offset)]

    def end(offset: int) -> int:  # a span ending at a tag's place ends before it
        return base + offset + shift_total[bisect_left(tag_at, offset)]

    pieces: list[str] = []
    last = 0
    for at, tag in tags:
        pieces.append(body[last:at])
        pieces.append(tag)
        last = at
    pieces.append(body[last:])
    content = prefix + Content("".join(pieces))

    for at, tag in tags:
        s = start(at) - len(tag)
        content = content.stylize(SPEAKER_TAG_STYLE, s, s + len(tag))
    focus_start: int | None = None
    for q in quotes:
        style = QUOTE_STYLE if q.kind == "direct" else f"italic {QUOTE_STYLE}"
        if view.focus is not None and _same(q, view.focus):
            style = f"bold underline {QUOTE_STYLE}"
            focus_start = start(q.start)
        content = content.stylize(style, start(q.start), end(q.end))
    if view.focus is not None and focus_start is None:
        focus_start = start(view.focus.start)
    matches: list[int] = []
    for n, span in enumerate(sorted(view.body_spans, key=lambda s: s.start)):
        s, e = start(span.start), end(span.end)
        content = content.stylize(CURRENT_MATCH_STYLE if n == current else MATCH_STYLE, s, e)
        matches.append(s)
    return content, matches, focus_start


def reported_lines(view: ArticleView) -> list[Content]:
    """The focused quote's articles, oldest first: where it was reported, and who reported it first."""
    p = view.reported
    if p is None or p.articles < 2:
        return []
    lines = [Content("")]
    lines.append(Content(f"This quote was reported in {plural(p.articles, 'article')}:").stylize("bold"))
    for o in p.occurrences:
        mark = "▸ " if o.article_id == view.article.id else "  "
        text = " · ".join(x for x in (o.date or "undated", o.source, o.headline or o.article_id) if x)
        lines.append(Content(mark + text).stylize(META_STYLE))
    return lines


def _same(a: Quote, b: Quote) -> bool:
    return a.start == b.start and a.end == b.end


def line_of(content: Content, offset: int, width: int) -> int:
    """The wrapped line (at ``width`` cells) on which character ``offset`` of ``content`` appears."""
    full = content.plain
    cursor = 0
    line_no = 0
    for n, line in enumerate(content.wrap(max(10, width))):
        text = line.plain.strip()
        if not text:
            continue
        found = full.find(text, cursor)
        if found < 0:
            continue
        if found > offset:
            return line_no
        line_no = n
        cursor = found + len(text)
        if offset < cursor:
            return n
    return line_no


class ArticlePane(VerticalScroll, can_focus=True):
    """Shows one ``ArticleView``; ``next_match`` walks the highlighted matches and scrolls to each."""

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id)
        self.view: ArticleView | None = None
        self.matches: list[int] = []
        self.current: int | None = None
        self._content = Content(placeholder)
        self._focus_at: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._content, id="article-text", classes="article-text")

    @property
    def text(self) -> Static:
        return self.query_one("#article-text", Static)

    def show(self, view: ArticleView | None, *, current: int | None = None, placeholder: str = "") -> None:
        self.view = view
        self.current = current
        if view is None:
            self.matches, self._focus_at = [], None
            self._set(Content(placeholder).stylize(META_STYLE))
            self.scroll_home(animate=False)
            return
        self._render_view()
        if current is not None:
            self._scroll_to_offset(self.matches[current])
        elif self._focus_at is not None:
            self._scroll_to_offset(self._focus_at)
        elif self.matches:
            self._scroll_to_offset(self.matches[0], only_if_hidden=True)  # a long article: show the first match
        else:
            self.scroll_home(animate=False)

    def next_match(self, delta: int) -> bool:
        if not self.matches:
            return False
        self.current = step_match(self.current, len(self.matches), delta)
        self._render_view()
        self._scroll_to_offset(self.matches[self.current])
        return True

    @property
    def match_label(self) -> str:
        """Where n / N are in the matches: "match 3 of 17" (or "17 matches" before the first n)."""
        return match_label(self.current, len(self.matches)) if self.view is not None else ""

    def _render_view(self) -> None:
        assert self.view is not None
        content, self.matches, self._focus_at = article_content(self.view, self.current)
        self._set(content)

    def _set(self, content: Content) -> None:
        self._content = content
        if self.is_mounted:
            self.text.update(content)

    def _scroll_to_offset(self, offset: int, *, only_if_hidden: bool = False) -> None:
        def scroll() -> None:
            width = self.text.content_region.width or self.scrollable_content_region.width
            line = line_of(self._content, offset, width)
            height = self.scrollable_content_region.height
            if only_if_hidden and line < height - 1:
                self.scroll_home(animate=False)
            else:
                self.scroll_to(y=max(0, line - max(2, height // 3)), animate=False)

        # After the new text is laid out, so the scroll range covers it.
        self.call_after_refresh(scroll)


class ArticleScreen(Screen[None]):
    """The article full-screen; Escape goes back to the results."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "app.pop_screen", "Back"),
        Binding("n", "match(1)", "Next match"),
        Binding("N", "match(-1)", "Previous match"),
        Binding("o", "app.open_url", "Open URL"),
        Binding("p", "app.open_pager", "Pager"),
    ]

    def __init__(self, view: ArticleView, current: int | None = None) -> None:
        super().__init__()
        self._view = view
        self._current = current

    def compose(self) -> ComposeResult:
        yield ArticlePane(id="reader")
        yield Footer()

    def on_mount(self) -> None:
        pane = self.query_one(ArticlePane)
        pane.show(self._view, current=self._current)
        pane.focus()

    def action_match(self, delta: int) -> None:
        self.query_one(ArticlePane).next_match(delta)

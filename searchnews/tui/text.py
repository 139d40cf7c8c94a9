"""Turning engine text and spans into Textual Content: the highlight styles and a few formatting helpers."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from rich.segment import Segment
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from searchnews.model import Span

# Styles name theme variables, so highlights follow the theme (App.parse_style resolves them at render time).
MATCH_STYLE = "bold $text-warning on $warning-muted"
CURRENT_MATCH_STYLE = "bold reverse $warning"
QUOTE_STYLE = "$text-success"
SPEAKER_TAG_STYLE = "italic $text-secondary"
META_STYLE = "$text-muted"
SPEAKER_STYLE = "bold $text-accent"


def highlighted(text: str, spans: Iterable[Span], style: str = MATCH_STYLE) -> Content:
    """``text`` with every span styled; spans out of range are ignored (Content.stylize checks)."""
    content = Content(text)
    for span in spans:
        content = content.stylize(style, span.start, span.end)
    return content


def clip(content: Content, limit: int, around: int = 0) -> Content:
    """At most ``limit`` characters of ``content``, starting near ``around`` (e.g. the first match), with
    ellipses where it was cut."""
    text = content.plain
    if len(text) <= limit:
        return content
    start = max(0, min(around - limit // 4, len(text) - limit))
    if start:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + limit)
    if end < len(text):
        space = text.rfind(" ", start + limit // 2, end)
        end = space if space > 0 else end
    piece = content[start:end]
    if start:
        piece = Content("…") + piece
    if end < len(text):
        piece = piece + Content(" …")
    return piece


def wrap(content: Content, width: int, max_lines: int) -> list[Content]:
    """``content`` broken at spaces into at most ``max_lines`` lines of at most ``width`` characters; when it does
    not all fit, the last line ends with an ellipsis."""
    text = content.plain
    width = max(width, 8)
    lines: list[Content] = []
    start, n = 0, len(text)
    while start < n and len(lines) < max_lines:
        while start < n and text[start].isspace():
            start += 1
        if n - start <= width:
            lines.append(content[start:n])
            start = n
            break
        end = text.rfind(" ", start + 1, start + width + 1)
        if end <= start:
            end = start + width  # one word longer than the line: cut it
        lines.append(content[start:end])
        start = end
    if start < n and text[start:].strip() and lines:
        last = lines[-1]
        if len(last.plain) > width - 2:
            cut = last.plain.rfind(" ", 0, width - 1)
            last = last[: cut if cut > width // 2 else width - 2]
        lines[-1] = last + Content(" …")
    return lines


class Lines(Visual):
    """Lines already cut to fit the width they are shown at: a list option that needs no wrapping.

    ``Content`` wraps an option's text twice (once to measure its height, once to draw it), about a millisecond
    an option; twenty results per keystroke made that a third of the time to paint them.
    """

    def __init__(self, lines: Sequence[Content]) -> None:
        self.lines = list(lines)

    @property
    def content(self) -> Content:
        """All the lines as one Content, one line each."""
        return Content("\n").join(self.lines)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((line.cell_length for line in self.lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        strips = []
        for line in self.lines if height is None else self.lines[:height]:
            if line.cell_length > width:
                line = line.truncate(width, ellipsis=True)
            segments = [
                Segment(text, (style + text_style).rich_style)
                for text, text_style in line.render(style, end="", parse_style=options.get_style)
            ]
            strips.append(Strip(segments, line.cell_length))
        return strips


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def human_age(epoch: float, now: float | None = None) -> str:
    if not epoch:
        return "never"
    seconds = max(0.0, (now if now is not None else time.time()) - epoch)
    if seconds < 60:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit} ago"
    return "just now"

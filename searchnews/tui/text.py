"""Turning engine text and spans into Textual Content: the highlight styles and a few formatting helpers."""

from __future__ import annotations

import time
from collections.abc import Iterable

from textual.content import Content

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

"""A one-line text widget that repaints without a re-layout (``Static.update`` always re-lays out the screen)."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class Line(Widget):
    DEFAULT_CSS = """
    Line {
        height: 1;
        width: 1fr;
    }
    """

    def __init__(self, content: Content | str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content = Content(content) if isinstance(content, str) else content

    @property
    def content(self) -> Content:
        return self._content

    def update(self, content: Content | str) -> None:
        content = Content(content) if isinstance(content, str) else content
        if content.is_same(self._content):
            return
        self._content = content
        self.refresh(layout=self.styles.auto_dimensions)  # a re-layout only when sized to its text

    def render(self) -> Content:
        return self._content

"""A list of search hits, one multi-line option each: what the article results and the quote list share."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from textual import events, on
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from searchnews.tui.text import Lines

H = TypeVar("H")


class HitMessage(Message, Generic[H]):
    """A message about one hit of a list; ``hit`` is None when the list has none to select."""

    def __init__(self, hit: H | None) -> None:
        self.hit = hit
        super().__init__()


class TypedAhead(Message):
    """A printable key pressed while a list has focus: the app adds it to the query."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


MATCH_KEYS = frozenset("nN")


def typed_ahead(event: events.Key) -> bool:
    """Whether a key pressed in a list is text for the query (a printable character, n and N aside)."""
    return bool(event.is_printable and event.character and event.character not in MATCH_KEYS)


class HitList(OptionList, Generic[H]):
    """Shows a result's hits; posts ``highlighted_message`` as the cursor moves and ``chosen_message`` on Enter.

    Subclasses say how a hit looks (``prompt``) and which messages they post, so each list keeps messages of
    its own name for the app's handlers.
    """

    highlighted_message: ClassVar[type[HitMessage]]
    chosen_message: ClassVar[type[HitMessage]]

    # New options change the list's virtual height, which Widget declares a layout change: a re-layout of the
    # screen per search, though the list's box stays the size the stylesheet gives it (its scrollbar is
    # updated by OptionList itself).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result: Any = None
        self._rendered_width = 0

    def prompt(self, hit: H, width: int) -> Lines:
        raise NotImplementedError

    @property
    def hits(self) -> tuple[H, ...]:
        return self.result.hits if self.result else ()

    @property
    def current(self) -> H | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.hits)):
            return None
        return self.hits[self.highlighted]

    def show(self, result: Any, keep: int | None = None) -> None:
        """Replace the hits; the cursor goes to the first (or stays at ``keep``), which the preview then shows."""
        self.result = result
        self._render_options()
        if self.hits:
            self.highlighted = min(keep, len(self.hits) - 1) if keep is not None else 0
        else:
            self.post_message(self.highlighted_message(None))

    def move(self, delta: int) -> None:
        if not self.hits:
            return
        current = self.highlighted if self.highlighted is not None else -1
        if delta > 0 and current == len(self.hits) - 1:
            self._want_more()
        self.highlighted = max(0, min(len(self.hits) - 1, current + delta))

    def action_cursor_down(self) -> None:
        if self.hits and self.highlighted == len(self.hits) - 1:
            self._want_more()
        super().action_cursor_down()

    def _want_more(self) -> None:
        """Down from the last hit: ask for the next page when the search found more than the list holds."""
        result = self.result
        if result and (result.total > len(result.hits) or getattr(result, "capped", False)):
            self.post_message(self.WantsMore())

    def _render_options(self) -> None:
        width = self._text_width()
        self._rendered_width = width
        options: list[Option | None] = []
        for n, hit in enumerate(self.hits):
            options.extend((Option(self.prompt(hit, width), id=str(n)), None))  # None: a separator line
        self.set_options(options)

    def _text_width(self) -> int:
        width = self.scrollable_content_region.width
        return width - 2 if width > 10 else 60

    def on_resize(self) -> None:
        # Hits are cut to the width: cut them again when it changes much.
        if self.hits and abs(self._text_width() - self._rendered_width) > 4:
            keep = self.highlighted
            self._render_options()
            self.highlighted = keep

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.highlighted_message(self.current))

    class WantsMore(Message):
        """The cursor is on the last hit and the search found more than the list holds."""

    def on_key(self, event: events.Key) -> None:
        # Letters typed while the list has focus are for the query, as in fzf; n and N walk the preview's matches.
        if typed_ahead(event):
            event.stop()
            event.prevent_default()
            self.post_message(TypedAhead(event.character or ""))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.current is not None:
            self.post_message(self.chosen_message(self.current))

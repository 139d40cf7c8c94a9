"""The search box: the query input and, under it, one line for a syntax error or a "did you mean"."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

from searchnews.tui.line import Line


class QueryInput(Input):
    """The query line; up and down move through the results without leaving it."""

    # Input widens its virtual size with every character typed, and Widget declares that a layout change: the
    # whole screen was laid out again on every keystroke (15 ms here) though the box never changes size.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    BINDINGS = [  # noqa: RUF012 (Textual's own convention)
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    class Move(Message):
        def __init__(self, delta: int) -> None:
            self.delta = delta
            super().__init__()

    def action_move(self, delta: int) -> None:
        self.post_message(self.Move(delta))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._typed_ahead = ""  # typed in a list, added once the box has the focus

    def type_ahead(self, text: str) -> None:
        """Add ``text`` at the end of the query and take the focus (keys typed in a list, as in fzf)."""
        if self.has_focus:
            self._append(text)
            return
        self._typed_ahead += text
        self.focus()

    def _on_focus(self, event: events.Focus) -> None:
        # Input's own handler runs after this one and selects the whole query: the text typed ahead is added
        # after it, so it does not replace the query.
        if self._typed_ahead:
            text, self._typed_ahead = self._typed_ahead, ""
            self.call_next(self._append, text)

    def _append(self, text: str) -> None:
        self.cursor_position = len(self.value)
        self.insert_text_at_cursor(text)


HINT = Content.assemble(
    ("↑↓", "bold"),
    " move  ",
    ("enter", "bold"),
    " open  ",
    ("ctrl+t", "bold"),
    " quotes  ",
    ("who:", "bold"),
    "name  ",
    ("title:", "bold"),
    "word  ",
    ('"a phrase"', "bold"),
    "  ",
    ("word*", "bold"),
).stylize("$text-muted")


class Notice(Line):
    """The line under the query: an error, a suggestion (click to accept) or a hint. Always one line, so the
    results never jump as errors come and go."""

    class Clicked(Message):
        pass

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Clicked())


class SearchBox(Vertical):
    """Posts ``QueryChanged`` on every edit (the app debounces) and at once on Enter."""

    class QueryChanged(Message):
        def __init__(self, query: str, immediate: bool) -> None:
            self.query = query
            self.immediate = immediate
            super().__init__()

    class SuggestionAccepted(Message):
        def __init__(self, suggestion: str) -> None:
            self.suggestion = suggestion
            super().__init__()

    def __init__(self, query: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = query
        self.suggestion: str | None = None
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield QueryInput(
            self._initial,
            placeholder='Search news: words, "a phrase", who:shoigu, title:border, said:threat …',
            id="query",
        )
        yield Notice(HINT, id="notice")

    @property
    def input(self) -> QueryInput:
        return self.query_one(QueryInput)

    @property
    def notice(self) -> Notice:
        return self.query_one(Notice)

    @property
    def value(self) -> str:
        return self.input.value

    def set_query(self, query: str) -> None:
        """Replace the query (the Input posts its Changed message, which searches)."""
        self.input.value = query
        self.input.cursor_position = len(query)

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value, immediate=False))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value, immediate=True))

    @on(Notice.Clicked)
    def _notice_clicked(self, event: Notice.Clicked) -> None:
        event.stop()
        self.accept_suggestion()

    def accept_suggestion(self) -> bool:
        if not self.suggestion:
            return False
        suggestion = self.suggestion
        self.post_message(self.SuggestionAccepted(suggestion))
        self.set_query(suggestion)
        return True

    def _show(self, content: Content, kind: str) -> None:
        self.notice.update(content)
        for name in ("-error", "-suggestion"):
            self.notice.set_class(name == kind, name)

    def show_error(self, message: str) -> None:
        self.error, self.suggestion = message, None
        self._show(Content.assemble(("✗ ", "bold"), message), "-error")

    def show_suggestion(self, query: str, suggestion: str) -> None:
        self.error, self.suggestion = None, suggestion
        content = Content.assemble(
            "Nothing found for ",
            (query, "bold"),
            ". Did you mean ",
            (suggestion, "bold underline"),
            "? (ctrl+y or click)",
        )
        self._show(content, "-suggestion")

    def show_message(self, message: str) -> None:
        self.error, self.suggestion = None, None
        self._show(Content(message), "")

    def clear_notice(self) -> None:
        self.error, self.suggestion = None, None
        self._show(HINT, "")

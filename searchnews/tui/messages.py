"""Typed messages the app's workers post when their work is done (as harlequin's workers do).

Workers never touch widgets or the session: they post one of these, and the App's handler, on the UI thread,
updates the session and the widgets. A thread worker posts them too (``post_message`` is thread-safe).
"""

from __future__ import annotations

from textual.message import Message

from searchnews.model import QuoteResult, SearchResult, SpeakerPage
from searchnews.tui.backend import ArticleView, IndexState, QuoteSpeakers
from searchnews.tui.session import SearchRequest


class SearchFinished(Message):
    """A search's answer (``result`` None: an empty article query, nothing to show)."""

    def __init__(self, request: SearchRequest, result: SearchResult | QuoteResult | None, newest: bool = False) -> None:
        self.request = request
        self.result = result
        self.newest = newest  # the newest articles, shown before anything is typed
        super().__init__()


class SearchFailed(Message):
    """A search the engine refused (a query error, in words for the user); the last good results stay."""

    def __init__(self, request: SearchRequest, error: str) -> None:
        self.request = request
        self.error = error
        super().__init__()


class SuggestionFound(Message):
    def __init__(self, seq: int, query: str, suggestion: str) -> None:
        self.seq = seq
        self.query = query
        self.suggestion = suggestion
        super().__init__()


class SpeakersCounted(Message):
    def __init__(self, query: str, counted: QuoteSpeakers) -> None:
        self.query = query
        self.counted = counted
        super().__init__()


class MonthsCounted(Message):
    """The current results by month, for the chart above the list."""

    def __init__(self, seq: int, months: dict[str, int]) -> None:
        self.seq = seq
        self.months = months
        super().__init__()


class PreviewLoaded(Message):
    def __init__(self, key: tuple[str, str, str], view: ArticleView | None) -> None:
        self.key = key
        self.view = view
        super().__init__()


class IndexOpened(Message):
    def __init__(self, generation: tuple[str, int]) -> None:
        self.generation = generation
        super().__init__()


class IndexFailed(Message):
    """The index could not be opened or reloaded."""

    def __init__(self, error: str, title: str) -> None:
        self.error = error
        self.title = title
        super().__init__()


class IndexStateLoaded(Message):
    def __init__(self, state: IndexState) -> None:
        self.state = state
        super().__init__()


class IndexChanged(Message):
    """A newer generation is on disk than the one opened."""

    def __init__(self, generation: tuple[str, int]) -> None:
        self.generation = generation
        super().__init__()


class IndexReloaded(Message):
    def __init__(self, generation: tuple[str, int]) -> None:
        self.generation = generation
        super().__init__()


class IndexProgress(Message):
    def __init__(self, done: int, total: int, verb: str) -> None:
        self.done = done
        self.total = total
        self.verb = verb
        super().__init__()


class IndexUpdated(Message):
    """The app's own update or rebuild of the index ended (``failed``: with an error, named in ``summary``)."""

    def __init__(self, summary: str, failed: bool) -> None:
        self.summary = summary
        self.failed = failed
        super().__init__()


class SpeakerPageLoaded(Message):
    """A speaker's page (None: no person or organisation in the index goes by ``name``)."""

    def __init__(self, name: str, page: SpeakerPage | None) -> None:
        self.name = name
        self.page = page
        super().__init__()

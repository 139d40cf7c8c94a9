"""The search session: what the app is searching for and showing, as plain data (no Textual, unit-tested alone).

The app asks the session for a ``SearchRequest`` when the query, the view or the speaker changes; its workers run
the request and post the answer back; ``finished`` accepts an answer only if no newer request was made since
(a late answer never replaces a newer one). Paging, the preview's key, the speaker counts' query, the query
history and the state of the index on disk are kept here too, so the App only wires widgets to it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

from searchnews.model import QuoteResult, SearchResult
from searchnews.tui.history import QueryHistory

View = Literal["articles", "quotes"]
SearchKey = tuple[str, str, "str | None"]  # (view, query, speaker)
PAGE_SIZE = 20


@dataclass(frozen=True)
class SearchRequest:
    """One search to run: the view, the query and speaker, how many hits, and its place in the sequence."""

    seq: int
    view: View
    query: str
    speaker: str | None
    limit: int
    keep: int | None = None  # the list's cursor after the answer (a next page keeps the cursor moving on)

    @property
    def key(self) -> SearchKey:
        return (self.view, self.query, self.speaker)

    @property
    def newest(self) -> bool:
        """Nothing typed in the article view: the newest articles are shown."""
        return self.view == "articles" and not self.query.strip()


@dataclass
class IndexOnDisk:
    """What the app knows of the index on disk: the generation it opened, a newer one seen, a write running."""

    generation: tuple[str, int] | None = None
    changed: bool = False
    writing: str | None = None  # "updating" or "rebuilding" while the app writes the index

    def opened(self, generation: tuple[str, int]) -> None:
        self.generation, self.changed = generation, False

    def seen(self, generation: tuple[str, int]) -> bool:
        """Record a generation read from disk; True only the first time it differs from the one opened."""
        if self.generation is None or generation == self.generation or self.changed:
            return False
        self.changed = True
        return True


@dataclass
class SearchSession:
    view: View = "articles"
    query: str = ""  # what the query box holds
    history: QueryHistory = field(default_factory=QueryHistory)
    page_size: int = PAGE_SIZE
    speaker: str | None = None
    seq: int = 0
    limit: int = PAGE_SIZE
    requested: SearchKey | None = None
    shown: SearchKey | None = None
    shown_query: str = ""
    result: SearchResult | QuoteResult | None = None
    newest: bool = False  # the list shows the newest articles (nothing typed yet), not a search's hits
    preview_key: tuple[str, str, str] | None = None
    speakers_for: str | None = None  # the query the speaker list was counted for
    index: IndexOnDisk = field(default_factory=IndexOnDisk)
    last_key: float = 0.0  # time.monotonic() of the last edit of the query
    untidy: bool = True  # searches ran since memory was last tidied
    searched: bool = False  # the list's next highlighted hit comes from a search, not from the user moving
    open_on: int | None = None  # Enter was pressed: open the selected article when this request's answer comes

    def __post_init__(self) -> None:
        self.limit = self.page_size
        self._newest: tuple[int, SearchResult] | None = None

    # -- searches -------------------------------------------------------------------------------------------

    def request(self, query: str, *, immediate: bool = False) -> SearchRequest | None:
        """The search to run for ``query`` in the current view, or None when it is already asked for or shown
        (Enter on results already shown keeps the selection)."""
        key: SearchKey = (self.view, query, self.speaker)
        if key == self.requested and (not immediate or key == self.shown):
            return None
        self.requested = key
        self.limit = self.page_size
        return self._next(query)

    def next_page(self, listed: int, cursor: int | None) -> SearchRequest | None:
        """The request for one more page of articles, when the list shows all it asked for; else None."""
        if self.view != "articles" or self.newest or self.requested != self.shown or self.limit > listed:
            return None
        self.limit += self.page_size
        return self._next(self.shown_query, keep=None if cursor is None else cursor + 1)

    def _next(self, query: str, keep: int | None = None) -> SearchRequest:
        self.seq += 1
        return SearchRequest(self.seq, self.view, query, self.speaker, self.limit, keep)

    def is_current(self, request: SearchRequest) -> bool:
        return request.seq == self.seq

    def finished(
        self, request: SearchRequest, result: SearchResult | QuoteResult | None, *, newest: bool = False
    ) -> bool:
        """Take a search's answer; False (drop it) when a newer request was made since."""
        if not self.is_current(request):
            return False
        self.shown = request.key
        self.shown_query = request.query
        self.result = result
        self.newest = newest
        self.searched = True
        return True

    def forget_results(self) -> None:
        """After a reload: every search, preview and count is asked for again."""
        self.requested = self.shown = None
        self.preview_key = None
        self.speakers_for = None
        self._newest = None

    def keep_newest(self, request: SearchRequest, result: SearchResult) -> None:
        """The newest articles change only with the index: kept until a reload, for the next empty box."""
        self._newest = (request.limit, result)

    def cached_newest(self, request: SearchRequest) -> SearchResult | None:
        if request.newest and self._newest is not None and self._newest[0] == request.limit:
            return self._newest[1]
        return None

    # -- view, speaker, typing ------------------------------------------------------------------------------

    def switch_view(self) -> View:
        self.view = "quotes" if self.view == "articles" else "articles"
        self.preview_key = None
        return self.view

    def choose_speaker(self, speaker: str | None) -> None:
        self.speaker = speaker

    def typed(self, query: str) -> None:
        self.query = query
        self.last_key = time.monotonic()
        self.untidy = True

    def paused_for(self, seconds: float) -> bool:
        """Whether typing has paused this long, with searches run since memory was last tidied."""
        return self.untidy and time.monotonic() - self.last_key >= seconds

    def take_searched(self) -> bool:
        """Whether the hit just highlighted came from a search (then its preview waits for a pause in typing)."""
        searched, self.searched = self.searched, False
        return searched

    def first_query(self, given: str) -> str:
        """The query to open on: the one given, else the last one used."""
        return given or (self.history.last or "")


def plural(n: int, noun: str, *, more: bool = False, nouns: str = "") -> str:
    """ "1 article", "2 articles", "1,000+ articles" (``nouns``: the plural when it is not ``noun`` + s)."""
    many = nouns or f"{noun}s"
    return f"{n:,}{'+' if more else ''} {noun if n == 1 and not more else many}"


def step_match(current: int | None, count: int, delta: int) -> int | None:
    """The match after ``current`` (``delta`` +1 or -1), round the end; None when there are no matches."""
    if count <= 0:
        return None
    if current is None:
        return 0 if delta > 0 else count - 1
    return (current + delta) % count


def match_label(current: int | None, count: int) -> str:
    """The status line's place in the article's matches: "match 3 of 17", "17 matches", or ""."""
    if count <= 0:
        return ""
    if current is None:
        return plural(count, "match", nouns="matches")
    return f"match {current + 1} of {count}"

"""The searchnews app: live search over articles or quotes, a preview, and the index kept an eye on.

The search state lives in a ``SearchSession`` (no Textual); this App wires widgets to it. Searches run in
``SearchBackend``'s one thread (one Whoosh searcher per thread); the UI thread only waits on them in exclusive
workers, so the next keystroke cancels a search that is still debouncing. Workers post typed messages
(``messages.py``) with their answers, and the session drops an answer that a newer request replaced.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Footer

from searchnews.engine.searcher import QuoteResult, SearchResult
from searchnews.errors import SearchnewsError
from searchnews.model import QuoteHit
from searchnews.tui import messages as msg
from searchnews.tui.backend import (
    ArticleView,
    IndexState,
    SearchBackend,
    Stale,
    load_article,
    month_counts,
    month_series,
    quote_speakers,
    run_search,
)
from searchnews.tui.commands import SearchNewsCommands
from searchnews.tui.history import QueryHistory, history_path
from searchnews.tui.hit_list import TypedAhead
from searchnews.tui.index_watch import IndexWatchApp
from searchnews.tui.months import MonthChart
from searchnews.tui.preview import ArticlePane, ArticleScreen
from searchnews.tui.quotes import QuoteList, SpeakerList
from searchnews.tui.results import ResultsList
from searchnews.tui.search_box import QueryInput, SearchBox
from searchnews.tui.session import SearchRequest, SearchSession, View, plural
from searchnews.tui.speaker_page import SpeakerScreen
from searchnews.tui.status import StatusLine

RESULT_LIMIT = 20  # a screen or two; reaching the end of the list asks for this many more
DEBOUNCE_SECONDS = 0.15
# "Did you mean" and the speaker counts wait until typing pauses this long: computed for every prefix typed,
# they held the GIL while the next keystroke's search waited.
PAUSE_SECONDS = 0.3
# The preview of a new search's first hit waits this long for the next keystroke (which cancels it): laying out
# a whole article took more time than the search, for a prefix nobody reads. Moving through the results shows
# it at once.
PREVIEW_PAUSE_SECONDS = 0.1
POLL_SECONDS = 2.0


class SearchNewsApp(IndexWatchApp):
    CSS_PATH = "app.tcss"
    TITLE = "searchnews"
    COMMANDS = App.COMMANDS | {SearchNewsCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012
    BINDINGS = [  # noqa: RUF012
        Binding("ctrl+t", "toggle_view", "Quotes/Articles"),
        Binding("ctrl+s", "focus_speakers", "Speakers"),
        Binding("ctrl+y", "accept_suggestion", "Accept suggestion", show=False),  # the notice names it
        Binding("ctrl+r", "reload", "Reload index"),
        Binding("n", "match(1)", "Next match"),
        Binding("N", "match(-1)", "Prev match", key_display="N"),
        Binding("slash", "focus_search", "Search", show=False),
        Binding("escape", "focus_search", "Search", show=False),
        Binding("ctrl+o", "open_url", "Open URL", show=False),
    ]

    view: reactive[View] = reactive("articles", init=False)

    def __init__(
        self,
        index_dir: Path,
        query: str = "",
        quotes: bool = False,
        *,
        debounce: float = DEBOUNCE_SECONDS,
        poll_interval: float = POLL_SECONDS,
        history: QueryHistory | None = None,
    ) -> None:
        super().__init__()
        self.index_dir = Path(index_dir)
        self.initial_query = query
        self.debounce = debounce
        self.poll_interval = poll_interval
        self.backend = SearchBackend(self.index_dir)
        self.session = SearchSession(
            view="quotes" if quotes else "articles",
            history=history if history is not None else QueryHistory(history_path()),
            page_size=RESULT_LIMIT,
        )
        self.index_state: IndexState | None = None
        self._binding_state: tuple[bool, str] | None = None
        self.set_reactive(SearchNewsApp.view, self.session.view)

    @property
    def speaker(self) -> str | None:
        return self.session.speaker

    # -- layout ---------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBox(self.initial_query, id="search")
        with Horizontal(id="main"):
            with Vertical(id="lists"):
                yield MonthChart(id="months")
                with ContentSwitcher(initial=f"{self.view}-view", id="views"):
                    yield ResultsList(id="articles-view")
                    with Horizontal(id="quotes-view"):
                        yield SpeakerList(id="speakers")
                        yield QuoteList(id="quote-list")
            yield ArticlePane(id="preview", placeholder="Type to search; the selected article shows here.")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def search_box(self) -> SearchBox:
        return self.query_one(SearchBox)

    @property
    def results(self) -> ResultsList:
        return self.query_one(ResultsList)

    @property
    def quote_list(self) -> QuoteList:
        return self.query_one(QuoteList)

    @property
    def speaker_list(self) -> SpeakerList:
        return self.query_one(SpeakerList)

    @property
    def preview(self) -> ArticlePane:
        return self.query_one("#preview", ArticlePane)

    def index_ready(self) -> None:
        """Search for what the box holds: the query given, the last one used, or nothing (the newest articles)."""
        self.request_search(self.search_box.value, immediate=True)

    def _quotes_shown(self) -> bool:
        return self.view == "quotes"

    def on_mount(self) -> None:
        self.search_box.input.focus()
        first = self.session.first_query(self.initial_query)
        if first != self.search_box.value:
            self.search_box.set_query(first)  # the last search, shown before the first key
        self.query_one("#main").set_class(self.view == "quotes", "-quotes")
        self.status.show_index(None)
        self._open_index()
        self.set_interval(self.poll_interval, self._poll_tick)

    def on_unmount(self) -> None:
        self.session.history.add(self.session.query)  # the next run opens on it
        self.backend.close()

    # -- searching ------------------------------------------------------------------------------------------

    @on(SearchBox.QueryChanged)
    def _query_changed(self, event: SearchBox.QueryChanged) -> None:
        session = self.session
        session.typed(event.query)
        if session.history.walking and event.query != session.history.current:
            session.history.stop()  # an edit ends the walk through the history
        # A preview, month count or speaker count still waiting for a pause in typing is for results about to be
        # replaced: drop it, or it lays out a whole article or counts every match between two keystrokes.
        for group in ("preview", "months", "speakers"):
            self.workers.cancel_group(self, group)
        request = self.request_search(event.query, immediate=event.immediate)
        if event.immediate:  # Enter: search at once, then open the selected article
            session.history.add(event.query)
            if request is None:
                self._open_selected()
            else:
                session.open_on = request.seq

    @on(SearchBox.SuggestionAccepted)
    def _suggestion_accepted(self, event: SearchBox.SuggestionAccepted) -> None:
        self.request_search(event.suggestion, immediate=True)

    def request_search(self, query: str, *, immediate: bool) -> SearchRequest | None:
        """Search for ``query`` in the current view, after the debounce unless ``immediate``."""
        request = self.session.request(query, immediate=immediate)
        if request is not None:
            self._search(request, 0.0 if immediate else self.debounce)
        return request

    @on(ResultsList.WantsMore)
    def _more_results(self, event: ResultsList.WantsMore) -> None:
        """The cursor reached the end of the article list, and more articles match: fetch the next page."""
        request = self.session.next_page(len(self.results.hits), self.results.highlighted)
        if request is not None:
            self._search(request, 0.0)

    @work(exclusive=True, group="search")
    async def _search(self, request: SearchRequest, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)  # the next keystroke cancels this worker here
        try:  # the newest articles, once read, are kept until a reload: clearing the box costs no search
            result = self.session.cached_newest(request) or await self.backend.call(
                partial(run_search, request), key="search"
            )
        except Stale:
            return
        except SearchnewsError as exc:  # a query error, in words for the user
            self.post_message(msg.SearchFailed(request, str(exc)))
            return
        except Exception as exc:  # an engine bug: one line under the box; the app and the last results stay
            self.post_message(msg.SearchFailed(request, f"internal error (a bug): {type(exc).__name__}: {exc}"))
            return
        self.post_message(msg.SearchFinished(request, result, newest=request.newest))

    @on(msg.SearchFinished)
    def _search_finished(self, event: msg.SearchFinished) -> None:
        request, result = event.request, event.result
        if not self.session.finished(request, result, newest=event.newest):
            return  # a newer search was asked for since
        if isinstance(result, QuoteResult):
            self._show_quotes(result, request)
            self._load_speakers(request.query, result)
        else:
            self._show_articles(result, request, event.newest)
            if event.newest and result is not None:
                self.session.keep_newest(request, result)
                self.query_one(MonthChart).show(month_series((result.facets or {}).get("month", {})))
            elif result is not None and result.total:
                self._load_months(request)
            else:
                self.query_one(MonthChart).show([])
        if self.session.open_on == request.seq:
            self.session.open_on = None
            self._open_selected()

    @on(msg.SearchFailed)
    def _search_failed(self, event: msg.SearchFailed) -> None:
        if self.session.is_current(event.request):
            self.search_box.show_error(event.error)  # the last good results stay

    def _show_articles(self, result: SearchResult | None, request: SearchRequest, newest: bool = False) -> None:
        box = self.search_box
        if result is None:
            box.clear_notice()
            self.status.show_text("Type to search")
        elif newest:
            box.clear_notice()
            shown = f"{len(result.hits)} newest of {plural(result.total, 'article')}"
            self.status.show_text(shown if result.total else "No articles: index some (see the palette)")
        elif result.total == 0:
            box.show_message(f"No articles match {request.query}")
            self._load_suggestion(request.seq, request.query)
        else:
            box.clear_notice()
        if result is not None and not newest:
            self.status.show_search(
                "article", result.total, len(result.hits), result.seconds, result.partial, at_least=result.capped
            )
        self.results.show(result, request.keep)
        self._sync_bindings()

    def _show_quotes(self, result: QuoteResult, request: SearchRequest) -> None:
        box = self.search_box
        by = f" by {request.speaker}" if request.speaker else ""
        if result.total == 0:
            box.show_message(f"No quotes{by} match {request.query or 'anything'}")
            if request.query.strip() and not request.speaker:
                self._load_suggestion(request.seq, request.query)
        else:
            box.clear_notice()
        self.status.show_search(
            "quote", result.total, len(result.hits), result.seconds, suffix=by, at_least=result.capped
        )
        self.quote_list.show(result)
        self._sync_bindings()

    @work(exclusive=True, group="suggest")
    async def _load_suggestion(self, seq: int, query: str) -> None:
        """Look for a respelling of a query that found nothing, once typing pauses, in the slow lane."""
        await asyncio.sleep(max(self.debounce * 2, PAUSE_SECONDS))
        try:
            suggestion = await self.backend.call(lambda s: s.suggest(query), lane="slow", key="suggest")
        except (Stale, SearchnewsError):
            return
        if suggestion:
            self.post_message(msg.SuggestionFound(seq, query, suggestion))

    @on(msg.SuggestionFound)
    def _suggestion_found(self, event: msg.SuggestionFound) -> None:
        if event.seq == self.session.seq:
            self.search_box.show_suggestion(event.query, event.suggestion)

    @work(exclusive=True, group="months")
    async def _load_months(self, request: SearchRequest) -> None:
        """Count the results by month for the chart, once typing pauses, in the slow lane."""
        await asyncio.sleep(max(self.debounce * 2, PAUSE_SECONDS))
        try:
            months = await self.backend.call(partial(month_counts, query=request.query), lane="slow", key="months")
        except Exception:  # Stale, or a count that failed: the chart is a convenience, the list is what matters
            return
        self.post_message(msg.MonthsCounted(request.seq, months))

    @on(msg.MonthsCounted)
    def _months_counted(self, event: msg.MonthsCounted) -> None:
        if event.seq == self.session.seq:
            self.query_one(MonthChart).show(month_series(event.months))

    @work(exclusive=True, group="speakers")
    async def _load_speakers(self, query: str, result: QuoteResult) -> None:
        if self.session.speakers_for == query or self.session.speaker is not None:
            lst = self.speaker_list  # counted already, or a list narrowed to one speaker: only the mark moves
            lst.show(lst.speakers, self.session.speaker, lst.total, lst.capped)
            return
        # The index-wide speaker list the counts are grouped by is read once per searcher (seconds on a big
        # index): wait until typing pauses, in the slow lane.
        await asyncio.sleep(max(self.debounce * 2, PAUSE_SECONDS))
        try:
            speakers = await self.backend.call(partial(quote_speakers, result=result), lane="slow", key="speakers")
        except Exception:  # Stale, or a count that failed: the list keeps what it had (the search says why)
            return
        self.post_message(msg.SpeakersCounted(query, speakers))

    @on(msg.SpeakersCounted)
    def _speakers_counted(self, event: msg.SpeakersCounted) -> None:
        self.session.speakers_for = event.query
        c = event.counted
        self.speaker_list.show(list(c.speakers), self.session.speaker, c.total, c.capped)

    @on(QueryInput.Move)
    def _move(self, event: QueryInput.Move) -> None:
        history = self.session.history
        if event.delta == -1 and (history.walking or not self.search_box.value):
            older = history.older()  # ↑ in an empty box: the previous queries, as in a shell
            if older is not None:
                self.search_box.set_query(older)
                return
        elif event.delta == 1 and history.walking:
            self.search_box.set_query(history.newer() or "")
            return
        if self.view == "articles":
            self.results.move(event.delta)
        else:
            self.quote_list.move(event.delta)

    # -- preview and reader ---------------------------------------------------------------------------------

    @on(ResultsList.ArticleHighlighted)
    def _article_highlighted(self, event: ResultsList.ArticleHighlighted) -> None:
        if event.hit is None:
            self._show_preview(None, None)
        else:
            self._load_preview(event.hit.id, self.session.shown_query, None, self._preview_delay())

    @on(QuoteList.QuoteHighlighted)
    def _quote_highlighted(self, event: QuoteList.QuoteHighlighted) -> None:
        if event.hit is None:
            self._show_preview(None, None)
        else:
            self._load_preview(event.hit.article_id, self.session.shown_query, event.hit, self._preview_delay())

    def _preview_delay(self) -> float:
        return PREVIEW_PAUSE_SECONDS if self.session.take_searched() else 0.0

    def _show_preview(self, view: ArticleView | None, key: tuple[str, str, str] | None) -> None:
        pane = next(self.query("#preview").results(ArticlePane), None)
        if pane is None:
            return  # a preview that finished as the app was closing
        self.session.preview_key = key
        pane.show(view, placeholder="Nothing selected.")
        self.status.show_match(pane.match_label)
        self._sync_bindings()

    @work(exclusive=True, group="preview")
    async def _load_preview(self, article_id: str, query: str, quote: QuoteHit | None, delay: float = 0.0) -> None:
        key = (article_id, query, quote.text if quote else "")
        if key == self.session.preview_key:
            return
        if delay:
            await asyncio.sleep(delay)  # the next keystroke's search cancels this worker here
        try:
            view = await self.backend.call(lambda s: load_article(s, article_id, query, quote), key="preview")
        except Stale:
            return
        except Exception as exc:  # an engine bug: say so, and keep the app
            self.notify(f"Cannot show the article: {type(exc).__name__}: {exc}", severity="error")
            return
        self.post_message(msg.PreviewLoaded(key, view))

    @on(msg.PreviewLoaded)
    def _preview_loaded(self, event: msg.PreviewLoaded) -> None:
        self._show_preview(event.view, event.key)

    def _open_selected(self) -> None:
        """Open the list's selected article (or the selected quote's) full-screen, if there is one."""
        if self.view == "articles" and self.results.current is not None:
            self._open_reader(self.results.current.id, None)
        elif self.view == "quotes" and self.quote_list.current is not None:
            self._open_reader(self.quote_list.current.article_id, self.quote_list.current)

    @on(ResultsList.ArticleChosen)
    def _article_chosen(self, event: ResultsList.ArticleChosen) -> None:
        self.session.history.add(self.search_box.value)
        self._open_reader(event.hit.id, None)

    @on(QuoteList.QuoteChosen)
    def _quote_chosen(self, event: QuoteList.QuoteChosen) -> None:
        self._open_reader(event.hit.article_id, event.hit)

    @work(exclusive=True, group="reader")
    async def _open_reader(self, article_id: str, quote: QuoteHit | None) -> None:
        view = self.preview.view
        if view is None or view.article.id != article_id or (quote is not None and view.focus is None):
            query = self.session.shown_query
            view = await self.backend.call(lambda s: load_article(s, article_id, query, quote))
        if view is not None:
            current = self.preview.current if view is self.preview.view else None
            self.push_screen(ArticleScreen(view, current))

    # -- quotes and speakers --------------------------------------------------------------------------------

    @on(SpeakerList.SpeakerChosen)
    def _speaker_chosen(self, event: SpeakerList.SpeakerChosen) -> None:
        self.session.choose_speaker(event.speaker)
        self.request_search(self.session.shown_query, immediate=True)
        self.quote_list.focus()

    def choose_speaker(self, speaker: str | None) -> None:
        """Narrow the quotes to one speaker (None: all), as choosing them in the speaker list does."""
        self.post_message(SpeakerList.SpeakerChosen(speaker))

    # -- actions --------------------------------------------------------------------------------------------

    def _sync_bindings(self) -> None:
        """Refresh the footer only when what it shows changes: a refresh recomposes the whole footer."""
        state = (self.index_changed, self.view)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, SpeakerScreen) and action in ("toggle_view", "focus_speakers", "match"):
            return False  # the speaker page has no list nor preview of its own
        if action == "reload":
            return self.index_changed
        if action == "focus_speakers":
            return self.view == "quotes"
        return True

    def action_toggle_view(self) -> None:
        self.view = "quotes" if self.view == "articles" else "articles"

    def watch_view(self, view: View) -> None:
        self.session.view = view
        self.session.preview_key = None
        in_lists = self.focused is not None and self.focused in self.query_one(ContentSwitcher).query("*")
        self.query_one(ContentSwitcher).current = f"{view}-view"
        if in_lists:  # the focused list is hidden now: its counterpart takes the focus, so the arrows still work
            self._focus_list()
        self.query_one("#main").set_class(view == "quotes", "-quotes")
        self.request_search(self.search_box.value, immediate=True)
        self._sync_bindings()
        self.sub_title = "quotes" if view == "quotes" else ""

    def action_focus_speakers(self) -> None:
        if self.view != "quotes":
            self.view = "quotes"
        self.speaker_list.focus()

    def action_focus_search(self) -> None:
        self.search_box.input.focus()

    def _focus_list(self) -> None:
        target = self.results if self.view == "articles" else self.quote_list
        target.focus()

    def action_accept_suggestion(self) -> None:
        self.search_box.accept_suggestion()

    def action_match(self, delta: int) -> None:
        self.preview.next_match(delta)
        self.status.show_match(self.preview.match_label)

    @on(TypedAhead)
    def _typed_ahead(self, event: TypedAhead) -> None:
        """A letter typed in a list goes to the end of the query, and the query box takes the focus."""
        self.search_box.input.type_ahead(event.text)


def run(index_dir: Path, query: str = "", quotes: bool = False) -> None:
    SearchNewsApp(index_dir, query=query, quotes=quotes).run()

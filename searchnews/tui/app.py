"""The searchnews app: live search over articles or quotes, a preview, and the index kept an eye on.

Searches run in ``SearchBackend``'s one thread (one Whoosh searcher per thread); the UI thread only waits on
them in exclusive workers, so the next keystroke cancels a search that is still debouncing, and a sequence
number keeps a late answer from replacing a newer one.
"""

from __future__ import annotations

import asyncio
import gc
import os
import shlex
import subprocess
import time
import webbrowser
from functools import partial
from pathlib import Path
from typing import Literal

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Footer

from searchnews.engine.searcher import NewsSearcher, QuoteResult, SearchResult, SpeakerCount
from searchnews.errors import QuerySyntaxError, SearchnewsError
from searchnews.model import QuoteHit, shown_quote
from searchnews.tui.backend import ArticleView, IndexState, SearchBackend, Stale, load_article
from searchnews.tui.commands import SearchNewsCommands
from searchnews.tui.preview import ArticlePane, ArticleScreen
from searchnews.tui.quotes import QuoteList, SpeakerList, attribution
from searchnews.tui.results import ResultsList
from searchnews.tui.search_box import QueryInput, SearchBox
from searchnews.tui.status import StatusLine

View = Literal["articles", "quotes"]

RESULT_LIMIT = 20  # a screen or two; reaching the end of the list asks for this many more
SPEAKER_ARTICLES = 300
QUOTE_LIMIT = 60
SEARCH_TIME_LIMIT = 0.5  # seconds; a cancelled search keeps its thread busy, so none may run long
DEBOUNCE_SECONDS = 0.15
# "Did you mean" and the speaker counts wait until typing pauses this long: computed for every prefix typed,
# they held the GIL while the next keystroke's search waited.
PAUSE_SECONDS = 0.3
# The preview of a new search's first hit waits this long for the next keystroke (which cancels it): laying out
# a whole article took more time than the search, for a prefix nobody reads. Moving through the results shows
# it at once.
PREVIEW_PAUSE_SECONDS = 0.1
POLL_SECONDS = 2.0
# Memory is tidied (a full garbage collection, then what is left frozen) once typing has paused this long.
TIDY_PAUSE_SECONDS = 1.0


def _article_search(query: str, limit: int, searcher: NewsSearcher) -> SearchResult:
    # "Did you mean" can take seconds on a big index: it is asked for separately, in the slow lane.
    return searcher.search(query, limit=limit, time_limit=SEARCH_TIME_LIMIT, suggest=False)


def _quote_search(query: str, speaker: str | None, searcher: NewsSearcher) -> QuoteResult:
    return searcher.quotes(query, speaker=speaker, limit=QUOTE_LIMIT, time_limit=SEARCH_TIME_LIMIT)


def _suggest(query: str, searcher: NewsSearcher) -> str | None:
    return searcher.suggest(query)


def _speakers(query: str, searcher: NewsSearcher) -> list[SpeakerCount]:
    # Counted in the best-matching articles only: reading 2,000 stored articles per keystroke held the GIL
    # for half a second while the search thread waited.
    return searcher.speakers(query, limit=200, articles=SPEAKER_ARTICLES)


class SearchNewsApp(App[None]):
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
    index_changed: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        index_dir: Path,
        query: str = "",
        quotes: bool = False,
        *,
        debounce: float = DEBOUNCE_SECONDS,
        poll_interval: float = POLL_SECONDS,
    ) -> None:
        super().__init__()
        self.index_dir = Path(index_dir)
        self.initial_query = query
        self.debounce = debounce
        self.poll_interval = poll_interval
        self.backend = SearchBackend(self.index_dir)
        self.speaker: str | None = None
        self.index_state: IndexState | None = None
        self.generation: tuple[str, int] | None = None
        self._seq = 0
        self._limit = RESULT_LIMIT
        self._searched = False  # the next highlighted hit comes from a search, not from the user moving
        self._requested: tuple[str, str, str | None] | None = None
        self._shown_query = ""
        self._shown_key: tuple[str, str, str | None] | None = None
        self._preview_key: tuple[str, str, str] | None = None
        self._speakers_for: str | None = None
        self._indexing = False
        self._binding_state: tuple[bool, str] | None = None
        self._last_key = 0.0  # time.monotonic() of the last edit of the query
        self._untidy = True  # searches ran since memory was last tidied
        self.set_reactive(SearchNewsApp.view, "quotes" if quotes else "articles")

    # -- layout ---------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBox(self.initial_query, id="search")
        with Horizontal(id="main"):
            with ContentSwitcher(initial=f"{self.view}-view", id="lists"):
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

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def on_mount(self) -> None:
        self.search_box.input.focus()
        self.query_one("#main").set_class(self.view == "quotes", "-quotes")
        self.status.show_index(None)
        self._open_index()
        self.set_interval(self.poll_interval, self._poll_tick)

    def on_unmount(self) -> None:
        self.backend.close()

    @work(exclusive=True, group="index")
    async def _open_index(self) -> None:
        try:
            self.generation = await self.backend.call_index(lambda ix: ix.generation())
        except SearchnewsError as exc:
            self.status.show_text(str(exc))
            self.notify(str(exc), title="Cannot open the index", severity="error", timeout=30)
            return
        await self._warm()
        self._load_stats()
        if self.initial_query or self.view == "quotes" or self.search_box.value:
            self.request_search(self.search_box.value, immediate=True)
        else:
            self.status.show_text("Type to search")

    async def _warm(self) -> None:
        """Open the searcher before the first keystroke needs it, then tidy memory while nobody types yet."""
        try:
            await self.backend.call(lambda s: s.warm())
        except SearchnewsError:
            return  # the first search reports it
        self.tidy_memory()

    @work(exclusive=True, group="stats")
    async def _load_stats(self) -> None:
        """Counts, size and age for the status line: read in the slow lane, never before the first search."""
        try:
            self.index_state = await self.backend.state()
        except SearchnewsError:
            return
        self.status.show_index(self.index_state, "index changed: ctrl+r reloads" if self.index_changed else "")

    # -- searching ------------------------------------------------------------------------------------------

    @on(SearchBox.QueryChanged)
    def _query_changed(self, event: SearchBox.QueryChanged) -> None:
        self._last_key = time.monotonic()
        self._untidy = True
        # A preview still waiting for a pause in typing is for results about to be replaced: drop it, or it lays
        # out a whole article between two keystrokes.
        self.workers.cancel_group(self, "preview")
        self.request_search(event.query, immediate=event.immediate)
        if event.immediate:
            self._focus_list()

    @on(SearchBox.SuggestionAccepted)
    def _suggestion_accepted(self, event: SearchBox.SuggestionAccepted) -> None:
        self.request_search(event.suggestion, immediate=True)

    def request_search(self, query: str, *, immediate: bool) -> None:
        """Search for ``query`` in the current view, after the debounce unless ``immediate``."""
        key = (self.view, query, self.speaker)
        if key == self._requested and (not immediate or key == self._shown_key):
            return  # already searching for it, or showing it (Enter then keeps the selection)
        self._requested = key
        self._limit = RESULT_LIMIT
        self._seq += 1
        self._search(self._seq, query, 0.0 if immediate else self.debounce)

    @on(ResultsList.WantsMore)
    def _more_results(self, event: ResultsList.WantsMore) -> None:
        """The cursor reached the end of the article list, and more articles match: fetch the next page."""
        if self.view != "articles" or self._requested != self._shown_key or self._limit > len(self.results.hits):
            return  # a newer search is on its way, or the next page is already asked for
        self._limit += RESULT_LIMIT
        self._seq += 1
        at = self.results.highlighted
        self._search(self._seq, self._shown_query, 0.0, keep=None if at is None else at + 1)  # the key's move

    @work(exclusive=True, group="search")
    async def _search(self, seq: int, query: str, delay: float, keep: int | None = None) -> None:
        if delay:
            await asyncio.sleep(delay)  # the next keystroke cancels this worker here
        view, speaker = self.view, self.speaker
        try:
            if view == "articles":
                if not query.strip():
                    self._shown_key = (view, query, speaker)
                    self._show_articles(None, "")
                    return
                result = await self.backend.call(partial(_article_search, query, self._limit), key="search")
                if seq == self._seq:
                    self._shown_key = (view, query, speaker)
                    self._show_articles(result, query, keep)
            else:
                quotes = await self.backend.call(partial(_quote_search, query, speaker), key="search")
                if seq == self._seq:
                    self._shown_key = (view, query, speaker)
                    self._show_quotes(quotes, query)
                    self._load_speakers(query)
        except Stale:
            return
        except QuerySyntaxError as exc:
            if seq == self._seq:
                self.search_box.show_error(str(exc))  # the last good results stay
        except SearchnewsError as exc:
            if seq == self._seq:
                self.search_box.show_error(str(exc))

    def _show_articles(self, result: SearchResult | None, query: str, keep: int | None = None) -> None:
        self._shown_query = query
        box = self.search_box
        if result is None:
            box.clear_notice()
            self.status.show_text("Type to search")
        elif result.total == 0:
            box.show_message(f"No articles match {query}")
            self._load_suggestion(self._seq, query)
        else:
            box.clear_notice()
        if result is not None:
            self.status.show_search(
                "article", result.total, len(result.hits), result.seconds, result.partial, at_least=result.capped
            )
        self._searched = True
        self.results.show(result, keep)
        self._sync_bindings()

    def _show_quotes(self, result: QuoteResult, query: str) -> None:
        self._shown_query = query
        box = self.search_box
        if result.total == 0:
            who = f" by {self.speaker}" if self.speaker else ""
            box.show_message(f"No quotes{who} match {query or 'anything'}")
            if query.strip() and not self.speaker:
                self._load_suggestion(self._seq, query)
        else:
            box.clear_notice()
        by = f" by {self.speaker}" if self.speaker else ""
        self.status.show_search(
            "quote", result.total, len(result.hits), result.seconds, suffix=by, at_least=result.capped
        )
        self._searched = True
        self.quote_list.show(result)
        self._sync_bindings()

    @work(exclusive=True, group="suggest")
    async def _load_suggestion(self, seq: int, query: str) -> None:
        """Look for a respelling of a query that found nothing, once typing pauses, in the slow lane."""
        await asyncio.sleep(max(self.debounce * 2, PAUSE_SECONDS))
        try:
            suggestion = await self.backend.call(partial(_suggest, query), lane="slow", key="suggest")
        except (Stale, SearchnewsError):
            return
        if suggestion and seq == self._seq:
            self.search_box.show_suggestion(query, suggestion)

    @work(exclusive=True, group="speakers")
    async def _load_speakers(self, query: str) -> None:
        if self._speakers_for == query:
            self.speaker_list.show(self.speaker_list.speakers, self.speaker)
            return
        # Counting speakers reads up to thousands of articles: wait until typing pauses, in the slow lane.
        await asyncio.sleep(max(self.debounce * 2, PAUSE_SECONDS))
        try:
            speakers = await self.backend.call(partial(_speakers, query), lane="slow", key="speakers")
        except (Stale, SearchnewsError):
            return
        self._speakers_for = query
        self.speaker_list.show(speakers, self.speaker)

    @on(QueryInput.Move)
    def _move(self, event: QueryInput.Move) -> None:
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
            self._load_preview(event.hit.id, self._shown_query, None, self._preview_delay())

    @on(QuoteList.QuoteHighlighted)
    def _quote_highlighted(self, event: QuoteList.QuoteHighlighted) -> None:
        if event.hit is None:
            self._show_preview(None, None)
        else:
            self._load_preview(event.hit.article_id, self._shown_query, event.hit, self._preview_delay())

    def _preview_delay(self) -> float:
        searched, self._searched = self._searched, False
        return PREVIEW_PAUSE_SECONDS if searched else 0.0

    def _show_preview(self, view: ArticleView | None, key: tuple[str, str, str] | None) -> None:
        panes = self.query("#preview").results(ArticlePane)
        pane = next(panes, None)
        if pane is None:
            return  # a preview that finished as the app was closing
        self._preview_key = key
        pane.show(view, placeholder="Nothing selected.")
        self._sync_bindings()

    @work(exclusive=True, group="preview")
    async def _load_preview(self, article_id: str, query: str, quote: QuoteHit | None, delay: float = 0.0) -> None:
        key = (article_id, query, quote.text if quote else "")
        if key == self._preview_key:
            return
        if delay:
            await asyncio.sleep(delay)  # the next keystroke's search cancels this worker here
        try:
            view = await self.backend.call(lambda s: load_article(s, article_id, query, quote), key="preview")
        except Stale:
            return
        self._show_preview(view, key)

    @on(ResultsList.ArticleChosen)
    def _article_chosen(self, event: ResultsList.ArticleChosen) -> None:
        self._open_reader(event.hit.id, None)

    @on(QuoteList.QuoteChosen)
    def _quote_chosen(self, event: QuoteList.QuoteChosen) -> None:
        self._open_reader(event.hit.article_id, event.hit)

    @work(exclusive=True, group="reader")
    async def _open_reader(self, article_id: str, quote: QuoteHit | None) -> None:
        view = self.preview.view
        if view is None or view.article.id != article_id or (quote is not None and view.focus is None):
            query = self._shown_query
            view = await self.backend.call(lambda s: load_article(s, article_id, query, quote))
        if view is not None:
            current = self.preview.current if view is self.preview.view else None
            self.push_screen(ArticleScreen(view, current))

    # -- quotes and speakers --------------------------------------------------------------------------------

    @on(SpeakerList.SpeakerChosen)
    def _speaker_chosen(self, event: SpeakerList.SpeakerChosen) -> None:
        self.speaker = event.speaker
        self.request_search(self._shown_query, immediate=True)
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
        if action == "reload":
            return self.index_changed
        if action == "focus_speakers":
            return self.view == "quotes"
        return True

    def action_toggle_view(self) -> None:
        self.view = "quotes" if self.view == "articles" else "articles"

    def watch_view(self, view: View) -> None:
        self.query_one(ContentSwitcher).current = f"{view}-view"
        self.query_one("#main").set_class(view == "quotes", "-quotes")
        self._preview_key = None
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

    def _current_article_view(self) -> ArticleView | None:
        if isinstance(self.screen, ArticleScreen):
            return self.screen.query_one(ArticlePane).view
        return self.preview.view

    def action_open_url(self) -> None:
        view = self._current_article_view()
        if view is None or not view.article.url:
            self.notify("The selected article has no URL.", severity="warning")
            return
        url = view.article.url
        self.run_worker(partial(self._open_browser, url), thread=True, group="browser")

    def _open_browser(self, url: str) -> None:
        opened = webbrowser.open(url)
        if not opened:
            self.call_from_thread(self.notify, f"No web browser found for {url}", severity="warning")

    def action_open_pager(self) -> None:
        view = self._current_article_view()
        if view is None:
            self.notify("No article selected.", severity="warning")
            return
        a = view.article
        text = "\n".join(p for p in (a.title, " · ".join(x for x in (a.date, a.source, a.url) if x), "", a.body))
        command = shlex.split(os.environ.get("PAGER") or "less -R") or ["less"]
        try:
            with self.suspend():
                subprocess.run(command, input=text.encode("utf-8"), check=False)
        except Exception as exc:  # SuspendNotSupported, a missing pager: report, never crash
            self.notify(f"Cannot run the pager: {exc}", severity="error")

    def action_copy_quote(self) -> None:
        hit = self.quote_list.current if self.view == "quotes" else None
        text = attribution(hit) if hit is not None else self._quote_at_match()
        if not text:
            self.notify("Select a quote first (ctrl+t shows quotes).", severity="warning")
            return
        self.copy_to_clipboard(text)
        self.notify(text, title="Copied")

    def _quote_at_match(self) -> str | None:
        """In the articles view: the quote around the current match of the preview."""
        view = self._current_article_view()
        pane = self.preview
        if view is None or pane.current is None or not view.body_spans:
            return None
        span = sorted(view.body_spans, key=lambda s: s.start)[pane.current]
        for q in view.article.quotes:
            if q.start <= span.start < q.end:
                where = ", ".join(p for p in (view.article.title, view.article.date) if p)
                return f"{shown_quote(q.text, q.kind)} — {q.speaker or 'unknown speaker'} ({where})"
        return None

    # -- the index on disk ----------------------------------------------------------------------------------

    def _poll_tick(self) -> None:
        self._poll()
        if self._untidy and time.monotonic() - self._last_key >= TIDY_PAUSE_SECONDS:
            self.tidy_memory()

    def tidy_memory(self) -> None:
        """Collect garbage now, then freeze what is left (``gc.freeze``), so the collector leaves it alone.

        Python's full collections walk every object of the app and of the open index: 50-60 ms each on the full
        corpus, about one every dozen keystrokes, each landing on a keystroke. Frozen objects are skipped; the
        next pause in typing collects whatever became garbage among them.
        """
        self._untidy = False
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    @work(exclusive=True, group="poll")
    async def _poll(self) -> None:
        await self.check_index()

    async def check_index(self) -> bool:
        """Whether the index on disk changed since it was opened; the first time, tell the user."""
        if self.generation is None or self._indexing:
            return False
        try:
            generation = await self.backend.call_index(lambda ix: ix.generation())
        except Exception:  # a rebuild in the middle of its swap: look again next time
            return False
        if generation == self.generation:
            return False
        if not self.index_changed:
            self.index_changed = True
            self.notify("The index changed on disk. Press ctrl+r to reload it.", title="Index updated", timeout=30)
        return True

    def watch_index_changed(self, changed: bool) -> None:
        self.status.show_index(self.index_state, "index changed: ctrl+r reloads" if changed else "")
        self._sync_bindings()

    def action_reload(self) -> None:
        self._reload()

    @work(exclusive=True, group="index")
    async def _reload(self) -> None:
        try:
            await self.backend.reload()
            self.generation = await self.backend.call_index(lambda ix: ix.generation())
        except SearchnewsError as exc:
            self.notify(str(exc), title="Cannot reload the index", severity="error")
            return
        await self._warm()
        self.index_changed = False
        self._load_stats()
        self._preview_key = None
        self._speakers_for = None
        self._requested = self._shown_key = None
        self.request_search(self.search_box.value, immediate=True)
        self.notify("Index reloaded.", timeout=3)

    def action_index(self, rebuild: bool) -> None:
        if self._indexing:
            self.notify("The index is already being written.", severity="warning")
            return
        self._indexing = True
        self.status.show_progress(0, 0, "rebuilding" if rebuild else "updating")
        self._index_worker(rebuild)

    @work(thread=True, exclusive=True, group="indexing")
    def _index_worker(self, rebuild: bool) -> None:
        # The writer pulls in ingest and the quote extractor: import it only when asked to write.
        from searchnews.config import default_jobs
        from searchnews.engine.searcher import NewsIndex
        from searchnews.engine.store import IndexStore
        from searchnews.indexing import Progress, index_paths

        verb = "rebuilding" if rebuild else "updating"

        def progress(p: Progress) -> None:
            self.call_from_thread(self.status.show_progress, p.files_done, p.files_total, verb)

        try:
            paths: list[str] | None = None  # the sources the index records
            if not IndexStore(self.index_dir).sources():  # an index from before sources were recorded
                with NewsIndex(self.index_dir).searcher() as s:
                    paths = [p for p in s.source_paths() if Path(p).exists()]
                if not paths:
                    raise SearchnewsError("none of the indexed files exist here to read again")
            summary = index_paths(
                self.index_dir, paths, rebuild=rebuild, prune=not rebuild, jobs=default_jobs(), on_progress=progress
            )
        except Exception as exc:
            self.call_from_thread(self._index_finished, f"{verb} failed: {exc}", True)
            return
        message = (
            f"{summary.indexed} indexed, {summary.unchanged} unchanged, {summary.removed} removed, "
            f"{len(summary.failed)} failed: {summary.articles:,} articles, {summary.quotes:,} quotes"
        )
        self.call_from_thread(self._index_finished, message, False)

    def _index_finished(self, message: str, failed: bool) -> None:
        self._indexing = False
        self.status.hide_progress()
        self.notify(message, title="Index", severity="error" if failed else "information", timeout=10)
        if not failed:
            self._reload()


def run(index_dir: Path, query: str = "", quotes: bool = False) -> None:
    SearchNewsApp(index_dir, query=query, quotes=quotes).run()

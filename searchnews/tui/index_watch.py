"""The app's side of the index on disk: opening it, its statistics, noticing a newer generation, reloading,
and updating or rebuilding it in a thread. Every answer arrives as a typed message (``messages.py``)."""

from __future__ import annotations

import gc
from functools import partial
from pathlib import Path

from textual import on, work
from textual.reactive import reactive

from searchnews.errors import SearchnewsError
from searchnews.tui import messages as msg
from searchnews.tui.article_actions import ArticleActionsApp
from searchnews.tui.backend import IndexState, SearchBackend
from searchnews.tui.indexer import write_index
from searchnews.tui.session import SearchSession
from searchnews.tui.status import StatusLine

# Memory is tidied (a full garbage collection, then what is left frozen) once typing has paused this long.
TIDY_PAUSE_SECONDS = 1.0


class IndexWatchApp(ArticleActionsApp):
    """Keeps the index open, its counts in the status line, and an eye on the disk; the app above searches."""

    index_changed: reactive[bool] = reactive(False, init=False)

    index_dir: Path
    backend: SearchBackend
    session: SearchSession
    index_state: IndexState | None

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def index_ready(self) -> None:
        """The index is open (or open again after a reload): search for what the app shows."""

    def _sync_bindings(self) -> None:
        self.refresh_bindings()

    @work(exclusive=True, group="index")
    async def _open_index(self) -> None:
        try:
            generation = await self.backend.call_index(lambda ix: ix.generation())
        except SearchnewsError as exc:
            self.post_message(msg.IndexFailed(str(exc), "Cannot open the index"))
            return
        await self._warm()
        self.post_message(msg.IndexOpened(generation))

    @on(msg.IndexOpened)
    def _index_opened(self, event: msg.IndexOpened) -> None:
        self.session.index.opened(event.generation)
        self._load_stats()
        self.index_ready()

    @on(msg.IndexFailed)
    def _index_failed(self, event: msg.IndexFailed) -> None:
        self.status.show_text(event.error)
        self.notify(event.error, title=event.title, severity="error", timeout=30)

    async def _warm(self) -> None:
        """Open the searcher before the first keystroke needs it, then tidy memory while nobody types yet."""
        try:
            await self.backend.call(lambda s: s.warm())
            # Each document's date and source, read once per searcher (0.4 s on the 36k corpus): the search lane
            # for the newest articles, the slow lane for the month chart, before anyone types.
            await self.backend.call(lambda s: s.doc_facts())
            await self.backend.call(lambda s: s.doc_facts(), lane="slow")
        except SearchnewsError:
            return  # the first search reports it
        self.tidy_memory()

    @work(exclusive=True, group="stats")
    async def _load_stats(self) -> None:
        """Counts, size and age for the status line: read in the slow lane, never before the first search."""
        try:
            self.post_message(msg.IndexStateLoaded(await self.backend.state()))
        except SearchnewsError:
            return

    @on(msg.IndexStateLoaded)
    def _state_loaded(self, event: msg.IndexStateLoaded) -> None:
        self.index_state = event.state
        self._show_index_state()

    def _show_index_state(self) -> None:
        self.status.show_index(self.index_state, "index changed: ctrl+r reloads" if self.index_changed else "")

    def _poll_tick(self) -> None:
        self._poll()
        if self.session.paused_for(TIDY_PAUSE_SECONDS):
            self.tidy_memory()

    def tidy_memory(self) -> None:
        """Collect garbage now, then freeze what is left (``gc.freeze``), so the collector leaves it alone.

        Python's full collections walk every object of the app and of the open index: 50-60 ms each on the full
        corpus, about one every dozen keystrokes, each landing on a keystroke. Frozen objects are skipped; the
        next pause in typing collects whatever became garbage among them.
        """
        self.session.untidy = False
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    @work(exclusive=True, group="poll")
    async def _poll(self) -> None:
        await self.check_index()

    async def check_index(self) -> bool:
        """Whether the index on disk changed since it was opened; the first time, the app tells the user."""
        opened = self.session.index.generation
        if opened is None or self.session.index.writing:
            return False
        try:
            generation = await self.backend.call_index(lambda ix: ix.generation())
        except Exception:  # a rebuild in the middle of its swap: look again next time
            return False
        if generation == opened:
            return False
        self.post_message(msg.IndexChanged(generation))
        return True

    @on(msg.IndexChanged)
    def _index_changed(self, event: msg.IndexChanged) -> None:
        if self.session.index.seen(event.generation):
            self.index_changed = True
            self.notify("The index changed on disk. Press ctrl+r to reload it.", title="Index updated", timeout=30)

    def watch_index_changed(self, changed: bool) -> None:
        self._show_index_state()
        self._sync_bindings()

    def action_reload(self) -> None:
        self._reload()

    @work(exclusive=True, group="index")
    async def _reload(self) -> None:
        try:
            await self.backend.reload()
            generation = await self.backend.call_index(lambda ix: ix.generation())
        except SearchnewsError as exc:
            self.post_message(msg.IndexFailed(str(exc), "Cannot reload the index"))
            return
        await self._warm()
        self.post_message(msg.IndexReloaded(generation))

    @on(msg.IndexReloaded)
    def _index_reloaded(self, event: msg.IndexReloaded) -> None:
        self.session.index.opened(event.generation)
        self.index_changed = False
        self._load_stats()
        self.session.forget_results()
        self.index_ready()
        self.notify("Index reloaded.", timeout=3)

    def action_index(self, rebuild: bool) -> None:
        if self.session.index.writing:
            self.notify("The index is already being written.", severity="warning")
            return
        verb = "rebuilding" if rebuild else "updating"
        self.session.index.writing = verb
        self.status.show_progress(0, 0, verb)
        self.run_worker(
            partial(write_index, self.index_dir, rebuild, self.post_message),
            thread=True,
            exclusive=True,
            group="indexing",
        )

    @on(msg.IndexProgress)
    def _index_progress(self, event: msg.IndexProgress) -> None:
        if self.session.index.writing:
            self.status.show_progress(event.done, event.total, event.verb)

    @on(msg.IndexUpdated)
    def _index_updated(self, event: msg.IndexUpdated) -> None:
        verb, self.session.index.writing = self.session.index.writing, None
        self.status.hide_progress(f"{verb} failed" if event.failed else "")
        self.notify(event.summary, title="Index", severity="error" if event.failed else "information", timeout=10)
        if not event.failed:
            self._reload()

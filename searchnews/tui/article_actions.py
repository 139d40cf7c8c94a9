"""What the app does with the article, quote or speaker in view: open its URL or the pager, copy a quote, open the
speaker's page."""

from __future__ import annotations

import os
import shlex
import subprocess
import webbrowser
from functools import partial

from textual import on, work
from textual.app import App

from searchnews.model import shown_quote
from searchnews.tui import messages as msg
from searchnews.tui.backend import ArticleView, SearchBackend, Stale
from searchnews.tui.preview import ArticlePane, ArticleScreen
from searchnews.tui.quotes import QuoteList, SpeakerList, SpeakerPageWanted, attribution
from searchnews.tui.speaker_page import SpeakerScreen


class ArticleActionsApp(App[None]):
    """The actions on the article in view (the preview's, or the full-screen reader's) and on speakers."""

    backend: SearchBackend

    def _current_pane(self) -> ArticlePane:
        if isinstance(self.screen, ArticleScreen):
            return self.screen.query_one(ArticlePane)
        return self.query_one("#preview", ArticlePane)

    def _current_article_view(self) -> ArticleView | None:
        return self._current_pane().view

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
        hit = self.query_one(QuoteList).current if self._quotes_shown() else None
        text = attribution(hit) if hit is not None else self._quote_at_match()
        if not text:
            self.notify("Select a quote first (ctrl+t shows quotes).", severity="warning")
            return
        self.copy_to_clipboard(text)
        self.notify(text, title="Copied")

    def _quotes_shown(self) -> bool:
        return False  # the app says when its quote view is the one shown

    def _quote_at_match(self) -> str | None:
        """In the articles view: the quote around the current match of the preview."""
        pane = self._current_pane()
        view = pane.view
        if view is None or pane.current is None or not view.body_spans:
            return None
        span = sorted(view.body_spans, key=lambda s: s.start)[pane.current]
        for q in view.article.quotes:
            if q.start <= span.start < q.end:
                where = ", ".join(p for p in (view.article.title, view.article.date) if p)
                return f"{shown_quote(q.text, q.kind)} — {q.speaker or 'unknown speaker'} ({where})"
        return None

    # -- speaker pages --------------------------------------------------------------------------------------

    def action_speaker_page(self) -> None:
        """The page of the speaker selected in the speaker list, else of the selected quote's speaker."""
        speakers = self.query_one(SpeakerList)
        index = speakers.highlighted
        if self.focused is speakers and index and index <= len(speakers.speakers):
            self.open_speaker_page(speakers.speakers[index - 1].name)
            return
        hit = self.query_one(QuoteList).current if self._quotes_shown() else None
        if hit is None or not hit.speaker:
            self.notify("Select a speaker or a quote first (ctrl+t shows quotes).", severity="warning")
            return
        self.open_speaker_page(hit.speaker)

    @on(SpeakerPageWanted)
    def _speaker_page_wanted(self, event: SpeakerPageWanted) -> None:
        self.open_speaker_page(event.speaker)

    @work(exclusive=True, group="speaker-page")
    async def open_speaker_page(self, name: str) -> None:
        try:
            page = await self.backend.call(lambda s: s.speaker_page(name), lane="slow", key="speaker-page")
        except Stale:
            return
        except Exception as exc:  # an engine failure: say so, keep the app
            self.notify(f"Cannot read the page of {name}: {exc}", severity="error")
            return
        self.post_message(msg.SpeakerPageLoaded(name, page))

    @on(msg.SpeakerPageLoaded)
    def _speaker_page_loaded(self, event: msg.SpeakerPageLoaded) -> None:
        if event.page is None:
            self.notify(f"No speaker page for {event.name}: a description, not a person or organisation.")
            return
        self.push_screen(SpeakerScreen(event.page))

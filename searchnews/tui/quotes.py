"""The quote view's lists: quotes (speaker, quote with matches highlighted, headline and date) and speakers."""

from __future__ import annotations

from textual import events, on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from searchnews.engine.searcher import SpeakerCount
from searchnews.model import QuoteHit, QuoteProvenance, quote_marks, shown_quote
from searchnews.tui.hit_list import HitList, HitMessage, TypedAhead, typed_ahead
from searchnews.tui.text import META_STYLE, QUOTE_STYLE, SPEAKER_STYLE, Lines, clip, highlighted, wrap

QUOTE_LINES = 3


def quote_prompt(hit: QuoteHit, width: int) -> Lines:
    """One quote as shown: the speaker (and cue), the quote in up to three lines, then date and headline."""
    speaker = Content(hit.speaker or "(unknown speaker)").stylize(SPEAKER_STYLE)
    if hit.cue:
        speaker = speaker + Content(f" {hit.cue}").stylize(META_STYLE)
    text = highlighted(hit.text, hit.text_spans).stylize_before(QUOTE_STYLE)
    first = hit.text_spans[0].start if hit.text_spans else 0
    opening, closing = quote_marks(hit.kind)
    text = Content(opening) + clip(text, max(40, width * QUOTE_LINES - 2), around=first) + Content(closing)
    source = " · ".join(p for p in (hit.date, hit.headline) if p)
    lines = [speaker, *wrap(text, width, QUOTE_LINES), Content(source).stylize(META_STYLE)]
    reported = provenance_line(hit.provenance)
    if reported:
        lines.append(Content(reported).stylize(PROVENANCE_STYLE))
    return Lines(lines)


PROVENANCE_STYLE = "italic $text-secondary"


def provenance_line(p: QuoteProvenance | None) -> str:
    """ "first reported 2017-03-01 by Reuters · in 3 articles from 2 sources", for a quote carried more than once."""
    return p.reported() if p is not None else ""


def attribution(hit: QuoteHit) -> str:
    """A quote as one pastes it: the words, who said them, where and when."""
    where = ", ".join(p for p in (hit.headline, hit.date) if p)
    return f"{shown_quote(hit.text, hit.kind)} — {hit.speaker or 'unknown speaker'}" + (f" ({where})" if where else "")


class SpeakerPageWanted(Message):
    """→ on a speaker or a quote: open that speaker's page."""

    def __init__(self, speaker: str) -> None:
        self.speaker = speaker
        super().__init__()


class QuoteList(HitList[QuoteHit]):
    BINDINGS = [  # noqa: RUF012
        Binding("enter", "select", "Open article", show=True),
        Binding("right", "speaker_page", "Speaker page", show=True),
    ]

    def action_speaker_page(self) -> None:
        if self.current is not None and self.current.speaker:
            self.post_message(SpeakerPageWanted(self.current.speaker))

    class QuoteHighlighted(HitMessage[QuoteHit]):
        """The cursor is on a quote (None: no quotes)."""

    class QuoteChosen(HitMessage[QuoteHit]):
        """Enter or a click on a quote."""

    highlighted_message = QuoteHighlighted
    chosen_message = QuoteChosen

    def prompt(self, hit: QuoteHit, width: int) -> Lines:
        return quote_prompt(hit, width)


ALL_SPEAKERS = "*"


class SpeakerList(OptionList):
    """Speakers of the current query with their quote counts; choosing one narrows the quotes to them."""

    BINDINGS = [  # noqa: RUF012
        Binding("enter", "select", "Only this speaker", show=True),
        Binding("right", "speaker_page", "Speaker page", show=True),
    ]

    def action_speaker_page(self) -> None:
        index = self.highlighted
        if index is not None and 0 < index <= len(self.speakers):
            self.post_message(SpeakerPageWanted(self.speakers[index - 1].name))

    class SpeakerChosen(Message):
        def __init__(self, speaker: str | None) -> None:
            self.speaker = speaker  # None: every speaker
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.speakers: list[SpeakerCount] = []
        self.chosen: str | None = None
        self.total = 0
        self.capped = False
        self._width = 0

    def show(
        self, speakers: list[SpeakerCount], chosen: str | None, total: int | None = None, capped: bool = False
    ) -> None:
        """The speakers with their counts; "All speakers" counts ``total`` quotes (default: the sum)."""
        self.speakers = list(speakers)
        self.chosen = chosen
        self.total = sum(s.count for s in speakers) if total is None else total
        self.capped = capped
        self._render_labels()
        index = 0
        if chosen is not None:
            index = next((n + 1 for n, s in enumerate(self.speakers) if s.name == chosen), 0)
        self.highlighted = index

    def _render_labels(self) -> None:
        width = self._width = self.scrollable_content_region.width or 24
        options = [
            Option(self._label("All speakers", self.total, self.chosen is None, width, self.capped), id=ALL_SPEAKERS)
        ]
        options.extend(
            Option(self._label(s.name, s.count, s.name == self.chosen, width), id=f"s{n}")
            for n, s in enumerate(self.speakers)
        )
        keep = self.highlighted
        self.set_options(options)
        if keep is not None and options:
            self.highlighted = min(keep, len(options) - 1)

    def on_resize(self) -> None:
        # Labels are cut to the width: cut them again, or a narrower list wraps the counts onto a line of their own.
        if self.option_count and self.scrollable_content_region.width != self._width:
            self._render_labels()

    @staticmethod
    def _label(name: str, count: int, chosen: bool, width: int, more: bool = False) -> Lines:
        """One line a speaker: the name cut to fit with an ellipsis, the count at the right edge, never wrapped."""
        mark = Content("● " if chosen else "  ").stylize("$text-accent")
        tail = f" {count:,}{'+' if more else ''}"
        room = max(4, width - len(tail) - 2)
        if len(name) > room:
            name = name[: room - 1].rstrip() + "…"
        label = Content(name).stylize("bold" if chosen else "")
        gap = Content(" " * max(0, width - 2 - len(name) - len(tail)))
        return Lines([mark + label + gap + Content(tail).stylize(META_STYLE)])

    def on_key(self, event: events.Key) -> None:
        if typed_ahead(event):  # letters go to the query, as in the other lists
            event.stop()
            event.prevent_default()
            self.post_message(TypedAhead(event.character or ""))

    def choose(self, index: int) -> None:
        speaker = None if index == 0 else self.speakers[index - 1].name
        self.post_message(self.SpeakerChosen(speaker))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option_index)

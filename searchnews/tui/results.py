"""The article results: headline, date and source, speakers, and a snippet with the query's matches highlighted."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content

from searchnews.model import Hit
from searchnews.tui.hit_list import HitList, HitMessage
from searchnews.tui.text import META_STYLE, SPEAKER_STYLE, Lines, clip, highlighted, wrap

SNIPPET_LINES = 2  # snippet lines per result, so a screen shows several results
TITLE_LINES = 2


def hit_prompt(hit: Hit, width: int) -> Lines:
    """One result as shown: the headline (up to two lines), a meta line, then the snippet in up to two lines,
    each cut to ``width``."""
    title = highlighted(hit.headline or "(no headline)", hit.headline_spans).stylize("bold")
    meta = [part for part in (hit.date, hit.source) if part]
    meta_line = Content(" · ".join(meta) or "undated").stylize(META_STYLE)
    if hit.speakers:
        names = ", ".join(hit.speakers[:3]) + (f" +{len(hit.speakers) - 3}" if len(hit.speakers) > 3 else "")
        meta_line = meta_line + Content(" · ").stylize(META_STYLE) + Content(names).stylize(SPEAKER_STYLE)
    snippet = highlighted(hit.snippet, hit.snippet_spans)
    first = hit.snippet_spans[0].start if hit.snippet_spans else 0
    snippet = clip(snippet, max(40, width * SNIPPET_LINES), around=first)
    return Lines([*wrap(title, width, TITLE_LINES), meta_line, *wrap(snippet, width, SNIPPET_LINES)])


class ResultsList(HitList[Hit]):
    """Posts ``ArticleHighlighted`` as the cursor moves and ``ArticleChosen`` on Enter or a click."""

    BINDINGS = [  # noqa: RUF012
        Binding("enter", "select", "Open", show=True),
    ]

    class ArticleHighlighted(HitMessage[Hit]):
        """The cursor is on an article (None: no articles)."""

    class ArticleChosen(HitMessage[Hit]):
        """Enter or a click on an article."""

    highlighted_message = ArticleHighlighted
    chosen_message = ArticleChosen

    def prompt(self, hit: Hit, width: int) -> Lines:
        return hit_prompt(hit, width)

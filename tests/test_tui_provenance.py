"""The TUI's quote groups and speaker pages (issue #13): one quote carried by three articles is one row with its
provenance, the preview lists the articles that carried it, and → opens a speaker's page. Real apps under Pilot
on a real index of invented articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Sparkline, Static
from tui_pilot import make_app, settle

from searchnews.indexing import index_paths
from searchnews.tui.speaker_page import SpeakerScreen
from searchnews.tui.text import Lines

QUOTE = "We will rebuild the harbour wall before the winter storms arrive"
ARTICLES = [
    {
        "id": "first",
        "headline": "Council promises a new harbour wall",
        "date": "2024-01-10",
        "source": "Island Post",
        "body": f'The council met on Monday.\n\n"{QUOTE}," said Ruth Green, the mayor.',
    },
    {
        "id": "second",
        "headline": "Mayor repeats harbour pledge",
        "date": "2024-02-03",
        "source": "City Herald",
        "body": f'At the harbour the mayor spoke again.\n\n"{QUOTE}," said Ruth Green.',
    },
    {
        "id": "third",
        "headline": "Storm season worries harbour traders",
        "date": "2024-03-20",
        "source": "Coast News",
        "body": f'Traders are anxious.\n\n"{QUOTE}," Ruth Green said.\n\n"We cannot wait," said Tom Baker.',
    },
]


pytestmark = pytest.mark.usefixtures("state_home")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("provenance")
    feed = root / "articles.jsonl"
    feed.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    index_paths(root / "index", [feed])
    return root / "index"


async def test_a_repeated_quote_is_one_row_and_the_preview_lists_its_articles(index_dir: Path) -> None:
    app = make_app(index_dir, query="harbour wall", quotes=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        rows = [h for h in app.quote_list.hits if "rebuild the harbour wall" in h.text]
        assert len(rows) == 1  # three articles, one quote
        assert app.speaker_list.total == len(app.quote_list.hits) == sum(s.count for s in app.speaker_list.speakers)
        prompt = app.quote_list.get_option_at_index(0).prompt
        assert isinstance(prompt, Lines)
        assert "first reported 2024-01-10 by Island Post · in 3 articles from 3 sources" in prompt.content.plain
        view = app.preview.view
        assert view is not None and view.reported is not None and view.reported.articles == 3
        text = app.preview.text.content.plain
        assert "This quote was reported in 3 articles:" in text
        lines = text.splitlines()
        at = lines.index("This quote was reported in 3 articles:")
        assert [line[2:12] for line in lines[at + 1 : at + 4]] == ["2024-01-10", "2024-02-03", "2024-03-20"]
        assert "Council promises a new harbour wall" in lines[at + 1]


async def test_right_arrow_opens_the_speaker_page_and_escape_goes_back(index_dir: Path) -> None:
    app = make_app(index_dir, query="harbour", quotes=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        names = [s.name for s in app.speaker_list.speakers]
        assert "Ruth Green" in names
        app.speaker_list.focus()
        await pilot.press(*["down"] * (names.index("Ruth Green") + 1), "right")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SpeakerScreen) and screen.page.speaker == "Ruth Green"
        head = str(screen.query_one("#speaker-head", Static).render())
        assert head.startswith("Ruth Green") and "3 quotes in 3 articles" in head
        assert screen.query_one(Sparkline).data == [1, 1, 1]  # 2024-01, 2024-02, 2024-03
        body = str(screen.query_one("#speaker-body", Static).render())
        assert QUOTE in body and "in 3 articles from 3 sources" in body and "Tom Baker" in body
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SpeakerScreen) and app.focused is app.speaker_list

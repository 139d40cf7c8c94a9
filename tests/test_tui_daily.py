"""The TUI in daily use (issue #16): what it opens on, focus and typing, Enter, speaker counts, the status line,
query history and the month chart. Real Textual apps under Pilot on real Whoosh indexes of invented articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Sparkline
from textual.widgets._toast import Toast, ToastRack
from tui_pilot import make_app, settle, status_text, type_query

from searchnews.engine.store import IndexStore
from searchnews.indexing import index_paths
from searchnews.tui.app import SearchNewsApp
from searchnews.tui.history import QueryHistory, history_path
from searchnews.tui.months import MonthChart
from searchnews.tui.preview import ArticlePane, ArticleScreen
from searchnews.tui.text import Lines

ARTICLES = [
    {
        "id": "ferry",
        "headline": "Ferry fares fall for the winter",
        "date": "2024-01-10",
        "source": "Island Post",
        "body": 'The ferry will sail twice a day.\n\n"Fewer crossings mean lower fares," said Ruth Green.\n\n'
        '"The island needs the ferry," said Ruth Green.',
    },
    {
        "id": "bridge",
        "headline": "Harbour bridge reopens after storm repairs",
        "date": "2024-04-02",
        "source": "City Herald",
        "body": "The harbour bridge opened again on Monday.\n\n"
        'Jane Doe, the city engineer, said: "The bridge is safe for everyone again."\n\n'
        '"We worked through the night on the bridge," said Maximilian Alexander Featherstonehaugh-Worthington.\n\n'
        "Drivers queued at the bridge before dawn.",
    },
    {
        "id": "market",
        "headline": "Harbour market moves indoors",
        "date": "2024-03-15",
        "source": "City Herald",
        "body": "Stalls moved into the old fish hall.\n\n"
        '"The market is warm and dry now," said Jane Doe.\n\n'
        'Tom Baker said the rent was too high. "We pay twice what we paid," said Tom Baker.',
    },
    {
        "id": "undated",
        "headline": "Lighthouse repainted on the point",
        "date": "",
        "source": "City Herald",
        "body": 'The lighthouse got a coat of paint.\n\n"It looks brand new from the water," said Tom Baker.',
    },
]

pytestmark = pytest.mark.usefixtures("state_home")

SIZE = (120, 40)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("daily")
    feed = root / "articles.jsonl"
    feed.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    summary = index_paths(root / "index", [feed])
    assert summary.articles == len(ARTICLES)
    return root / "index"


def chart(app: SearchNewsApp) -> MonthChart:
    return app.query_one(MonthChart)


async def test_opens_on_the_newest_articles_with_their_months(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # no key pressed
        # the dated ones newest first, then the undated
        assert [h.id for h in app.results.hits] == ["bridge", "market", "ferry", "undated"]
        assert app.session.newest and status_text(app) == "4 newest of 4 articles"
        assert app.preview.view is not None and app.preview.view.article.id == "bridge"
        # The chart: every month from the first to the last, the empty one (February) too.
        assert chart(app).display and chart(app).series == [
            ("2024-01", 1),
            ("2024-02", 0),
            ("2024-03", 1),
            ("2024-04", 1),
        ]
        assert app.query_one(Sparkline).data == [1, 0, 1, 1]
        assert "3 dated articles by month, 2024-01 – 2024-04" in chart(app).caption.plain


async def test_an_index_without_dates_opens_on_its_articles(tmp_path: Path) -> None:
    """Plain text files (the seed article among them) carry no date: the list still shows them before a key."""
    texts = tmp_path / "texts"
    texts.mkdir()
    for name, headline in (("a.txt", "Ferry sails at dawn"), ("b.txt", "Bridge closes for repairs")):
        (texts / name).write_text(f"{headline}\n\nThe harbour was busy all week.\n", encoding="utf-8")
    index_paths(tmp_path / "index", [texts], jobs=1)
    app = make_app(tmp_path / "index")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert sorted(h.headline for h in app.results.hits) == ["Bridge closes for repairs", "Ferry sails at dawn"]
        assert status_text(app) == "2 newest of 2 articles"


async def test_the_chart_follows_the_search(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "harbour")
        assert {h.id for h in app.results.hits} == {"bridge", "market"}
        assert chart(app).series == [("2024-03", 1), ("2024-04", 1)]
        assert "2 dated articles" in chart(app).caption.plain
        await pilot.press("ctrl+t")  # the quote view: no chart of articles
        await settle(app, pilot)
        assert chart(app).region.height == 0
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert chart(app).region.height == 2


async def test_opens_on_the_last_search_and_up_walks_the_history(index_dir: Path, state_home: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "ferry")
        await pilot.press("enter")  # used: into the history
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.press("ctrl+a", "ctrl+k")
        await type_query(app, pilot, "lighthouse")
    assert history_path().is_relative_to(state_home)
    assert QueryHistory(history_path()).entries == ["ferry", "lighthouse"]  # the last typed, kept at exit
    again = make_app(index_dir)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.search_box.value == "lighthouse"
        assert [h.id for h in again.results.hits] == ["undated"]
        await pilot.press("ctrl+a", "ctrl+k")
        await settle(again, pilot)
        await pilot.press("up")  # an empty box: ↑ brings back the previous queries
        await settle(again, pilot)
        assert again.search_box.value == "lighthouse"
        await pilot.press("up")
        await settle(again, pilot)
        assert again.search_box.value == "ferry" and [h.id for h in again.results.hits] == ["ferry"]
        await pilot.press("down")
        await settle(again, pilot)
        assert again.search_box.value == "lighthouse"
        await pilot.press("down")  # past the newest: an empty box again
        await settle(again, pilot)
        assert again.search_box.value == ""


async def test_enter_in_the_search_box_opens_the_first_article(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"market", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.query_one("#reader", ArticlePane).view.article.id == "market"


async def test_ctrl_t_in_a_list_keeps_a_focused_list_and_letters_go_to_the_query(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "harbour")
        app.results.focus()
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.view == "quotes" and app.focused is app.quote_list
        assert len(app.quote_list.hits) >= 2 or app.quote_list.hits == ()
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.view == "articles" and app.focused is app.results
        await pilot.press("down")  # the arrows work in the list that has the focus
        await settle(app, pilot)
        assert app.results.highlighted == 1
        await pilot.press("space", "m", "a")  # typed in the list: to the end of the query, as in fzf
        await type_query(app, pilot, "rket")
        assert app.focused is app.search_box.input
        assert app.search_box.value == "harbour market"
        assert [h.id for h in app.results.hits] == ["market"]


async def test_speaker_counts_agree_with_the_quotes_listed(index_dir: Path) -> None:
    app = make_app(index_dir, quotes=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "the")
        listed = app.quote_list.hits
        speakers = app.speaker_list.speakers
        assert speakers and app.speaker_list.total == len(listed) == app.quote_list.result.total
        assert sum(s.count for s in speakers) == len([h for h in listed if h.speaker])
        for s in speakers:  # each speaker's count is what choosing them lists
            app.choose_speaker(s.name)
            await settle(app, pilot)
            assert len(app.quote_list.hits) == s.count, s.name
        app.choose_speaker(None)
        await settle(app, pilot)
        assert len(app.quote_list.hits) == len(listed)


def label_lines(app: SearchNewsApp) -> list[str]:
    lst = app.speaker_list
    out = []
    for n in range(lst.option_count):
        prompt = lst.get_option_at_index(n).prompt
        assert isinstance(prompt, Lines) and len(prompt.lines) == 1  # one line each: a count never wraps
        out.append(prompt.lines[0].plain)
    return out


async def test_long_speaker_names_are_cut_and_counts_stay_on_their_line_after_a_resize(index_dir: Path) -> None:
    app = make_app(index_dir, quotes=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(app, pilot, "bridge")
        width = app.speaker_list.scrollable_content_region.width
        lines = label_lines(app)
        long = next(line for line in lines if "Alexander" in line)  # Alexander Featherstonehaugh-Worthington
        assert "…" in long and long.rstrip().endswith("1") and len(long) <= width
        await pilot.resize_terminal(160, 48)
        await settle(app, pilot)
        wide = app.speaker_list.scrollable_content_region.width
        assert wide != width
        assert all(len(line) <= wide for line in label_lines(app))
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert all(len(line) <= width and line.rstrip()[-1].isdigit() for line in label_lines(app))


async def test_notifications_stay_above_the_status_line(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.notify("A long message that would cover the status line if it sat at the bottom", timeout=30)
        await pilot.pause(0.3)
        toasts = list(app.screen.query_one(ToastRack).query(Toast))
        assert toasts and all(t.region.height > 0 for t in toasts)
        assert max(t.region.bottom for t in toasts) <= app.status.region.y


async def test_a_failed_update_does_not_leave_the_status_updating(index_dir: Path, tmp_path: Path) -> None:
    own = tmp_path / "index"
    feed = tmp_path / "one.jsonl"
    feed.write_text(json.dumps(ARTICLES[0]) + "\n", encoding="utf-8")
    index_paths(own, [feed])
    app = make_app(own)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "ferry")
        assert status_text(app).startswith("1 article ·")
        assert status_text(app, "#status-index").startswith("1 article · 2 quotes ·")  # and size, age: it is wide
        with IndexStore(own).writer_lock():  # another writer holds the index: the update fails at once
            app.action_index(rebuild=False)
            assert "updating" in status_text(app)
            await app.workers.wait_for_complete()
            await settle(app, pilot)
        assert app.session.index.writing is None
        text = status_text(app)
        assert text.startswith("updating failed · 1 article ·")
        assert any(n.severity == "error" and "updating failed" in n.message for n in app._notifications)

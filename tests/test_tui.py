"""The terminal UI, driven as a user drives it: real Textual apps under Pilot on real Whoosh indexes.

The articles are invented for these tests. Searches run with a debounce of 0; each test waits for the app's
workers and then asserts on widget state (the Content the widgets render, the records they hold).
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.content import Content
from tui_pilot import make_app, settle, status_text, type_query

from searchnews.engine.searcher import NewsIndex
from searchnews.indexing import index_paths
from searchnews.tui import app as app_module
from searchnews.tui import index_watch
from searchnews.tui.app import SearchNewsApp
from searchnews.tui.preview import ArticlePane, ArticleScreen
from searchnews.tui.text import CURRENT_MATCH_STYLE, MATCH_STYLE, Lines, wrap

ARTICLES = {
    "bridge.txt": """Harbour bridge reopens after storm repairs

The old harbour bridge opened to traffic again on Monday, three weeks after a storm tore away part of its railings.

Jane Doe, the city engineer, said: "The bridge is safe for everyone again, and we checked every bolt twice."

"We worked through the night to finish the railings," Mr Smith said.

Drivers queued at the bridge before dawn to be the first across.
""",
    "orchard.txt": """Orchard growers warn of a poor apple harvest

Growers in the valley expect a small apple harvest after a late frost.

Maria Lopez, who runs the largest orchard, said: "The frost destroyed half of the blossoms in a single night."

"Prices will rise this winter, there is no doubt," Mr Smith said.
""",
    "cycling.txt": """City council approves new cycling lanes

The council voted for protected cycling lanes on four streets near the harbour.

Jane Doe said: "Cyclists deserve lanes that keep them away from lorries."

The work begins in spring.
""",
    "lighthouse.txt": """Volunteers repaint the lighthouse on the point

The lighthouse on the point got its first coat of paint in twenty years.

"It looks brand new from the water," said Tom Baker.
""",
}

NEW_ARTICLE = """Ferry timetable changes for the winter

The island ferry will sail twice a day from November.

"Fewer crossings mean lower fares," said Ruth Green.
"""

pytestmark = pytest.mark.usefixtures("state_home")

SIZE = (120, 40)


def write_articles(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("tui")
    articles = write_articles(root / "articles", ARTICLES)
    index_dir = root / "index"
    summary = index_paths(index_dir, [articles])
    assert summary.articles == len(ARTICLES)
    return index_dir, articles


@pytest.fixture
def index_dir(built: tuple[Path, Path]) -> Path:
    return built[0]


def styled(content: Content, style: str) -> list[str]:
    """The pieces of ``content`` carrying ``style``."""
    return [content.plain[s.start : s.end] for s in content.spans if s.style == style]


def option_content(option_list, index: int) -> Content:
    prompt = option_list.get_option_at_index(index).prompt
    assert isinstance(prompt, Lines)
    return prompt.content


async def test_typing_shows_highlighted_results(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        assert app.focused is app.search_box.input  # the search box has focus at start
        await type_query(app, pilot, "bridge")
        hits = app.results.hits
        assert [h.headline for h in hits] == ["Harbour bridge reopens after storm repairs"]
        prompt = option_content(app.results, 0)
        assert styled(prompt, MATCH_STYLE)  # highlighted matches in headline and snippet
        assert all(piece.lower() == "bridge" for piece in styled(prompt, MATCH_STYLE))
        assert "Jane Doe" in prompt.plain and "Smith" in prompt.plain  # the article's speakers
        status = str(app.status.query_one("#status-search").content)
        assert status.startswith("1 article ·") and "ms" in status
        # The preview shows the whole article with the matches highlighted.
        assert app.preview.view is not None and app.preview.view.article.id == hits[0].id
        text = app.preview.text.content
        assert isinstance(text, Content)
        assert "Drivers queued at the bridge" in text.plain
        assert [p.lower() for p in styled(text, MATCH_STYLE)].count("bridge") >= 3
        assert "[Jane Doe]" in text.plain  # quotes marked with their speaker


async def test_typing_repaints_the_box_and_the_list_without_a_re_layout(index_dir: Path) -> None:
    # Input and OptionList declare a change of their virtual size (each character, each new set of hits) a
    # layout change: a layout of the whole screen per keystroke, 15 ms on the full corpus.
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "harbou")
        layouts: list[str] = []
        for widget in (app.search_box.input, app.results):
            original = widget.refresh

            def spy(*regions, _original=original, _widget=widget, **kwargs):
                if kwargs.get("layout"):
                    layouts.append(_widget.id or "")
                return _original(*regions, **kwargs)

            widget.refresh = spy
        await type_query(app, pilot, "r cycling")
        assert [h.headline for h in app.results.hits] == ["City council approves new cycling lanes"]
        assert layouts == []
        # The result is drawn from its lines: headline first, cut to the list's width.
        first = "".join(segment.text for segment in app.results.render_line(0))
        assert first.startswith("City council approves")
        assert len(first) <= app.results.scrollable_content_region.width


async def test_memory_is_tidied_before_the_first_key_and_when_typing_pauses(index_dir: Path, monkeypatch) -> None:
    # Python's full collections walk every object of the app and the index (50-60 ms on the full corpus): the
    # app collects and freezes what is left while nobody types, so they do not land on keystrokes.
    monkeypatch.setattr(index_watch, "TIDY_PAUSE_SECONDS", 0.0)
    gc.unfreeze()
    app = SearchNewsApp(index_dir, debounce=0.0, poll_interval=0.05)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert gc.get_freeze_count() > 0  # the searcher is open and memory tidied before the first key
            gc.unfreeze()
            await type_query(app, pilot, "harbour")
            for _ in range(100):
                if gc.get_freeze_count():
                    break
                await pilot.pause(0.02)
            assert gc.get_freeze_count() > 0  # tidied again once typing paused
            assert not app.session.untidy
    finally:
        gc.unfreeze()


async def test_results_update_as_the_query_changes(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "harbour")
        assert len(app.results.hits) == 2
        await type_query(app, pilot, " cycling")
        assert [h.headline for h in app.results.hits] == ["City council approves new cycling lanes"]
        await pilot.press(*["backspace"] * len("harbour cycling"))
        await settle(app, pilot)
        # An empty box shows the newest articles: these have no dates, so all of them, the last indexed first.
        articles = NewsIndex(index_dir).stats().articles
        assert app.session.newest and len(app.results.hits) == articles
        assert app.status.query_one("#status-search").content.plain == f"{articles} newest of {articles} articles"


async def test_arrows_move_and_the_preview_follows(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "smith")
        hits = app.results.hits
        assert len(hits) == 2
        assert app.preview.view.article.id == hits[0].id
        await pilot.press("down")  # in the search box: moves through the results
        await settle(app, pilot)
        assert app.results.highlighted == 1
        assert app.preview.view.article.id == hits[1].id
        await pilot.press("enter")  # the selected article full-screen, as the README says
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.query_one("#reader", ArticlePane).view.article.id == hits[1].id
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.focused is app.search_box.input
        await pilot.press("up")
        await settle(app, pilot)
        assert app.preview.view.article.id == hits[0].id


async def test_reaching_the_end_of_the_results_fetches_more(index_dir: Path, monkeypatch) -> None:

    monkeypatch.setattr(app_module, "RESULT_LIMIT", 1)  # one result a page, so two pages hold "smith"
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "smith")
        first = app.results.hits
        assert len(first) == 1 and app.results.result.total == 2
        await pilot.press("down")  # down from the last hit: the next page comes, and the cursor moves on to it
        await settle(app, pilot)
        assert [h.id for h in app.results.hits][:1] == [first[0].id] and len(app.results.hits) == 2
        assert app.results.highlighted == 1 and app.preview.view.article.id == app.results.hits[1].id
        await pilot.press("down")  # nothing more to fetch: the cursor stays on the last hit
        await settle(app, pilot)
        assert len(app.results.hits) == 2 and app.results.highlighted == 1
        await type_query(app, pilot, " ")  # a new query starts again from one page
        assert len(app.results.hits) == 1


async def test_match_jumps_and_full_screen_reader(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "bridge")
        app.results.focus()
        await settle(app, pilot)
        matches = len(app.preview.matches)
        assert matches >= 3
        assert status_text(app, "#status-match") == f" {matches} matches · "
        await pilot.press("n")
        assert app.preview.current == 0
        await pilot.press("n", "n")
        assert app.preview.current == 2
        await pilot.press("N")
        assert app.preview.current == 1
        assert status_text(app, "#status-match") == f" match 2 of {matches} · "
        assert styled(app.preview.text.content, CURRENT_MATCH_STYLE) == ["bridge"]
        await pilot.press("enter")  # the article full-screen
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        reader = app.screen.query_one("#reader")
        assert "Drivers queued at the bridge" in reader.text.content.plain
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ArticleScreen)
        assert app.results.hits  # back where we were


async def test_quote_view_and_speaker_filter(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "harbour")
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.view == "quotes"
        # No quote says "harbour": the quote view searches quote text. Search for a word quotes use.
        await pilot.press("ctrl+a", "ctrl+k")
        await type_query(app, pilot, "the")
        speakers = {h.speaker for h in app.quote_list.hits}
        assert "Jane Doe" in speakers and any("Smith" in name for name in speakers)
        prompt = option_content(app.quote_list, 0)
        assert [p.lower() for p in styled(prompt, MATCH_STYLE)] and all(
            p.lower() == "the" for p in styled(prompt, MATCH_STYLE)
        )
        names = [s.name for s in app.speaker_list.speakers]
        assert "Jane Doe" in names
        # The preview shows the selected quote in its article.
        first = app.quote_list.hits[0]
        assert app.preview.view.article.id == first.article_id
        assert app.preview.view.focus is not None and app.preview.view.focus.text == first.text
        # Choose Jane Doe in the speaker list: the quotes narrow to hers.
        await pilot.press("ctrl+s")
        assert app.focused is app.speaker_list
        await pilot.press(*["down"] * (names.index("Jane Doe") + 1), "enter")
        await settle(app, pilot)
        assert app.speaker == "Jane Doe"
        assert app.quote_list.hits and {h.speaker for h in app.quote_list.hits} == {"Jane Doe"}
        assert "by Jane Doe" in str(app.status.query_one("#status-search").content)
        # And back to every speaker.
        app.choose_speaker(None)
        await settle(app, pilot)
        assert len({h.speaker for h in app.quote_list.hits}) > 1


async def test_who_in_the_query_and_copy_quote(index_dir: Path) -> None:
    app = make_app(index_dir, query="who:smith", quotes=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.view == "quotes"
        hits = app.quote_list.hits
        assert len(hits) == 2 and len({h.speaker for h in hits}) == 1 and "Smith" in hits[0].speaker
        app.action_copy_quote()
        assert app.clipboard.startswith(f"“{hits[0].text}” — {hits[0].speaker} (")


async def test_zero_hits_offers_a_suggestion(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "lighthuose")
        assert app.results.hits == ()
        assert app.search_box.suggestion == "lighthouse"
        assert "Did you mean lighthouse" in app.search_box.notice.content.plain
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert app.search_box.value == "lighthouse"
        assert [h.headline for h in app.results.hits] == ["Volunteers repaint the lighthouse on the point"]
        assert app.search_box.suggestion is None
        assert "Did you mean" not in app.search_box.notice.content.plain


async def test_bad_query_shows_an_error_and_keeps_the_results(index_dir: Path) -> None:
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "harbour")
        good = app.results.hits
        assert len(good) == 2
        await type_query(app, pilot, ' "unbalanced')
        assert app.search_box.error and "unbalanced quote" in app.search_box.error
        assert app.search_box.notice.has_class("-error")
        assert "unbalanced quote" in app.search_box.notice.content.plain
        assert app.results.hits == good  # the last good results stay
        await pilot.press(*["backspace"] * len(' "unbalanced'))
        await type_query(app, pilot, " (a")
        assert "parentheses" in app.search_box.error
        assert app.results.hits == good
        await pilot.press("ctrl+a", "ctrl+k")
        await type_query(app, pilot, "frost")
        assert app.search_box.error is None and not app.search_box.notice.has_class("-error")
        assert [h.headline for h in app.results.hits] == ["Orchard growers warn of a poor apple harvest"]
        assert app.is_running


async def test_index_change_is_noticed_and_reloaded(built: tuple[Path, Path], tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(built[0], index_dir, symlinks=True)
    articles = write_articles(tmp_path / "articles", ARTICLES)
    index_paths(index_dir, [articles], rebuild=True)
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(app, pilot, "ferry")
        assert app.results.hits == ()
        assert await app.check_index() is False
        (articles / "ferry.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        index_paths(index_dir, [articles], rebuild=True)  # as `searchnews index --rebuild` would, from outside
        assert await app.check_index() is True
        await pilot.pause()
        assert app.index_changed
        assert any("ctrl+r" in n.message for n in app._notifications)
        assert "ctrl+r" in str(app.status.query_one("#status-index").content)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert not app.index_changed
        assert [h.headline for h in app.results.hits] == ["Ferry timetable changes for the winter"]
        assert "5 articles" in str(app.status.query_one("#status-index").content)


async def test_update_from_the_tui_reads_the_recorded_sources(tmp_path: Path) -> None:
    """The palette's "Update the index" reads the folders the index records, new files in them included."""
    articles = write_articles(tmp_path / "articles", ARTICLES)
    index_dir = tmp_path / "index"
    index_paths(index_dir, [articles])
    (articles / "ferry.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        app.action_index(rebuild=False)
        await settle(app, pilot)
        await type_query(app, pilot, "ferry")
        assert [h.headline for h in app.results.hits] == ["Ferry timetable changes for the winter"]


async def test_update_from_the_tui_leaves_out_the_config_files_exclude_patterns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update started in the TUI applies the config file's exclude patterns, as `searchnews index` does."""
    config = tmp_path / "xdg" / "searchnews" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('exclude = ["drafts/"]\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    articles = write_articles(tmp_path / "articles", ARTICLES)
    index_dir = tmp_path / "index"
    index_paths(index_dir, [articles])
    (articles / "drafts").mkdir()
    (articles / "drafts" / "ferry.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        app.action_index(rebuild=False)
        await settle(app, pilot)
        await type_query(app, pilot, "ferry")
        assert not app.results.hits


async def test_command_palette_offers_the_app_actions(index_dir: Path) -> None:
    from searchnews.tui.commands import SearchNewsCommands

    app = make_app(index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        provider = SearchNewsCommands(app.screen)
        names = [hit.text async for hit in provider.discover()]
        assert "Switch to the quotes view" in names
        assert {"Rebuild the index", "Update the index", "Copy the selected quote"} <= set(names)
        found = [hit async for hit in provider.search("rebuild")]
        assert found and found[0].text == "Rebuild the index"


def test_start_up_imports_neither_ingest_nor_the_quote_extractor() -> None:
    code = (
        "import sys, searchnews.tui.app\n"
        "heavy = [m for m in sys.modules if m.startswith(('searchnews.ingest', 'searchnews.quotes', "
        "'searchnews.engine.writer', 'trafilatura', 'spacy'))]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_wrap_breaks_at_spaces_keeps_highlights_and_marks_a_cut() -> None:
    text = "The harbour bridge reopened on Monday after three weeks of storm repairs"
    content = Content(text).stylize(MATCH_STYLE, 4, 11)  # "harbour"
    lines = wrap(content, 20, 2)
    assert [line.plain for line in lines] == ["The harbour bridge", "reopened on Monday …"]
    assert all(len(line.plain) <= 20 for line in lines)
    assert styled(lines[0], MATCH_STYLE) == ["harbour"]
    assert [line.plain for line in wrap(content, 200, 2)] == [text]  # it fits: one line, no ellipsis
    assert [line.plain for line in wrap(Content("x" * 30), 12, 3)] == ["x" * 12, "x" * 12, "x" * 6]
    assert wrap(Content(""), 20, 2) == []


def test_copied_and_listed_quotes_keep_marks_for_direct_speech_only() -> None:
    from searchnews.model import QuoteHit
    from searchnews.tui.quotes import attribution, quote_prompt

    def hit(kind: str, text: str) -> QuoteHit:
        return QuoteHit("Ann Lee", text, kind, "said", "a", "Tolls rise", "2024-05-01", 1.0)

    assert attribution(hit("direct", "We will pay")) == "“We will pay” — Ann Lee (Tolls rise, 2024-05-01)"
    assert attribution(hit("indirect", "the tolls would rise")).startswith("the tolls would rise — Ann Lee")
    mixed = 'the plan would "hurt everyone"'
    assert attribution(hit("mixed", mixed)).startswith(mixed + " — ")
    shown = "\n".join(str(line) for line in quote_prompt(hit("indirect", "the tolls would rise"), 60).lines)
    assert "the tolls would rise" in shown and "“" not in shown

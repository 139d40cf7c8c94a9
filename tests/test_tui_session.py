"""The TUI's search session and query history, without Textual: plain objects, plain asserts."""

from __future__ import annotations

from pathlib import Path

from searchnews.model import SearchResult
from searchnews.tui.history import QueryHistory, history_path
from searchnews.tui.session import IndexOnDisk, SearchSession, match_label, plural, step_match


def result(query: str, total: int = 0) -> SearchResult:
    return SearchResult((), total, 0.01, query)


def test_a_request_is_made_once_per_query_view_and_speaker() -> None:
    s = SearchSession(page_size=5)
    first = s.request("harbour")
    assert first is not None and first.key == ("articles", "harbour", None) and first.limit == 5
    assert s.request("harbour") is None  # already asked for
    s.choose_speaker("Jane Doe")
    again = s.request("harbour")
    assert again is not None and again.speaker == "Jane Doe" and again.seq == first.seq + 1


def test_enter_repeats_a_request_only_until_its_answer_is_shown() -> None:
    s = SearchSession()
    r = s.request("bridge")
    assert r is not None
    assert s.request("bridge", immediate=True) is not None  # Enter before the answer: search at once
    later = s.request("bridge", immediate=True)
    assert later is not None
    assert s.finished(later, result("bridge", 1))
    assert s.request("bridge", immediate=True) is None  # shown: Enter keeps the selection


def test_a_late_answer_never_replaces_a_newer_one() -> None:
    s = SearchSession()
    old = s.request("har")
    new = s.request("harbour")
    assert old is not None and new is not None
    assert not s.finished(old, result("har", 9))
    assert s.shown is None and s.result is None
    assert s.finished(new, result("harbour", 2))
    assert s.shown == ("articles", "harbour", None) and s.shown_query == "harbour" and s.result.total == 2


def test_next_page_only_when_the_list_holds_all_it_asked_for() -> None:
    s = SearchSession(page_size=2)
    r = s.request("smith")
    assert s.next_page(listed=0, cursor=None) is None  # the answer is not shown yet
    s.finished(r, result("smith", 5))
    page = s.next_page(listed=2, cursor=1)
    assert page is not None and page.limit == 4 and page.keep == 2 and page.query == "smith"
    assert s.next_page(listed=2, cursor=1) is None  # the next page is asked for already
    s.finished(page, result("smith", 5))
    assert s.next_page(listed=3, cursor=2) is None  # fewer came than asked for: there is no more
    assert s.request("smith ") is not None and s.limit == 2  # a new query starts from one page


def test_no_next_page_of_the_newest_articles_or_of_quotes() -> None:
    s = SearchSession(page_size=2)
    r = s.request("")
    s.finished(r, result("", 2), newest=True)
    assert s.newest and s.next_page(listed=2, cursor=1) is None
    s.view = "quotes"
    q = s.request("the")
    s.finished(q, result("the", 9))
    assert s.next_page(listed=2, cursor=1) is None


def test_after_a_reload_everything_is_asked_for_again() -> None:
    s = SearchSession()
    r = s.request("x")
    s.finished(r, result("x"))
    s.preview_key, s.speakers_for = ("a", "x", ""), "x"
    s.forget_results()
    assert s.request("x", immediate=True) is not None
    assert s.preview_key is None and s.speakers_for is None


def test_the_first_query_is_the_given_one_else_the_last_used(tmp_path: Path) -> None:
    history = QueryHistory(tmp_path / "h")
    s = SearchSession(history=history)
    assert s.first_query("") == ""
    history.add("oil prices")
    assert s.first_query("") == "oil prices" and s.first_query("bank") == "bank"


def test_the_searched_flag_is_taken_once() -> None:
    s = SearchSession()
    s.finished(s.request("a"), result("a"))
    assert s.take_searched() and not s.take_searched()


def test_index_on_disk_tells_a_new_generation_once() -> None:
    disk = IndexOnDisk()
    assert not disk.seen(("gen-1", 3))  # nothing opened yet
    disk.opened(("gen-1", 3))
    assert not disk.seen(("gen-1", 3))
    assert disk.seen(("gen-1", 4)) and disk.changed
    assert not disk.seen(("gen-2", -1))  # told already
    disk.opened(("gen-2", 1))
    assert not disk.changed


def test_plural_and_match_labels() -> None:
    assert plural(1, "article") == "1 article"
    assert plural(0, "article") == "0 articles"
    assert plural(1200, "quote", more=True) == "1,200+ quotes"
    assert plural(2, "match", nouns="matches") == "2 matches"
    assert match_label(None, 17) == "17 matches" and match_label(2, 17) == "match 3 of 17"
    assert match_label(0, 1) == "match 1 of 1" and match_label(None, 1) == "1 match" and match_label(None, 0) == ""


def test_match_steps_wrap_round() -> None:
    assert step_match(None, 3, 1) == 0 and step_match(None, 3, -1) == 2
    assert step_match(2, 3, 1) == 0 and step_match(0, 3, -1) == 2
    assert step_match(None, 0, 1) is None


def test_history_walks_like_a_shell_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state" / "searchnews" / "history"
    h = QueryHistory(path)
    for q in ("oil", "bank  rates", "", "oil"):
        h.add(q)
    assert h.entries == ["bank rates", "oil"]  # spaces folded, empty dropped, a repeat moves up
    assert h.older() == "oil" and h.older() == "bank rates" and h.older() is None
    assert h.newer() == "oil" and h.newer() == "" and not h.walking
    assert h.newer() is None
    again = QueryHistory(path)
    assert again.entries == ["bank rates", "oil"] and again.last == "oil"


def test_history_is_bounded_and_never_fails(tmp_path: Path) -> None:
    path = tmp_path / "history"
    h = QueryHistory(path, limit=3)
    for n in range(10):
        h.add(f"q{n}")
    assert h.entries == ["q7", "q8", "q9"]
    assert path.read_text(encoding="utf-8").splitlines() == ["q7", "q8", "q9"]
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    unwritable = QueryHistory(blocked / "history")  # its folder is a file: nothing read, nothing saved, no error
    unwritable.add("x")
    assert unwritable.entries == ["x"]


def test_history_path_follows_xdg(tmp_path: Path) -> None:
    assert history_path({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "searchnews" / "history"
    assert history_path({"XDG_STATE_HOME": "relative"}) == Path.home() / ".local/state/searchnews/history"
    assert history_path({}) == Path.home() / ".local/state/searchnews/history"


def test_the_newest_articles_are_kept_until_a_reload() -> None:
    s = SearchSession(page_size=2)
    r = s.request("")
    assert r is not None and r.newest and s.cached_newest(r) is None
    newest = result("date:>=1000", 5)
    s.keep_newest(r, newest)
    again = s.request("x")
    assert again is not None and not again.newest and s.cached_newest(again) is None
    back = s.request("")
    assert s.cached_newest(back) is newest
    s.forget_results()
    assert s.cached_newest(s.request("", immediate=True)) is None

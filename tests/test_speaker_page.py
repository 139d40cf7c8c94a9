"""The speaker page (issue #13): names, kind, roles, counts, timeline, most reported quotes, speakers beside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchnews.engine.searcher import open_index
from searchnews.engine.speaker_page import timeline
from searchnews.indexing import index_paths
from searchnews.model import MonthCount

BRIDGES = "We will rebuild every bridge in this valley before the winter comes, and nobody will be left behind."
SCHOOLS = "Every school in the district will have a nurse by the autumn, and the money is already there."
ROADS = "The roads in the north have waited far too long for the repairs that we promised them last year."
TAXES = "Taxes in this town will not rise this year, whatever the council decides to do about it."


def story(aid: str, date: str, source: str, *paragraphs: str) -> dict[str, str]:
    return {"id": aid, "headline": f"Story {aid}", "date": date, "source": source, "body": "\n\n".join(paragraphs)}


ARTICLES = [
    story("j1", "2024-01-03", "Wire", f'Governor Ana Ruiz said: "{BRIDGES}"', f'Mayor Tom Lee said: "{TAXES}"'),
    story("j2", "2024-01-09", "Valley Post", f'Governor Ana Ruiz said: "{BRIDGES}"', f'Mayor Tom Lee said: "{TAXES}"'),
    story(
        "j3",
        "2024-01-20",
        "The Herald",
        "Ana Ruiz visited the town hall on Friday.",
        f'"{SCHOOLS}" Ms. Ruiz said.',
        f'Governor Ana Ruiz said: "{BRIDGES}"',
    ),
    story("m1", "2024-03-02", "The Herald", f'Ana Ruiz, the state governor, said: "{ROADS}"'),
    story("x1", "2024-03-04", "Wire", f'Mayor Tom Lee said: "{TAXES}"'),
]


@pytest.fixture
def searcher(tmp_path: Path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    summary = index_paths(tmp_path / "ix", [feed], jobs=1)
    assert not summary.failed
    with open_index(tmp_path / "ix").searcher() as s:
        yield s


def test_speaker_page_figures(searcher) -> None:
    page = searcher.speaker_page("ruiz")
    assert page is not None
    assert page.speaker == "Ana Ruiz" and page.kind == "person"
    assert "Ana Ruiz" in page.names
    assert page.quotes == 5 and page.articles == 4
    assert page.timeline == (MonthCount("2024-01", 4), MonthCount("2024-02", 0), MonthCount("2024-03", 1))
    assert page.roles and page.roles[0] == "Governor"
    top = page.top_quotes[0]
    assert top.text == BRIDGES
    assert (top.provenance.articles, top.provenance.first_seen.article_id) == (3, "j1")
    assert [q.provenance.articles for q in page.top_quotes] == [3, 1, 1]  # each quote once, most reported first
    assert [(s.name, s.count) for s in page.quoted_with] == [("Tom Lee", 2)]


def test_a_name_nobody_goes_by_has_no_page(searcher) -> None:
    assert searcher.speaker_page("Nobody Atall") is None


def test_timeline_runs_from_the_first_to_the_last_month_across_a_year() -> None:
    months = timeline(["2023-11-30", "2024-02-01", "", "2024-02-11"])
    assert [(m.month, m.quotes) for m in months] == [("2023-11", 1), ("2023-12", 0), ("2024-01", 0), ("2024-02", 2)]
    assert timeline(["", ""]) == ()

"""The speaker page (issue #13): names, kind, roles, counts, timeline, most reported quotes, speakers beside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from searchnews.cli import app
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
def root(tmp_path: Path) -> Path:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    summary = index_paths(tmp_path / "ix", [feed], jobs=1)
    assert not summary.failed
    return tmp_path / "ix"


@pytest.fixture
def searcher(root: Path):
    with open_index(root).searcher() as s:
        yield s


def cli(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


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


def test_speaker_command_json_and_text(root: Path) -> None:
    page = json.loads(cli("speaker", "Ms. Ruiz", "--index", root, "--json").stdout)
    assert set(page) == {"speaker", "kind", "names", "roles", "quotes", "articles", "timeline", "top_quotes",
                         "quoted_with"}  # fmt: skip
    assert (page["speaker"], page["quotes"], page["articles"]) == ("Ana Ruiz", 5, 4)
    assert page["timeline"][1] == {"month": "2024-02", "quotes": 0}
    assert page["top_quotes"][0]["first_seen"] == {"date": "2024-01-03", "source": "Wire", "article_id": "j1"}
    assert page["top_quotes"][0]["articles"] == 3
    assert page["quoted_with"] == [{"speaker": "Tom Lee", "articles": 2}]
    text = cli("speaker", "ruiz", "--index", root).stdout
    assert "5 quotes in 4 articles" in text and "2024-01 █ ▂ 2024-03" in text
    assert "first reported 2024-01-03 by Wire · in 3 articles from 3 sources" in text
    missing = cli("speaker", "Nobody Atall", "--index", root)
    assert missing.exit_code == 2 and "Nobody Atall" in missing.output


def test_who_and_quotes_list_a_repeated_quote_once_and_every_occurrence_on_request(root: Path) -> None:
    text = cli("quotes", "bridge", "--index", root).stdout
    assert text.count("rebuild every bridge") == 1
    assert "first reported 2024-01-03 by Wire · in 3 articles from 3 sources" in text
    every = cli("who", "rebuild every bridge in this valley", "--index", root, "--all-occurrences").stdout
    assert "2024-01-03 · Wire · Story j1 · j1" in every and "2024-01-20 · The Herald · Story j3 · j3" in every
    rows = json.loads(cli("quotes", "bridge", "--index", root, "--json", "-a").stdout)
    assert [o["article_id"] for o in rows[0]["occurrences"]] == ["j1", "j2", "j3"]
    assert rows[0]["sources"] == ["The Herald", "Valley Post", "Wire"]


def test_csv_gives_the_first_seen_its_own_columns(root: Path) -> None:
    """A spreadsheet sorts and filters on columns: first_seen is three of them, its sources one cell."""
    import csv
    import io

    table = list(csv.DictReader(io.StringIO(cli("quotes", "bridge", "--index", root, "--format", "csv").stdout)))
    row = next(r for r in table if "rebuild every bridge" in r["text"])
    assert {k: row[k] for k in ("first_seen.date", "first_seen.source", "first_seen.article_id")} == {
        "first_seen.date": "2024-01-03",
        "first_seen.source": "Wire",
        "first_seen.article_id": "j1",
    }
    assert row["articles"] == "3" and row["sources"] == "The Herald; Valley Post; Wire"
    assert "first_seen" not in row

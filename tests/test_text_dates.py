""".txt articles get their date from where text dumps carry one: the top of the text or the file name; never
from a date the story merely mentions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from searchnews.engine import open_index
from searchnews.indexing import index_paths
from searchnews.ingest import read_path
from searchnews.ingest.datelines import name_date, text_date
from searchnews.model import Article

STORY = "The council voted on Tuesday to rebuild the harbour wall."


@pytest.mark.parametrize(
    ("top", "day"),
    [
        ("Published: 24 October 2016", "2016-10-24"),
        ("Published on Oct. 24, 2016 at 10:30 BST", "2016-10-24"),
        ("Posted on October 24, 2016 at 9:15 am", "2016-10-24"),
        ("First published on Monday 24 October 2016 10.30 BST", "2016-10-24"),
        ("Date: 2016-10-24", "2016-10-24"),
        ("Monday 24 October 2016", "2016-10-24"),  # a date line right under the headline
        ("2016-10-24T10:00:00Z", "2016-10-24"),
        ("By Jane Doe | October 24, 2016", "2016-10-24"),
        ("By Jane Doe, 24 Oct 2016", "2016-10-24"),
    ],
)
def test_a_date_line_at_the_top(top: str, day: str) -> None:
    assert text_date(f"{top}\n\n{STORY}").date == day


@pytest.mark.parametrize(
    ("opening", "day"),
    [
        ("LONDON, 24 October 2016 (Reuters) - The council voted.", "2016-10-24"),
        ("WASHINGTON, Oct. 24, 2016 — The council voted.", "2016-10-24"),
        ("New Delhi, October 24 2016: The council voted.", "2016-10-24"),
        ("LONDON (Reuters) - The council voted.", ""),  # no date in the dateline
    ],
)
def test_a_dateline_opening_the_first_paragraph(opening: str, day: str) -> None:
    assert text_date(opening + " More follows.\n\nSecond paragraph.").date == day


@pytest.mark.parametrize(
    "text",
    [
        "The council met on 3 May 2015 to discuss the budget.\n\nPublished: 24 October 2016",  # too far down
        "The report was published on 24 October 2016 by the ministry.",  # a sentence of the story
        "Published in 2016, the report found the harbour wall unsafe.",
        "Residents recall the storm of 12 January 2015.\n\nIt destroyed the wall.",
        "24/10/2016\n\nText.",  # day and month in an ambiguous order: not guessed
        "Published: 24 October 1066\n\nThe battle.",  # no news article of that year
    ],
)
def test_no_date_taken_from_the_story(text: str) -> None:
    assert text_date(text).date == ""


def test_published_beats_updated_and_updated_is_the_last_resort() -> None:
    both = text_date("Updated 25 October 2016 12:00\nPublished 24 October 2016 09:00\n\nText.")
    assert (both.date, both.updated) == ("2016-10-24", "2016-10-25")
    only = text_date("Last updated: Tuesday, 25 October 2016, 12:34pm\n\nText.")
    assert (only.date, only.updated) == ("", "2016-10-25")


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("dumps/nyt_2016-10-24_slug.txt", ("2016-10-24", "nyt")),
        ("bbc_20161024_budget-row.txt.gz", ("2016-10-24", "bbc")),
        ("20161024-slug.txt", ("2016-10-24", "")),
        ("2016-10-24_slug.txt", ("2016-10-24", "")),
        ("harbour-wall-2016-10-24.txt", ("2016-10-24", "")),  # a dated slug: no source from its first word
        ("brexit_2016-10-24.txt", ("2016-10-24", "")),  # nothing after the date: not the plain shape
        ("archive/2016/10/24/harbour.txt", ("2016-10-24", "")),
        ("000_ed251e8534f4e119.txt", ("", "")),
        ("report_2016-13-45_x.txt", ("", "")),  # not a date
        ("12345678-notes.txt", ("", "")),
    ],
)
def test_date_and_source_from_the_file_name(name: str, found: tuple[str, str]) -> None:
    assert name_date(name) == found


def _read(path: Path) -> Article:
    (article,) = list(read_path(path))
    assert isinstance(article, Article), article
    return article


def test_txt_files_get_their_date_and_the_label_lines_leave_the_body(tmp_path: Path) -> None:
    labelled = tmp_path / "wall.txt"
    labelled.write_text(f"Harbour wall to be rebuilt\nPublished: 24 October 2016\n\n{STORY}\n", encoding="utf-8")
    article = _read(labelled)
    assert (article.date, article.source) == ("2016-10-24", "")
    assert article.body == STORY  # the label line was page furniture

    named = tmp_path / "nyt_2016-10-25_harbour-wall.txt"
    named.write_text(f"Harbour wall to be rebuilt\n\n{STORY} It was built on 3 May 1910.\n", encoding="utf-8")
    article = _read(named)
    assert (article.date, article.source) == ("2016-10-25", "nyt")

    text_wins = tmp_path / "nyt_2016-10-25_other.txt"
    text_wins.write_text(f"Harbour wall\n\nMonday 24 October 2016\n\n{STORY}\n", encoding="utf-8")
    assert _read(text_wins).date == "2016-10-24"

    undated = tmp_path / "notes.txt"
    undated.write_text(f"Harbour wall\n\n{STORY} The wall was built on 3 May 1910.\n", encoding="utf-8")
    assert _read(undated).date == ""


def test_date_filters_find_dated_text_dumps(tmp_path: Path) -> None:
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "nyt_2016-10-24_wall.txt").write_text(f"Harbour wall\n\n{STORY}\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"Harbour wall again\nPublished: 3 March 2021\n\n{STORY}\n", encoding="utf-8")
    (folder / "c.txt").write_text(f"Harbour wall notes\n\n{STORY}\n", encoding="utf-8")
    root = tmp_path / "ix"
    assert index_paths(root, [folder], jobs=1).indexed == 3
    with open_index(root).searcher() as s:
        found = s.search("harbour", since=date(2020, 1, 1))
        assert [h.id.rsplit("/", 1)[-1] for h in found.hits] == ["b.txt"]
        assert found.undated_excluded == 1
        assert [h.id.rsplit("/", 1)[-1] for h in s.search("harbour date:2016").hits] == ["nyt_2016-10-24_wall.txt"]
        assert s.search("source:nyt").total == 1

"""A date filter says how many articles it left out for having no date, instead of dropping them silently."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from searchnews.engine import open_index
from searchnews.indexing import index_paths

SINCE = date(2020, 1, 1)


@pytest.fixture
def mixed_index(tmp_path: Path) -> Path:
    feed = tmp_path / "feed.jsonl"
    said = 'Ada Okafor said: "The bridge {}."'
    rows = [
        {"id": "old", "headline": "Bridge opens", "body": said.format("is safe"), "date": "2019-05-01"},
        {"id": "new", "headline": "Bridge closes", "body": said.format("must close"), "date": "2023-02-10"},
        {"id": "nodate", "headline": "Bridge repairs", "body": said.format("will be repaired")},
        {"id": "other", "headline": "Ferry runs", "body": "The ferry runs every hour."},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    text = tmp_path / "undated.txt"  # a text dump with no date anywhere
    text.write_text("Bridge tolls\n\nThe bridge tolls rise in spring, the council said.\n", encoding="utf-8")
    root = tmp_path / "ix"
    summary = index_paths(root, [feed, text], jobs=1)
    assert summary.indexed == 5 and not summary.failed
    return root


@pytest.mark.parametrize("query", ["bridge", "bridg*", '"the bridge"', "bridge OR tunnel", "bridge NOT ferry"])
def test_search_counts_undated_articles_the_filter_left_out(mixed_index: Path, query: str) -> None:
    with open_index(mixed_index).searcher() as s:
        found = s.search(query, since=SINCE)
        assert [h.id for h in found.hits] == ["new"]
        assert found.undated_excluded == 2
        assert s.search(query, since=SINCE, time_limit=5.0).undated_excluded == 2
        assert s.search(query, until=date(2030, 1, 1)).undated_excluded == 2
        assert s.search(query).undated_excluded == 0  # no filter, nothing left out


def test_nothing_left_out_when_no_undated_article_matches(mixed_index: Path) -> None:
    with open_index(mixed_index).searcher() as s:
        found = s.search("opens", since=date(2021, 1, 1))
        assert (found.total, found.undated_excluded) == (0, 0)
        assert s.search("ferry", since=SINCE).undated_excluded == 1
        assert s.search("tolls", since=SINCE).undated_excluded == 1


def test_quotes_count_undated_articles_the_filter_left_out(mixed_index: Path) -> None:
    with open_index(mixed_index).searcher() as s:
        found = s.quotes("bridge", since=SINCE)
        assert [h.text for h in found.hits] == ["The bridge must close."]
        # "nodate" and the text dump, whose "The bridge tolls rise in spring" the council said
        assert found.undated_excluded == 2
        by_speaker = s.quotes(speaker="Ada Okafor", since=SINCE)
        assert [h.article_id for h in by_speaker.hits] == ["new"]
        assert by_speaker.undated_excluded == 1
        assert s.quotes("bridge").undated_excluded == 0


@pytest.mark.parametrize(
    ("query", "left_out"),
    [
        ("bridge date:2023", 2),  # "nodate" and the text dump match "bridge" but have no date
        ("date:2023", 3),  # every undated article
        ("bridge date:[2019 to 2024]", 2),
        ("bridge", 0),
        ("ferry date:2023", 1),
        ("tolls NOT date:2019", 0),  # no date is not 2019: the undated article matches and is shown
    ],
)
def test_date_conditions_in_the_query_count_too(mixed_index: Path, query: str, left_out: int) -> None:
    with open_index(mixed_index).searcher() as s:
        assert s.search(query).undated_excluded == left_out
        assert s.search(query, time_limit=5.0).undated_excluded == left_out


def test_quote_queries_with_a_date_condition_count_too(mixed_index: Path) -> None:
    with open_index(mixed_index).searcher() as s:
        found = s.quotes("bridge date:2023")
        assert [h.text for h in found.hits] == ["The bridge must close."]
        assert found.undated_excluded == 2

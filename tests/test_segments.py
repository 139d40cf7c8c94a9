"""An index of several segments where one segment lacks a column (no article in it has a date): every reader of
columns must read each segment alone. Whoosh's multi-segment column reader leaves such a segment out and then
maps documents to the wrong segment, or raises."""

from __future__ import annotations

import json
from pathlib import Path

from searchnews.engine.searcher import open_index
from searchnews.indexing import index_paths

QUOTE = "We will keep the harbour open for every fishing boat through the whole winter"


def test_quotes_and_provenance_on_segments_with_and_without_dates(tmp_path: Path) -> None:
    dated = tmp_path / "dated.jsonl"
    dated.write_text(
        json.dumps(
            {
                "id": "wire",
                "headline": "Harbour stays open",
                "date": "2024-05-01",
                "source": "Wire Service",
                "body": f'Mayor Ana Ruiz said: "{QUOTE}."\n\nThe council agreed.',
            }
        )
        + "\n",
        encoding="utf-8",
    )
    undated = tmp_path / "texts"
    undated.mkdir()
    root = tmp_path / "index"
    for i in range(3):  # one run each: one new segment each, no article in them dated
        (undated / f"copy{i}.txt").write_text(
            f'Harbour copy {i}\n\n"{QUOTE}," said Ana Ruiz, the mayor.\n', encoding="utf-8"
        )
        assert not index_paths(root, [undated], jobs=1).failed
    with open_index(root).searcher() as s:  # no segment has a date column yet
        undated_group = s.quote_group(str((undated / "copy0.txt").resolve()), 0)
    assert undated_group.articles == 3
    assert undated_group.reported() == "in 3 articles"  # no date, no source: neither said ("from 0 sources")
    assert not index_paths(root, [dated], jobs=1).failed  # then a segment that has one

    with open_index(root).searcher() as s:
        segments = list(s.s.reader().leaf_readers())
        assert len(segments) > 1  # the case under test: several segments, some with no date column
        assert any(not sub.has_column("date") for sub, _ in segments)
        result = s.quotes("harbour")
        assert result.hits
        group = s.quote_group("wire", 0)
    assert group.articles == 4
    assert group.first_seen.article_id == "wire"
    assert group.first_seen.date == "2024-05-01"
    assert group.reported() == "first reported 2024-05-01 by Wire Service · in 4 articles from 1 source"


def test_date_conditions_count_the_undated_articles_of_a_segment_without_dates(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    root = tmp_path / "index"
    (texts / "undated.txt").write_text("Harbour news\n\nThe harbour opened its gates again.\n", encoding="utf-8")
    assert not index_paths(root, [texts], jobs=1).failed
    dated = tmp_path / "dated.jsonl"
    dated.write_text(
        json.dumps({"id": "d", "headline": "Harbour", "date": "2024-05-01", "body": "The harbour is busy."}) + "\n",
        encoding="utf-8",
    )
    assert not index_paths(root, [dated], jobs=1).failed
    with open_index(root).searcher() as s:
        assert any(not sub.has_column("date") for sub, _ in s.s.reader().leaf_readers())
        result = s.search("harbour date:2024")
    assert [h.id for h in result.hits] == ["d"]
    assert result.undated_excluded == 1

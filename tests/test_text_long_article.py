"""A search that hits a huge one-line article cuts its snippet from the article's start, not from all of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchnews.engine import open_index
from searchnews.engine.highlight import SNIPPET_SCAN_CHARS
from searchnews.indexing import index_paths

SENTENCE = "The harbour council said on Monday that the budget would rise again after years of cuts. "


@pytest.fixture(scope="module")
def huge_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("huge")
    repeats = 2_000_000 // len(SENTENCE)  # a 2 MB article on one line, as a broken export leaves it
    body = "A zeppelin landed first. " + SENTENCE * repeats + "The grand finale came last."
    (folder / "huge.txt").write_text("A very long article\n\n" + body + "\n", encoding="utf-8")
    (folder / "small.txt").write_text("Small story\n\nThe harbour council met about a zeppelin.\n", encoding="utf-8")
    root = folder / "ix"
    summary = index_paths(root, [folder / "huge.txt", folder / "small.txt"], jobs=1)
    assert summary.indexed == 2 and not summary.failed
    return root, len(body)


def _huge_hit(result):
    (hit,) = [h for h in result.hits if h.id.endswith("huge.txt")]
    return hit


def test_a_match_near_the_start_is_highlighted_in_a_short_snippet(huge_index: tuple[Path, int]) -> None:
    root, length = huge_index
    assert length > 10 * SNIPPET_SCAN_CHARS
    with open_index(root).searcher() as s:
        for query, word in (("zeppelin", "zeppelin"), ("harbour budget", None), ('"harbour council"', None)):
            hit = _huge_hit(s.search(query))
            assert len(hit.snippet) < 1000
            highlighted = {hit.snippet[span.start : span.end].lower() for span in hit.snippet_spans}
            assert highlighted, query
            assert highlighted <= ({word} if word else {"harbour", "budget", "council"}), highlighted


def test_a_match_only_past_the_scanned_start_still_finds_the_article(huge_index: tuple[Path, int]) -> None:
    root, _ = huge_index
    with open_index(root).searcher() as s:
        result = s.search("finale")
        assert result.total == 1
        hit = _huge_hit(result)
        assert hit.snippet.startswith("A zeppelin landed first.")  # the article's lead, nothing to highlight
        assert len(hit.snippet) < 1000 and hit.snippet_spans == ()

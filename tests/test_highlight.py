"""Snippets and spans at their edges: cuts at word ends, passages that touch, fields indexed without stemming.

Written for mutants of engine/highlight.py that survived the rest of the suite (issue #14).
"""

from __future__ import annotations

from pathlib import Path

from whoosh import highlight as whoosh_highlight
from whoosh.analysis import Token

from searchnews.engine import open_index
from searchnews.engine.highlight import SNIPPET_CHARS, SNIPPET_SCAN_CHARS, _lead, _merge_overlapping, snippet_source


def test_a_long_body_is_cut_for_snippets_at_the_end_of_a_word() -> None:
    word = "harbourmaster"
    body = "x" * (SNIPPET_SCAN_CHARS - 10) + f" {word} " + "y" * 200
    source = snippet_source(body)
    assert source.endswith(word) and len(source) > SNIPPET_SCAN_CHARS


def test_a_lead_without_matches_ends_at_a_whole_word() -> None:
    lead = _lead("words " * 100)
    assert lead.endswith(" …") and len(lead) <= SNIPPET_CHARS + 2
    assert set(lead.removesuffix(" …").split()) == {"words"}


def test_passages_that_touch_are_one_passage() -> None:
    text = "The ferry left early and the ferry came back late."
    first = Token(text="ferry", startchar=4, endchar=9)
    second = Token(text="ferry", startchar=29, endchar=34)
    touching = [
        whoosh_highlight.Fragment(text, [first], 0, 20),
        whoosh_highlight.Fragment(text, [second], 20, len(text)),
    ]
    merged = _merge_overlapping(touching)
    assert [(f.startchar, f.endchar) for f in merged] == [(0, len(text))]
    assert [t.startchar for t in merged[0].matches] == [4, 29]


def test_spans_in_a_field_without_stemming_match_whole_words_only(built_index: Path) -> None:
    with open_index(built_index).searcher() as s:
        # "Drills" is "drill" to the stemmed body, "drills" to the speaker field.
        assert [(sp.start, sp.end) for sp in s.spans("Drill drills", "speaker", frozenset({"drills"}))] == [(6, 12)]
        assert [(sp.start, sp.end) for sp in s.spans("Drill drills", "body", frozenset({"drill"}))] == [(0, 5), (6, 12)]

"""Snippets and highlighting at their edges: passages joined from a long body, a match that ends the body, leads
of exactly the snippet's length or with no space to cut at, the word a phrase of character pairs spells.

Written for mutants of engine/highlight.py that survived the rest of the suite in a mutmut run (issue #14; how to
re-run it: README, Development). Each test names the mutants it kills.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from searchnews.engine import open_index
from searchnews.engine.highlight import SNIPPET_CHARS, SNIPPET_SCAN_CHARS, _lead, snippet_source, unspaced_word
from searchnews.indexing import index_paths

FILLER = "Nothing of note happened in the town that week, said the clerk.\n"
APART = "The ferry left at dawn.\n\n" + FILLER * 8 + "\nBy noon the ferry was back.\n\n" + FILLER * 4


@pytest.fixture
def long_articles(tmp_path: Path) -> Path:
    rows = [
        {  # two matches far apart: two passages, each from its own paragraph
            "id": "apart",
            "headline": "Town news",
            "body": APART,
        },
        {  # one word three times, another three times, both once: the passage with both is shown
            "id": "both",
            "headline": "Port news",
            "body": "A harbour, a harbour and a harbour. "
            + FILLER * 3
            + "A ferry, a ferry and a ferry. "
            + FILLER * 3
            + "At noon the ferry reached the harbour. "
            + FILLER * 3,
        },
        {  # three matches far apart: two passages
            "id": "three",
            "headline": "Tide news",
            "body": (FILLER * 4).join(["The tide rose.", "The tide fell.", "The tide rose again.", ""]),
        },
        {  # the match is the body's last word: its passage ends where the match ends
            "id": "last",
            "headline": "Harbour news",
            "body": FILLER * 6 + "At last came the steamer",
        },
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    index_paths(tmp_path / "ix", [feed], jobs=1)
    return tmp_path / "ix"


def _hit(root: Path, query: str, article: str):
    with open_index(root).searcher() as s:
        (hit,) = [h for h in s.search(query).hits if h.id == article]
        return hit


def test_passages_of_a_long_body_are_its_own_text_joined_by_an_ellipsis(long_articles: Path) -> None:
    """Kills ``text = "XXXX"`` at the start and ``"XX … XX"`` between passages in ``_join_fragments``, and the
    whitespace rule ``r"XX\\sXX"`` (a newline left in the snippet)."""
    hit = _hit(long_articles, "ferry", "apart")
    body = re.sub(r"\s", " ", APART)
    pieces = hit.snippet.split(" … ")
    assert len(pieces) == 2 and "\n" not in hit.snippet
    assert all(piece and piece in body for piece in pieces)
    assert pieces[0].startswith("ferry left at dawn.  Nothing")  # the paragraph break as two spaces
    assert [hit.snippet[s.start : s.end] for s in hit.snippet_spans] == ["ferry", "ferry"]


def test_a_match_ending_the_body_is_highlighted(long_articles: Path) -> None:
    """Kills ``t.endchar < f.endchar`` in ``_SpanFormatter.format``: Whoosh's autotrim ends a passage at its last
    match when no space follows it, and that match was dropped."""
    hit = _hit(long_articles, "steamer", "last")
    assert hit.snippet.endswith("came the steamer")
    assert [hit.snippet[s.start : s.end] for s in hit.snippet_spans] == ["steamer"]


def test_the_passage_holding_more_of_the_query_words_is_shown(long_articles: Path) -> None:
    """Kills ``Token(text=None, ...)`` and ``Token(startchar=...)`` with no text in ``match_tokens``: Whoosh's
    fragment scorer multiplies a passage's score by how many different words it holds, read from the tokens'
    text."""
    hit = _hit(long_articles, "ferry harbour", "both")
    assert "the ferry reached the harbour" in hit.snippet


def test_a_snippet_has_two_passages_at_most(long_articles: Path) -> None:
    """Kills ``top_fragments(fragments, 3, ...)`` in ``snippet``."""
    hit = _hit(long_articles, "tide", "three")
    assert hit.snippet.count(" … ") == 1 and len(hit.snippet_spans) == 2


def test_a_short_body_is_its_own_snippet_on_one_line(tmp_path: Path) -> None:
    r"""Kills ``len(body) < SNIPPET_CHARS`` (a body of exactly SNIPPET_CHARS characters was cut into a passage)
    and ``r"XX\sXX"`` (a paragraph break left in a short snippet) in ``snippet``."""
    short = "The ferry runs.\n\nIt stops at noon."
    exact = "The ferry runs daily. " + "x" * (SNIPPET_CHARS - 23) + "."
    assert len(exact) == SNIPPET_CHARS
    rows = [{"id": "short", "headline": "Short", "body": short}, {"id": "exact", "headline": "Exact", "body": exact}]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    index_paths(tmp_path / "ix", [feed], jobs=1)
    with open_index(tmp_path / "ix").searcher() as s:
        snippets = {h.id: h.snippet for h in s.search("ferry").hits}
    assert snippets == {"short": short.replace("\n", " "), "exact": exact}


def test_a_long_body_is_cut_within_the_scan_margin() -> None:
    """Kills the unbounded search for a word's end in ``snippet_source`` (a 5,000-letter word was read to its
    end) and ``end.end() if (end) or True`` (no word character near the cut: None.end())."""
    word = "a " * 49_000 + "x" * 5_000 + " tail"
    assert snippet_source(word) == word[: SNIPPET_SCAN_CHARS + 1000]  # the margin's end reads as a word's end
    spaces = "a " * 49_000 + " " * 5_000 + "tail"
    assert snippet_source(spaces) == spaces[:SNIPPET_SCAN_CHARS]


def test_quote_text_is_highlighted_by_stem(tmp_path: Path) -> None:
    """Kills ``stemming: bool = False`` as ``find_terms``'s default: ``quotes`` and ``who`` highlight a quote's
    words through it, and the quote field is stemmed ("ferry" finds "ferries")."""
    feed = tmp_path / "feed.jsonl"
    body = 'Mayor Ana Ruiz said: "The ferries will sail again on Monday."'
    feed.write_text(json.dumps({"id": "q", "headline": "Ferries", "body": body}) + "\n", encoding="utf-8")
    index_paths(tmp_path / "ix", [feed], jobs=1)
    with open_index(tmp_path / "ix").searcher() as s:
        for found in (s.quotes("ferry"), s.who("ferry sail")):
            (hit,) = found.hits
            assert [hit.text[sp.start : sp.end] for sp in hit.text_spans][:1] == ["ferries"]


def test_a_lead_of_exactly_the_snippet_length_is_whole() -> None:
    """Kills ``len(text) < SNIPPET_CHARS`` in ``_lead``."""
    words = ("word " * SNIPPET_CHARS)[:SNIPPET_CHARS].strip()
    text = words + "x" * (SNIPPET_CHARS - len(words))
    assert len(text) == SNIPPET_CHARS and _lead(text + "\n") == text


def test_a_lead_with_no_space_to_cut_at_is_cut_at_the_snippet_length() -> None:
    """Kills ``cut if (cut > 0) or True`` (no space: cut -1, the lead kept 439 characters) and ``cut > 1`` (a
    one-letter first word is still a whole word to end at) in ``_lead``."""
    assert _lead("x" * 500) == "x" * SNIPPET_CHARS + " …"
    assert _lead("a " + "b" * 500) == "a …"


@pytest.mark.parametrize(
    ("words", "word"),
    [
        (["人民", "民共"], "人民共"),  # two pairs: a three-character word
        (["人民", "民共", "共和"], "人民共和"),
        (["人民"], ""),  # one pair is the word itself, already a term
        (["人民", "共和"], ""),  # pairs that do not overlap spell no word
        (["to", "on"], ""),  # English words that chain like pairs: no word of a script without spaces
        (["人民", "民x"], ""),
    ],
)
def test_the_word_a_phrase_of_character_pairs_spells(words: list[str], word: str) -> None:
    """Kills six mutants of ``unspaced_word``: ``and`` for ``or`` (two places), ``<= 2`` and ``< 3`` for ``< 2``
    (a three-character word was never highlighted whole), and "XXXX" for either ``return ""``."""
    assert unspaced_word(words) == word


@pytest.fixture
def words_and_pairs(tmp_path: Path) -> Path:
    rows = [
        {"id": "cn", "headline": "人民共和国", "body": "人民共和国的人民共同庆祝。人民共和人民共和人民共。人民。"},
        {"id": "laugh", "headline": "Laugh", "body": "他说哈哈哈哈。"},
        {"id": "en", "headline": "Ferry news", "body": "The ferry and the ferries sailed."},
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    index_paths(tmp_path / "ix", [feed], jobs=1)
    return tmp_path / "ix"


def _spans(root: Path, query: str) -> tuple[list[str], list[str]]:
    with open_index(root).searcher() as s:
        (hit,) = s.search(query).hits
        return [hit.headline[sp.start : sp.end] for sp in hit.headline_spans], [
            hit.snippet[sp.start : sp.end] for sp in hit.snippet_spans
        ]


def test_a_wildcard_highlights_the_words_it_expands_to(words_and_pairs: Path) -> None:
    """Kills five mutants of ``q.existing_terms(reader, expand=True, ...)`` in ``query_terms`` (no reader, or no
    expansion: a wildcard highlighted nothing)."""
    assert _spans(words_and_pairs, "ferr*") == (["Ferry"], ["ferry", "ferries"])


def test_a_whole_word_of_pairs_is_highlighted_where_it_is_whole_and_only_in_its_field(words_and_pairs: Path) -> None:
    """Kills ``len(t) > 3`` (a three-character word's pair "人民" highlighted alone), ``n in (2, 2)`` (its
    character "民" highlighted alone) and ``word.rfind(term)`` (only the last of two in one run of characters) in
    ``_unspaced_matches``, its ``word.rfind(term, at + 1)`` (the first and last of three in a run, not the middle)
    and ``word.find(term, at + 2)`` (a word overlapping itself: "哈哈哈" twice in "哈哈哈哈"), and
    ``node.fieldname != fieldname`` in ``query_terms`` (a headline-only query
    highlighting the body)."""
    assert _spans(words_and_pairs, "人民共") == (["人民共"], ["人民共"] * 5)
    assert _spans(words_and_pairs, "人民共 民") == (["人民共"], ["人民共"] * 5)
    assert _spans(words_and_pairs, "title:人民共") == (["人民共"], [])
    assert _spans(words_and_pairs, "哈哈哈") == ([], ["哈哈哈哈"])

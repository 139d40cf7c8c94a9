"""Chinese and Japanese, written without spaces between words, are findable: character pairs in the index, a
query word as a phrase of its pairs; English analysis is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from searchnews.engine import open_index
from searchnews.engine.highlight import find_term_matches
from searchnews.engine.schema import plain_analyzer, stemming_analyzer, text_terms
from searchnews.indexing import index_paths

ARTICLES = {
    "zh.txt": ("北京新闻", "中华人民共和国成立七十周年。新的手机iPhone手机在北京发布。共和党人也来了。"),
    "ja.txt": ("東京のニュース", "東京都に住む人はコンピューターを使います。"),
    "en.txt": ("Harbour strike ends", "Dock workers in Porthaven returned to work on Monday after a strike."),
}


@pytest.fixture
def index(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (headline, body) in ARTICLES.items():
        (folder / name).write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
    root = tmp_path / "ix"
    summary = index_paths(root, [folder], jobs=1)
    assert summary.indexed == len(ARTICLES) and not summary.failed
    return root


def _names(result) -> list[str]:
    return [hit.id.rsplit("/", 1)[-1] for hit in result.hits]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("人民共和国", ["zh.txt"]),  # a word of five characters: a phrase of four pairs
        ("共和", ["zh.txt"]),  # two characters: one pair
        ("华", ["zh.txt"]),  # one character alone
        ("北京", ["zh.txt"]),  # in the headline too
        ("手机", ["zh.txt"]),  # after Latin letters inside one run of word characters
        ("東京都", ["ja.txt"]),
        ("コンピューター", ["ja.txt"]),  # katakana with the long-vowel mark
        ("住む人", ["ja.txt"]),  # kanji and hiragana together
        ("和人", []),  # both characters are there, never side by side
        ("人民成立", []),  # every character there, not in this order
        ("strike", ["en.txt"]),
    ],
)
def test_cjk_words_are_found_as_written(index: Path, query: str, found: list[str]) -> None:
    with open_index(index).searcher() as s:
        assert _names(s.search(query)) == found


def test_cjk_matches_are_highlighted_where_the_word_is(index: Path) -> None:
    with open_index(index).searcher() as s:
        for query in ("人民共和国", "手机", "東京都", "コンピューター"):
            (hit,) = s.search(query).hits
            highlighted = [hit.snippet[span.start : span.end] for span in hit.snippet_spans]
            assert highlighted and all(text == query for text in highlighted), (query, highlighted)
        (hit,) = s.search("北京").hits
        assert [hit.headline[span.start : span.end] for span in hit.headline_spans] == ["北京"]


def test_cjk_in_a_query_with_english_words(index: Path) -> None:
    with open_index(index).searcher() as s:
        assert _names(s.search("iphone 北京")) == ["zh.txt"]
        assert _names(s.search("strike 北京")) == []
        assert _names(s.search("strike OR 北京")) in (["zh.txt", "en.txt"], ["en.txt", "zh.txt"])


def test_cjk_runs_become_pairs_and_single_characters_at_consecutive_positions() -> None:
    analyzer = stemming_analyzer()
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer("中华人民 ok", positions=True, chars=True)]
    assert tokens == [
        ("中", 0, 0, 1),
        ("中华", 0, 0, 2),
        ("华", 1, 1, 2),
        ("华人", 1, 1, 3),
        ("人", 2, 2, 3),
        ("人民", 2, 2, 4),
        ("民", 2, 3, 4),  # the last character shares the last pair's position
        ("ok", 3, 5, 7),
    ]
    # A query asks for the pairs only: the words after the run are as far from it as in the index.
    assert [(t.text, t.pos) for t in analyzer("中华人民 ok", positions=True, mode="query")] == [
        ("中华", 0),
        ("华人", 1),
        ("人民", 2),
        ("ok", 3),
    ]


def test_english_analysis_is_unchanged() -> None:
    text = "The U.S. Army's drills, 3.5 km away: workers returned on Monday. Zürich said ﬁne."
    terms = [(t.text, t.pos) for t in stemming_analyzer()(text, positions=True)]
    assert terms == [
        ("the", 0),
        ("u.", 1),  # Porter's stem of "u.s", as before
        ("armi", 2),
        ("s", 3),
        ("drill", 4),
        ("3.5", 5),
        ("km", 6),
        ("awai", 7),
        ("worker", 8),
        ("return", 9),
        ("on", 10),
        ("mondai", 11),
        ("zurich", 12),
        ("said", 13),
        ("fine", 14),
    ]
    assert [t.text for t in plain_analyzer()("Tom Baker, Łukasz")] == ["tom", "baker", "lukasz"]


# -- highlighting finds what the index holds, CJK included (a property, as tests/test_properties.py has it) ------

_PIECES = st.sampled_from(
    [
        "a", "the", "said", "U.S.", "3.5", "café", "Straße", "ﬁsh", "0", "2016", "年", "中华", "人民共和国", "东京都に",
        "コンピューター", "iPhone手机", "𠀀", "ー", "々", "・", " ", "\n", ",", "。", "，", "हिन्दी", "न्", "\u094d",
        "ภาษาไทย", "ที่", "\u0e48", "كَتَبَ", "ـ", "e\u0301", "\u0301",
    ]
)  # fmt: skip
_TEXTS = st.one_of(
    st.lists(_PIECES, max_size=30).map(" ".join),
    st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=30).map("".join),
)


def _as_the_index_holds(text: str, terms: frozenset[str], stemming: bool) -> list[tuple[int, int, str]]:
    """The analyzer's own tokens that are ``terms``; overlapping CJK pieces as one stretch (as highlights are)."""
    analyzer = stemming_analyzer() if stemming else plain_analyzer()
    found = sorted((t.startchar, t.endchar, t.text) for t in analyzer(text, chars=True) if t.text in terms)
    merged: list[tuple[int, int, str]] = []
    for start, end, term in found:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end), merged[-1][2])
        else:
            merged.append((start, end, term))
    return merged


@settings(max_examples=300, deadline=None)
@given(text=_TEXTS, every=st.integers(min_value=1, max_value=3))
@example(text="Ie\u0301S", every=1)  # "ies" stems to "i": a one-letter term of a longer word (found by CI)
def test_highlighting_and_quote_analysis_agree_with_the_index(text: str, every: int) -> None:
    for stemming in (True, False):
        analyzer = stemming_analyzer() if stemming else plain_analyzer()
        tokens = [(t.startchar, t.endchar, t.text, t.pos) for t in analyzer(text, chars=True, positions=True)]
        assert list(text_terms(text, stemming)) == tokens
        terms = frozenset(t[2] for t in tokens[::every])
        assert list(find_term_matches(text, terms, stemming)) == _as_the_index_holds(text, terms, stemming)


_PLAIN_PIECES = st.sampled_from(
    [
        "a", "I", "the", "said", "Zürich", "zurich", "Éric", "ÉRIC", "eric", "x.Éric", "d’Artagnan", "IéS", "U.S.",
        "3..5", "café", "Straße", "ß", "Øst", "“Naïve”", "naive", "_zu", "..zurich", "é", "İstanbul", " ", "\n", ",",
        ".", "’", "—",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(text=st.lists(_PLAIN_PIECES, max_size=25).map("".join), every=st.integers(min_value=1, max_value=3))
@example(text="x.Éric Éric Zürich", every=1)  # a letter after a dot inside a word; a non-ASCII second letter
@example(text="ـ", every=1)  # a word whose term is "": no term has a first letter (found by the property above)
def test_highlighting_text_without_marks_finds_what_the_index_holds(text: str, every: int) -> None:
    """Text with non-ASCII letters and no combining marks or CJK (most news: curly quotes, names with accents):
    the words that begin with a term's first letters, or with a letter folding changes, found apart and merged
    (``highlight._plain_words``)."""
    for stemming in (True, False):
        analyzer = stemming_analyzer() if stemming else plain_analyzer()
        terms = frozenset([t.text for t in analyzer(text)][::every])  # Whoosh reuses one Token: read each as it comes
        assert list(find_term_matches(text, terms, stemming)) == _as_the_index_holds(text, terms, stemming)


def test_marks_stay_inside_words_and_thai_is_findable(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {
        "hi.txt": ("हिन्दी समाचार", "सरकार ने आज नई नीति की घोषणा की।"),
        "th.txt": ("ข่าวภาษาไทย", "รัฐบาลประกาศนโยบายใหม่วันนี้"),
        "ar.txt": ("أخبار", "كَتَبَ الوزيرُ الكتـــاب الجديد"),
    }
    for name, (headline, body) in texts.items():
        (folder / name).write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
    root = tmp_path / "ix"
    assert index_paths(root, [folder], jobs=1).indexed == 3
    with open_index(root).searcher() as s:
        assert _names(s.search("घोषणा")) == ["hi.txt"]  # a word with vowel signs and a virama, whole
        assert _names(s.search("नीति")) == ["hi.txt"]
        assert _names(s.search("न")) == []  # no longer a fragment of every word
        assert _names(s.search("นโยบาย")) == ["th.txt"]  # a Thai word inside a run without spaces
        assert _names(s.search("ประกาศ")) == ["th.txt"]
        assert _names(s.search("นโยบายเก่า")) == []
        assert _names(s.search("كتب")) == ["ar.txt"]  # harakat and kashida left out, in text and query
        assert _names(s.search("الكتاب")) == ["ar.txt"]
        (hit,) = s.search("घोषणा").hits
        assert [hit.snippet[span.start : span.end] for span in hit.snippet_spans] == ["घोषणा"]
        (hit,) = s.search("นโยบาย").hits
        assert [hit.snippet[span.start : span.end] for span in hit.snippet_spans] == ["นโยบาย"]

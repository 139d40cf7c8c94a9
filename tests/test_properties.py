"""Property-based tests (hypothesis): the query path and the quote extractor on arbitrary text.

- Any text given to search, quotes, who or speakers either answers or raises QuerySyntaxError, nothing else.
- the quote extractor never raises (called without extract_quotes' guard), and every quote it returns is a slice
  of the body it points at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTICLES, SEED, write_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchnews.engine import open_index
from searchnews.errors import QuerySyntaxError
from searchnews.indexing import index_paths
from searchnews.model import PARAGRAPH_SEPARATOR
from searchnews.quotes.extractor import _extract

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of query syntax, so generated queries reach the parser's corners and not only plain words.
_QUERY_PIECES = st.sampled_from(
    [
        "harbour", "frost", "Lopez", "fair deal", "café", "US", "may", "dino*", "?", "*", "~", "~2", "^", "^2",
        "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "(", ")", '"', "'", "[", "]", "{", "}", "to", "TO", ":", "-", "+",
        "who:", "said:", "title:", "date:", "source:", "speaker:", "quote:", "headline:", "body:", "kind:", "id:",
        "nosuch:", "<", ">", ">=", "2024", "2021-07-13", "\\", "/", "\x00", "\x1b", "\t", "\n", " ", "🦆", "\u202e",
    ]
)  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(_QUERY_PIECES, max_size=12).map(" ".join),
    st.lists(st.one_of(_QUERY_PIECES, st.text(max_size=6)), max_size=12).map("".join),
)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for name, (headline, paragraphs) in ARTICLES.items():
        write_article(folder, name, headline, paragraphs)
    root = tmp_path_factory.mktemp("ix") / "ix"
    index_paths(root, [folder, SEED], jobs=1)
    return root


@pytest.fixture(scope="module")
def searcher(index_dir: Path):
    with open_index(index_dir).searcher() as s:
        yield s


def _answers_or_syntax_error(call) -> None:
    try:
        call()
    except QuerySyntaxError as exc:
        message = str(exc)
        assert message and "\n" not in message.replace("\\n", "")


@SETTINGS
@given(text=QUERIES)
def test_search_answers_or_raises_query_syntax_error(searcher, text: str) -> None:
    _answers_or_syntax_error(lambda: searcher.search(text, limit=5))


@SETTINGS
@given(text=QUERIES, speaker=st.one_of(st.none(), st.text(max_size=20)))
def test_quotes_answers_or_raises_query_syntax_error(searcher, text: str, speaker: str | None) -> None:
    _answers_or_syntax_error(lambda: searcher.quotes(text, speaker=speaker, limit=5))


@SETTINGS
@given(text=QUERIES)
def test_who_and_speakers_answer_or_raise_query_syntax_error(searcher, text: str) -> None:
    _answers_or_syntax_error(lambda: searcher.who(text, limit=5))
    _answers_or_syntax_error(lambda: searcher.speakers(text, limit=5))


# -- the extractor --------------------------------------------------------------------------------------------------

# Words and marks quotes are made of, so generated bodies often look like reported speech.
_PROSE_PIECES = st.sampled_from(
    [
        "said", "says", "told", "added", "according to", "said:", "he", "she", "they", "Mr", "Mrs", "Dr.", "Sen.",
        "Maria Lopez", "Lopez", "Tom Baker", "a spokesperson", "the ministry", "The", "We", "it", "that", "and",
        '"', "“", "”", "‘", "’", "'", "«", "»", "„", ",", ".", ":", ";", "—", "-", "(", ")", "!", "?", "…",
        " ", "  ", "\n", PARAGRAPH_SEPARATOR, "\n\n\n", "\t", "é", "🦆", "\u200b", "\ufffd",
    ]
)  # fmt: skip
BODIES = st.one_of(
    st.text(max_size=300),
    st.lists(_PROSE_PIECES, max_size=60).map(" ".join),
    st.lists(st.one_of(_PROSE_PIECES, st.text(max_size=8)), max_size=60).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(body=BODIES)
def test_extract_quotes_never_raises_and_offsets_point_at_the_text(body: str) -> None:
    # The extractor itself, not extract_quotes (which turns any exception into no quotes): a rule that raises must
    # fail here.
    for quote in _extract(body):
        assert 0 <= quote.start <= quote.end <= len(body), quote
        assert body[quote.start : quote.end] == quote.text, quote
        assert quote.kind in {"direct", "indirect", "mixed"}


# -- highlighting ---------------------------------------------------------------------------------------------------

_WORD_PIECES = st.sampled_from(
    [
        "a", "A", "I", "s", "the", "The", "THE", "said", "Said", "saying", "U.S.", "U.S", "u.s", "e.g.", "3.5", "1,000",
        "café", "Café", "CAFÉ", "Émile", "éclair", "naïve", "Straße", "İstanbul", "ﬁsh", "K", "\u212a", "x.y.z", "a.b",
        "..", ".", ",", "'", "’", "-", "_", "__init__", "co-op", "Ωmega", "日本", " ", "\n", "\t", "🦆",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.lists(_WORD_PIECES, max_size=40).map(" ".join),
    st.lists(st.one_of(_WORD_PIECES, st.text(max_size=6)), max_size=40).map("".join),
)


# Highlighting finds exactly the terms the index holds: tests/test_text_cjk.py checks it against the analyzer's
# own tokens (a word of CJK text is several terms, so "fold and stem each word" is no longer the reference).

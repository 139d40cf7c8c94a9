"""Quote extraction at its edges: quotation marks of both kinds on one line, words before a position across tabs
and line breaks, contractions, "according to" phrases that stop at a date or a reason, participles after "while"
and a dash.

Written for mutants of quotes/marks.py, quotes/cue.py and quotes/clauses.py that survived the quote tests in a
mutmut run (issue #14; how to re-run it: README, Development). Each test names the mutants it kills. The
extractor is called unguarded (``_extract``): an error is a failure here, not an empty list.
"""

from __future__ import annotations

import pytest

from searchnews.model import Quote
from searchnews.quotes.cue import is_contraction, word_before
from searchnews.quotes.extractor import _extract
from searchnews.quotes.marks import find_quote_spans


@pytest.mark.parametrize(
    ("line", "quoted"),
    [
        ('He said "yes" and ‘maybe’ later.', [("yes", True), ("maybe", True)]),  # singles outside doubles kept
        ('She said: "They told me ‘leave’"', [("They told me ‘leave’", True)]),  # a single inside a double: nested
        ("“We won,” she said. “Next year too.”", [("We won,", True), ("Next year too.", True)]),
        ("It was 'fine', he said", [("fine", True)]),
        ('He "quoted"text here', [("quoted", True)]),
        ('x "y', [("y", False)]),  # open at the end of the line: runs to its end
        ('Officials called it a"disgrace"today', [("disgrace", True)]),  # between letters: open, then close
        ("the players’’s union", []),  # doubled closing marks outside a quote, before a letter: no mark
        ("a’’b c", []),
        ("the players’’", []),  # ... at the end of the line
        ("'Yes,' he said", [("Yes,", True)]),  # a single mark opening the line
        ("He said “yes ” and left", [("yes ", True)]),  # a closing mark after a space still closes an open quote
        ("It's the 'best' time, isn't it", [("best", True)]),
    ],
)
def test_quoted_stretches_of_a_line(line: str, quoted: list[tuple[str, bool]]) -> None:
    """Kills, among others, ``bisect_right(starts, None)`` in ``_overlaps_any`` (a line with double and single
    quotes raised), ``line[i - 1]`` for the character after a mark in ``_can_open``, ``not before.isspace() or``
    in ``_can_close``; in ``_double_marks`` the character before doubled closing marks taken as a space (``and
    False``, ``i > 1``), the one after them read past the line's end (``or True``: IndexError), a mark between
    letters opening as "OPEN", a curly closing mark that cannot close opening again (``or not _can_close``); in
    ``_single_marks`` the character before a mark at the line's start read from its end (``or True``,
    ``i >= 0``); three mutants of ``_pair``."""
    assert [(line[s.inner_start : s.inner_end], s.closed) for s in find_quote_spans(line)] == quoted


@pytest.mark.parametrize(
    ("text", "end", "word"),
    [
        ("said the mayor", -5, ("the", 5)),  # a negative end counts from the end, as a slice does
        ("said the mayor\tlater", 14, ("mayor", 9)),  # a tab after the position is not a separator before it
        ("a\nb\nword", 8, ("word", 4)),  # the last line break before the position, not the first
        ("line\nword", 9, ("word", 5)),  # a line break separates words
    ],
)
def test_the_word_before_a_position(text: str, end: int, word: tuple[str, int]) -> None:
    """Kills three mutants of the negative-``end`` rule, ``rfind("\\t", 0, )`` with no stop, ``find("\\n")``
    for ``rfind`` and ``"XX\\nXX"`` for the line break in ``word_before`` (six in all)."""
    assert word_before(text, end) == word


@pytest.mark.parametrize(("word", "expected"), [("they're", True), ("we've", True), ("don't", True), ("mayor", False)])
def test_contractions(word: str, expected: bool) -> None:
    """Kills ``and`` for ``or`` and the upper-cased endings "'RE" and "'VE" in ``is_contraction``."""
    assert is_contraction(word) is expected


def _one(text: str) -> Quote:
    (quote,) = _extract(text)
    return quote


@pytest.mark.parametrize(
    ("text", "speaker", "said"),
    [
        # the phrase after "according to" stops at "on" (a date follows) and at "because" (a reason follows)
        (
            "Prices will rise next year, according to the central bank on Monday.",
            "the central bank",
            "Prices will rise",
        ),
        ("Prices will rise next year, according to officials because of the drought.", "officials", "Prices will rise"),
        ("According to the mayor, the bridge will reopen in May.", "the mayor", "the bridge will reopen in May"),
    ],
)
def test_according_to(text: str, speaker: str, said: str) -> None:
    """Kills eight mutants of ``_according``: "BECAUSE" (the phrase ran on into "because of ..."), ``pe`` None or
    a word off, the phrase's words read from its end (``finditer(masked, pe)``), the cue's verb None and two
    positional slips in building the Cue. ("XXonXX" survives: another rule stops the phrase at "on Monday".)"""
    quote = _one(text)
    assert (quote.speaker, quote.cue, quote.kind) == (speaker, "according to", "indirect")
    assert quote.text.startswith(said)


@pytest.mark.parametrize("joint", ["while", "–"])
def test_a_participle_after_while_or_a_dash_reports_the_subject(joint: str) -> None:
    """Kills "XX –XX" among the words that join a participle to its sentence in ``_participle``. ("XX whileXX"
    survives: the sentence's subject is found without it.)"""
    quote = _one(f'Anna Berg left the stage {joint} saying "we will be back".')
    assert (quote.text, quote.speaker, quote.cue, quote.kind) == ("we will be back", "Anna Berg", "saying", "direct")

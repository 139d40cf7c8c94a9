"""Every query error is in searchnews's words: a bad date names the date and how to write one, never Python's
own message ("month must be in 1..12")."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchnews.engine import open_index
from searchnews.errors import QuerySyntaxError

# Python's and Whoosh's own wording, which must never reach a user.
FOREIGN = ("must be in", "out of range", "parseable", "Traceback", "Error", "invalid literal")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("date:2021-13-45", "2021-13-45"),
        ("date:2021-02-30", "2021-02-30"),
        ("date:2021-02-29", "2021-02-29"),  # not a leap year
        ("date:foo", "foo"),
        ("date:0", "0"),
        ("date:1e9", "1e9"),
        ("date:9999999", "9999999"),
        ("date:>2020-99", "2020-99"),
        ("(date:>=2021-02-29)", "2021-02-29"),
        ("harbour date:[2021-07 to 2021-13]", "2021-13"),
        ("date:[2020 to x]", "x"),
        ("date:2021-07-13T25:00", "2021-07-13T25:00"),
    ],
)
def test_a_bad_date_is_named_with_how_to_write_one(built_index: Path, query: str, named: str) -> None:
    with open_index(built_index).searcher() as s, pytest.raises(QuerySyntaxError) as raised:
        s.search(query)
    message = str(raised.value)
    assert f"not a date: {named!r}" in message
    assert "YYYY-MM-DD" in message
    assert not any(word in message for word in FOREIGN), message


def test_a_date_range_backwards_is_an_error_not_nothing(built_index: Path) -> None:
    with open_index(built_index).searcher() as s, pytest.raises(QuerySyntaxError, match="ends before it starts"):
        s.search("date:[2021 to 2020]")


@pytest.mark.parametrize(
    "query", ["date:2021", "date:2021-07", "date:2021-07-13", "date:20210713", "date:[2021-01 to 2021-06]",
              "date:{2020 to}", "date:[to 2020]", "date:>2021", "date:'2021'", "harbour date:2021"]
)  # fmt: skip
def test_good_dates_parse(built_index: Path, query: str) -> None:
    with open_index(built_index).searcher() as s:
        assert s.search(query).total >= 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"unclosed phrase', "unbalanced quote"),
        ("(harbour", "unbalanced parentheses"),
        ("nofield:harbour", "unknown field 'nofield'"),
        ("", "empty query"),
        ("x" * 3000, "query too long"),
        ("url:example", "unknown field 'url'"),  # stored, not searchable
        ("quote_count:5", "unknown field 'quote_count'"),
        ("date:[", "cannot read the date in query 'date:['"),
    ],
)
def test_other_bad_queries_are_explained(built_index: Path, query: str, expected: str) -> None:
    with open_index(built_index).searcher() as s, pytest.raises(QuerySyntaxError) as raised:
        s.search(query)
    assert expected in str(raised.value)
    assert not any(word in str(raised.value) for word in FOREIGN)


def test_quote_queries_share_the_messages(built_index: Path) -> None:
    with open_index(built_index).searcher() as s, pytest.raises(QuerySyntaxError, match="not a date: '2021-13'"):
        s.quotes("fair date:2021-13")

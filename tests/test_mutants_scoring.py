"""Ranking at its edges: indexes of several segments, date filters with time limits, counts past the first page,
the newest-first order of quotes with no words.

Written for mutants of engine/scoring.py that survived the rest of the suite in a mutmut run (issue #14; how to
re-run it: README, Development). Each test names the mutants it kills.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from whoosh import scoring
from whoosh.collectors import TimeLimitCollector
from whoosh.searching import TimeLimit

from searchnews.engine import open_index
from searchnews.engine.query import date_filter
from searchnews.engine.scoring import _DateFilterCollector
from searchnews.indexing import index_paths

SINCE = date(2020, 1, 1)


def _write_feed(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def three_segments(tmp_path: Path) -> Path:
    """An index written in three runs, one segment each: the first holds only an article with no date (Whoosh
    then writes no date column for it), the other two a dated and an undated article each."""
    root = tmp_path / "ix"
    runs = [
        [{"id": "u0", "headline": "Bridge", "body": "The bridge is old."}],
        [
            {"id": "d0", "headline": "Bridge", "body": "The river bridge opened.", "date": "2019-03-01"},
            {"id": "u1", "headline": "Bridge", "body": "The river bridge is narrow."},
        ],
        [
            {"id": "d1", "headline": "Bridge", "body": "The river bridge closed.", "date": "2023-06-01"},
            {"id": "u2", "headline": "Bridge", "body": "The river bridge is wide."},
        ],
    ]
    for n, rows in enumerate(runs):
        summary = index_paths(root, [_write_feed(tmp_path / f"run{n}.jsonl", rows)], jobs=1)
        assert summary.indexed == len(rows) and not summary.failed
    return root


def _segments(s) -> list[tuple[int, bool]]:
    return [(sub.doc_count_all(), sub.has_column("date")) for sub, _ in s.s.reader().leaf_readers()]


def test_undated_articles_left_out_are_counted_in_every_segment(three_segments: Path) -> None:
    """Kills ``continue`` -> ``break`` in ``undated_docs`` (a segment with no date column stopped the reading of
    the segments after it) and ``+=`` -> ``=`` in ``_DateFilterCollector`` (only the last segment's count kept)."""
    with open_index(three_segments).searcher() as s:
        assert _segments(s) == [(1, False), (2, True), (2, True)]  # what the test is about
        wide = s.search("wide", since=SINCE)
        assert (wide.total, wide.undated_excluded) == (0, 1)
        river = s.search("river", since=SINCE)
        assert [h.id for h in river.hits] == ["d1"]
        assert river.undated_excluded == 2  # u1 and u2, one in each of two segments
        assert s.search("river").undated_excluded == 0


def test_an_undated_article_in_a_segment_without_dates_is_counted(three_segments: Path) -> None:
    """Whoosh writes no date column for a segment whose articles all lack a date; ``undated_docs`` once skipped
    such a segment, so u0, left out by the filter, was not counted (found by mutmut's ``or`` -> ``and`` mutant of
    that line, which read the column anyway and was right; fixed in b3fb43d)."""
    with open_index(three_segments).searcher() as s:
        assert s.search("old", since=SINCE).undated_excluded == 1
        assert s.search("bridge", since=SINCE).undated_excluded == 3


def _ferries(tmp_path: Path, body) -> Path:
    rows = [
        {
            "id": f"a{n}",
            "headline": "Ferry timetable" if n % 7 == 0 else "Timetable",
            "body": body(n),
            "date": f"{2020 + n % 4}-0{1 + n % 9}-1{n % 10}",
        }
        for n in range(600)
    ]
    index_paths(tmp_path / "ix", [_write_feed(tmp_path / "feed.jsonl", rows)], jobs=1)
    return tmp_path / "ix"


@pytest.fixture
def ferries(tmp_path: Path) -> Path:
    """600 dated articles with "ferry" in the body (one to five times), one in seven in the headline too."""
    return _ferries(tmp_path, lambda n: " ".join(["ferry"] * (1 + n % 5) + ["harbour", "tide"] * (5 + n % 23)) + ".")


@pytest.fixture
def one_strong_ferry(tmp_path: Path) -> Path:
    """600 dated articles with "ferry" in the body, one in seven in the headline too; the first article says it
    six times in six words, every other once in a long body (so the blocks after the first cannot reach a page of
    one: Whoosh's block skipping would pass them over)."""
    return _ferries(
        tmp_path, lambda n: "Ferry " * 6 if n == 0 else "The ferry sails. " + "Harbour tide. " * (5 + n % 23)
    )


def _stock_count(index, s, text: str) -> int:
    with index.ix.searcher(weighting=scoring.BM25F()) as stock:
        return len(stock.search(s.parse(text), limit=None))


def test_a_date_filtered_search_counts_every_match_past_the_first_page(one_strong_ferry: Path) -> None:
    """Kills dropping ``optimize=optimize`` from the collector (Whoosh's default, True, then skips the blocks that
    cannot reach the page, and the count misses their documents) and ``collector.replace = 1`` for wildcards
    (re-optimising with the page's lowest score drops a branch of the OR from the count); also ``partial`` True
    and every score 0.0 (``h.score if (sortedby is None) and False else 0.0``) for a search Whoosh runs."""
    index = open_index(one_strong_ferry)
    with index.searcher() as s:
        for text in ("body:ferry", "ferr*"):  # a term (Whoosh's block skipping); a wildcard (no re-optimising)
            for limit in (1, 10):
                found = s.search(text, limit=limit, since=date(2019, 1, 1))
                assert found.total == _stock_count(index, s, text) == 600, (text, limit)
                assert not found.capped and not found.partial and len(found.hits) == limit
                # the page and its scores are Whoosh's, found through the filter
                with index.ix.searcher(weighting=scoring.BM25F()) as stock:
                    page = stock.search(s.parse(text), limit=limit, filter=date_filter(date(2019, 1, 1), None))
                    assert [h.score for h in found.hits] == pytest.approx(
                        [h.score for h in page], abs=1e-4
                    )  # hits round
                    assert [h.id for h in found.hits] == [h["id"] for h in page]


def test_a_search_run_by_whoosh_counts_every_match_of_an_or(ferries: Path) -> None:
    index = open_index(ferries)
    with index.searcher() as s:
        assert s.search("ferry", limit=1).total == 600  # a term at a time: right today
        assert s.search("ferry", limit=1, since=date(2019, 1, 1)).total == _stock_count(index, s, "ferry")
        assert s.search("ferry NOT bridge", limit=1).total == _stock_count(index, s, "ferry NOT bridge")


class _OutOfTime(TimeLimitCollector):
    """Whoosh's time-limit collector with its time already up when the search starts (no timer to race)."""

    def prepare(self, top_searcher, q, context) -> None:
        super().prepare(top_searcher, q, context)
        self.timer.cancel()
        self.timedout = True


def test_a_date_filter_keeps_the_time_limit(built_index: Path) -> None:
    """Kills the three mutants of ``timer = child if isinstance(...) and not child.greedy else None``: inside a
    filter only our collector checks the time, so without it a date-filtered search never stops."""
    from whoosh.query import Every

    with open_index(built_index).searcher() as s:
        q = s.parse("harbour OR apple OR museum")
        collector = _DateFilterCollector(
            _OutOfTime(s.s.collector(limit=10), 60.0, use_alarm=False), Every(), frozenset()
        )
        with pytest.raises(TimeLimit):
            s.s.search_with_collector(q, collector)
        greedy = _OutOfTime(s.s.collector(limit=10), 60.0, greedy=True, use_alarm=False)
        s.s.search_with_collector(q, _DateFilterCollector(greedy, Every(), frozenset()))  # greedy: runs to the end


def test_quotes_with_no_words_list_the_newest_articles_first(tmp_path: Path) -> None:
    """Kills dropping ``sortedby`` from the collector or from ``ranked``'s call of ``_run``: a speaker's quotes
    with no words to rank by come newest first, not in index order; and ``limit if (limit is not None) or True``
    (no limit given to the term-at-a-time search); a score of 1.0 for quotes listed by date."""
    said = 'Ada Okafor said: "The {} bridge will open in spring."'
    rows = [
        {"id": "mid", "headline": "Bridge", "body": said.format("second"), "date": "2021-05-01"},
        {"id": "old", "headline": "Bridge", "body": said.format("first"), "date": "2019-05-01"},
        {"id": "new", "headline": "Bridge", "body": said.format("third"), "date": "2023-05-01"},
    ]
    index_paths(tmp_path / "ix", [_write_feed(tmp_path / "feed.jsonl", rows)], jobs=1)
    with open_index(tmp_path / "ix").searcher() as s:
        found = s.quotes(speaker="Ada Okafor")
        assert [h.article_id for h in found.hits] == ["new", "mid", "old"]
        assert [h.score for h in found.hits] == [0.0, 0.0, 0.0]  # in date order, so not scored
        # with words and no limit: every matching quote, best first (``ranked`` with no limit)
        every = s.quotes("bridge spring", limit=None)
        assert sorted(h.article_id for h in every.hits) == ["mid", "new", "old"] and every.total == 3


def test_a_word_search_counts_every_match_past_the_first_page(ferries: Path) -> None:
    """Kills ``found = None``, ``term_search(None, ...)`` and ``sortedby is not None`` in ``ranked`` (a query of
    words is scored a term at a time, which counts every match; Whoosh's search of the same OR, re-optimised with
    the page's lowest score, counted 98 of 600 articles: see the xfail test above), the two mutants of
    ``limit if limit is not None else ...`` that score a page of every document, and ``partial`` True."""
    index = open_index(ferries)
    with index.searcher() as s:
        for text in ("ferry", "ferry harbour", "title:ferry OR tide"):
            found = s.search(text, limit=1)
            assert found.total == _stock_count(index, s, text), text
            # the page is the limit, and a search a term at a time is never cut short
            assert len(found.hits) == 1 and not found.partial and not found.capped, text
        assert s.search("ferry date:2023").undated_excluded == 0  # every article has a date


@pytest.fixture
def bridges(tmp_path: Path) -> Path:
    rows = [
        {"id": "d0", "headline": "Bridge opens", "body": "The bridge opens to traffic.", "date": "2019-05-01"},
        {"id": "d1", "headline": "Bridge closes", "body": "The bridge closes for repairs.", "date": "2023-02-10"},
        {"id": "u1", "headline": "Bridge tolls", "body": "The bridge tolls rise in spring."},
        {"id": "u2", "headline": "Bridge repairs", "body": "The bridge will be repaired."},
    ]
    index_paths(tmp_path / "ix", [_write_feed(tmp_path / "feed.jsonl", rows)], jobs=1)
    return tmp_path / "ix"


def test_date_conditions_count_only_the_undated_articles_they_leave_out(bridges: Path) -> None:
    """Kills three mutants of ``undated_left_out_by_clauses``: no limit on the second count (Whoosh's unlimited
    collector gives no count, read as 0), ``as_it_is and 0``, and ``with_dates_met or 1``."""
    with open_index(bridges).searcher() as s:
        either = s.search("tolls OR date:2023")
        assert sorted(h.id for h in either.hits) == ["d1", "u1"]
        assert either.undated_excluded == 1  # u2; u1 has no date but matches "tolls"
        assert s.search("opens date:2023").undated_excluded == 0  # no undated article says "opens"
        assert s.search("bridge date:2023").undated_excluded == 2


def test_ties_are_ranked_as_whoosh_ranks_them_by_document_number(tmp_path: Path) -> None:
    """Kills ``(-item[1], item[1])`` for ``(-item[1], item[0])`` in ``term_search``: two articles scoring the same
    come in index order, as in Whoosh, not in the order an OR's words were read ("ferry" first, so a1)."""
    rows = [
        {"id": "a0", "headline": "Harbour news", "body": "The tide turned early."},
        {"id": "a1", "headline": "Harbour news", "body": "The ferry turned early."},
        {"id": "a2", "headline": "Harbour news", "body": "Nothing else happened."},
    ]
    index_paths(tmp_path / "ix", [_write_feed(tmp_path / "feed.jsonl", rows)], jobs=1)
    index = open_index(tmp_path / "ix")
    with index.searcher() as s, index.ix.searcher(weighting=scoring.BM25F()) as stock:
        found = s.search("ferry OR tide")
        assert found.hits[0].score == found.hits[1].score  # the tie the test is about
        expected = [stock.stored_fields(h.docnum)["id"] for h in stock.search(s.parse("ferry OR tide"))]
        assert [h.id for h in found.hits] == expected == ["a0", "a1"]


def test_an_or_with_a_coordination_bonus_is_scored_by_whoosh(ferries: Path) -> None:
    """Kills the three mutants of ``getattr(q, "scale", None)`` in ``_terms_only``: Whoosh adds a bonus to an OR
    with ``scale`` for each of its words a document holds, which the term-at-a-time sum leaves out."""
    from whoosh.query import Or, Term

    index = open_index(ferries)
    q = Or([Term("body", "ferri"), Term("body", "tide")], scale=0.9)
    with index.searcher() as s, index.ix.searcher(weighting=scoring.BM25F()) as stock:
        assert s.ranker.term_search(q, 10) is None
        scored, _, _, _ = s.ranker.ranked(q, None, 10, None)
        whoosh = stock.search(q, limit=10)
        assert [d for d, _ in scored] == [h.docnum for h in whoosh]
        assert [sc for _, sc in scored] == pytest.approx([h.score for h in whoosh], rel=1e-9)


def test_a_time_limited_search_runs_in_a_worker_thread(bridges: Path) -> None:
    """Kills ``use_alarm=True`` (and the default, True) in ``_run``'s TimeLimitCollector: Whoosh then installs a
    SIGALRM handler, which Python allows in the main thread only; the TUI searches in worker threads."""
    from concurrent.futures import ThreadPoolExecutor

    index = open_index(bridges)

    def search(text: str) -> list[str]:
        with index.searcher() as s:
            return [h.id for h in s.search(text, since=SINCE, time_limit=30.0).hits]

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(search, "bridg*").result() == ["d1"]
        assert pool.submit(search, "bridge NOT closes").result() == []
    assert search("bridg*") == ["d1"]  # and in this thread, where an alarm would be allowed

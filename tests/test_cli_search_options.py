"""search --sort, --source and --facets on a real index of articles written here: several sources (one of two
words, one article with none), dates over several months, one article undated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchnews.engine import open_index

# (id, source, date, headline, body): every body mentions the ferry, "storm" only some.
ARTICLES = [
    ("a1", "Daily Planet", "2021-01-10", "Ferry storm warning", "The ferry stays in port as a storm nears."),
    ("a2", "Daily Planet", "2021-03-02", "Ferry timetable", "The ferry runs every hour from March."),
    ("a3", "Harbour Gazette", "2021-03-20", "Storm ferry ferry", "Storm, ferry, storm: the ferry waits the storm out."),
    ("a4", "Harbour Gazette", "2021-06-05", "Ferry fares", "Fares on the ferry rise in June."),
    ("a5", "", "2021-06-30", "Ferry crew", "The ferry crew are honoured."),
    ("a6", "Daily Planet", "", "Ferry history", "An undated piece on the old ferry."),
]


def _write(folder: Path, articles) -> None:
    for source in {a[1] for a in articles}:
        lines = [
            json.dumps({"id": i, "source": s, "date": d, "headline": h, "body": b})
            for i, s, d, h, b in articles
            if s == source
        ]
        (folder / f"{source.replace(' ', '_') or 'none'}.jsonl").write_text("\n".join(lines) + "\n")


@pytest.fixture
def ix(tmp_path: Path, run) -> Path:
    folder = tmp_path / "feeds"
    folder.mkdir()
    _write(folder, ARTICLES)
    index = tmp_path / "ix"
    assert run("index", folder, "--index", index).exit_code == 0
    return index


def _ids(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [h["id"] for h in json.loads(result.stdout)]


def test_sort_date_is_newest_first_with_undated_last(run, ix: Path) -> None:
    assert _ids(run("search", "ferry", "--index", ix, "--sort", "date", "--json")) == [
        "a5",
        "a4",
        "a3",
        "a2",
        "a1",
        "a6",
    ]
    by_relevance = _ids(run("search", "ferry", "--index", ix, "--json"))
    assert _ids(run("search", "ferry", "--index", ix, "--sort", "relevance", "--json")) == by_relevance
    assert by_relevance[0] == "a3"  # "ferry" four times
    assert _ids(run("search", "ferry", "--index", ix, "--sort", "date", "-n", "2", "--json")) == ["a5", "a4"]


def test_source_filter_any_case_and_repeatable(run, ix: Path) -> None:
    assert set(_ids(run("search", "ferry", "--index", ix, "--source", "daily planet", "--json"))) == {"a1", "a2", "a6"}
    both = run("search", "ferry", "--index", ix, "--source", "Daily Planet", "--source", "HARBOUR GAZETTE", "--json")
    assert set(_ids(both)) == {"a1", "a2", "a3", "a4", "a6"}
    # one word of a two-word source is not that source
    assert _ids(run("search", "ferry", "--index", ix, "--source", "planet", "--json")) == []
    storm = run("search", "storm", "--index", ix, "--source", "Harbour Gazette", "--sort", "date", "--json")
    assert _ids(storm) == ["a3"]


def test_facets_json_counts_every_match_not_just_the_shown(run, ix: Path) -> None:
    result = run("search", "ferry", "--index", ix, "--facets", "--json", "-n", "1")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"results", "facets"} and len(out["results"]) == 1
    assert out["facets"] == {
        "source": {"Daily Planet": 3, "Harbour Gazette": 2},  # a5 has no source
        "month": {"2021-01": 1, "2021-03": 2, "2021-06": 2},  # a6 has no date
    }
    # without --facets the JSON stays the list
    assert isinstance(json.loads(run("search", "ferry", "--index", ix, "--json").stdout), list)


def test_facets_follow_the_filters(run, ix: Path) -> None:
    out = json.loads(
        run(
            "search", "ferry", "--index", ix, "--facets", "--json", "--since", "2021-03-01", "--source", "daily planet"
        ).stdout
    )
    assert [r["id"] for r in out["results"]] == ["a2"]
    assert out["facets"] == {"source": {"Daily Planet": 1}, "month": {"2021-03": 1}}


def test_facets_text_histogram_under_the_results(run, ix: Path) -> None:
    result = run("search", "ferry", "--index", ix, "--facets")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    month = next(line for line in lines if line.startswith("by month:"))
    # January to June, one bar a month: 1, 0, 2, 0, 0, 2 against a peak of 2
    assert month.split()[2:5] == ["2021-01", "▄·█··█", "2021-06"]
    assert "1 undated article" in month
    assert lines.index(month) > max(i for i, line in enumerate(lines) if "Ferry" in line)
    assert (
        next(line for line in lines if line.startswith("by source:")) == "by source: Daily Planet 3 · Harbour Gazette 2"
    )


def test_facets_leave_out_deleted_articles(run, ix: Path, tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    (folder / "Harbour_Gazette.jsonl").unlink()
    assert run("index", "--index", ix, "--prune").exit_code == 0
    out = json.loads(run("search", "ferry", "--index", ix, "--facets", "--json").stdout)
    assert out["facets"]["source"] == {"Daily Planet": 3}
    assert len(out["results"]) == 4


def test_facets_agree_with_the_stored_documents(ix: Path) -> None:
    """The counts read from the index's postings and date column equal those read from every hit's stored fields."""
    with open_index(ix).searcher() as searcher:
        result = searcher.search("ferry OR storm", limit=100, with_facets=True)
        sources: dict[str, int] = {}
        months: dict[str, int] = {}
        for hit in result.hits:
            if hit.source:
                sources[hit.source] = sources.get(hit.source, 0) + 1
            if hit.date:
                months[hit.date[:7]] = months.get(hit.date[:7], 0) + 1
    assert result.facets == {"source": sources, "month": dict(sorted(months.items()))}
    assert result.total == len(result.hits) == len(ARTICLES)


def test_bad_sort_and_facets_with_csv_are_usage_errors(run, ix: Path) -> None:
    bad = run("search", "ferry", "--index", ix, "--sort", "oldest")
    assert bad.exit_code == 2 and "oldest" in bad.stderr
    csv = run("search", "ferry", "--index", ix, "--facets", "--format", "csv")
    assert (
        csv.exit_code == 2
        and csv.stderr.strip() == "searchnews: --facets goes with text or --json output, not --format csv"
    )


def test_source_docs_for_other_filters(ix: Path) -> None:
    with open_index(ix).searcher() as searcher:
        docs = searcher.source_docs(["harbour gazette"])
        assert sorted(searcher.s.stored_fields(d)["id"] for d in docs) == ["a3", "a4"]
        assert searcher.source_docs(["Nowhere Times"]) == frozenset()

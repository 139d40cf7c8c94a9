"""The benchmark harness still runs end to end and reports every figure (on 30 invented articles)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
ARGS = [sys.executable, str(RUN), "--limit", "30", "--json", "--skip-tui", "--queries", "5", "--cold-runs", "2"]
ARGS += ["--jobs", "1"]

TOWNS = ["Ashford", "Bramley", "Corvale", "Dunmere", "Eastleigh", "Farrow"]
PEOPLE = ["Maria Lopez", "Tom Baker", "Ana Silva", "Peter Novak", "Grace Okoro"]
TOPICS = ["bridge repairs", "school budget", "river flooding", "bus timetable", "library hours", "harbour dredging"]


def invented_articles(n: int) -> list[dict[str, str]]:
    articles = []
    for i in range(n):
        town, person, topic = TOWNS[i % len(TOWNS)], PEOPLE[i % len(PEOPLE)], TOPICS[i % len(TOPICS)]
        body = "\n\n".join(
            [
                f"The council of {town} met on Monday to discuss the {topic}, a matter residents raised in spring.",
                f'"We have listened to every resident and the plan for the {topic} will change," said {person}.',
                f"{person} added that the cost of the work number {i} would be shared with the county.",
                f'"It is a fair deal for {town}," {person} told reporters after the vote.',
                "Opponents said the consultation had been too short and asked for another public meeting.",
            ]
        )
        articles.append(
            {
                "id": f"invented-{i:03d}",
                "source": "gazette",
                "headline": f"{town} council votes on {topic}",
                "body": body,
                "date": f"2024-03-{1 + i % 28:02d}",
                "url": f"https://example.org/{i}",
            }
        )
    return articles


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    corpus = tmp_path_factory.mktemp("corpus") / "news.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in invented_articles(30)))
    proc = subprocess.run(
        [*ARGS, "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_every_section_ran(report: dict) -> None:
    assert report["errors"] == []
    for section in ("raw", "pipeline", "reindex", "update", "update_delta", "search", "who", "cli_search"):
        assert "error" not in report[section], report[section]
    assert report["tui"] == {"skipped": "--skip-tui"}
    assert report["corpus"]["articles"] == 30
    assert report["code"]["extractor_version"]  # the run used its own snapshot of the package
    assert report["machine"]["nproc"] >= 1


def test_builds_count_every_article(report: dict) -> None:
    raw, pipe = report["raw"], report["pipeline"]
    assert raw["docs"] == 30 and raw["lost_docs"] == 0
    assert pipe["articles"] == 30 and pipe["indexed"] == 30 and pipe["quotes"] > 0
    assert raw["docs_per_s"] > 0 and pipe["docs_per_s"] > 0
    assert raw["size_bytes"] > 0 and pipe["size_bytes"] > 0


def test_reindex_and_updates_touch_what_changed(report: dict) -> None:
    assert report["reindex"]["indexed"] == 0 and report["reindex"]["unchanged"] == 30
    for name in ("update", "update_delta"):
        update = report[name]
        assert update["changed"] == 1, update
        assert update["indexed"] == 1 and "warning" not in update, update
        assert update["wall_s"] > 0
    assert report["update"]["unchanged"] == 29


def test_latencies_are_measured(report: dict) -> None:
    search = report["search"]
    assert search["n"] >= 20 and search["with_hits"] > 0
    assert set(search["by_kind"]) == {"rare", "common", "two_terms", "phrase", "who_speaker", "said_phrase"}
    assert all(k["n"] > 0 for k in search["by_kind"].values()), search["by_kind"]
    assert 0 < search["median_ms"] <= search["p95_ms"]
    who = report["who"]
    assert who["n"] > 0 and who["with_hits"] > 0 and 0 < who["median_ms"] <= who["p95_ms"]
    assert report["cli_search"]["n"] == 2 and report["cli_search"]["median_s"] > 0


def test_every_target_has_a_figure_and_verdict(report: dict) -> None:
    targets = report["targets"]
    assert set(targets) == {
        "pipeline_vs_raw",
        "reindex_vs_build",
        "search_p95_ms",
        "who_p95_ms",
        "tui_keystroke_p95_ms",
        "cli_search_cold_s",
    }
    for name, verdict in targets.items():
        if name == "tui_keystroke_p95_ms":  # skipped here
            assert verdict["value"] is None and verdict["pass"] is None
            continue
        assert isinstance(verdict["value"], (int, float)) and math.isfinite(verdict["value"]), name
        assert verdict["pass"] in (True, False)

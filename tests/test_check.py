"""Damage (issue #17): files truncated or with flipped bytes are reported, never a traceback; `check` finds them.

Indexes are real, built from the invented articles of conftest; the tests damage their files themselves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ARTICLES

from searchnews.engine.store import IndexStore
from searchnews.indexing import index_paths


def segment_file(root: Path, suffix: str) -> Path:
    [path] = sorted(IndexStore(root).current_dir().glob(f"MAIN_*{suffix}"))[:1]
    return path


def flip(path: Path, at: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0xFF
    path.write_bytes(bytes(data))


def test_sound_index_checks_sound(run, built_index: Path) -> None:
    result = run("check", "--index", built_index, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    current = report["current"]
    assert current["sound"] and current["problems"] == [] and report["recovery"] is None
    assert current["documents"] == len(ARTICLES) + 1
    checked = current["checked"]
    assert checked["files"] > 0 and checked["terms"] > 100 and checked["postings"] >= checked["terms"]
    assert checked["stored_documents"] == len(ARTICLES) + 1 and checked["column_values"] > 0
    text = run("check", "--index", built_index)
    assert text.exit_code == 0 and " is sound " in text.stdout


@pytest.mark.parametrize("suffix", [".pst", ".trm", "._stored.col", ".id.col"])
def test_flipped_bytes_are_found_and_the_way_back_named(run, built_index: Path, suffix: str) -> None:
    flip(segment_file(built_index, suffix))
    result = run("check", "--index", built_index, "--json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert not report["current"]["sound"]
    assert any(suffix in problem and "checksum" in problem for problem in report["current"]["problems"])
    assert "--rebuild" in report["recovery"]
    text = run("check", "--index", built_index)
    assert "DAMAGED" in text.stdout and "to recover:" in text.stdout


def test_rollback_is_offered_when_the_previous_generation_is_sound(run, built_index: Path, corpus: Path) -> None:
    index_paths(built_index, None, rebuild=True)
    flip(segment_file(built_index, ".pst"))
    report = json.loads(run("check", "--index", built_index, "--json").stdout)
    assert report["previous"]["sound"] and "rollback" in report["recovery"]
    assert run("rollback", "--index", built_index).exit_code == 0
    assert run("check", "--index", built_index).exit_code == 0


@pytest.mark.parametrize("suffix", [".pst", "._stored.col", ".trm"])
def test_truncated_file_is_a_damaged_index_one_line_exit_2(run, built_index: Path, suffix: str) -> None:
    path = segment_file(built_index, suffix)
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)
    for command in (["search", "harbour"], ["quotes", "deal"], ["who", "fair deal"], ["speakers"]):
        result = run(*command, "--index", built_index)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.count("\n") == 1 and "damaged" in result.stderr and "--rebuild" in result.stderr


def test_an_error_from_damaged_contents_is_reported_as_damage_not_a_bug(run, built_index: Path) -> None:
    """Bytes changed inside the stored documents: whatever a search then raises, the answer is 'damaged'."""
    stored = segment_file(built_index, "._stored.col")
    data = bytearray(stored.read_bytes())
    data[16 : len(data) - 16] = bytes(len(data) - 32)  # same size: only the checksum can tell
    stored.write_bytes(bytes(data))
    result = run("search", "harbour", "--index", built_index)
    assert result.exit_code == 2, result.output  # reading the zeroed documents fails; the checksums say why
    assert result.stderr.count("\n") == 1 and "damaged" in result.stderr and "checksum" in result.stderr
    assert run("check", "--index", built_index).exit_code == 2


def test_dated_and_undated_articles_check_sound(run, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"id": "dated", "headline": "Ferry", "body": "The ferry is back.", "date": "2024-01-02"},
        {"id": "undated", "headline": "Tram", "body": "The tram is late."},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    index_paths(tmp_path / "ix", [feed])
    result = run("check", "--index", tmp_path / "ix", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["current"]["checked"]["column_values"] >= 2 * 2

"""An unexpected error while reading one input is that input's failure: named, counted, exit 1, and every
other input indexed. Through the real `searchnews index` command, on real files."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from searchnews.cli import app
from searchnews.engine import open_index
from searchnews.ingest import read_path

PARAGRAPHS = "".join(
    f"<p>The harbour authority said on Monday that ship number {n} had been unloaded without delay.</p>"
    for n in range(8)
)
PAGE = (
    f"<html><head><title>Port news</title></head><body><article><h1>Port news</h1>{PARAGRAPHS}</article></body></html>"
)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "a.txt").write_text("Harbour strike ends\n\nDock workers returned to work on Monday.\n")
    (folder / "b.txt").write_text("Orchard frost\n\nGrowers fear a late frost in the valley.\n")
    return folder


def _index(folder: Path, root: Path):
    result = CliRunner().invoke(app, ["index", "--index", str(root), str(folder), "--json"], catch_exceptions=False)
    return result, json.loads(result.stdout)


def test_the_html_page_reads_when_nothing_is_broken(inputs: Path) -> None:
    (article,) = list(read_path(inputs / "page.html"))
    assert article.headline == "Port news"  # the page is fine: what fails below is the parser


def test_a_parser_module_that_will_not_import_fails_only_its_input(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a missing optional dependency looks like from here: importing trafilatura raises ImportError.
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    result, summary = _index(inputs, tmp_path / "ix")
    assert result.exit_code == 1, result.output
    (failure,) = summary["failed"]
    assert failure["path"].endswith("page.html")
    assert re.match(r"could not read: (ModuleNotFound|Import)Error: .*trafilatura", failure["error"])
    assert "page.html" in result.stderr and "could not read" in result.stderr
    assert summary["indexed"] == summary["articles"] == 2
    with open_index(tmp_path / "ix").searcher() as s:
        assert s.search("dock").total == 1 and s.search("orchard").total == 1


def test_a_parser_crash_fails_only_its_input(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def broken_extraction(*args, **kwargs):
        # A parser returning what it never should: a body that is no element tree.
        return SimpleNamespace(title="Port news", body=42, date=None, sitename="", hostname="", url="", author="")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken_extraction)
    result, summary = _index(inputs, tmp_path / "ix")
    assert result.exit_code == 1, result.output
    (failure,) = summary["failed"]
    assert failure["path"].endswith("page.html")
    assert failure["error"].startswith("could not read: TypeError:")
    assert summary["indexed"] == 2
    with open_index(tmp_path / "ix").searcher() as s:
        assert s.search("dock").total == 1 and s.search("orchard").total == 1
        assert s.search("harbour authority").total == 0

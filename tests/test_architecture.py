"""Layering that keeps `searchnews search` and the TUI fast: they never load the NLP, HTML or ingest code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("trafilatura", "spacy", "lxml", "searchnews.quotes", "searchnews.ingest", "searchnews.indexing")

PROBE = """
import json, sys
from typer.testing import CliRunner
from searchnews.cli import app
result = CliRunner().invoke(app, [{command}, "--index", sys.argv[1], "--json"])
assert result.exit_code == 0, result.output
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {{"trafilatura", "spacy", "lxml"}}
                        or m.startswith(("searchnews.quotes", "searchnews.ingest", "searchnews.indexing")))))
"""


def _loaded(command: str, index: Path) -> list[str]:
    code = PROBE.format(command=", ".join(repr(c) for c in command.split("\x00")))
    out = subprocess.run([sys.executable, "-c", code, str(index)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_search_and_quote_commands_import_no_heavy_modules(built_index: Path) -> None:
    for command in ("search\x00harbour", "quotes\x00deal", "who\x00fair deal", "speakers"):
        assert _loaded(command, built_index) == [], command


def test_tui_module_imports_no_heavy_modules() -> None:
    code = (
        "import sys, json; import searchnews.tui.app; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({HEAVY!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_import_contracts_hold() -> None:
    """The import-linter contracts in pyproject.toml: Whoosh only in engine/, Textual only in tui/, one-way layers."""
    root = Path(__file__).resolve().parent.parent
    lint_imports = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run([str(lint_imports)], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-2000:]

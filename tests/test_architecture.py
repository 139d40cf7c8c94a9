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


def test_every_engine_module_is_in_the_engine_contracts() -> None:
    """A new engine module outside the contracts would escape both the no-loop layers and the one-door rule for
    Whoosh's internals: each module is placed in the layers, and each but the doors is barred from the internals."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: tomli, a dependency there
        import tomli as tomllib

    root = Path(__file__).resolve().parent.parent
    contracts = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    modules = {p.stem for p in (root / "searchnews" / "engine").glob("*.py") if p.stem != "__init__"}
    layers = next(c for c in contracts if c.get("containers") == ["searchnews.engine"])["layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    assert modules - placed == set()
    doors = {"whoosh_read", "whoosh_write", "durable", "postings"}
    barred = next(c for c in contracts if "whoosh.codec" in c.get("forbidden_modules", []))["source_modules"]
    assert {f"searchnews.engine.{m}" for m in modules - doors} - set(barred) == set()

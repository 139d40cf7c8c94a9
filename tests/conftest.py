"""Shared fixtures: short invented articles written to tmp_path, and real Whoosh indexes built from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from searchnews.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ed251e8534f4e119.txt"

ARTICLES = {
    "harbour.txt": (
        "Harbour strike ends after two weeks",
        [
            "Dock workers in Porthaven returned to work on Monday after a two-week strike over pay.",
            'Union leader Maria Lopez said: "We have won a fair deal for every worker on this harbour."',
            '"The port will be busy again by Friday," Ms Lopez added.',
            "The harbour authority said the backlog of ships would clear within days.",
        ],
    ),
    "orchard.txt": (
        "Frost threatens apple harvest in the valley",
        [
            "Growers in the Alder valley fear a late frost will damage this year's apple crop.",
            'Farmer Tom Baker said: "We may lose half the blossom if the cold stays another night."',
            'He added: "Insurance will not cover it."',
        ],
    ),
    "museum.txt": (
        "City museum reopens with a café and a dinosaur",
        [
            "The municipal museum in Brightwell reopened on Saturday after a year of renovation.",
            'Director Anna Kowalska said: "Visitors will find the dinosaur hall twice as large as before."',
        ],
    ),
}


def write_article(folder: Path, name: str, headline: str, paragraphs: list[str]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(headline + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of three invented .txt articles."""
    folder = tmp_path / "articles"
    for name, (headline, paragraphs) in ARTICLES.items():
        write_article(folder, name, headline, paragraphs)
    return folder


@pytest.fixture
def built_index(tmp_path: Path, corpus: Path) -> Path:
    """A real index of the invented articles and the seed article."""
    from searchnews.indexing import index_paths

    root = tmp_path / "index"
    summary = index_paths(root, [corpus, SEED], jobs=1)
    assert summary.indexed == len(ARTICLES) + 1 and not summary.failed
    return root


@pytest.fixture
def run():
    """The CLI run in this process: ``run("search", "ferry", env={...})``, arguments as strings, exceptions raised."""
    runner = CliRunner()

    def invoke(*args: object, env: dict[str, str | None] | None = None):
        return runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Query history goes to a temporary state directory, never the user's (the TUI tests use it for every test)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"

"""The README's console examples, run: the outputs it shows are what searchnews prints, so it cannot drift.

Each ```console block is a test, run in README order in one home folder (the seed article in
``~/searchnews/seeds``, standing in ``~/searchnews``, the README's ``/home/ana``), so later examples see the index
earlier ones built. In a block, a line ``$ COMMAND`` is run with bash (searchnews being the one under test; pipes
and ``$(...)`` work), and the lines up to the next ``$`` are its expected output, stdout and stderr together.

Conventions, in the README source:

- ``<!-- readme-test: skip (why) -->`` on the line before a block's fence: the block is not run (the TUI, a
  damaged index, a watch, a corpus the test does not have). Its output must still be real: say where it came from.
- ``<!-- readme-test: config -->`` before a ```toml block: it is written to ``~/.config/searchnews/config.toml``
  before the blocks after it run.
- An expected line ``...`` stands for any lines (none included).
- Volatile parts are normalised on both sides: timings (``(4 ms)``, ``(0.1s)``, ``"seconds": 0.069``), generation
  names (``gen-20261130T101500-4242-51234``), the home folder (``/home/ana``), trailing spaces.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
HOME = "/home/ana"
SKIP = re.compile(r"<!--\s*readme-test:\s*skip\b(.*?)-->")
CONFIG = re.compile(r"<!--\s*readme-test:\s*config\s*-->")
VOLATILE = [
    (re.compile(r"\(\d+ ms\)"), "(N ms)"),
    (re.compile(r"\(\d+(\.\d+)?s\)"), "(Ns)"),
    (re.compile(r'"seconds": [\d.e-]+'), '"seconds": N'),
    (re.compile(r"gen-\d{8}T\d{6}-\d+-\d+"), "gen-N"),
]


@dataclass
class Block:
    line: int  # of the fence, 1-based
    kind: str  # "console" or "config"
    skip: str | None
    lines: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        first = next((x for x in self.lines if x.startswith("$ ")), self.kind)
        return f"README.md:{self.line} {first[:50]}"


def _blocks() -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    previous = ""
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if current is not None:
            if line.startswith("```"):
                blocks.append(current)
                current = None
            else:
                current.lines.append(line)
        elif line.startswith("```console"):
            skip = SKIP.search(previous)
            current = Block(number, "console", (skip.group(1).strip(" ()") or "marked skip") if skip else None)
        elif line.startswith("```toml") and CONFIG.search(previous):
            current = Block(number, "config", None)
        if line.strip():
            previous = line
    return blocks


BLOCKS = _blocks()


def _normal(text: str) -> list[str]:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line, ``...`` matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(_matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and _matches(expected[1:], actual[1:])


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(ROOT / "seeds", home / "searchnews" / "seeds")
    return home


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEARCHNEWS_", "XDG_"))}
    for name in ("EDITOR", "PAGER", "VISUAL"):
        env.pop(name, None)
    bin_dir = str(Path(sys.executable).parent)
    env.update(HOME=str(home), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", NO_COLOR="1", TERM="dumb")
    return env


def _commands(block: Block) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for line in block.lines:
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return commands


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_readme_example(block: Block, home: Path) -> None:
    if block.kind == "config":
        path = home / ".config" / "searchnews" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(block.lines) + "\n")
        return
    if block.skip:
        pytest.skip(block.skip)
    for command, expected in _commands(block):
        if "jq " in command and shutil.which("jq") is None:
            pytest.skip("jq is not installed")
        run = command.replace(HOME, str(home))
        done = subprocess.run(
            ["bash", "-c", run + " 2>&1"],
            cwd=home / "searchnews",
            env=_env(home),
            capture_output=True,
            text=True,
            timeout=300,
        )
        actual = _normal(done.stdout.replace(str(home), HOME))
        wanted = _normal("\n".join(expected))
        assert _matches(wanted, actual), (
            f"README.md:{block.line}: `$ {command}` printed\n" + "\n".join(actual) + "\n\nbut the README shows\n"
        ) + "\n".join(wanted)


def test_the_readme_has_examples_to_run() -> None:
    """A change to the fences or the markers that hid every example would leave nothing tested."""
    run = [b for b in BLOCKS if b.kind == "console" and not b.skip]
    assert len(run) >= 8
    assert sum(len(_commands(b)) for b in run) >= 12

"""searchnews open ID: the article's file in $EDITOR, else $PAGER, else less; its URL when it has no local file."""

from __future__ import annotations

import json
import shlex
import stat
import sys
from pathlib import Path

NO_VIEWER = {"EDITOR": None, "PAGER": None}


def _id_of(run, ix: Path, query: str) -> str:
    return json.loads(run("search", query, "--index", ix, "--json").stdout)[0]["id"]


def test_print_names_editor_then_pager_then_less(run, built_index: Path, corpus: Path) -> None:
    article = _id_of(run, built_index, "harbour")
    path = str(corpus / "harbour.txt")
    editor = run("open", article, "--index", built_index, "--print", env={"EDITOR": "code -w", "PAGER": "more"})
    assert editor.exit_code == 0 and editor.stdout == shlex.join(["code", "-w", path]) + "\n"
    pager = run("open", article, "--index", built_index, "--print", env={"EDITOR": "", "PAGER": "most"})
    assert pager.stdout == shlex.join(["most", path]) + "\n"
    assert run("open", article, "--index", built_index, "--print", env=NO_VIEWER).stdout == f"less {path}\n"


def test_editor_is_run_with_the_file(run, built_index: Path, corpus: Path, tmp_path: Path) -> None:
    record = tmp_path / "args.txt"
    script = tmp_path / "editor.py"
    script.write_text(f"import sys\nopen({str(record)!r}, 'w').write('\\n'.join(sys.argv[1:]))\n")
    editor = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    result = run("open", _id_of(run, built_index, "apple"), "--index", built_index, env={"EDITOR": editor})
    assert result.exit_code == 0, result.output
    assert record.read_text() == str(corpus / "orchard.txt")


def test_a_failing_editor_is_named(run, built_index: Path, tmp_path: Path) -> None:
    script = tmp_path / "bad-editor"
    script.write_text("#!/bin/sh\nexit 4\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    failed = run("open", _id_of(run, built_index, "apple"), "--index", built_index, env={"EDITOR": str(script)})
    assert failed.exit_code == 1 and failed.stderr == f"searchnews: {script} exited with 4\n"
    missing = run("open", _id_of(run, built_index, "apple"), "--index", built_index, env={"EDITOR": "no-such-ed"})
    assert missing.exit_code == 2 and "cannot run 'no-such-ed'" in missing.stderr


def test_url_when_the_file_is_gone_and_errors(run, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "w1", "headline": "Tide tables", "body": "High tide at noon.", "url": "https://example.org/tide"},
        {"id": "w2", "headline": "Moon phases", "body": "A full moon tonight."},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    ix = tmp_path / "ix"
    assert run("index", feed, "--index", ix).exit_code == 0
    assert run("open", "w1", "--index", ix, "--print", env=NO_VIEWER).stdout == f"less {feed}\n"
    feed.unlink()
    assert run("open", "w1", "--index", ix, "--print").stdout == "webbrowser https://example.org/tide\n"
    nowhere = run("open", "w2", "--index", ix, "--print")
    assert nowhere.exit_code == 2
    assert nowhere.stderr == f"searchnews: cannot open article 'w2': its file {feed} is gone and it has no URL\n"
    unknown = run("open", "nope", "--index", ix)
    assert unknown.exit_code == 2 and "no article 'nope'" in unknown.stderr

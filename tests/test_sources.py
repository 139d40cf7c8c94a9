"""The index remembers what it was built from (issue #11): recorded sources, rollback, one identity per file,
and the command line as scripts use it (pipes, --version, --help, folders with nothing to read)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ARTICLES, write_article

from searchnews.engine.store import IndexStore


def index_json(run, *args) -> dict:
    result = run("index", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def article_ids(run, root: Path) -> list[str]:
    result = run("search", "the OR a OR of", "--index", root, "--json", "--limit", "100")
    assert result.exit_code == 0, result.output
    return sorted(hit["id"] for hit in json.loads(result.stdout))


def test_rebuild_without_paths_rebuilds_the_recorded_sources(run, tmp_path: Path, corpus: Path, monkeypatch) -> None:
    root = tmp_path / "ix"
    monkeypatch.chdir(corpus.parent)
    first = index_json(run, "--index", root, corpus.name)  # a relative path
    assert first["indexed"] == len(ARTICLES) and first["sources"] == [str(corpus.resolve())]
    before = article_ids(run, root)

    monkeypatch.chdir(tmp_path / "..")  # anywhere else
    rebuilt = index_json(run, "--index", root, "--rebuild")
    assert rebuilt["indexed"] == len(ARTICLES) and rebuilt["articles"] == len(ARTICLES)
    assert article_ids(run, root) == before
    update = index_json(run, "--index", root)
    assert update["unchanged"] == len(ARTICLES) and update["indexed"] == 0

    listed = run("sources", "--index", root, "--json")
    assert json.loads(listed.stdout) == [{"path": str(corpus.resolve()), "exists": True}]
    assert run("sources", "--index", root).stdout.strip() == str(corpus.resolve())


def test_a_rebuild_from_a_source_that_is_not_there_changes_nothing(run, tmp_path: Path, corpus: Path) -> None:
    """A typo, or a drive not mounted: a rebuild would swap in an index without that source's articles."""
    root = tmp_path / "ix"
    index_json(run, "--index", root, corpus)
    before = article_ids(run, root)
    generation = IndexStore(root).current_dir()

    typo = run("index", "--index", root, "--rebuild", tmp_path / "no-such-folder")
    assert typo.exit_code == 2
    assert "no-such-folder does not exist" in typo.stderr and "unchanged" in typo.stderr

    moved = corpus.rename(tmp_path / "elsewhere")  # the recorded source is gone
    unmounted = run("index", "--index", root, "--rebuild")
    assert unmounted.exit_code == 2 and str(corpus.resolve()) in unmounted.stderr
    moved.rename(corpus)

    assert IndexStore(root).current_dir() == generation
    assert article_ids(run, root) == before


def test_given_paths_add_to_the_sources_and_rebuild_with_paths_replaces_them(run, tmp_path: Path, corpus: Path) -> None:
    root = tmp_path / "ix"
    extra = write_article(tmp_path / "more", "lighthouse.txt", "Lighthouse restored", ["Volunteers finished it."])
    index_json(run, "--index", root, corpus)
    assert index_json(run, "--index", root, extra)["sources"] == [str(corpus.resolve()), str(extra.resolve())]
    inside = index_json(run, "--index", root, corpus / "harbour.txt")  # already under a recorded folder
    assert inside["sources"] == [str(corpus.resolve()), str(extra.resolve())]
    assert index_json(run, "--index", root, "--rebuild")["articles"] == len(ARTICLES) + 1

    replaced = index_json(run, "--index", root, "--rebuild", extra)
    assert replaced["sources"] == [str(extra.resolve())] and replaced["articles"] == 1


def test_rollback_brings_back_the_previous_generation_and_its_sources(run, tmp_path: Path, corpus: Path) -> None:
    root = tmp_path / "ix"
    wrong = write_article(tmp_path / "wrong", "one.txt", "The wrong folder", ["Only one article here."])
    index_json(run, "--index", root, corpus)
    good = article_ids(run, root)
    index_json(run, "--index", root, "--rebuild", wrong)  # a rebuild from the wrong folder
    assert len(article_ids(run, root)) == 1

    back = run("rollback", "--index", root)
    assert back.exit_code == 0, back.output
    assert article_ids(run, root) == good
    assert json.loads(run("sources", "--index", root, "--json").stdout)[0]["path"] == str(corpus.resolve())
    assert index_json(run, "--index", root)["unchanged"] == len(ARTICLES)  # and updates read the right folder

    again = run("rollback", "--index", root)  # a second rollback undoes the first
    assert again.exit_code == 0 and len(article_ids(run, root)) == 1


def test_rollback_without_a_previous_generation_is_one_line_exit_2(run, tmp_path: Path, corpus: Path) -> None:
    root = tmp_path / "ix"
    index_json(run, "--index", root, corpus)
    result = run("rollback", "--index", root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no previous generation" in result.stderr


def test_broken_generation_rebuilds_from_the_sources_recorded_beside_it(run, tmp_path: Path, corpus: Path) -> None:
    root = tmp_path / "ix"
    index_json(run, "--index", root, corpus)
    gen = IndexStore(root).current_dir()
    for path in gen.iterdir():
        path.unlink()
    gen.rmdir()
    broken = run("search", "harbour", "--index", root)
    assert broken.exit_code == 2 and "--rebuild" in broken.stderr and "rollback" in broken.stderr
    assert index_json(run, "--index", root, "--rebuild")["articles"] == len(ARTICLES)


def test_one_folder_by_relative_absolute_and_linked_paths_is_indexed_once(
    run, tmp_path: Path, corpus: Path, monkeypatch
) -> None:
    root = tmp_path / "ix"
    (tmp_path / "link").symlink_to(corpus, target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    index_json(run, "--index", root, "articles")
    assert index_json(run, "--index", root, corpus)["unchanged"] == len(ARTICLES)
    assert index_json(run, "--index", root, "link")["unchanged"] == len(ARTICLES)
    monkeypatch.chdir(tmp_path / "elsewhere")
    summary = index_json(run, "--index", root, "../articles", "--prune")
    assert summary["unchanged"] == len(ARTICLES) and summary["removed"] == 0
    assert summary["articles"] == len(ARTICLES)

    (corpus / "museum.txt").unlink()  # --prune from any directory removes what is gone, and only that
    pruned = index_json(run, "--index", root, "--prune")
    assert pruned["removed"] == 1 and pruned["articles"] == len(ARTICLES) - 1


def test_first_run_without_paths_reads_seeds_then_the_recorded_sources(run, tmp_path: Path, corpus: Path) -> None:
    root = tmp_path / "ix"
    env = {"SEARCHNEWS_SEEDS": str(corpus)}
    first = run("index", "--index", root, "--json", env=env)
    assert first.exit_code == 0 and json.loads(first.stdout)["indexed"] == len(ARTICLES)
    other = tmp_path / "other_seeds"
    other.mkdir()
    later = run("index", "--index", root, "--json", env={"SEARCHNEWS_SEEDS": str(other)})
    assert json.loads(later.stdout)["unchanged"] == len(ARTICLES)  # the index's own sources, not ./seeds


def test_folder_with_nothing_supported_names_what_it_skipped_and_exits_1(run, tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(b"%PDF-1.4")
    (folder / "notes.docx").write_bytes(b"PK")
    result = run("index", "--index", tmp_path / "ix", folder, "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["indexed"] == 0 and len(summary["unsupported"]) == 2
    assert "report.pdf" in result.stderr and "unsupported" in result.stderr
    assert ".warc" in result.stderr and ".rss" in result.stderr  # what it does read, every format named
    assert "nothing could be indexed" in result.stderr


def test_unsupported_files_beside_articles_are_named_but_do_not_fail_the_run(run, tmp_path: Path, corpus: Path) -> None:
    (corpus / "photo.png").write_bytes(b"\x89PNG")
    result = run("index", "--index", tmp_path / "ix", corpus, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["unsupported"] == [str((corpus / "photo.png").resolve())]
    assert "photo.png" in result.stderr


def test_closed_stdout_is_not_an_error(tmp_path: Path, corpus: Path) -> None:
    """`searchnews search x | head -1` under `set -o pipefail` must succeed."""
    root = tmp_path / "ix"
    many = tmp_path / "many"
    for n in range(40):
        write_article(many, f"a{n}.txt", f"Harbour story {n}", [f"The harbour board met for item {n}. " * 20])
    env = {**os.environ, "SEARCHNEWS_INDEX": str(root)}
    subprocess.run([sys.executable, "-m", "searchnews", "index", many], check=True, capture_output=True, env=env)
    for command in (["search", "harbour", "--limit", "40"], ["search", "harbour", "--json", "--limit", "40"]):
        shell = f"set -o pipefail; {sys.executable} -m searchnews {' '.join(command)} | head -c 10 >/dev/null"
        done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""


def test_version_and_completion_and_help_with_examples_and_exit_codes(run) -> None:
    version = run("--version")
    assert version.exit_code == 0 and version.stdout.startswith("searchnews ")
    assert "--install-completion" in run("--help").stdout
    script = Path(sys.executable).with_name("searchnews")  # the installed entry point, named as users call it
    completion = subprocess.run(
        [script, "--show-completion"], capture_output=True, text=True, env={**os.environ, "SHELL": "/bin/bash"}
    )
    assert (
        completion.returncode == 0 and "complete -o default -F _searchnews_completion searchnews" in completion.stdout
    )
    for command in ("index", "search", "quotes", "who", "speakers", "extract", "tui", "sources", "rollback"):
        text = run(command, "--help").stdout
        assert "Examples:" in text and "$ searchnews" in text, command
        assert "Exit codes:" in text and "130" in text, command


def test_date_filter_says_how_many_undated_articles_it_left_out(run, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write_article(folder, "dated.txt", "Harbour toll review", ["Published 12 March 2024", "The harbour toll rises."])
    write_article(folder, "undated.txt", "Harbour dredging", ["The harbour will be dredged in spring."])
    root = tmp_path / "ix"
    index_json(run, "--index", root, folder)
    searched = run("search", "harbour", "--index", root, "--since", "2024-01-01")
    assert searched.exit_code == 0
    assert "1 article matches" in searched.stdout
    assert "1 undated article also matches, left out by the date filter" in searched.stdout
    unfiltered = run("search", "harbour", "--index", root)
    assert "left out by the date filter" not in unfiltered.stdout


def test_listings_stream_as_jsonl_and_open_in_a_spreadsheet_as_csv(run, built_index: Path) -> None:
    import csv
    import io

    as_json = json.loads(run("quotes", "--speaker", "Sergey Shoigu", "--index", built_index, "--json").stdout)
    lines = run("quotes", "--speaker", "Sergey Shoigu", "--index", built_index, "--format", "jsonl").stdout
    assert [json.loads(line) for line in lines.splitlines()] == as_json
    table = list(csv.DictReader(io.StringIO(run("speakers", "--index", built_index, "--format", "csv").stdout)))
    assert {"speaker": "Maria Lopez", "quotes": "2", "names": "Maria Lopez", "kind": "person"} in table
    hits = list(csv.DictReader(io.StringIO(run("search", "harbour", "--index", built_index, "--format", "csv").stdout)))
    assert hits and set(hits[0]) >= {"id", "headline", "score", "snippet", "speakers"}
    assert run("search", "harbour", "--index", built_index, "--format", "xml").exit_code == 2


def test_show_prints_one_whole_article_with_its_quotes_marked(run, built_index: Path, corpus: Path) -> None:
    article_id = str((corpus / "harbour.txt").resolve())
    shown = run("show", article_id, "--index", built_index)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("Harbour strike ends after two weeks")
    assert 'We have won a fair deal for every worker on this harbour." [Maria Lopez]' in shown.stdout
    as_json = json.loads(run("show", article_id, "--index", built_index, "--json").stdout)
    assert as_json["id"] == article_id and {q["speaker"] for q in as_json["quotes"]} >= {"Maria Lopez"}
    missing = run("show", "no-such-id", "--index", built_index)
    assert missing.exit_code == 2 and "no article 'no-such-id'" in missing.stderr

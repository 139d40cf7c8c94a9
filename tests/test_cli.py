"""The searchnews command through Typer's runner: JSON outputs and exit codes, on real indexes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from conftest import ARTICLES, SEED


def test_index_then_search_the_seed(run, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    first = run("index", "--index", ix, SEED.parent, "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    fields = "indexed unchanged removed failed unsupported skipped articles quotes sources seconds"
    assert set(summary) == set(fields.split())
    assert (summary["indexed"], summary["failed"], summary["articles"]) == (1, [], 1)
    assert summary["quotes"] >= 12

    hits = json.loads(run("search", "US", "--index", ix, "--json").stdout)
    assert len(hits) == 1
    assert set(hits[0]) == {"id", "headline", "date", "source", "url", "path", "score", "snippet", "speakers"}
    assert hits[0]["headline"].startswith("Russia plots army drills at Afghanistan border")
    assert "Sergey Shoigu" in hits[0]["speakers"]

    text = run("search", "Tajikistan border", "--index", ix)
    assert text.exit_code == 0 and "Russia plots army drills" in text.stdout
    assert "\x1b[" not in text.stdout  # no colour codes when not a terminal

    again = json.loads(run("index", "--index", ix, SEED.parent, "--json").stdout)
    assert (again["indexed"], again["unchanged"]) == (0, 1)


def test_index_environment_variable(run, tmp_path: Path, corpus: Path) -> None:
    env = {"SEARCHNEWS_INDEX": str(tmp_path / "env-ix")}
    assert run("index", corpus, env=env).exit_code == 0
    assert (tmp_path / "env-ix" / "CURRENT").is_symlink()
    assert json.loads(run("search", "harbour", "--json", env=env).stdout)[0]["headline"].startswith("Harbour")


def test_mixed_folder_indexes_good_articles_names_failures_exits_1(run, tmp_path: Path, corpus: Path) -> None:
    (corpus / "empty.txt").write_text("")
    (corpus / "blob.txt").write_bytes(bytes(range(256)) * 40)
    lines = [
        json.dumps({"id": "j1", "headline": "Ferry returns", "body": "The ferry is back."}),
        '{"id": "j2", "headline": "Broken',
        json.dumps({"id": "j3", "headline": "Tram extended", "body": "The tram line reaches the coast."}),
    ]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n")
    result = run("index", "--index", tmp_path / "ix", corpus, "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    failed = {f["path"] for f in summary["failed"]}
    assert failed == {str(corpus / "empty.txt"), str(corpus / "blob.txt"), f"{corpus / 'feed.jsonl'}:2"}
    assert all(f["error"] for f in summary["failed"])
    assert summary["indexed"] == summary["articles"] == len(ARTICLES) + 2
    assert "feed.jsonl:2" in result.stderr


def test_usage_errors_exit_2_with_one_line(run, tmp_path: Path, built_index: Path) -> None:
    missing = run("search", "x", "--index", tmp_path / "nowhere")
    assert missing.exit_code == 2
    assert missing.stderr.strip().count("\n") == 0 and "searchnews index" in missing.stderr

    bad = run("search", '"unbalanced', "--index", built_index)
    assert bad.exit_code == 2 and "unbalanced quote" in bad.stderr and "Traceback" not in bad.output

    nothing = run("index", "--index", built_index, tmp_path / "no-such-dir", "--json")
    assert nothing.exit_code == 1 and "no-such-dir" in nothing.stdout

    assert run("search", "x", "--index", built_index, "--since", "yesterday").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_locked_index_exits_2(run, built_index: Path, corpus: Path) -> None:
    from searchnews.engine.store import IndexStore

    with IndexStore(built_index).writer_lock():
        result = run("index", "--index", built_index, corpus, "--wait", "0.2")
    assert result.exit_code == 2 and "locked" in result.stderr


def test_extract_seed(run) -> None:
    result = run("extract", SEED, "--json")
    assert result.exit_code == 0
    (article,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(article) >= {"id", "headline", "date", "source", "url", "body", "quotes"}
    assert (
        article["headline"] == "Russia plots army drills at Afghanistan border as Putin tightens stranglehold on region"
    )
    body = article["body"]
    for boilerplate in ("We use your sign-up", "JUST IN:", "[LATEST]", "[INSIGHT]", "Read Full Article"):
        assert boilerplate not in body
    story = SEED.read_text(encoding="utf-8").split("\n\n")
    kept = [p for p in story if p.strip().startswith(("And defence", "“I hope to discuss", "Wang said the Taliban"))]
    assert len(kept) == 3 and all(p.strip() in body for p in kept)
    quote = article["quotes"][0]
    assert set(quote) >= {"text", "speaker", "kind", "cue", "paragraph", "role", "speaker_kind"}
    shoigu = [q for q in article["quotes"] if q["speaker"] == "Sergey Shoigu"]
    assert {q["speaker_kind"] for q in shoigu} == {"person"}
    assert all(q["role"] and "minister" in q["role"].lower() for q in shoigu)  # "Russian Defence Minister ..."
    kinds = {q["speaker"]: q["speaker_kind"] for q in article["quotes"]}
    assert kinds["the Chinese foreign ministry"] in ("organisation", "description")


def test_extract_text_output_and_gz(run, tmp_path: Path) -> None:
    gz = tmp_path / "seed.txt.gz"
    gz.write_bytes(gzip.compress(SEED.read_bytes()))
    result = run("extract", gz)
    assert result.exit_code == 0
    assert "Russia plots army drills" in result.stdout and "Sergey Shoigu" in result.stdout


def test_quotes_who_speakers_json(run, built_index: Path) -> None:
    quotes = json.loads(run("quotes", "fair deal", "--index", built_index, "--json").stdout)
    fields = "speaker text kind cue article_id headline date score role speaker_kind first_seen articles sources"
    assert set(quotes[0]) == set(fields.split())
    assert quotes[0]["speaker"] == "Maria Lopez"
    assert quotes[0]["role"] == "Union leader" and quotes[0]["speaker_kind"] == "person"
    by = json.loads(run("quotes", "--speaker", "Tom Baker", "--index", built_index, "--json").stdout)
    assert {q["speaker"] for q in by} == {"Tom Baker"} and len(by) == 2
    who = json.loads(run("who", "play an important role", "--index", built_index, "--json").stdout)
    assert who[0]["speaker"] == "Wang Yi"
    assert "Wang Yi" in run("who", "play an important role", "--index", built_index).stdout
    speakers = json.loads(run("speakers", "--index", built_index, "--json").stdout)
    assert {"speaker": "Maria Lopez", "quotes": 2, "names": ["Maria Lopez"], "kind": "person"} in speakers
    within = json.loads(run("speakers", "frost", "--index", built_index, "--json").stdout)
    assert [s["speaker"] for s in within] == ["Tom Baker"]


def test_rebuild_and_prune_flags(run, built_index: Path, corpus: Path) -> None:
    (corpus / "museum.txt").unlink()
    pruned = json.loads(run("index", "--index", built_index, corpus, "--prune", "--json").stdout)
    assert pruned["removed"] == 1 and pruned["articles"] == len(ARTICLES)
    rebuilt = json.loads(run("index", "--index", built_index, corpus, "--rebuild", "--json").stdout)
    assert rebuilt["articles"] == len(ARTICLES) - 1


def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "searchnews", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "index" in out.stdout and "search" in out.stdout


def test_a_bug_is_one_line_and_exit_3_not_a_traceback(run, built_index: Path, monkeypatch) -> None:
    from searchnews.engine.searcher import NewsSearcher

    def broken(self, *args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(NewsSearcher, "search", broken)
    result = run("search", "harbour", "--index", built_index)
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        "searchnews: internal error: RuntimeError: simulated bug (set SEARCHNEWS_DEBUG=1 to see where)"
    )


def test_quotes_listing_without_words_is_in_article_order(run, built_index: Path) -> None:
    listed = json.loads(run("quotes", "--speaker", "Maria Lopez", "--index", built_index, "--json").stdout)
    assert [q["text"][:12] for q in listed] == ["We have won ", "The port wil"]


def test_indirect_speech_is_never_shown_in_quote_marks(run, tmp_path: Path) -> None:
    folder = tmp_path / "speech"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Council votes on tolls\n\n"
        "Mayor Ann Lee said the tolls would rise in May.\n\n"
        '"We have no other way to pay for the bridge," Lee added.\n',
        encoding="utf-8",
    )
    root = tmp_path / "ix"
    assert run("index", "--index", root, folder).exit_code == 0
    listing = run("quotes", "--speaker", "Ann Lee", "--index", root).stdout
    assert "  the tolls would rise in May" in listing and "“the tolls" not in listing
    assert "“We have no other way to pay for the bridge”" in listing
    extracted = run("extract", folder / "a.txt").stdout
    assert "said: the tolls would rise in May" in extracted and "“the tolls" not in extracted


def test_roles_are_searchable_with_who(run, tmp_path: Path) -> None:
    folder = tmp_path / "roles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        'Rates to stay high\n\n"Inflation is not beaten yet," said Ana Ruiz, an economist at the institute.\n\n'
        'Mayor Ann Lee said: "The tram opens in May."\n',
        encoding="utf-8",
    )
    root = tmp_path / "ix"
    assert run("index", "--index", root, folder).exit_code == 0
    by_role = json.loads(run("quotes", "who:economist", "--index", root, "--json").stdout)
    assert [q["speaker"] for q in by_role] == ["Ana Ruiz"]
    assert by_role[0]["role"] == "an economist at the institute"
    assert len(json.loads(run("search", "who:economist", "--index", root, "--json").stdout)) == 1

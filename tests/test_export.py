"""`searchnews export`: the JSON Lines export re-indexes to the same articles and quotes; the OpenSearch bulk body
pairs an action with each article and its template analyses and nests as ours."""

from __future__ import annotations

import io
import json
from pathlib import Path

from conftest import ARTICLES, SEED

from searchnews.engine.searcher import open_index
from searchnews.export import export, export_to_file, opensearch_template, write_template
from searchnews.indexing import index_paths
from searchnews.model import Article


def _articles(root: Path) -> dict[str, Article]:
    with open_index(root).searcher() as s:
        ids = [fields["id"] for _, fields in s.s.reader().iter_docs()]
        return {i: s.article(i) for i in ids}


def _comparable(article: Article) -> tuple:
    return (
        article.headline,
        article.body,
        article.date,
        article.source,
        article.url,
        article.author,
        tuple(sorted(article.quotes, key=lambda q: (q.start, q.end, q.text))),
    )


def test_jsonl_export_reindexes_to_the_same_articles_and_quotes(tmp_path: Path, built_index: Path) -> None:
    exported = tmp_path / "export.jsonl"
    summary = export_to_file(open_index(built_index), exported, "jsonl")
    before = _articles(built_index)
    assert summary.articles == len(before) == len(ARTICLES) + 1
    assert summary.quotes == sum(len(a.quotes) for a in before.values()) > 0

    again = tmp_path / "again"
    result = index_paths(again, [exported], jobs=1)
    assert result.indexed == len(before) and not result.failed
    after = _articles(again)
    # Same articles by content (ids happen to be kept too: the export's ids are read back).
    assert sorted(map(_comparable, before.values())) == sorted(map(_comparable, after.values()))
    assert all(a.path == str(exported) for a in after.values())
    assert any(a.quotes for a in after.values())


def test_jsonl_record_has_extract_fields_and_quote_ids(built_index: Path) -> None:
    out = io.StringIO()
    export(open_index(built_index), out, "jsonl")
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    harbour = next(r for r in records if r["headline"] == "Harbour strike ends after two weeks")
    assert {"id", "headline", "date", "source", "url", "body", "quotes", "author", "path"} <= harbour.keys()
    assert harbour["path"].endswith("harbour.txt")
    quotes = harbour["quotes"]
    assert [q["id"] for q in quotes] == [f"{harbour['id']}#q{n}" for n in range(len(quotes))]
    lopez = next(q for q in quotes if "fair deal" in q["text"])
    assert lopez["speaker"] == "Maria Lopez" and lopez["kind"] == "direct"
    assert {"text", "speaker", "kind", "cue", "paragraph", "mention", "start", "end", "role", "speaker_kind"} <= (
        lopez.keys()
    )
    assert harbour["body"][lopez["start"] : lopez["end"]].startswith("We have won")


def test_opensearch_bulk_body_pairs_actions_and_sources(built_index: Path) -> None:
    out = io.StringIO()
    summary = export(open_index(built_index), out, "opensearch", index_name="news")
    text = out.getvalue()
    assert text.endswith("\n")  # _bulk needs the last line ended too
    lines = text.splitlines()
    assert len(lines) == 2 * summary.articles
    expected_ids = set(_articles(built_index))
    seen = set()
    for action_line, source_line in zip(lines[::2], lines[1::2], strict=True):
        action, source = json.loads(action_line), json.loads(source_line)
        assert list(action) == ["index"] and action["index"]["_index"] == "news"
        assert action["index"]["_id"] == source["id"]
        seen.add(source["id"])
        assert source["date"] is None or len(source["date"]) == 10  # strict_date, never ""
        for q in source["quotes"]:
            assert {"text", "speaker", "role", "kind"} <= q.keys()
    assert seen == expected_ids


def test_opensearch_template_matches_our_analysis(tmp_path: Path) -> None:
    path = tmp_path / "template.json"
    write_template(path, "news")
    template = json.loads(path.read_text(encoding="utf-8"))
    assert template == opensearch_template("news") and template["index_patterns"] == ["news*"]
    analysis = template["template"]["settings"]["analysis"]
    text_filters = analysis["analyzer"]["searchnews_text"]["filter"]
    assert text_filters[:2] == ["lowercase", "asciifolding"]
    assert analysis["filter"][text_filters[2]] == {"type": "stemmer", "language": "english"}
    all_filters = [f for a in analysis["analyzer"].values() for f in a["filter"]]
    assert not any("stop" in f for f in all_filters)
    properties = template["template"]["mappings"]["properties"]
    assert properties["body"]["analyzer"] == properties["headline"]["analyzer"] == "searchnews_text"
    quotes = properties["quotes"]
    assert quotes["type"] == "nested"
    assert {"speaker", "role", "kind", "text"} <= quotes["properties"].keys()
    assert quotes["properties"]["text"]["analyzer"] == "searchnews_text"
    assert quotes["properties"]["kind"]["type"] == "keyword"


def test_export_leaves_out_deleted_articles(tmp_path: Path, corpus: Path) -> None:
    root = tmp_path / "index"
    index_paths(root, [corpus, SEED], jobs=1)
    (corpus / "orchard.txt").unlink()
    index_paths(root, None, jobs=1, prune=True)
    out = io.StringIO()
    summary = export(open_index(root), out, "jsonl")
    headlines = {json.loads(line)["headline"] for line in out.getvalue().splitlines()}
    assert summary.articles == len(ARTICLES) == len(headlines)
    assert "Frost threatens apple harvest in the valley" not in headlines


def test_export_command_writes_files_and_says_what(tmp_path: Path, built_index: Path) -> None:
    from typer.testing import CliRunner

    from searchnews.cli import app

    runner = CliRunner()
    out = tmp_path / "news.jsonl"
    result = runner.invoke(app, ["export", "--index", str(built_index), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(ARTICLES) + 1
    assert f"exported {len(ARTICLES) + 1} articles" in result.stderr

    bulk = tmp_path / "bulk.ndjson"
    result = runner.invoke(
        app, ["export", "--index", str(built_index), "--format", "opensearch", "-o", str(bulk), "--name", "news"]
    )
    assert result.exit_code == 0, result.output
    assert len(bulk.read_text(encoding="utf-8").splitlines()) == 2 * (len(ARTICLES) + 1)
    template = json.loads((tmp_path / "bulk.template.json").read_text(encoding="utf-8"))
    assert template["index_patterns"] == ["news*"]

    result = runner.invoke(app, ["export", "--index", str(built_index), "--template", str(tmp_path / "t.json")])
    assert result.exit_code == 2 and "--template goes with --format opensearch" in result.stderr
    result = runner.invoke(app, ["export", "--index", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    result = runner.invoke(app, ["export", "--index", str(built_index), "-o", str(tmp_path / "no" / "dir.jsonl")])
    assert result.exit_code == 2 and "cannot write" in result.stderr and "dir.jsonl" in result.stderr

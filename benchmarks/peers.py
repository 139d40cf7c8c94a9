"""searchnews beside the engines a user could pick instead: tantivy, SQLite FTS5 and Xapian, in one run.

    python benchmarks/peers.py --corpus ../shared/corpora/news.jsonl.gz [--limit N] [--scale 1,2,4] [--json]

``benchmarks/run.py --peers [--scale 1,2,4]`` runs the same code on its own slice of the corpus and queries.

The same articles (the corpus slice, or a ``--scale K`` corpus from workload.write_scaled) go into each engine:
id, headline and body, English (Porter / Snowball) stems, no stop words, accents folded where the engine offers
it (Xapian does not), the headline weighted 2 where the engine can (as searchnews weights it). searchnews is built
by ``searchnews index`` (everything it does: cleaning, quotes, speakers) and searched through its public API.

Each build runs in a child process of its own: build docs/s from the child's own clock (opening the corpus to the
last commit; searchnews' figure is its JSON summary's ``seconds``), index size on disk, and the peak RSS of the
child (``os.wait4``'s rusage of that child: ``ru_maxrss`` of it and its waited-for children, the largest one
process, as ``getrusage(RUSAGE_CHILDREN)`` reports it for all children together). A small launcher process starts
each build, as a child's figure starts at its parent's RSS at the fork; the launcher's own (~10 MB, reported as
``rss_floor_mb``) is the floor.

Searches: the rare / common / two terms / phrase queries of workload.search_queries, top 10, each hit with a
highlighted snippet of the body and its id and headline read back. All engines are open in this one process and
queries are interleaved: query i runs on every engine in turn, the order rotated by i, so the machine's noise
falls on all alike; a warm-up mix (another seed) runs first, unmeasured.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import workload  # noqa: E402

ENGINES = ("searchnews", "tantivy", "fts5", "xapian")
KINDS = ("rare", "common", "two_terms", "phrase")  # what every engine can express (who:/said: are searchnews')
WRITER_MEMORY_MB = 256  # as searchnews' writer
SNIPPET_CHARS = 220  # as searchnews' snippets (searchnews.engine.highlight.SNIPPET_CHARS)
FTS5_SNIPPET_TOKENS = 32  # about 220 characters of news text
HEADLINE_BOOST = 2.0
PACKAGES = {"tantivy": "tantivy", "xapian": "xapian-bindings-binary"}


def dir_size(path: Path) -> int:
    return sum(
        os.path.getsize(os.path.join(root, f))
        for root, _dirs, files in os.walk(path)
        for f in files
        if not os.path.islink(os.path.join(root, f))
    )


def log(message: str) -> None:
    print(f"[peers {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def installed(engine: str) -> str | None:
    """None when the engine can run here, else why not."""
    if engine in ("searchnews", "fts5"):
        if engine == "fts5":
            try:
                sqlite3.connect(":memory:").execute("create virtual table t using fts5(x)")
            except sqlite3.OperationalError as exc:
                return f"this Python's SQLite has no FTS5 ({exc})"
        return None
    try:
        __import__(engine)
    except ImportError:
        return f"not installed (pip install {PACKAGES[engine]}, or .[bench])"
    return None


def version(engine: str) -> str:
    try:
        if engine == "fts5":
            return f"SQLite {sqlite3.sqlite_version}"
        if engine == "xapian":
            import xapian

            return xapian.version_string()
        from importlib.metadata import version as v

        return v(engine)
    except Exception:
        return ""


def records(corpus: Path):
    for n, record in enumerate(workload.iter_records(corpus)):
        yield str(record.get("id") or n), record.get("headline") or "", record.get("body") or ""


# -- tantivy -------------------------------------------------------------------------------------------------------


def _tantivy_setup(index) -> None:
    import tantivy

    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )
    index.register_tokenizer("news", analyzer)


def _tantivy_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("headline", stored=True, tokenizer_name="news")
    sb.add_text_field("body", stored=True, tokenizer_name="news")
    return sb.build()


def build_tantivy(corpus: Path, dest: Path, jobs: int) -> int:
    import tantivy

    dest.mkdir(parents=True)
    index = tantivy.Index(_tantivy_schema(), path=str(dest))
    _tantivy_setup(index)
    writer = index.writer(heap_size=WRITER_MEMORY_MB * 1024 * 1024, num_threads=jobs)
    n = 0
    for doc_id, headline, body in records(corpus):
        writer.add_document(tantivy.Document(id=doc_id, headline=headline, body=body))
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    return n


class TantivySearch:
    how = (
        "simple tokenizer, lowercase, ascii_fold, English stemmer (no stop words); parse_query over headline (boost 2)"
        " and body, conjunction by default; top 10 with count; SnippetGenerator on body, 220 chars"
    )

    def __init__(self, dest: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(dest))
        _tantivy_setup(self.index)
        self.index.reload()
        self.searcher = self.index.searcher()
        self.schema = self.index.schema

    def search(self, text: str) -> tuple[int, list[tuple[str, str, str]]]:
        boosts = {"headline": HEADLINE_BOOST}
        q = self.index.parse_query(text, ["headline", "body"], boosts, conjunction_by_default=True)
        result = self.searcher.search(q, 10, count=True)
        gen = self.tantivy.SnippetGenerator.create(self.searcher, q, self.schema, "body")
        gen.set_max_num_chars(SNIPPET_CHARS)
        hits = []
        for _score, address in result.hits:
            doc = self.searcher.doc(address)
            hits.append((doc["id"][0], doc["headline"][0], gen.snippet_from_doc(doc).to_html()))
        return result.count, hits

    def close(self) -> None:
        pass


# -- SQLite FTS5 ---------------------------------------------------------------------------------------------------

FTS5_TOKENIZE = "porter unicode61 remove_diacritics 2"


def build_fts5(corpus: Path, dest: Path, jobs: int) -> int:
    dest.mkdir(parents=True)
    con = sqlite3.connect(dest / "fts.db")
    con.execute("pragma journal_mode=off")
    con.execute("pragma synchronous=off")
    con.execute(f"create virtual table articles using fts5(id unindexed, headline, body, tokenize='{FTS5_TOKENIZE}')")
    n = 0
    with con:
        for row in records(corpus):
            con.execute("insert into articles(id, headline, body) values (?, ?, ?)", row)
            n += 1
    with con:
        con.execute("insert into articles(articles, rank) values ('rank', ?)", (f"bm25(0, {HEADLINE_BOOST}, 1.0)",))
        con.execute("insert into articles(articles) values ('optimize')")
    con.close()
    return n


class Fts5Search:
    how = (
        f"fts5(id unindexed, headline, body, tokenize='{FTS5_TOKENIZE}'), optimized; MATCH the query as written"
        " (words are ANDed, quotes make a phrase), ORDER BY rank = bm25(headline 2, body 1), LIMIT 10;"
        f" snippet() of body, {FTS5_SNIPPET_TOKENS} tokens; no total count (FTS5 has none without a second query)"
    )

    def __init__(self, dest: Path) -> None:
        self.con = sqlite3.connect(dest / "fts.db", check_same_thread=False)
        self.sql = (
            f"select id, headline, snippet(articles, 2, '<b>', '</b>', '…', {FTS5_SNIPPET_TOKENS}) from articles"
            " where articles match ? order by rank limit 10"
        )

    def search(self, text: str) -> tuple[int, list[tuple[str, str, str]]]:
        hits = self.con.execute(self.sql, (text,)).fetchall()
        return len(hits), hits

    def close(self) -> None:
        self.con.close()


# -- Xapian --------------------------------------------------------------------------------------------------------


def build_xapian(corpus: Path, dest: Path, jobs: int) -> int:
    import xapian

    db = xapian.WritableDatabase(str(dest), xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    n = 0
    for doc_id, headline, body in records(corpus):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(headline, int(HEADLINE_BOOST))
        tg.increase_termpos()
        tg.index_text(body)
        doc.set_data(json.dumps({"id": doc_id, "headline": headline, "body": body}, ensure_ascii=False))
        doc.add_boolean_term("Q" + doc_id)
        db.add_document(doc)
        n += 1
    db.commit()
    db.close()
    return n


class XapianSearch:
    how = (
        "TermGenerator with the English stemmer, STEM_SOME (no stop words, no accent folding: Xapian has none),"
        " headline wdf x2; QueryParser, default AND, phrases; get_mset(0, 10) (estimated count);"
        " MSet.snippet of body, 220 bytes; id, headline and body kept as document data"
    )

    def __init__(self, dest: Path) -> None:
        import xapian

        self.xapian = xapian
        self.db = xapian.Database(str(dest))
        self.stem = xapian.Stem("english")
        self.qp = xapian.QueryParser()
        self.qp.set_stemmer(self.stem)
        self.qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        self.qp.set_default_op(xapian.Query.OP_AND)
        self.qp.set_database(self.db)

    def search(self, text: str) -> tuple[int, list[tuple[str, str, str]]]:
        enquire = self.xapian.Enquire(self.db)
        enquire.set_query(self.qp.parse_query(text))
        mset = enquire.get_mset(0, 10)
        hits = []
        for m in mset:
            data = json.loads(m.document.get_data())
            snippet = mset.snippet(data["body"], SNIPPET_CHARS, self.stem)  # bytes in these bindings
            hits.append((data["id"], data["headline"], snippet.decode() if isinstance(snippet, bytes) else snippet))
        return mset.get_matches_estimated(), hits

    def close(self) -> None:
        self.db.close()


# -- searchnews ----------------------------------------------------------------------------------------------------


class SearchnewsSearch:
    how = (
        "`searchnews index --index DIR CORPUS --json --jobs N` (everything it does); searched through"
        " searchnews.engine.open_index(DIR).searcher().search(q, limit=10): top 10, snippets, count, suggestions"
    )

    def __init__(self, dest: Path) -> None:
        from searchnews.engine import open_index

        self.searcher = open_index(dest).searcher()

    def search(self, text: str) -> tuple[int, list[tuple[str, str, str]]]:
        r = self.searcher.search(text, limit=10)
        return r.total, [(h.id, h.headline, h.snippet) for h in r.hits]

    def close(self) -> None:
        self.searcher.close()


BUILDERS = {"tantivy": build_tantivy, "fts5": build_fts5, "xapian": build_xapian}
SEARCHERS = {"searchnews": SearchnewsSearch, "tantivy": TantivySearch, "fts5": Fts5Search, "xapian": XapianSearch}


# -- builds in child processes -------------------------------------------------------------------------------------


def searchnews_command() -> list[str]:
    script = Path(sys.executable).parent / "searchnews"
    return [str(script)] if script.exists() else [sys.executable, "-m", "searchnews"]


# A child's ru_maxrss starts at its parent's RSS when it was forked (Linux carries the high-water mark over fork
# and exec): spawned from this process, with indexes open, every build would report at least this process' size.
# A small launcher process starts each build instead and reports the build's rusage (os.wait4) in a file.
LAUNCHER = """
import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_pid, status, ru = os.wait4(proc.pid, 0)
proc.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as f:
    json.dump({"code": proc.returncode, "maxrss_kb": ru.ru_maxrss, "cpu_s": ru.ru_utime + ru.ru_stime}, f)
"""


def launcher_floor_mb(tmp: Path) -> float:
    """The peak RSS a build reports at least: the launcher's own, as it forks (an empty child, measured)."""
    _code, _out, _err, _wall, usage = run_child([sys.executable, "-c", "pass"], None, tmp)
    return round(usage["maxrss_kb"] / 1024, 1)


def run_child(cmd: list[str], env: dict[str, str] | None, tmp: Path) -> tuple[int, str, str, float, dict]:
    """Run ``cmd`` through the launcher: exit code, output, wall seconds, and the child's own rusage."""
    out_path, err_path, usage_path = tmp / "child.out", tmp / "child.err", tmp / "child.rusage"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(usage_path), *cmd],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - started
    usage = json.loads(usage_path.read_text())
    return usage["code"], out_path.read_text(errors="replace"), err_path.read_text(errors="replace"), wall, usage


def build(engine: str, corpus: Path, dest: Path, jobs: int, env: dict[str, str] | None, tmp: Path) -> dict[str, Any]:
    if engine == "searchnews":
        cmd = [*searchnews_command(), "index", "--index", str(dest), str(corpus), "--json", "--jobs", str(jobs)]
    else:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--build", engine, str(corpus), str(dest)]
        cmd += ["--jobs", str(jobs)]
    code, out, err, wall, usage = run_child(cmd, env, tmp)
    try:
        summary = json.loads(out)
    except json.JSONDecodeError:
        raise RuntimeError(f"{engine} build exited {code} without a JSON summary: {err.strip()[-1500:]}") from None
    docs = summary.get("articles") if engine == "searchnews" else summary.get("docs")
    seconds = summary.get("seconds") or wall
    return {
        "docs": docs,
        "build_s": round(seconds, 3),
        "build_wall_s": round(wall, 3),
        "build_cpu_s": round(usage["cpu_s"], 3),
        "build_docs_per_s": round((docs or 0) / seconds, 1),
        "index_mb": round(dir_size(dest) / 1e6, 1),
        "build_peak_rss_mb": round(usage["maxrss_kb"] / 1024, 1),  # Linux: kilobytes
        "exit_code": code,
    }


def child_build(engine: str, corpus: Path, dest: Path, jobs: int) -> int:
    """The ``--build`` entry point: one peer's build in this (child) process, a JSON summary on stdout."""
    started = time.perf_counter()
    docs = BUILDERS[engine](corpus, dest, jobs)
    print(json.dumps({"engine": engine, "docs": docs, "seconds": time.perf_counter() - started}))
    return 0


# -- searches, interleaved -----------------------------------------------------------------------------------------


def interleaved(
    searchers: dict[str, Any], queries: list[workload.Query], warmup: list[workload.Query]
) -> dict[str, dict[str, Any]]:
    names = list(searchers)
    for q in warmup:
        for name in names:
            searchers[name].search(q.text)
    seconds: dict[str, list[float]] = {n: [] for n in names}
    found: dict[str, list[int]] = {n: [] for n in names}
    top: dict[str, list[set[str]]] = {n: [] for n in names}
    errors: dict[str, list[str]] = {n: [] for n in names}
    for i, q in enumerate(queries):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            started = time.perf_counter()
            try:
                total, hits = searchers[name].search(q.text)
            except Exception as exc:  # a query the engine cannot parse: counted, not timed
                errors[name].append(f"{q.text}: {type(exc).__name__}: {exc}")
                total, hits = -1, []
            top[name].append({str(h[0]) for h in hits})
            seconds[name].append(time.perf_counter() - started)
            found[name].append(total)
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        ms = [s * 1000 for s in seconds[name]]
        entry: dict[str, Any] = {
            "search_n": len(ms),
            "search_p50_ms": round(workload.percentile(ms, 50), 2),
            "search_p95_ms": round(workload.percentile(ms, 95), 2),
            "search_with_hits": sum(1 for t in found[name] if t > 0),
            "by_kind": {},
        }
        for kind in KINDS:
            idx = [i for i, q in enumerate(queries) if q.kind == kind]
            k_ms = [ms[i] for i in idx]
            entry["by_kind"][kind] = {
                "n": len(idx),
                "p50_ms": round(workload.percentile(k_ms, 50), 2) if idx else None,
                "p95_ms": round(workload.percentile(k_ms, 95), 2) if idx else None,
                "with_hits": sum(1 for i in idx if found[name][i] > 0),
            }
            entry[f"p95_{kind}_ms"] = entry["by_kind"][kind]["p95_ms"]
        if "searchnews" in top and queries:
            # how far the engines agree: the share of searchnews' top 10 this engine also ranks in its top 10
            shared = [len(a & b) / len(b) for a, b in zip(top[name], top["searchnews"], strict=True) if b]
            entry["top10_shared_with_searchnews"] = round(sum(shared) / len(shared), 2) if shared else None
        slowest = sorted(range(len(queries)), key=lambda i: -ms[i])[:3]
        entry["slowest"] = [f"{queries[i].text} ({ms[i]:.1f} ms)" for i in slowest]
        if errors[name]:
            entry["query_errors"] = errors[name][:5]
            entry["query_errors_n"] = len(errors[name])
        out[name] = entry
    return out


def compare(
    corpus: Path,
    tmp: Path,
    queries: list[workload.Query],
    warmup: list[workload.Query],
    jobs: int,
    env: dict[str, str] | None = None,
    engines: Sequence[str] = ENGINES,
) -> dict[str, Any]:
    """Build every engine on ``corpus`` (each in a child), then search them all interleaved. One object per engine."""
    queries = [q for q in queries if q.kind in KINDS]
    warmup = [q for q in warmup if q.kind in KINDS]
    tmp.mkdir(parents=True, exist_ok=True)
    rows: dict[str, dict[str, Any]] = {}
    searchers: dict[str, Any] = {}
    try:
        for engine in engines:
            row: dict[str, Any] = {"engine": engine, "version": version(engine)}
            rows[engine] = row
            missing = installed(engine)
            if missing:
                row.update(installed=False, error=missing)
                log(f"{engine}: {missing}")
                continue
            row["installed"] = True
            log(f"{engine}: building {corpus.name} ...")
            try:
                row.update(build(engine, corpus, tmp / f"{engine}-index", jobs, env, tmp))
                searchers[engine] = SEARCHERS[engine](tmp / f"{engine}-index")
                row["how"] = SEARCHERS[engine].how
            except Exception as exc:
                row["error"] = f"{type(exc).__name__}: {exc}"
                log(f"{engine} FAILED: {row['error']}")
                continue
            log(
                f"{engine}: {row['docs']} docs, {row['build_docs_per_s']} docs/s, {row['index_mb']} MB, "
                f"peak RSS {row['build_peak_rss_mb']} MB"
            )
        if searchers:
            log(f"searching {len(queries)} queries on {', '.join(searchers)}, interleaved ...")
            for engine, figures in interleaved(searchers, queries, warmup).items():
                rows[engine].update(figures)
    finally:
        for s in searchers.values():
            s.close()
    floor = launcher_floor_mb(tmp)
    return {"engines": list(rows.values()), "ratios": ratios(list(rows.values())), "rss_floor_mb": floor}


def ratios(rows: list[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """searchnews' figure over each peer's: above 1 means searchnews is slower (search) / faster (build)."""
    ours = next((r for r in rows if r["engine"] == "searchnews"), None)
    if not ours or "search_p95_ms" not in ours:
        return {}

    def ratio(a: Any, b: Any) -> float | None:
        return round(a / b, 2) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None

    return {
        r["engine"]: {
            "search_p95_ratio": ratio(ours.get("search_p95_ms"), r.get("search_p95_ms")),
            "phrase_p95_ratio": ratio(ours.get("p95_phrase_ms"), r.get("p95_phrase_ms")),
            "build_docs_per_s_ratio": ratio(ours.get("build_docs_per_s"), r.get("build_docs_per_s")),
        }
        for r in rows
        if r["engine"] != "searchnews" and "search_p95_ms" in r
    }


def curve(
    slice_path: Path,
    tmp: Path,
    factors: Sequence[int],
    queries: list[workload.Query],
    warmup: list[workload.Query],
    jobs: int,
    seed: int,
    env: dict[str, str] | None = None,
    engines: Sequence[str] = ENGINES,
    tui: bool = True,
) -> list[dict[str, Any]]:
    """``compare`` at each scale factor (workload.write_scaled of the slice), the same queries at every one."""
    out = []
    for k in factors:
        corpus = slice_path
        scaled: dict[str, Any] = {}
        if k != 1:
            corpus = tmp / f"corpus.x{k}.jsonl"
            scaled = workload.write_scaled(slice_path, corpus, k, seed)
            log(f"x{k}: {scaled['articles']} articles written to {corpus}")
        load = _load()
        result = compare(corpus, tmp / f"x{k}", queries, warmup, jobs, env, engines)
        out.append({"factor": k, "articles": _count_lines(corpus), "scaled": scaled, "load_1min": [load, _load()]})
        out[-1].update(result)
        index_dir = tmp / f"x{k}" / "searchnews-index"
        if "searchnews" in engines and index_dir.is_dir():
            log(f"x{k}: searchnews' who, searching RSS, cold search and TUI ...")
            ours = next(r for r in result["engines"] if r["engine"] == "searchnews")
            out[-1]["searchnews"] = searchnews_point(index_dir, ours, queries, env, tmp / f"x{k}", seed, tui)
        # A long curve can outlast the session that started it: each factor's figures go to the log as they come.
        log(f"x{k} done:{curve_table(out[-1:])}")
        log("x{} JSON: {}".format(k, json.dumps({key: v for key, v in out[-1].items() if key != "how"})))
        if k != 1:
            corpus.unlink()
    return out


# -- searchnews' own figures at each factor ----------------------------------------------------------------------

PROBE = """
import json, os, sys, time
# python -c puts the working folder first on sys.path, ahead of PYTHONPATH's snapshot: a repository's checkout
# there would be imported instead of the code that built the index.
sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]
sys.path.insert(0, sys.argv[1])
import workload
from searchnews.engine import open_index

index_dir, spec = sys.argv[2], json.loads(sys.argv[3])
with open_index(index_dir).searcher() as ns:
    ns.warm()
    for text in spec["searches"]:
        ns.search(text, limit=10)
    reader = ns.s.reader()
    quotes = [q[0] for _, f in zip(range(4000), reader.iter_docs()) for q in f[1].get("quotes", ()) if q[0]]
    phrases, _ = workload.who_phrases(quotes, spec["n"], spec["seed"])
    warm, _ = workload.who_phrases(quotes, max(3, spec["n"] // 5), spec["seed"] + 100)
    for p in warm:
        ns.who(p, limit=10)
    ms = []
    for p in phrases:
        started = time.perf_counter()
        ns.who(p, limit=10)
        ms.append((time.perf_counter() - started) * 1000)
print(json.dumps({"who_n": len(ms), "who_p50_ms": round(workload.percentile(ms, 50), 2),
                  "who_p95_ms": round(workload.percentile(ms, 95), 2)}))
"""
COLD_RUNS = 7
TUI_QUERIES = 12


def searchnews_point(
    index_dir: Path,
    ours: dict[str, Any],
    queries: list[workload.Query],
    env: dict[str, str] | None,
    tmp: Path,
    seed: int,
    tui: bool = True,
) -> dict[str, Any]:
    """What issue #15's curve asks of searchnews beyond the peers' figures, at one factor: build CPU per article,
    ``who`` latency and the peak RSS of a process that searched (the peers' mix) and ran ``who``, the median wall
    time of ``searchnews search`` as a cold process, and TUI keystroke latency (benchmarks/tui_latency.py, in a
    child: its peak RSS is the TUI's)."""
    out: dict[str, Any] = {}
    if ours.get("docs"):
        out["build_cpu_ms_per_article"] = round(ours["build_cpu_s"] * 1000 / ours["docs"], 3)
        out["build_wall_ms_per_article"] = round(ours["build_wall_s"] * 1000 / ours["docs"], 3)
    spec = json.dumps({"searches": [q.text for q in queries], "n": 50, "seed": seed})
    code, text, err, _wall, usage = run_child([sys.executable, "-c", PROBE, str(HERE), str(index_dir), spec], env, tmp)
    if code == 0:
        out.update(json.loads(text))
        out["search_process_peak_rss_mb"] = round(usage["maxrss_kb"] / 1024, 1)
    else:
        out["probe_error"] = err.strip()[-1000:]
    mix = [q.text for q in queries]
    cold = []
    for text in mix[::7][:COLD_RUNS]:
        started = time.perf_counter()
        proc = subprocess.run(
            [*searchnews_command(), "search", text, "--index", str(index_dir)],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=env,
            check=False,
        )
        if proc.returncode == 0:
            cold.append(time.perf_counter() - started)
    out["cli_search_cold_median_s"] = round(workload.percentile(cold, 50), 3) if cold else None
    if not tui:
        return out
    typed = [q.text for q in queries if q.kind in ("common", "two_terms", "rare")][::3][:TUI_QUERIES]
    cmd = [sys.executable, str(HERE / "tui_latency.py"), str(index_dir), *typed]
    code, text, err, _wall, usage = run_child(cmd, env, tmp)
    try:
        keys = json.loads(text)["keystroke"]
        out["tui_keystroke_p50_ms"], out["tui_keystroke_p95_ms"] = keys.get("median_ms"), keys.get("p95_ms")
        out["tui_peak_rss_mb"] = round(usage["maxrss_kb"] / 1024, 1)
    except (json.JSONDecodeError, KeyError):
        out["tui_error"] = f"exit {code}: {err.strip()[-1000:]}"
    return out


def _count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


# -- report --------------------------------------------------------------------------------------------------------


def _f(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def table(result: dict[str, Any]) -> str:
    """One row per engine, then searchnews' ratio to each peer."""
    kinds = "p95 " + " / ".join(KINDS)
    head = ["engine", "build docs/s", "index MB", "build peak RSS MB", "search p50 / p95 ms", kinds]
    rows = [head]
    for r in result["engines"]:
        if "error" in r:
            rows.append([r["engine"], r["error"], "", "", "", ""])
            continue
        kinds = " / ".join(_f(r.get(f"p95_{k}_ms")) for k in KINDS)
        rows.append(
            [
                r["engine"],
                _f(r.get("build_docs_per_s")),
                _f(r.get("index_mb")),
                _f(r.get("build_peak_rss_mb")),
                f"{_f(r.get('search_p50_ms'))} / {_f(r.get('search_p95_ms'))}",
                kinds,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    hits = ", ".join(
        f"{r['engine']} {r.get('search_with_hits')}/{r.get('search_n')}" for r in result["engines"] if "search_n" in r
    )
    lines.append(f"queries with hits: {hits}; peak RSS floor (an empty Python child): {result.get('rss_floor_mb')} MB")
    shared = ", ".join(
        f"{r['engine']} {r['top10_shared_with_searchnews']:.0%}"
        for r in result["engines"]
        if r["engine"] != "searchnews" and r.get("top10_shared_with_searchnews") is not None
    )
    if shared:
        lines.append(f"share of searchnews' top 10 also in the peer's top 10 (mean over queries): {shared}")
    docs = {r["engine"]: r.get("docs") for r in result["engines"] if r.get("docs") is not None}
    if len(set(docs.values())) > 1:  # searchnews leaves out a row with neither headline nor body
        lines.append("documents indexed differ: " + ", ".join(f"{e} {n:,}" for e, n in docs.items()))
    for peer, x in result["ratios"].items():
        lines.append(
            f"searchnews / {peer}: search p95 {_f(x['search_p95_ratio'])}x, phrase p95 {_f(x['phrase_p95_ratio'])}x,"
            f" build docs/s {_f(x['build_docs_per_s_ratio'])}x"
        )
    return "\n".join(lines)


def _growth(row: dict[str, Any], base: dict[str, Any], key: str) -> str:
    a, b = row.get(key), base.get(key)
    return f"{a / b:.2f}x" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else "-"


def curve_table(points: list[dict[str, Any]]) -> str:
    lines = []
    for p in points:
        load = f"load {p['load_1min'][0]} -> {p['load_1min'][1]}"
        lines.append(f"\n== x{p['factor']}: {p['articles']:,} articles ({load})")
        lines.append(table(p))
    if len(points) > 1:
        base = {r["engine"]: r for r in points[0]["engines"]}
        lines.append(f"\ngrowth against x{points[0]['factor']} (same queries): search p95 / build docs/s / index MB")
        for p in points[1:]:
            parts = []
            for r in p["engines"]:
                b = base.get(r["engine"], {})
                if "search_p95_ms" not in r or "search_p95_ms" not in b:
                    continue
                growth = [_growth(r, b, key) for key in ("search_p95_ms", "build_docs_per_s", "index_mb")]
                parts.append(f"{r['engine']} " + " / ".join(growth))
            lines.append(f"x{p['factor']}: " + "; ".join(parts))
    extra = [p for p in points if p.get("searchnews")]
    if extra:
        lines.append(
            "\nsearchnews at each factor: build CPU ms/article, who p50 / p95 ms, searching process peak RSS MB,"
        )
        lines.append("cold `searchnews search` median s, TUI keystroke p50 / p95 ms, TUI peak RSS MB")
        for p in extra:
            x = p["searchnews"]
            lines.append(
                f"x{p['factor']}: {_f(x.get('build_cpu_ms_per_article'))}, {_f(x.get('who_p50_ms'))} / "
                f"{_f(x.get('who_p95_ms'))}, {_f(x.get('search_process_peak_rss_mb'))}, "
                f"{_f(x.get('cli_search_cold_median_s'))}, {_f(x.get('tui_keystroke_p50_ms'))} / "
                f"{_f(x.get('tui_keystroke_p95_ms'))}, {_f(x.get('tui_peak_rss_mb'))}"
            )
    checks = curve_targets(points)
    if checks:
        lines.append("\nissue #15 targets:")
        lines += [
            f"  {c['target']}: {_f(c['value'])} {'PASS' if c['pass'] else 'MISS' if c['pass'] is False else '-'}"
            for c in checks
        ]
    return "\n".join(lines)


def _engine(point: dict[str, Any], name: str) -> dict[str, Any]:
    return next((r for r in point.get("engines", ()) if r["engine"] == name), {})


def _ratio(a: Any, b: Any) -> float | None:
    return round(a / b, 2) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None


def curve_targets(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issue #15's targets: at the first factor, search p95 against the peers'; at the last, growth against the
    first (ratios of the same run) and absolute bounds. ``pass`` None when a figure is missing."""
    if not points:
        return []
    first, last = points[0], points[-1]
    ours1 = _engine(first, "searchnews")
    checks = []

    def check(target: str, value: float | None, bound: float) -> None:
        checks.append(
            {"target": target, "value": value, "bound": bound, "pass": None if value is None else value <= bound}
        )

    for peer, bound in (("fts5", 1.0), ("xapian", 1.0), ("tantivy", 5.0)):
        value = _ratio(ours1.get("search_p95_ms"), _engine(first, peer).get("search_p95_ms"))
        check(f"x{first['factor']} search p95 / {peer}'s <= {bound}", value, bound)
    value = _ratio(ours1.get("p95_phrase_ms"), _engine(first, "fts5").get("p95_phrase_ms"))
    check(f"x{first['factor']} phrase p95 / fts5's <= 2", value, 2.0)
    if len(points) > 1:
        ours, a, b = _engine(last, "searchnews"), first.get("searchnews", {}), last.get("searchnews", {})
        growth = f"x{last['factor']} / x{first['factor']}"
        check(f"{growth} search p95 <= 1.5", _ratio(ours.get("search_p95_ms"), ours1.get("search_p95_ms")), 1.5)
        check(f"{growth} who p95 <= 1.5", _ratio(b.get("who_p95_ms"), a.get("who_p95_ms")), 1.5)
        cold = _ratio(b.get("cli_search_cold_median_s"), a.get("cli_search_cold_median_s"))
        check(f"{growth} cold search <= 1.5", cold, 1.5)
        cpu = _ratio(b.get("build_cpu_ms_per_article"), a.get("build_cpu_ms_per_article"))
        check(f"{growth} build CPU per article <= 1.15", cpu, 1.15)
    at = f"x{last['factor']}"
    check(f"{at} TUI keystroke p95 ms <= 100", last.get("searchnews", {}).get("tui_keystroke_p95_ms"), 100.0)
    check(f"{at} build peak RSS MB <= 2048", _engine(last, "searchnews").get("build_peak_rss_mb"), 2048.0)
    check(f"{at} TUI peak RSS MB <= 600", last.get("searchnews", {}).get("tui_peak_rss_mb"), 600.0)
    return checks


# -- main ----------------------------------------------------------------------------------------------------------


def draw_queries(corpus: Path, n: int, seed: int) -> tuple[list[workload.Query], list[workload.Query]]:
    """The measured mix and a warm-up mix (another seed) of the kinds every engine can express."""
    vocab = workload.learn_vocabulary(corpus, seed)
    queries, _how = workload.search_queries(vocab, [], [], n, seed)
    warm, _ = workload.search_queries(vocab, [], [], max(3, n // 5), seed + 100)
    return [q for q in queries if q.kind in KINDS], [q for q in warm if q.kind in KINDS]


def parse_factors(text: str) -> list[int]:
    """``--scale``: factors as listed ("1,2,4"), or one factor K as the curve up to it, doubling from 1 ("4": 1, 2,
    4; "6": 1, 2, 4, 6), since a figure at K alone says nothing of growth."""
    try:
        factors = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        factors = []
    if not factors or any(k < 1 for k in factors):
        raise argparse.ArgumentTypeError(f"--scale {text!r}: expected factors of 1 or more, e.g. 4 or 1,2,4")
    if len(factors) == 1 and factors[0] > 1:
        k, curve = factors[0], [1]
        while curve[-1] * 2 < k:
            curve.append(curve[-1] * 2)
        factors = [*curve, k]
    return factors


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, help="JSONL (or .jsonl.gz) of articles")
    p.add_argument("--limit", type=int, default=None, help="first N articles only")
    p.add_argument("--scale", type=parse_factors, default=[1], help="corpus factors, e.g. 1,2,4 [1]")
    p.add_argument("--queries", type=int, default=50, help="queries of each kind [50]")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes / threads for the builds")
    p.add_argument("--engines", default=",".join(ENGINES), help=f"subset of {','.join(ENGINES)}")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="one JSON object on stdout (the table goes to stderr)")
    p.add_argument("--build", nargs=3, metavar=("ENGINE", "CORPUS", "DEST"), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.build:
        engine, corpus, dest = args.build
        return child_build(engine, Path(corpus), Path(dest), args.jobs)
    if not args.corpus or not args.corpus.is_file():
        print(f"peers.py: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    import run  # the snapshot of searchnews/ and the machine's description, as run.py takes them

    engines = [e for e in args.engines.split(",") if e in ENGINES]
    tmp = Path(tempfile.mkdtemp(prefix="searchnews-peers-"))
    try:
        slice_path = tmp / "corpus.jsonl"
        n = workload.write_slice(args.corpus, slice_path, args.limit)
        code = run.snapshot_package(tmp / "code")
        log(f"{n} articles; running searchnews from a snapshot ({code['path']})")
        queries, warm = draw_queries(slice_path, args.queries, args.seed)
        env = run.child_env()
        points = curve(slice_path, tmp, args.scale, queries, warm, args.jobs, args.seed, env, engines)
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    report = {
        "machine": run.machine_info(),
        "params": {"corpus": args.corpus.name, "limit": args.limit, "articles": n, "jobs": args.jobs},
        "params_queries": {"per_kind": args.queries, "seed": args.seed, "kinds": list(KINDS)},
        "code": code,
        "peers": points[0]["engines"] if points else [],
        "ratios": points[0]["ratios"] if points else {},
        "scale": points,
        "targets": curve_targets(points),
    }
    text = curve_table(points)
    if args.json:
        print(text, file=sys.stderr)
        print(json.dumps(report, indent=2))
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

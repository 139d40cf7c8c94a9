"""searchnews benchmark: our pipeline against raw Whoosh, re-index and update, search, who, TUI and CLI latency.

    python benchmarks/run.py --corpus ../shared/corpora/news.jsonl.gz [--limit N] [--json] [--jobs N] [--skip-tui]
        [--peers] [--scale 4 | --scale 1,2,4]

Everything is measured in one run, on the same articles and the same cores, so the ratios compare like with
like. Prints a table (figure, target, PASS/MISS); with ``--json`` the table goes to stderr and stdout gets one
JSON object with every figure. Temporary indexes and corpus copies live in a temporary directory that is
removed at the end (``--keep`` keeps it); nothing is written into the repository unless ``--save`` is given
(benchmarks/results/, git-ignored).

What each figure is:
- raw: the same JSONL read with json.loads, headline+body indexed by Whoosh with a plain schema
  (StemmingAnalyzer(stoplist=None), stored body), ``procs=jobs, multisegment=True`` when jobs > 1: the ceiling.
- pipeline: ``searchnews index --index TMP CORPUS --json --jobs N`` as a subprocess, wall time (read, clean,
  extract quotes, index); ``pipeline_vs_raw`` is the ratio of the two docs/s.
- reindex: the same command again on the unchanged corpus.
- update: 1% of the articles get one more (quoted) paragraph and the file is replaced at the same path, then the
  same command runs (it re-reads and hashes every article, re-indexes the changed ones);
  update_delta: a file holding only another 1% of changed articles (an incremental feed), indexed into the same
  index.
- search / who: in-process, searcher warm (opened and warmed with other queries of the same kinds), top 10,
  snippets highlighted, on the index as the updates left it.
- tui: keystroke to results painted through Textual's Pilot (headless: the screen is composed, no terminal
  write), and time to first paint of ``searchnews tui`` under a pseudo-terminal.
- cli_search: ``searchnews search QUERY --index X`` as a process (interpreter start, imports, open, search,
  print): median wall time.
- peers (``--peers``): searchnews beside tantivy, SQLite FTS5 and Xapian on the slice as read (before the
  updates), each built in a child process, searched interleaved (benchmarks/peers.py says how); ``--scale 1,2,4``
  does the same at each factor on workload.write_scaled copies of the slice. JSON: ``peers`` (one object per
  engine, at the first factor), ``peers_ratios`` and ``scale`` (one object per factor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import workload  # noqa: E402

REPO = HERE.parent
WRITER_MEMORY_MB = 256  # as the pipeline's writer (searchnews.engine.writer.WRITER_MEMORY_MB)
UPDATE_FRACTION = 0.01

# name -> (op, target, unit): every figure with a target, in table order.
TARGETS: dict[str, tuple[str, float, str]] = {
    "pipeline_vs_raw": (">=", 0.5, "x"),
    "reindex_vs_build": ("<=", 0.10, "x"),
    "search_p95_ms": ("<=", 30.0, "ms"),
    "who_p95_ms": ("<=", 30.0, "ms"),
    "tui_keystroke_p95_ms": ("<=", 100.0, "ms"),
    "cli_search_cold_s": ("<=", 0.6, "s"),
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def latency_summary(seconds: Sequence[float]) -> dict[str, Any]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2) if ms else None,
        "p95_ms": round(workload.percentile(ms, 95), 2) if ms else None,
        "max_ms": round(max(ms), 2) if ms else None,
    }


def dir_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            p = os.path.join(root, name)
            if not os.path.islink(p):
                total += os.path.getsize(p)
    return total


def searchnews_command() -> list[str]:
    script = Path(sys.executable).parent / "searchnews"
    if script.exists():
        return [str(script)]
    found = shutil.which("searchnews")
    return [found] if found else [sys.executable, "-m", "searchnews"]


# Where the snapshot of the package lives for this run (see snapshot_package); None: the installed package.
_SNAPSHOT: list[Path] = []


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHNEWS_")}
    if _SNAPSHOT:
        env["PYTHONPATH"] = os.pathsep.join([str(_SNAPSHOT[0]), *filter(None, [env.get("PYTHONPATH")])])
    return env


def snapshot_package(dest: Path) -> dict[str, Any]:
    """Copy searchnews/ as last committed (``git archive HEAD``; the working tree when that fails) and run every
    step on the copy.

    Others edit the tree while a long run goes on: a step run on newer code (a new EXTRACTOR_VERSION makes the
    "unchanged" re-index re-extract every article) would not measure what the run says, and a file half-edited
    when the run starts would break it. The copy goes first on sys.path here and on PYTHONPATH for the
    subprocesses, ahead of the editable install.
    """
    dest.mkdir(parents=True, exist_ok=True)
    commit = _git("rev-parse", "--short", "HEAD").strip()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "HEAD", "searchnews"], capture_output=True, check=False
    )
    unpacked = archive.returncode == 0 and (
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=False).returncode == 0
    )
    if not unpacked:
        commit = ""
        shutil.rmtree(dest / "searchnews", ignore_errors=True)
        shutil.copytree(REPO / "searchnews", dest / "searchnews", ignore=shutil.ignore_patterns("__pycache__"))
    _SNAPSHOT[:] = [dest]
    sys.path.insert(0, str(dest))
    for name in [m for m in sys.modules if m == "searchnews" or m.startswith("searchnews.")]:
        del sys.modules[name]
    dirty = _git("status", "--porcelain", "--", "searchnews").split("\n") if not commit else []
    import searchnews
    from searchnews.quotes import EXTRACTOR_VERSION

    assert Path(searchnews.__file__).is_relative_to(dest), searchnews.__file__
    return {
        "path": str(dest / "searchnews"),
        "commit": commit or None,
        "uncommitted_files": sorted(line[3:] for line in dirty if line.strip()),
        "extractor_version": EXTRACTOR_VERSION,
    }


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False).stdout


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


# -- machine -----------------------------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    versions = {}
    for module in ("whoosh", "textual"):
        try:
            from importlib.metadata import version

            versions[module] = version({"whoosh": "whoosh-reloaded"}.get(module, module))
        except Exception:
            versions[module] = None
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        **versions,
    }


# -- raw Whoosh ----------------------------------------------------------------------------------------------------


def raw_whoosh(corpus: Path, dest: Path, jobs: int) -> dict[str, Any]:
    """The ceiling: json.loads + headline/body into a plain Whoosh schema, same processes as the pipeline."""
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    analyzer = StemmingAnalyzer(stoplist=None)
    schema = Schema(
        id=ID(stored=True), headline=TEXT(analyzer=analyzer, stored=True), body=TEXT(analyzer=analyzer, stored=True)
    )
    dest.mkdir(parents=True)
    ix = index.create_in(str(dest), schema)
    started, started_cpu, started_children = time.perf_counter(), time.process_time(), children_cpu()
    if jobs > 1:
        writer = ix.writer(procs=jobs, multisegment=True, limitmb=WRITER_MEMORY_MB)
    else:
        writer = ix.writer(limitmb=WRITER_MEMORY_MB)
    rows = 0
    with open(corpus, "rb") as f:
        for n, line in enumerate(f):
            if not line.strip():
                continue
            record = json.loads(line)
            writer.add_document(
                id=str(record.get("id") or n), headline=record.get("headline") or "", body=record.get("body") or ""
            )
            rows += 1
    writer.commit()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - started_cpu + children_cpu() - started_children
    docs = index.open_dir(str(dest)).doc_count()  # the multi-process writer can lose a child's work silently
    return {
        "docs": docs,
        "rows": rows,
        "seconds": round(seconds, 3),
        "docs_per_s": round(docs / seconds, 1),
        "cpu_s": round(cpu, 3),
        "size_bytes": dir_size(dest),
        "how": f"json.loads + add_document(id, headline, body); writer procs={jobs}"
        + (", multisegment" if jobs > 1 else "")
        + f", limitmb={WRITER_MEMORY_MB}; in-process, timed from opening the file to commit",
        "lost_docs": rows - docs,
    }


# -- pipeline ------------------------------------------------------------------------------------------------------


def run_index(index_dir: Path, corpus: Path, jobs: int) -> dict[str, Any]:
    cmd = [*searchnews_command(), "index", "--index", str(index_dir), str(corpus), "--json", "--jobs", str(jobs)]
    started, started_cpu = time.perf_counter(), children_cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=child_env(), check=False)
    wall = time.perf_counter() - started
    cpu = children_cpu() - started_cpu
    try:
        summary = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(
            f"`searchnews index` exited {proc.returncode} without a JSON summary: {proc.stderr.strip()[-2000:]}"
        ) from None
    failed = summary.get("failed", [])
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "reported_s": summary.get("seconds"),
        "indexed": summary.get("indexed"),
        "unchanged": summary.get("unchanged"),
        "failed": len(failed),
        "failed_examples": [f"{f.get('path')}: {f.get('error')}" for f in failed[:3]],
        "articles": summary.get("articles"),
        "quotes": summary.get("quotes"),
        "exit_code": proc.returncode,
    }


def pipeline_build(index_dir: Path, corpus: Path, jobs: int) -> dict[str, Any]:
    out = run_index(index_dir, corpus, jobs)
    out["docs_per_s"] = round((out["articles"] or 0) / out["wall_s"], 1)
    out["size_bytes"] = dir_size(index_dir)
    out["how"] = f"`searchnews index --index TMP CORPUS --json --jobs {jobs}` as a subprocess, wall time"
    return out


# -- search and who ------------------------------------------------------------------------------------------------


def draw_from_index(index_dir: Path, seed: int) -> tuple[list[str], list[str]]:
    """Speakers (most quoted first) and stored quote texts (a seeded sample) of the index."""
    from searchnews.engine import open_index

    with open_index(index_dir).searcher() as ns:
        speakers = [s.name for s in ns.speakers(limit=300)]
        # every quote as (article document, index in its list), drawn uniformly
        counts = ns.s.reader().column_reader("quote_count")
        every = [
            (docnum, i) for docnum, n in enumerate(counts) for i in range(n) if not ns.s.reader().is_deleted(docnum)
        ]
        rng = random.Random(seed)
        sample = rng.sample(every, min(len(every), 3000))
        quotes = [ns.s.stored_fields(d)["quotes"][i][0] for d, i in sample]
    return speakers, [q for q in quotes if q]


def time_queries(fn: Callable[[str], Any], texts: Sequence[str]) -> tuple[list[float], list[float], list[Any]]:
    """Wall and CPU (this thread's) seconds of ``fn(text)`` for each text, and its results."""
    seconds, cpu, results = [], [], []
    for text in texts:
        started, started_cpu = time.perf_counter(), time.thread_time()
        result = fn(text)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
        results.append(result)
    return seconds, cpu, results


def cpu_summary(seconds: Sequence[float]) -> dict[str, Any]:
    """CPU time: what the latency would be on an idle machine (other processes only add waiting)."""
    s = latency_summary(seconds)
    return {"cpu_median_ms": s["median_ms"], "cpu_p95_ms": s["p95_ms"]}


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far, grandchildren included."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def measure_search(index_dir: Path, queries: list[workload.Query], warmup: list[workload.Query]) -> dict[str, Any]:
    from searchnews.engine import open_index

    with open_index(index_dir).searcher() as ns:
        for q in warmup:
            ns.search(q.text, limit=10)
        seconds, cpu, results = time_queries(lambda t: ns.search(t, limit=10), [q.text for q in queries])
    by_kind: dict[str, Any] = {}
    for kind in workload.SEARCH_KINDS:
        idx = [i for i, q in enumerate(queries) if q.kind == kind]
        entry = {**latency_summary([seconds[i] for i in idx]), **cpu_summary([cpu[i] for i in idx])}
        entry["with_hits"] = sum(1 for i in idx if results[i].total > 0)
        entry["suggested"] = sum(1 for i in idx if results[i].suggestion)
        by_kind[kind] = entry
    slowest = sorted(range(len(queries)), key=lambda i: -seconds[i])[:5]
    return {
        **latency_summary(seconds),
        **cpu_summary(cpu),
        "with_hits": sum(1 for r in results if r.total > 0),
        "by_kind": by_kind,
        "slowest": [
            {"query": queries[i].text, "kind": queries[i].kind, "ms": round(seconds[i] * 1000, 1)} for i in slowest
        ],
    }


def measure_who(index_dir: Path, phrases: list[str], warmup: list[str]) -> dict[str, Any]:
    from searchnews.engine import open_index

    with open_index(index_dir).searcher() as ns:
        for p in warmup:
            ns.who(p)
        seconds, cpu, results = time_queries(lambda t: ns.who(t, limit=10), phrases)
    slowest = sorted(range(len(phrases)), key=lambda i: -seconds[i])[:5]
    return {
        **latency_summary(seconds),
        **cpu_summary(cpu),
        "with_hits": sum(1 for r in results if r.hits),
        "slowest": [{"phrase": phrases[i], "ms": round(seconds[i] * 1000, 1)} for i in slowest],
    }


# -- CLI -----------------------------------------------------------------------------------------------------------


def measure_cli(index_dir: Path, queries: list[str]) -> dict[str, Any]:
    base = searchnews_command()

    cpu: list[float] = []

    def wall(cmd: list[str]) -> float:
        started, started_cpu = time.perf_counter(), children_cpu()
        proc = subprocess.run(cmd, capture_output=True, stdin=subprocess.DEVNULL, env=child_env(), check=False)
        seconds = time.perf_counter() - started
        cpu.append(children_cpu() - started_cpu)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd} exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-1000:]}")
        return seconds

    runs = [wall([*base, "search", q, "--index", str(index_dir)]) for q in queries]
    runs_cpu = cpu[:]
    interpreter = [wall([sys.executable, "-c", "pass"]) for _ in range(5)]
    imports = [wall([sys.executable, "-c", "import searchnews.cli"]) for _ in range(5)]
    return {
        "n": len(runs),
        "median_s": round(statistics.median(runs), 3),
        "cpu_median_s": round(statistics.median(runs_cpu), 3),
        "max_s": round(max(runs), 3),
        "python_start_s": round(statistics.median(interpreter), 3),
        "import_cli_s": round(statistics.median(imports), 3),
        "how": "`searchnews search QUERY --index X` as a process, one query of the mix per run, output captured",
    }


# -- TUI -----------------------------------------------------------------------------------------------------------


def measure_tui(index_dir: Path, queries: list[str]) -> dict[str, Any]:
    import tui_latency

    return tui_latency.measure(index_dir, queries, command=searchnews_command(), env=child_env())


# -- report --------------------------------------------------------------------------------------------------------


def headline_figures(r: dict[str, Any]) -> dict[str, float | None]:
    def get(*keys: str) -> Any:
        node: Any = r
        for k in keys:
            if not isinstance(node, dict) or k not in node:
                return None
            node = node[k]
        return node

    raw_rate, pipe_rate = get("raw", "docs_per_s"), get("pipeline", "docs_per_s")
    build, reindex = get("pipeline", "wall_s"), get("reindex", "wall_s")
    raw_cpu, pipe_cpu = get("raw", "cpu_s"), get("pipeline", "cpu_s")
    return {
        "pipeline_vs_raw_cpu": round(raw_cpu / pipe_cpu, 3) if raw_cpu and pipe_cpu else None,
        "pipeline_vs_raw": round(pipe_rate / raw_rate, 3) if raw_rate and pipe_rate is not None else None,
        "reindex_vs_build": round(reindex / build, 3) if build and reindex is not None else None,
        "search_p95_ms": get("search", "p95_ms"),
        "who_p95_ms": get("who", "p95_ms"),
        "tui_keystroke_p95_ms": get("tui", "keystroke", "p95_ms"),
        "cli_search_cold_s": get("cli_search", "median_s"),
    }


def verdicts(figures: dict[str, float | None]) -> dict[str, Any]:
    out = {}
    for name, (op, target, unit) in TARGETS.items():
        value = figures.get(name)
        ok = None if value is None else (value >= target if op == ">=" else value <= target)
        out[name] = {"value": value, "target": f"{op} {target:g}", "unit": unit, "pass": ok}
    return out


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        text = f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return f"{text} {unit}".rstrip()


def table(r: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str]] = []

    def row(label: str, value: Any, unit: str = "", check: str | None = None) -> None:
        target, verdict = "", ""
        if check is not None:
            v = r["targets"][check]
            target = v["target"]
            verdict = {True: "PASS", False: "MISS", None: "n/a"}[v["pass"]]
        rows.append((label, fmt(value, unit), target, verdict))

    def section(name: str) -> dict[str, Any]:
        node = r.get(name) or {}
        if "error" in node:
            rows.append((f"{name}: ERROR", node["error"].splitlines()[-1][:90], "", "ERR"))
        if node.get("skipped"):
            rows.append((f"{name}: skipped", node["skipped"] if isinstance(node["skipped"], str) else "", "", ""))
        return node

    raw, pipe, t = section("raw"), section("pipeline"), r["targets"]
    row("raw Whoosh docs/s", raw.get("docs_per_s"))
    row("pipeline docs/s (end to end)", pipe.get("docs_per_s"))
    row("pipeline_vs_raw", t["pipeline_vs_raw"]["value"], "x", "pipeline_vs_raw")
    row("  same, in CPU seconds (raw / pipeline)", r["figures"]["pipeline_vs_raw_cpu"], "x")
    row("raw build wall / CPU", f"{fmt(raw.get('seconds'))} / {fmt(raw.get('cpu_s'))} s")
    row("pipeline build wall / CPU", f"{fmt(pipe.get('wall_s'))} / {fmt(pipe.get('cpu_s'))} s")
    row("raw index size", _mb(raw.get("size_bytes")), "MB")
    row("pipeline index size", _mb(pipe.get("size_bytes")), "MB")
    row("articles / quotes indexed", f"{fmt(pipe.get('articles'))} / {fmt(pipe.get('quotes'))}")
    re_ = section("reindex")
    row("re-index unchanged", re_.get("wall_s"), "s")
    row("re-index / first build", t["reindex_vs_build"]["value"], "x", "reindex_vs_build")
    up = section("update")
    row(f"update 1% ({fmt(up.get('changed'))} art.), full feed", up.get("wall_s"), "s")
    upd = section("update_delta")
    row(f"update 1% ({fmt(upd.get('changed'))} art.), delta file", upd.get("wall_s"), "s")
    s = section("search")
    row("search median (top 10, snippets)", s.get("median_ms"), "ms")
    row("search p95", s.get("p95_ms"), "ms", "search_p95_ms")
    row("  CPU median / p95", f"{fmt(s.get('cpu_median_ms'))} / {fmt(s.get('cpu_p95_ms'))} ms")
    for kind, k in (s.get("by_kind") or {}).items():
        hits = k.get("with_hits")
        value = f"{fmt(k.get('median_ms'))} / {fmt(k.get('p95_ms'))} ({fmt(k.get('cpu_p95_ms'))}) ms, hits {hits}"
        row(f"  {kind} median / p95 (CPU p95)", value)
    w = section("who")
    row("who median", w.get("median_ms"), "ms")
    row("who p95", w.get("p95_ms"), "ms", "who_p95_ms")
    row("  CPU median / p95", f"{fmt(w.get('cpu_median_ms'))} / {fmt(w.get('cpu_p95_ms'))} ms")
    tui = section("tui")
    ks = tui.get("keystroke") or {}
    row("TUI keystroke->results median", ks.get("median_ms"), "ms")
    row("TUI keystroke->results p95", ks.get("p95_ms"), "ms", "tui_keystroke_p95_ms")
    for part, label in (("with_hits", "prefix with hits"), ("zero_hits", "prefix with no hit (suggests)")):
        k = ks.get(part) or {}
        row(f"  {label}: n, median / p95", f"{k.get('n')}: {fmt(k.get('median_ms'))} / {fmt(k.get('p95_ms'))} ms")
    fp = tui.get("first_paint") or {}
    row("TUI first paint (process start, pty)", fp.get("process_s"), "s")
    row("TUI first paint (in-process app start)", fp.get("in_process_s"), "s")
    c = section("cli_search")
    row("`searchnews search` cold median", c.get("median_s"), "s", "cli_search_cold_s")
    row("  CPU median", c.get("cpu_median_s"), "s")
    row("  python start / import searchnews.cli", f"{fmt(c.get('python_start_s'))} / {fmt(c.get('import_cli_s'))} s")

    m = r["machine"]
    sections = [v for v in r.values() if isinstance(v, dict)]
    loads = [x for v in sections for x in (v.get("load_1min") or []) if x is not None]
    widths = [max(len(x[i]) for x in rows) for i in range(4)]
    lines = [
        f"searchnews benchmark · {r['corpus'].get('articles')} articles of {r['corpus'].get('name')} · "
        f"jobs {r['params']['jobs']} · nproc {m['nproc']} · Python {m['python']} · {m['date']} · {m['commit']}"
        f"{' +uncommitted' if (r.get('code') or {}).get('uncommitted_files') else ''} · "
        f"extractor {(r.get('code') or {}).get('extractor_version')}",
        f"1-minute load average during the run: {min(loads, default=0):.1f} to {max(loads, default=0):.1f} "
        f"on {m['nproc']} cores (above the core count, wall times include waiting for other work; CPU times do not)",
        "",
    ]
    lines += [
        f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:<{widths[2]}}  {d}".rstrip()
        for a, b, c, d in [("figure", "value", "target", ""), *rows]
    ]
    return "\n".join(lines)


def _mb(n: int | None) -> float | None:
    return None if n is None else round(n / 1e6, 1)


# -- main ----------------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, required=True, help="JSONL (or .jsonl.gz) of articles")
    p.add_argument("--limit", type=int, default=None, help="first N articles only")
    p.add_argument("--json", action="store_true", help="print one JSON object (the table goes to stderr)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for both builds")
    p.add_argument("--skip-tui", action="store_true", help="leave out the TUI figures")
    p.add_argument("--queries", type=int, default=50, help="queries of each kind [50]")
    p.add_argument("--cold-runs", type=int, default=10, help="`searchnews search` processes [10]")
    p.add_argument("--tui-queries", type=int, default=12, help="queries typed into the TUI [12]")
    p.add_argument("--peers", action="store_true", help="searchnews beside tantivy, SQLite FTS5, Xapian (peers.py)")
    p.add_argument(
        "--scale",
        default=None,
        help="peers at these corpus factors, e.g. 1,2,4, or K for 1, 2, 4 .. K (implies --peers)",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (its path goes to stderr)")
    p.add_argument("--save", action="store_true", help="also write the JSON to benchmarks/results/")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.peers = args.peers or bool(args.scale)
    if not args.corpus.is_file():
        print(f"run.py: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    r: dict[str, Any] = {
        "machine": machine_info(),
        "params": {
            "jobs": args.jobs,
            "limit": args.limit,
            "queries_per_kind": args.queries,
            "seed": args.seed,
            "cold_runs": args.cold_runs,
            "skip_tui": args.skip_tui,
            "peers": args.peers,
            "scale": args.scale,
        },
    }
    errors: list[str] = []

    def step(name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        log(f"{name} ...")
        load_before = load_average()
        started = time.perf_counter()
        try:
            r[name] = fn()
        except Exception as exc:
            r[name] = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-3000:]}
            errors.append(name)
            log(f"{name} FAILED: {type(exc).__name__}: {exc}")
        # Other work on the machine skews every figure: keep the 1-minute load average beside each one.
        r[name]["load_1min"] = [load_before, load_average()]
        log(f"{name} done in {time.perf_counter() - started:.1f}s (load {load_before} -> {load_average()})")
        return r[name]

    tmp = Path(tempfile.mkdtemp(prefix="searchnews-bench-"))
    try:
        corpus = tmp / "corpus.jsonl"
        n = workload.write_slice(args.corpus, corpus, args.limit)
        r["corpus"] = {"name": args.corpus.name, "articles": n, "bytes": corpus.stat().st_size}
        log(f"{n} articles copied to {corpus}")
        pipe_ix = tmp / "pipeline-index"
        r["code"] = snapshot_package(tmp / "code")
        log(f"running on a snapshot of searchnews/ (extractor {r['code']['extractor_version']})")
        pristine = tmp / "peers" / "corpus.jsonl"  # the updates below rewrite the slice: peers get it as read
        if args.peers:
            pristine.parent.mkdir()
            shutil.copyfile(corpus, pristine)

        step("raw", lambda: raw_whoosh(corpus, tmp / "raw-index", args.jobs))
        step("pipeline", lambda: pipeline_build(pipe_ix, corpus, args.jobs))
        built = "error" not in r["pipeline"]
        if built:
            step("reindex", lambda: run_index(pipe_ix, corpus, args.jobs))
            step("update", lambda: update_full_feed(pipe_ix, corpus, tmp, args.jobs, args.seed))
            step("update_delta", lambda: update_delta(pipe_ix, corpus, tmp, args.jobs, args.seed))
        else:
            for name in ("reindex", "update", "update_delta", "search", "who", "tui", "cli_search"):
                r[name] = {"error": "no pipeline index (its build failed)"}

        if built:
            vocab = workload.learn_vocabulary(corpus, args.seed)
            speakers, quotes = draw_from_index(pipe_ix, args.seed)
            queries, how = workload.search_queries(vocab, speakers, quotes, args.queries, args.seed)
            warm, _ = workload.search_queries(vocab, speakers, quotes, max(3, args.queries // 5), args.seed + 100)
            phrases, who_how = workload.who_phrases(quotes, args.queries, args.seed)
            warm_phrases, _ = workload.who_phrases(quotes, max(3, args.queries // 5), args.seed + 100)
            step("search", lambda: {**measure_search(pipe_ix, queries, warm), "how": how})
            step("who", lambda: {**measure_who(pipe_ix, phrases, warm_phrases), "how": who_how})
            rng = random.Random(args.seed)
            typed = [q.text for q in queries if q.kind in ("common", "two_terms", "rare")]
            rng.shuffle(typed)
            if args.skip_tui:
                r["tui"] = {"skipped": "--skip-tui"}
            else:
                step("tui", lambda: measure_tui(pipe_ix, typed[: args.tui_queries]))
            mix = [q.text for q in queries]
            rng.shuffle(mix)
            step("cli_search", lambda: measure_cli(pipe_ix, mix[: args.cold_runs]))
        if args.peers:
            step("peers_run", lambda: run_peers(pristine, args))
            points = r["peers_run"].pop("points", [])
            r["peers"] = points[0]["engines"] if points else []
            r["peers_ratios"] = points[0]["ratios"] if points else {}
            if args.scale:
                r["scale"] = points
                import peers

                r["scale_targets"] = peers.curve_targets(points)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    r["figures"] = headline_figures(r)
    r["targets"] = verdicts(r["figures"])
    r["errors"] = errors
    text = table(r)
    if args.peers and (r.get("peers_run") or {}).get("table"):
        text += (
            "\n\npeers: searchnews beside tantivy, SQLite FTS5 and Xapian (benchmarks/peers.py)"
            + r["peers_run"]["table"]
        )
    if args.save:
        out = HERE / "results" / f"{time.strftime('%Y%m%dT%H%M%S')}-{r['corpus']['articles']}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(r, indent=2) + "\n")
        log(f"saved {out}")
    if args.json:
        print(text, file=sys.stderr)
        print(json.dumps(r, indent=2))
    else:
        print(text)
    return 1 if errors else 0


def run_peers(corpus: Path, args: argparse.Namespace) -> dict[str, Any]:
    import peers

    factors = peers.parse_factors(args.scale) if args.scale else [1]
    queries, warm = peers.draw_queries(corpus, args.queries, args.seed)
    points = peers.curve(
        corpus, corpus.parent, factors, queries, warm, args.jobs, args.seed, child_env(), tui=not args.skip_tui
    )
    return {"points": points, "table": peers.curve_table(points), "how": peers.__doc__.split("\n\n", 2)[2]}


def update_full_feed(index_dir: Path, corpus: Path, tmp: Path, jobs: int, seed: int) -> dict[str, Any]:
    """1% of the articles change inside the feed file, which is replaced at the same path; same command again."""
    changed = tmp / "corpus.updated.jsonl"
    upd = workload.write_update(corpus, changed, UPDATE_FRACTION, seed)
    workload.replace_file(changed, corpus)
    out = run_index(index_dir, corpus, jobs)
    out.update(changed=upd.changed, how=upd.how + "; the file is replaced at the same path, same command again")
    if out["indexed"] != upd.changed:
        out["warning"] = f"expected {upd.changed} re-indexed articles, the summary says {out['indexed']}"
    return out


def update_delta(index_dir: Path, corpus: Path, tmp: Path, jobs: int, seed: int) -> dict[str, Any]:
    """Another 1% of the articles change, delivered as a file holding just them (an incremental feed)."""
    full = tmp / "corpus.updated2.jsonl"
    upd = workload.write_update(corpus, full, UPDATE_FRACTION, seed + 1)
    delta = tmp / "delta" / "changes.jsonl"
    delta.parent.mkdir()
    workload.write_subset(full, delta, set(upd.ids))
    full.unlink()
    out = run_index(index_dir, delta, jobs)
    out.update(
        changed=upd.changed, how=upd.how.replace("get one", "(other ones) get one") + "; only they are in the file"
    )
    if out["indexed"] != upd.changed:
        out["warning"] = f"expected {upd.changed} re-indexed articles, the summary says {out['indexed']}"
    return out


if __name__ == "__main__":
    sys.exit(main())

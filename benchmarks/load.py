"""Readers under load while the index is written (issue #17).

    python benchmarks/load.py --corpus ../shared/corpora/news.jsonl.gz [--limit N] [--readers 4] [--json]

Builds an index of the corpus (or of its first N articles), then runs READERS processes that search in a loop —
words, phrases, `who`, quote listings, each from a freshly opened index as `searchnews search` does — first at
rest, then while a writer updates 10% of the articles (an incremental run) and then rebuilds the index and swaps
the generation. Every reader checks, for each search, that the generation it opened holds every article (never
an empty index, never half of an update: an update replaces articles in one commit) and counts errors of any
kind. Printed: searches done, errors, wrong counts, and p95 at rest beside p95 during the writes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workload


def searchnews(*args: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "searchnews", *map(str, args)], capture_output=True, text=True)


def reader(root: str, queries: list[tuple[str, str]], expected: int, stop, seed: int, out) -> None:
    """Search until ``stop`` is set; report latencies (with their start times), errors and wrong article counts."""
    from searchnews.engine import open_index

    rng = random.Random(seed)
    latencies: list[tuple[float, float]] = []  # (wall-clock start, seconds)
    errors: list[str] = []
    wrong: list[str] = []
    while not stop.is_set():
        kind, text = rng.choice(queries)
        started = time.time()
        t0 = time.perf_counter()
        try:
            ix = open_index(Path(root))
            with ix.searcher() as s:
                held = s.s.doc_count()
                if kind == "who":
                    s.who(text, limit=10)
                elif kind == "quotes":
                    s.quotes(text, limit=20)
                else:
                    s.search(text, limit=10)
            if held != expected:
                wrong.append(f"{held} articles in {ix.generation()[0]}")
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        latencies.append((started, time.perf_counter() - t0))
    out.put({"latencies": latencies, "errors": errors, "wrong": wrong})


def summary(latencies: list[float]) -> dict[str, Any]:
    return {
        "searches": len(latencies),
        "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(workload.percentile(latencies, 95) * 1000, 1) if latencies else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--rest", type=float, default=60.0, help="seconds of searching at rest")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="searchnews-load-"))
    feed = work / "feed.jsonl"
    n = workload.write_slice(args.corpus, feed, args.limit)
    root = work / "index"
    log(f"building an index of {n:,} articles in {root}")
    built = searchnews("index", "--index", root, feed, "--json")
    if built.returncode not in (0, 1):
        log(built.stderr)
        return 1
    expected = json.loads(built.stdout)["articles"]

    vocab = workload.learn_vocabulary(feed, 11, sample=2000)
    from searchnews.engine import open_index

    with open_index(root).searcher() as s:
        speakers = [x.name for x in s.speakers(limit=200)]
    searches, _ = workload.search_queries(vocab, speakers, [], 40, 11)
    queries = [("search", q.text) for q in searches]
    queries += [("quotes", q.text) for q in searches if q.kind in ("rare", "two_terms")]
    queries += [("who", " ".join(t.split()[5:10])) for t in vocab.texts[:40] if len(t.split()) > 10]

    update = work / "update.jsonl"
    changed = workload.write_update(feed, update, 0.10, 11).changed
    ctx = mp.get_context("fork")
    out, stop = ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=reader, args=(str(root), queries, expected, stop, i, out)) for i in range(args.readers)]
    for p in procs:
        p.start()
    log(f"{args.readers} readers searching at rest for {args.rest:.0f} s")
    time.sleep(args.rest)
    writes_start = time.time()
    os.replace(update, feed)  # the same ids, 10% of the articles changed: an incremental run replaces them
    log(f"updating {changed:,} articles ({changed / n:.0%})")
    updated = searchnews("index", "--index", root, "--json")
    update_end = time.time()
    log("rebuilding and swapping the generation")
    rebuilt = searchnews("index", "--index", root, "--rebuild", "--json")
    writes_end = time.time()
    time.sleep(2.0)  # a few searches on the new generation
    stop.set()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=30)

    rest = [d for r in results for t, d in r["latencies"] if t < writes_start]
    during = [d for r in results for t, d in r["latencies"] if writes_start <= t < writes_end]
    errors = [e for r in results for e in r["errors"]]
    wrong = [w for r in results for w in r["wrong"]]
    report = {
        "articles": expected,
        "changed": changed,
        "readers": args.readers,
        "update": {"exit": updated.returncode, "seconds": round(update_end - writes_start, 1)},
        "rebuild": {"exit": rebuilt.returncode, "seconds": round(writes_end - update_end, 1)},
        "at_rest": summary(rest),
        "during_writes": summary(during),
        "searches": sum(len(r["latencies"]) for r in results),
        "errors": len(errors),
        "error_samples": errors[:5],
        "wrong_counts": len(wrong),
        "wrong_samples": wrong[:5],
        "load_average": os.getloadavg()[0],
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"{report['searches']:,} searches by {args.readers} readers; errors {len(errors)}; "
            f"wrong article counts {len(wrong)}\n"
            f"at rest: {report['at_rest']}\nduring the update ({report['update']['seconds']} s) and the rebuild "
            f"({report['rebuild']['seconds']} s): {report['during_writes']}"
        )
    return 1 if errors or wrong or updated.returncode not in (0, 1) or rebuilt.returncode not in (0, 1) else 0


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

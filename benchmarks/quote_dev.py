"""Development driver for the quote extractor: predictions for a gold file, and a speed benchmark.

    python benchmarks/quote_dev.py GOLD.jsonl --out PRED.jsonl
    python /work/shared/tools/quote_eval.py GOLD.jsonl --pred PRED.jsonl --show-misses 30
    python benchmarks/quote_dev.py --speed [--corpus news.jsonl.gz] [--count 2000]

Gold rows are {"id", "text", ...} with paragraphs separated by blank lines and no headline. The article body is
the text verbatim except that paragraph separators are normalised to one blank line, as the pipeline does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from pathlib import Path

from searchnews.model import PARAGRAPH_SEPARATOR, Article
from searchnews.quotes import EXTRACTOR_VERSION, extract_quotes

DEFAULT_CORPUS = Path("/work/shared/corpora/news.jsonl.gz")
_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n\s*")


def body_from_text(text: str) -> str:
    """Paragraphs joined by exactly one blank line; everything else as given."""
    paragraphs = [p for p in _PARAGRAPH_BREAK_RE.split(text.strip("\n")) if p.strip()]
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def predict(gold: Path, out: Path) -> int:
    count = 0
    with gold.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for raw in src:
            if not raw.strip():
                continue
            row = json.loads(raw)
            article = Article(id=str(row["id"]), headline="", body=body_from_text(row["text"]))
            quotes = [
                {
                    "text": q.text,
                    "speaker": q.speaker,
                    "kind": q.kind,
                    "cue": q.cue,
                    "role": q.role,
                    "speaker_kind": q.speaker_kind,
                }
                for q in extract_quotes(article)
            ]
            dst.write(json.dumps({"id": article.id, "quotes": quotes}, ensure_ascii=False) + "\n")
            count += 1
    return count


def load_corpus(path: Path, count: int) -> list[Article]:
    articles: list[Article] = []
    with gzip.open(path, "rt", encoding="utf-8") as src:
        for raw in src:
            row = json.loads(raw)
            body = body_from_text(row.get("body") or "")
            articles.append(Article(id=str(row.get("id", len(articles))), headline=row.get("headline", ""), body=body))
            if len(articles) >= count:
                break
    return articles


def speed(path: Path, count: int) -> dict[str, float]:
    """CPU time of extract_quotes per article, after a warm-up (CPU time: other jobs share the machine)."""
    articles = load_corpus(path, count)
    for article in articles[:50]:
        extract_quotes(article)
    times: list[float] = []
    quotes = 0
    for article in articles:
        t0 = time.process_time()
        quotes += len(extract_quotes(article))
        times.append((time.process_time() - t0) * 1000)
    words = sum(len(a.body.split()) for a in articles)
    return {
        "articles": len(articles),
        "words_per_article": round(words / len(articles), 1),
        "ms_median": round(statistics.median(times), 3),
        "ms_mean": round(statistics.fmean(times), 3),
        "ms_p99": round(sorted(times)[int(len(times) * 0.99) - 1], 3),
        "ms_per_600_words": round(sum(times) / words * 600, 3),
        "quotes_per_article": round(quotes / len(articles), 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?", type=Path, help="gold JSON Lines file")
    ap.add_argument("--out", type=Path, default=Path("/tmp/quote_pred.jsonl"))
    ap.add_argument("--speed", action="store_true", help="time extraction over the corpus")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--count", type=int, default=2000)
    args = ap.parse_args(argv)
    if args.speed:
        print(json.dumps({"extractor": EXTRACTOR_VERSION, **speed(args.corpus, args.count)}))
        return 0
    if args.gold is None:
        ap.error("give a gold file or --speed")
    n = predict(args.gold, args.out)
    print(f"{n} articles -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

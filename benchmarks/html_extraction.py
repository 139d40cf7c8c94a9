"""HTML extraction quality: searchnews' ``read_html`` against the expected texts of the corpora in ../shared.

    python benchmarks/html_extraction.py [--corpora DIR] [--save FILE] [--compare FILE] [--plain]

Corpora (``../shared/corpora/html``, read at run time, never copied): fundus (pages gzipped, expected title and
paragraphs per parser version, URL in meta.info), newspaper4k (expected article text; empty or note-only
expectations are skipped), readability (expected.html and expected-metadata.json).

Figures, per page and averaged over pages that have an expectation:
- body F1: the bag-of-words score of article-extraction benchmarks: lowercase word tokens (``\\w+``) of the
  extracted headline+body against those of the expected text, as multisets; precision, recall, F1 per page.
- title: the extracted headline equals the expected title (case and spacing folded).
- url: the article has a URL (fundus pages, whose URL is known).
With ``--plain``, ``trafilatura.extract`` with its defaults is scored too, the reference.
``--save`` writes every page's figures to a JSON file; ``--compare`` reads such a file (a run before a change)
and lists every page whose expected-token recall fell, and by how much: "loses none of the expected text".
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from searchnews.ingest.html import read_html  # noqa: E402
from searchnews.model import Article  # noqa: E402

DEFAULT_CORPORA = REPO.parent / "shared" / "corpora" / "html"
_WORD = re.compile(r"\w+")
# newspaper4k expectations shorter than this are notes ("ONLY EXTRACTS ARTICLE UP UNTIL ..."), not articles.
_MIN_EXPECTED_WORDS = 30


class Page:
    def __init__(self, name: str, html: str, expected: str, title: str = "", url: str = "") -> None:
        self.name, self.html, self.expected, self.title, self.url = name, html, expected, title, url


def _decode(data: bytes) -> str:
    from searchnews.ingest.decoding import decode_text

    return decode_text(data)


def fundus_pages(root: Path) -> Iterator[Page]:
    for expectations in sorted(root.glob("*/*.json")):
        publisher = expectations.stem
        meta_path = expectations.parent / "meta.info"
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        versions = json.loads(expectations.read_text())
        pages = sorted(expectations.parent.glob(f"{publisher}_*.html.gz"))
        # Versions and page files are both in date order: the n-th version is the n-th page's expectation.
        for page, version in zip(pages, sorted(versions), strict=False):
            expected = versions[version]
            body = expected.get("body") or {}
            parts = list(body.get("summary") or [])
            for section in body.get("sections") or []:
                parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
            yield Page(
                f"fundus/{page.parent.name}/{page.name}",
                _decode(gzip.decompress(page.read_bytes())),
                "\n".join([expected.get("title") or "", *parts]),
                title=expected.get("title") or "",
                url=(meta.get(page.name) or {}).get("url", ""),
            )


def newspaper4k_pages(root: Path) -> Iterator[Page]:
    for page in sorted((root / "html").glob("*.html")):
        expected_path = root / "txt" / f"{page.stem}.txt"
        if not expected_path.exists():
            continue
        expected = expected_path.read_text(errors="replace")
        if len(_WORD.findall(expected)) < _MIN_EXPECTED_WORDS:
            continue
        yield Page(f"newspaper4k/{page.name}", _decode(page.read_bytes()), expected)


def readability_pages(root: Path) -> Iterator[Page]:
    import lxml.html

    for folder in sorted(p for p in root.iterdir() if (p / "source.html").exists()):
        metadata = json.loads((folder / "expected-metadata.json").read_text())
        expected_tree = lxml.html.fromstring((folder / "expected.html").read_text())
        expected = "\n".join([metadata.get("title") or "", expected_tree.text_content()])
        yield Page(
            f"readability/{folder.name}",
            (folder / "source.html").read_text(errors="replace"),
            expected,
            title=metadata.get("title") or "",
        )


def all_pages(corpora: Path) -> list[Page]:
    return [
        *fundus_pages(corpora / "fundus"),
        *newspaper4k_pages(corpora / "newspaper4k"),
        *readability_pages(corpora / "readability"),
    ]


def token_scores(extracted: str, expected: str) -> tuple[float, float, float]:
    got = Counter(word.lower() for word in _WORD.findall(extracted))
    want = Counter(word.lower() for word in _WORD.findall(expected))
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def score_page(page: Page) -> dict:
    articles = [item for item in read_html(page.html, page.name) if isinstance(item, Article)]
    article = articles[0] if articles else None
    text = f"{article.headline}\n{article.body}" if article else ""
    precision, recall, f1 = token_scores(text, page.expected)
    return {
        "page": page.name,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "headline": article.headline if article else "",
        "title_expected": page.title,
        "title_ok": bool(page.title) and article is not None and _fold(article.headline) == _fold(page.title),
        "url": article.url if article else "",
        "url_expected": page.url,
    }


def score_plain(page: Page) -> float:
    import trafilatura

    text = trafilatura.extract(page.html) or ""
    return token_scores(text, page.expected)[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--save", type=Path, help="write every page's figures to this JSON file")
    parser.add_argument("--compare", type=Path, help="a --save file from before a change: pages that lost text")
    parser.add_argument("--plain", action="store_true", help="score trafilatura.extract with defaults too")
    args = parser.parse_args(argv)

    pages = all_pages(args.corpora)
    rows = [score_page(page) for page in pages]
    summary: dict[str, object] = {
        "pages": len(rows),
        "body_f1": round(statistics.mean(r["f1"] for r in rows), 4),
        "body_precision": round(statistics.mean(r["precision"] for r in rows), 4),
        "body_recall": round(statistics.mean(r["recall"] for r in rows), 4),
    }
    for corpus in ("fundus", "newspaper4k", "readability"):
        part = [r for r in rows if r["page"].startswith(corpus + "/")]
        if part:
            summary[f"body_f1_{corpus}"] = round(statistics.mean(r["f1"] for r in part), 4)
    titled = [r for r in rows if r["title_expected"]]
    summary["title_exact"] = f"{sum(r['title_ok'] for r in titled)}/{len(titled)}"
    with_url = [r for r in rows if r["url_expected"]]
    summary["url_found"] = f"{sum(bool(r['url']) for r in with_url)}/{len(with_url)}"
    summary["url_found_all_pages"] = f"{sum(bool(r['url']) for r in rows)}/{len(rows)}"
    if args.plain:
        summary["plain_trafilatura_body_f1"] = round(statistics.mean(score_plain(page) for page in pages), 4)
    print(json.dumps(summary, indent=1))

    if args.save:
        args.save.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    if args.compare:
        before = {r["page"]: r for r in json.loads(args.compare.read_text())}
        lost = [
            (r["page"], before[r["page"]]["recall"], r["recall"])
            for r in rows
            if r["page"] in before and r["recall"] < before[r["page"]]["recall"] - 1e-9
        ]
        print(f"pages whose expected-token recall fell: {len(lost)}")
        for name, old, new in lost:
            print(f"  {name}: recall {old:.4f} -> {new:.4f}")
        changed = [
            (r["page"], before[r["page"]]["headline"], r["headline"])
            for r in rows
            if r["page"] in before and r["headline"] != before[r["page"]]["headline"]
        ]
        print(f"headlines changed: {len(changed)}")
        for name, old, new in changed:
            print(f"  {name}: {old!r} -> {new!r}")
        return 1 if lost else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

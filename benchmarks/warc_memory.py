"""Memory and speed of reading a large WARC: generate a synthetic crawl, stream it through ``read_path``.

    python benchmarks/warc_memory.py generate /tmp/big.warc --gigabytes 1 [--gzip]
    python benchmarks/warc_memory.py read /tmp/big.warc

``generate`` writes a crawl with warcio: for each page a request record and an HTML response (~25 KB: the
article's paragraphs among navigation, scripts and a footer, every page's text different), every fifth page
a 250 KB image response, every fiftieth a 404, until the file reaches the size asked. Nothing is written into
the repository; delete the file afterwards.

``read`` streams the file through ``searchnews.ingest.read_path`` and prints one JSON object: articles, failures,
bytes, seconds, MB/s, articles/s and the peak resident memory of the process (``ru_maxrss``), with the peak
measured after reading a one-page WARC first, so the growth due to the file's size shows apart from imports.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

WORDS = (
    "harbour council strike minister valley frost orchard museum tram coast election budget river bridge school "
    "hospital police court market festival storm harvest railway airport union mayor report inquiry village"
).split()


def _paragraph(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(25, 45))]
    return f"Story {n}: " + " ".join(words).capitalize() + "."


def _page(rng: random.Random, n: int) -> str:
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
    script = "<script>var config = {" + ",".join(f'"k{i}": {i}' for i in range(400)) + "};</script>"
    paragraphs = "".join(f"<p>{_paragraph(rng, n)}</p>" for _ in range(12))
    footer = "".join(f'<a href="/about/{i}">About us {i}</a> ' for i in range(80))
    return (
        f"<!DOCTYPE html><html><head><title>Report number {n} on the {rng.choice(WORDS)}</title>{script}"
        f'<meta property="article:published_time" content="2024-0{1 + n % 9}-1{n % 10}T08:00:00Z"></head>'
        f"<body><nav><ul>{nav}</ul></nav><article><h1>Report number {n}</h1>{paragraphs}</article>"
        f"<footer>{footer}</footer></body></html>"
    )


def generate(path: Path, gigabytes: float, gzipped: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(16)
    target = int(gigabytes * 1024**3)
    image = bytes(rng.getrandbits(8) for _ in range(250_000))
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        n = 0
        while out.tell() < target:
            url = f"https://news.example/{n}"
            request = StatusAndHeaders(f"GET /{n} HTTP/1.1", [("Host", "news.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            status = "404 Not Found" if n % 50 == 49 else "200 OK"
            http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            body = io.BytesIO(_page(rng, n).encode())
            writer.write_record(writer.create_warc_record(url, "response", payload=body, http_headers=http))
            if n % 5 == 4:
                http = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    url + ".jpg", "response", payload=io.BytesIO(image), http_headers=http
                )
                writer.write_record(record)
            n += 1
    print(json.dumps({"path": str(path), "bytes": path.stat().st_size, "pages": n}))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def read(path: Path) -> None:
    from searchnews.errors import InputError
    from searchnews.ingest import read_path

    with tempfile.TemporaryDirectory() as tmp:  # imports and one page read: the baseline
        small = Path(tmp) / "small.warc"
        generate_quietly(small)
        list(read_path(small))
    baseline = _peak_mb()

    articles = failures = 0
    last_position = 0
    started = time.perf_counter()

    def position(at: int) -> None:
        nonlocal last_position
        last_position = at

    for item in read_path(path, on_position=position):
        if isinstance(item, InputError):
            failures += 1
        else:
            articles += 1
    seconds = time.perf_counter() - started
    size = path.stat().st_size
    print(
        json.dumps(
            {
                "path": str(path),
                "bytes": size,
                "articles": articles,
                "failures": failures,
                "last_position": last_position,
                "seconds": round(seconds, 1),
                "mb_per_s": round(size / 1024**2 / seconds, 2),
                "articles_per_s": round(articles / seconds, 1),
                "peak_rss_mb_after_imports": round(baseline, 1),
                "peak_rss_mb": round(_peak_mb(), 1),
            }
        )
    )


def generate_quietly(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = io.BytesIO(_page(random.Random(1), 0).encode())
        record = writer.create_warc_record("https://a.example/", "response", payload=body, http_headers=http)
        writer.write_record(record)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("path", type=Path)
    gen.add_argument("--gigabytes", type=float, default=1.0)
    gen.add_argument("--gzip", action="store_true")
    rd = sub.add_parser("read")
    rd.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(args.path, args.gigabytes, args.gzip)
    else:
        read(args.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

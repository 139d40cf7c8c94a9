"""Which files searchnews reads, and as what."""

from __future__ import annotations

from pathlib import Path

# Suffix -> reader name. Each may also be gzipped ("x.jsonl.gz").
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    # Read as a feed only when its root element is one; any other XML is reported as not a feed.
    ".xml": "feed",
}
GZIP_SUFFIX = ".gz"


def format_of(path: Path) -> str | None:
    """The reader for ``path`` by its (case-insensitive) suffix, looking through ".gz"; None if unsupported."""
    name = path.name.lower()
    if name.endswith(GZIP_SUFFIX):
        name = name[: -len(GZIP_SUFFIX)]
    return FORMATS.get(Path(name).suffix)


def is_gzipped(path: Path) -> bool:
    return path.name.lower().endswith(GZIP_SUFFIX)

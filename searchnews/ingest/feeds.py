"""RSS and Atom feed files (feedparser): each item or entry is an article.

An ``.xml`` file is read as a feed only when its root element is one (``<rss>``, ``<feed>``, RSS 1.0's
``<rdf:RDF>``); any other XML (a sitemap, a configuration file) is reported as not a feed. The same check
guards ``.rss`` and ``.atom`` files.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from searchnews.errors import InputError, UnsupportedContent
from searchnews.ingest.dates import normalise_date
from searchnews.ingest.html import fragment_paragraphs
from searchnews.ingest.records import body_from_paragraphs, one_line, split_paragraphs
from searchnews.model import Article

_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
# What may stand before the root element: a byte order mark, space, the XML declaration, processing
# instructions (stylesheets), comments and a doctype.
_PROLOGUE = re.compile(rb"(?:\xef\xbb\xbf|\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL)
_ROOT = re.compile(rb"<(?:[\w.-]+:)?([\w.-]+)")
_SNIFF_BYTES = 64 * 1024
_MAX_REASON_CHARS = 120


class NotAFeed(UnsupportedContent):
    """An XML file that is no RSS or Atom feed: content searchnews does not read, rather than a broken input.

    Its own class so that an index run can list it with the unsupported files instead of the failures."""


def feed_root(data: bytes) -> str | None:
    """The local name of the document's root element, lower-cased ("rss", "feed", "rdf", "urlset"), or None."""
    head = data[:_SNIFF_BYTES]
    prologue = _PROLOGUE.match(head)
    match = _ROOT.match(head, prologue.end() if prologue else 0)
    return match[1].decode("ascii", "replace").lower() if match else None


def read_feed(data: bytes, name: str) -> Iterator[Article | InputError]:
    """The items of an RSS or Atom feed, as articles with their own ids (guid/id, else link, else ``<path>#N``)."""
    root = feed_root(data)
    if root not in _FEED_ROOTS:
        found = f"<{root}>" if root else "no XML element"
        yield NotAFeed(name, f"unsupported content: not an RSS or Atom feed (root is {found})")
        return
    # Imported here: `searchnews search` never reads a feed and should not pay for the import.
    import feedparser

    # A stream, never a string: given a string, feedparser may take it for a URL or a file name.
    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.entries
    if not entries:
        if parsed.bozo:
            reason = str(parsed.get("bozo_exception") or "malformed XML").split("\n", 1)[0][:_MAX_REASON_CHARS]
            yield InputError(name, f"not a readable feed ({reason})")
        else:
            yield InputError(name, "feed has no items")
        return
    source = one_line(_plain(parsed.feed.get("title_detail") or parsed.feed.get("title") or ""))
    for index, entry in enumerate(entries):
        yield _article(entry, name, index, source)


def _article(entry: Mapping[str, Any], name: str, index: int, source: str) -> Article | InputError:
    headline = one_line(_plain(entry.get("title_detail") or entry.get("title") or ""))
    body = body_from_paragraphs(_body_paragraphs(entry))
    if not body and not headline:  # headline-only items (galleries, live pages) are findable by their headline
        return InputError(name, f"item {index}: no text (neither title nor content)")
    link = str(entry.get("link") or "").strip()
    own_id = str(entry.get("id") or "").strip()
    return Article(
        id=own_id or link or f"{name}#{index}",
        headline=headline,
        body=body,
        path=name,
        date=_entry_date(entry),
        source=source,
        url=link,
        author=one_line(str(entry.get("author") or "")),
    )


def _entry_date(entry: Mapping[str, Any]) -> str:
    """Published, else updated: feedparser's parsed time (UTC) when it could parse one, else the text as given."""
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
            except ValueError:
                pass
        found = normalise_date(entry.get(key))
        if found:
            return found
    return ""


def _body_paragraphs(entry: Mapping[str, Any]) -> list[str]:
    """Paragraphs of the fullest content (Atom content, RSS content:encoded), else of the summary/description."""
    contents = [c for c in entry.get("content") or [] if str(c.get("value") or "").strip()]
    if contents:
        chosen = max(contents, key=lambda c: len(c.get("value") or ""))
        return _paragraphs(str(chosen.get("value")), str(chosen.get("type") or ""))
    summary = entry.get("summary_detail")
    if summary and str(summary.get("value") or "").strip():
        return _paragraphs(str(summary.get("value")), str(summary.get("type") or ""))
    return []


def _paragraphs(value: str, content_type: str) -> list[str]:
    if content_type == "text/plain" or "<" not in value:
        return split_paragraphs(value, lines_are_paragraphs=True)
    return fragment_paragraphs(value)


def _plain(detail: Any) -> str:
    """A title as text: feedparser keeps markup in titles of type html ("Tom &amp; <i>Jerry</i>")."""
    if isinstance(detail, Mapping):
        value, content_type = str(detail.get("value") or ""), str(detail.get("type") or "")
    else:
        value, content_type = str(detail), "text/plain"
    if content_type in ("text/html", "application/xhtml+xml") and "<" in value:
        return " ".join(fragment_paragraphs(value))
    return value

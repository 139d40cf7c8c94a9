"""Article records from JSON objects, and article bodies from raw text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from searchnews.errors import InputError
from searchnews.ingest.boilerplate import clean_paragraphs
from searchnews.ingest.dates import normalise_date
from searchnews.model import PARAGRAPH_SEPARATOR, Article, normalise_text

HEADLINE_FIELDS = ("headline", "title")
BODY_FIELDS = ("body", "text", "content", "maintext")
DATE_FIELDS = ("date", "published", "date_publish", "published_at", "publishedAt", "pubDate")
SOURCE_FIELDS = ("source", "outlet", "source_domain")
AUTHOR_FIELDS = ("author", "authors")
URL_FIELDS = ("url", "link")

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


def split_paragraphs(text: str, *, lines_are_paragraphs: bool = False) -> list[str]:
    """Paragraphs separated by blank lines; lines inside a paragraph keep their single newlines.

    With ``lines_are_paragraphs``, text that has no blank line at all is split at every newline: feeds that
    put one paragraph on each line would otherwise become a single wall of text.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n\n" in text or _BLANK_LINE.search(text):
        return _BLANK_LINE.split(text)
    if lines_are_paragraphs:
        return text.split("\n")
    return [text]


def body_from_paragraphs(paragraphs: list[str]) -> str:
    """Text normalised (``normalise_text``), boilerplate removed, whitespace inside each paragraph collapsed,
    paragraphs joined by a blank line. Every reader builds its body here, so every input kind is normalised
    alike, before quotes are found (their offsets are in this text) and before the index analyses it."""
    cleaned = clean_paragraphs([normalise_text(paragraph) for paragraph in paragraphs])
    collapsed = (collapse_whitespace(paragraph) for paragraph in cleaned)
    return PARAGRAPH_SEPARATOR.join(paragraph for paragraph in collapsed if paragraph)


def one_line(text: str) -> str:
    """A headline, author or source: normalised (``normalise_text``), on one line, single-spaced."""
    return " ".join(normalise_text(text).split())


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace (newlines, tabs, no-break spaces) as one space, ends stripped.

    Splitting every paragraph into words is the slowest step of reading a large feed, and most paragraphs
    need nothing, so look for the tell-tale characters first.
    """
    # isprintable() is False for newlines, tabs and no-break spaces alike: one scan finds them all.
    if not text.isprintable() or "  " in text:
        return " ".join(text.split())
    return text.strip()


def article_from_record(record: object, *, path: str, default_id: str, line: int | None = None) -> Article | InputError:
    """An Article from one JSON object, or the InputError saying why it is not one."""
    if not isinstance(record, Mapping):
        return InputError(path, f"expected a JSON object, found {_json_type(record)}", line)
    body = body_from_paragraphs(_body_paragraphs(_first(record, BODY_FIELDS)))
    headline = one_line(_as_text(_first(record, HEADLINE_FIELDS)))
    # Feeds carry headline-only entries (live pages, galleries, interactives): findable by their headline.
    if not body and not headline:
        return InputError(path, "no text (neither headline nor body)", line)
    own_id = record.get("id")
    return Article(
        id=str(own_id) if own_id not in (None, "") else default_id,
        headline=headline,
        body=body,
        path=path,
        date=normalise_date(_first(record, DATE_FIELDS)),
        source=one_line(_as_text(_first(record, SOURCE_FIELDS))),
        url=_as_text(_first(record, URL_FIELDS)).strip(),
        author=one_line(_as_text(_first(record, AUTHOR_FIELDS))),
    )


def _first(record: Mapping, fields: Sequence[str]) -> object:
    """The first of ``fields`` that holds something, else None."""
    for name in fields:
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _body_paragraphs(value: object) -> list[str]:
    if isinstance(value, str):
        return split_paragraphs(value, lines_are_paragraphs=True)
    if isinstance(value, list):  # some feeds give the body as a list of paragraphs
        return [_as_text(item) for item in value]
    return [_as_text(value)] if value is not None else []


def _as_text(value: object) -> str:
    """Text from a field that may be a string, a number, a list ("authors") or a {"name": ...} object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return _as_text(value.get("name") or value.get("title") or "")
    if isinstance(value, list):
        return ", ".join(text for text in (_as_text(item).strip() for item in value) if text)
    return str(value)


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)

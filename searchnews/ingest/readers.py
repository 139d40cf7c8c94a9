"""One reader per input format: a file in, Articles (or InputErrors saying what went wrong) out."""

from __future__ import annotations

import codecs
import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from searchnews.errors import InputError, one_line_reason
from searchnews.ingest.datelines import name_date, text_date
from searchnews.ingest.decoding import (
    MAX_FILE_BYTES,
    UnreadableFile,
    decode_text,
    looks_binary,
    os_error_reason,
    read_bytes,
)
from searchnews.ingest.feeds import read_feed
from searchnews.ingest.formats import format_of, is_gzipped
from searchnews.ingest.html import read_html
from searchnews.ingest.records import article_from_record, body_from_paragraphs, split_paragraphs
from searchnews.ingest.warc import read_warc
from searchnews.model import Article, normalise_text

Reader = Callable[[str, str], Iterator[Article | InputError]]

# A first line longer than this is a paragraph, not a headline: the file simply has none.
_MAX_HEADLINE_CHARS = 300
_SNIFF_BYTES = 8192
_MAX_REASON_CHARS = 200
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def read_path(
    path: Path,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    on_position: Callable[[int], None] | None = None,
    on_skipped: Callable[[str], None] | None = None,
) -> Iterator[Article | InputError]:
    """The articles in one file; every problem comes out as an InputError, never as an exception.

    JSON Lines files are streamed line by line, whatever their size; other files are refused above
    ``max_bytes`` (decompressed) before they are read into memory. ``on_position`` hears now and then how many
    bytes of the file (as stored on disk) have been read. An unexpected error while reading (a parser's crash,
    an optional module that will not import) is this input's failure too: it ends the file, named in an
    InputError, and the caller goes on with the next input.
    """
    path = Path(path)
    try:
        yield from _read_path(path, max_bytes, on_position, on_skipped)
    except Exception as err:  # whatever a parser raises, it is this one input's failure
        yield InputError(path.as_posix(), f"could not read: {one_line_reason(err, limit=_MAX_REASON_CHARS)}")


def _stored_size(path: Path, default: int) -> int:
    """The file's size on disk (compressed, for a gzipped file), or ``default`` when it cannot be read."""
    try:
        return path.stat().st_size
    except OSError:
        return default


def _read_path(
    path: Path,
    max_bytes: int,
    on_position: Callable[[int], None] | None,
    on_skipped: Callable[[str], None] | None = None,
) -> Iterator[Article | InputError]:
    name = path.as_posix()
    kind = format_of(path)
    if kind is None:
        yield InputError(name, "unsupported file type")
        return
    if kind == "jsonl":
        yield from read_jsonl(path, max_line_bytes=max_bytes, on_position=on_position)
        return
    if kind == "warc":  # streamed record by record, whatever the size; gzip told by content
        yield from read_warc(path, max_record_bytes=max_bytes, on_position=on_position, on_skipped=on_skipped)
        return
    try:
        data = read_bytes(path, gzipped=is_gzipped(path), max_bytes=max_bytes)
    except UnreadableFile as err:
        yield InputError(name, str(err))
        return
    if on_position is not None:
        on_position(_stored_size(path, len(data)))
    if not data.strip():
        yield InputError(name, "empty file")
        return
    if looks_binary(data):
        yield InputError(name, "binary file, not text")
        return
    if kind == "feed":  # bytes: the XML declaration names the encoding, and feedparser honours it
        yield from read_feed(data, name)
        return
    yield from _WHOLE_FILE_READERS[kind](decode_text(data), name)


def read_text(text: str, name: str) -> Iterator[Article | InputError]:
    """Scraped news text: the first non-empty line is the headline, then paragraphs split by blank lines.

    The date comes from the top of the text or from the file name, the source from a file name that plainly
    has one (see ``datelines``); label and date-only lines under the headline leave the body.
    """
    text = normalise_text(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    headline, rest = _split_headline(text)
    found = text_date(rest)
    for start, end in reversed(found.drop):
        rest = rest[:start] + rest[end:]
    body = body_from_paragraphs(split_paragraphs(rest))
    if not body:
        yield InputError(name, "no body text")
        return
    from_name, source = name_date(name)
    date = found.date or from_name or found.updated
    yield Article(id=name, headline=headline, body=body, path=name, date=date, source=source)


def read_json(text: str, name: str) -> Iterator[Article | InputError]:
    """A JSON object (one article) or an array of objects (ids ``<path>#<index>``)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        yield InputError(name, f"invalid JSON: {err.msg} (column {err.colno})", err.lineno)
        return
    except RecursionError:
        yield InputError(name, "invalid JSON: nested too deeply")
        return
    if not isinstance(document, list):
        yield article_from_record(document, path=name, default_id=name)
        return
    if not document:
        yield InputError(name, "empty JSON array")
    for index, record in enumerate(document):
        item = article_from_record(record, path=name, default_id=f"{name}#{index}")
        if isinstance(item, InputError):
            item = InputError(name, f"item {index}: {item.reason}")
        yield item


def read_jsonl(
    path: Path, *, max_line_bytes: int = MAX_FILE_BYTES, on_position: Callable[[int], None] | None = None
) -> Iterator[Article | InputError]:
    """One JSON object a line, streamed: a bad line yields an InputError with its number, and reading goes on."""
    name = path.as_posix()
    try:
        raw = open(path, "rb")  # noqa: SIM115 (closed below, with the gzip stream over it)
    except OSError as err:
        yield InputError(name, os_error_reason(err))
        return
    with raw:
        stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if is_gzipped(path) else raw
        with stream:
            position = (lambda: on_position(raw.tell())) if on_position is not None else None
            yield from _read_json_lines(stream, name, max_line_bytes, position)


# How many lines of JSON Lines between two reports of the position read.
_POSITION_EVERY_LINES = 64


def _read_json_lines(
    stream: IO[bytes], name: str, max_line_bytes: int, report_position: Callable[[], None] | None = None
) -> Iterator[Article | InputError]:
    line_number = 0
    found_any = False
    try:
        if looks_binary(stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]):  # type: ignore[attr-defined]
            yield InputError(name, "binary file, not text")
            return
        while raw := stream.readline(max_line_bytes + 1):
            line_number += 1
            if len(raw) > max_line_bytes:
                yield InputError(name, f"line longer than {max_line_bytes} bytes", line_number)
                _skip_rest_of_line(stream, max_line_bytes)
                continue
            if raw.isspace():
                continue
            found_any = True
            if report_position is not None and line_number % _POSITION_EVERY_LINES == 0:
                report_position()
            if line_number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            yield _article_from_json_line(raw, name, line_number)
    except _GZIP_ERRORS as err:
        yield InputError(name, f"corrupt or truncated gzip file ({err})", line_number or None)
        return
    except OSError as err:
        yield InputError(name, os_error_reason(err))
        return
    if not found_any:
        yield InputError(name, "empty file")


def _article_from_json_line(raw: bytes, name: str, line_number: int) -> Article | InputError:
    try:
        try:
            record = json.loads(raw)
        except UnicodeDecodeError:  # JSON Lines should be UTF-8; rescue the odd line that is not
            record = json.loads(decode_text(raw))
    except json.JSONDecodeError as err:
        return InputError(name, f"invalid JSON: {err.msg} (column {err.colno})", line_number)
    except RecursionError:
        return InputError(name, "invalid JSON: nested too deeply", line_number)
    return article_from_record(record, path=name, default_id=f"{name}:{line_number}", line=line_number)


def _skip_rest_of_line(stream: IO[bytes], chunk_bytes: int) -> None:
    while (chunk := stream.readline(chunk_bytes)) and not chunk.endswith(b"\n"):
        pass


def _split_headline(text: str) -> tuple[str, str]:
    """(headline, the rest) of a text file; no headline when the first line is too long to be one."""
    stripped = text.lstrip()
    first_line, _, rest = stripped.partition("\n")
    first_line = first_line.strip()
    if len(first_line) > _MAX_HEADLINE_CHARS:
        return "", stripped
    return " ".join(first_line.split()), rest


_WHOLE_FILE_READERS: dict[str, Reader] = {"text": read_text, "json": read_json, "html": read_html}

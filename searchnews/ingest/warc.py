"""Web archives (WARC, WARC.gz): each HTML page fetched with status 200 is an article, read as an .html file is.

The archive is streamed record by record (warcio), so memory stays bounded whatever the file's size; only one
page at a time, and at most ``max_record_bytes`` of it, is held.

Which URL and date: the URL is the record's ``WARC-Target-URI``, the address the page was fetched from and the
one a replay tool finds it by (a page's own canonical link is sometimes the site's home page, and it is only a
claim). The date is the page's own publication date when it states one, else the day of the capture
(``WARC-Date``): a capture only says the article existed by then, and archives are full of old pages recrawled.

Ids: the record's URL for the first capture of that URL in the file, as a feed item's guid or a JSON record's own
id is its id; a later capture of the same URL in the file gets ``<path>#<offset>``, the record's byte offset in
the file as stored. Both are the same every time the same file is read (archives are only ever appended to), so
indexing it again finds every article unchanged. The same URL captured in two archives is one article: the
first file read keeps it, and the index run reports the other as a duplicate id.
"""

from __future__ import annotations

import dataclasses
import gzip
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from searchnews.errors import InputError
from searchnews.ingest.dates import normalise_date
from searchnews.ingest.decoding import MAX_FILE_BYTES, decode_text, os_error_reason
from searchnews.ingest.html import read_html
from searchnews.model import Article

# Why a record is not an article; the keys ``on_skipped`` hears.
SKIP_NOT_RESPONSE = "not a response"  # request, metadata, warcinfo, revisit, resource, conversion records
SKIP_STATUS = "HTTP status not 200"
SKIP_NOT_HTML = "not HTML"
SKIP_EMPTY = "empty page"

_WARC_MAGIC = b"WARC/"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Records between two reports of the position read.
_POSITION_EVERY_RECORDS = 16


def read_warc(
    path: Path,
    *,
    max_record_bytes: int = MAX_FILE_BYTES,
    on_position: Callable[[int], None] | None = None,
    on_skipped: Callable[[str], None] | None = None,
) -> Iterator[Article | InputError]:
    """The articles in one WARC file (gzipped or not, told by its content, not its name).

    ``on_position`` hears now and then how many bytes of the file (as stored) have been read; ``on_skipped``
    hears the reason (one of the ``SKIP_*`` names) for every record that is not an article page.
    """
    # Imported here: `searchnews search` never reads an archive and should not pay for the import.
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = path.as_posix()
    try:
        raw = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as err:
        yield InputError(name, os_error_reason(err))
        return
    seen_urls: set[str] = set()
    records = 0
    with raw:
        if not _looks_like_warc(raw):
            yield InputError(name, "not a WARC file (no WARC/ version line at its start)")
            return
        try:
            archive = ArchiveIterator(raw)
            for record in archive:
                records += 1
                if on_position is not None and records % _POSITION_EVERY_RECORDS == 0:
                    on_position(raw.tell())
                skipped = _skip_reason(record)
                if skipped is not None:
                    if on_skipped is not None:
                        on_skipped(skipped)
                    continue
                payload = record.content_stream().read(max_record_bytes + 1)
                # Asked after the page is read: warcio reads the rest of the record to tell where it began.
                offset = archive.get_record_offset()
                item = _article(record, payload, name, offset, max_record_bytes, seen_urls)
                if item is None:
                    if on_skipped is not None:
                        on_skipped(SKIP_EMPTY)
                    continue
                yield item
        except ArchiveLoadFailed as err:
            where = f" after {records} records" if records else ""
            yield InputError(name, f"not a readable WARC file{where} ({_first_line(err)})")
            return
        except (EOFError, OSError, ValueError) as err:  # zlib.error is neither: the caller's catch-all names it
            yield InputError(name, f"corrupt or truncated WARC file after {records} records ({_first_line(err)})")
            return
    if on_position is not None:
        on_position(_size(path))
    if records == 0:
        yield InputError(name, "empty file")


def _looks_like_warc(raw: IO[bytes]) -> bool:
    """The file starts with a WARC version line, gzipped or not; warcio itself reads on through anything,
    writing a warning to stderr for every line it cannot place."""
    head = raw.read(2)
    raw.seek(0)
    try:
        if head == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=raw, mode="rb") as member:
                start = member.read(len(_WARC_MAGIC))
        else:
            start = raw.read(len(_WARC_MAGIC))
    except (OSError, EOFError, zlib.error):
        return False
    finally:
        raw.seek(0)
    return start == _WARC_MAGIC


def _skip_reason(record: Any) -> str | None:
    if record.rec_type != "response":
        return SKIP_NOT_RESPONSE
    headers = record.http_headers
    if headers is None:  # a response record of another protocol (dns:, ftp:)
        return SKIP_NOT_RESPONSE
    if headers.get_statuscode() != "200":
        return SKIP_STATUS
    content_type = (headers.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
    if content_type not in _HTML_TYPES:
        return SKIP_NOT_HTML
    return None


def _article(
    record: Any, payload: bytes, name: str, offset: int, max_record_bytes: int, seen_urls: set[str]
) -> Article | InputError | None:
    """The article in one HTML response record, an InputError naming the record, or None for an empty page."""
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    where = f"record at byte {offset}" + (f" ({url})" if url else "")
    if len(payload) > max_record_bytes:
        return InputError(name, f"{where}: page larger than {max_record_bytes} bytes")
    if not payload.strip():
        return None
    items = list(read_html(decode_text(payload), name))
    article = next((item for item in items if isinstance(item, Article)), None)
    if article is None:
        reason = items[0].reason if items and isinstance(items[0], InputError) else "no article text found"
        return InputError(name, f"{where}: {reason}")
    if url and url not in seen_urls:
        seen_urls.add(url)
        article_id = url
    else:
        article_id = f"{name}#{offset}"
    captured = normalise_date(record.rec_headers.get_header("WARC-Date"))
    return dataclasses.replace(article, id=article_id, path=name, url=url or article.url, date=article.date or captured)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _first_line(err: Exception) -> str:
    return (str(err).strip().split("\n", 1)[0] or type(err).__name__)[:200]

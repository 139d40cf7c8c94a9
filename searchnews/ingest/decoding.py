"""Bytes from disk to text: size limits, gzip, binary detection, character set detection."""

from __future__ import annotations

import codecs
import gzip
import zlib
from pathlib import Path

MAX_FILE_BYTES = 200 * 1024 * 1024
_MB = 1024 * 1024
_SNIFF_BYTES = 8192
# Bytes that never occur in text (everything below 0x20 except tab, newlines, form feed and escape).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1b")
_BINARY_CONTROL_SHARE = 0.1
_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_15"})
_CHAOS_TOLERANCE = 0.01


class UnreadableFile(Exception):
    """Why a whole file cannot be read as text; the reader turns it into an InputError."""


def read_bytes(path: Path, *, gzipped: bool, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's (decompressed) content, refusing more than ``max_bytes`` without reading it all."""
    if not gzipped:
        size = _file_size(path)
        if size > max_bytes:
            raise UnreadableFile(f"file too large ({size // _MB} MB > {max_bytes // _MB} MB)")
    try:
        opener = gzip.open if gzipped else open
        with opener(path, "rb") as stream:
            # One byte over the limit is enough to know a decompressed file is too large.
            data = stream.read(max_bytes + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise UnreadableFile(f"corrupt or truncated gzip file ({err})") from err
    except OSError as err:
        raise UnreadableFile(os_error_reason(err)) from err
    if len(data) > max_bytes:
        raise UnreadableFile(f"file too large (over {max_bytes // _MB} MB uncompressed > {max_bytes // _MB} MB)")
    return data


def os_error_reason(err: OSError) -> str:
    """A short reason for an OSError, without the path the InputError already carries."""
    return (err.strerror or str(err)).lower()


def looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control bytes in the first few kilobytes: an image, archive or executable, not text."""
    head = sample[:_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and controls / len(head) > _BINARY_CONTROL_SHARE


def decode_text(data: bytes) -> str:
    """UTF-8 when it is; else the charset-normalizer guess; else UTF-8 with undecodable bytes replaced."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    if _mostly_utf8(replaced):
        return replaced
    guessed = _guess_legacy_charset(data)
    return guessed if guessed is not None else replaced


def _guess_legacy_charset(data: bytes) -> str | None:
    """The text decoded with charset-normalizer's guess, preferring Western European when it fits as well.

    On short texts several single-byte charsets decode equally cleanly ("Zoë Müller" in latin-1 reads as
    cp1250 too, turning "crème" into "crčme"); for news in English, cp1252 is by far the likeliest of them.
    """
    from charset_normalizer import from_bytes  # only paid for on the rare non-UTF-8 file

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    western = [m for m in matches if m.encoding in _WESTERN and m.chaos <= best.chaos + _CHAOS_TOLERANCE]
    return str(western[0] if western else best)


def _mostly_utf8(replaced: str) -> bool:
    """UTF-8 text with a few corrupt bytes: valid multi-byte characters outnumber the replacements.

    Guessing another charset for such text would garble every correct accent to save a few broken ones.
    """
    bad = replaced.count("\ufffd")
    good = sum(1 for char in replaced if char > "\x7f") - bad
    return good > 0 and bad <= good


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as err:
        raise UnreadableFile(os_error_reason(err)) from err

"""Is the index sound? Checksums recorded at each commit, and a full read of everything Whoosh stored.

Whoosh keeps no checksums: a truncated file or flipped bytes surface as a decoding error in some later search,
or not at all (a changed number in a column is a wrong answer). Each commit therefore records, in the
generation's ``CHECKSUMS.json``, the size and BLAKE2b digest of every file of the segments it made (segment
files never change once written). Opening an index compares the sizes of its live segments' files (a stat each:
truncation and lost files are caught before the first search); ``searchnews check`` compares every digest and
then reads every posting list, stored document and column of every segment, as a search might.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from searchnews.engine import whoosh_write
from searchnews.engine.durable import write_json
from searchnews.errors import one_line_reason

CHECKSUMS_FILE = "CHECKSUMS.json"
INDEX_NAME = "MAIN"
_SEGMENT_FILE = re.compile(rf"({INDEX_NAME}_[0-9a-z]+)\.")  # group 1: the segment id
_CHUNK = 1 << 20


@dataclass
class CheckReport:
    """What ``check`` found in one generation."""

    generation: str
    segments: int = 0
    documents: int = 0
    files: int = 0
    terms: int = 0
    postings: int = 0
    stored: int = 0
    column_values: int = 0
    problems: list[str] = field(default_factory=list)
    checksums: bool = True  # False: an index written before checksums were recorded
    seconds: float = 0.0

    @property
    def sound(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "generation": self.generation,
            "sound": self.sound,
            "segments": self.segments,
            "documents": self.documents,
            "checked": {
                "files": self.files,
                "terms": self.terms,
                "postings": self.postings,
                "stored_documents": self.stored,
                "column_values": self.column_values,
            },
            "checksums_recorded": self.checksums,
            "problems": self.problems,
            "seconds": round(self.seconds, 3),
        }


# -- recording --------------------------------------------------------------------------------------------------


def record_checksums(gen: Path, live_segments: Iterable[str]) -> None:
    """Record size and digest of the files of ``live_segments`` not yet recorded; forget files no longer live."""
    live = set(live_segments)
    recorded = read_checksums(gen) or {}
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(gen.iterdir()):
        match = _SEGMENT_FILE.match(path.name)
        if not match or match.group(1) not in live or not path.is_file():
            continue
        entry = recorded.get(path.name)
        files[path.name] = entry if entry is not None else {"size": path.stat().st_size, "blake2b": _digest(path)}
    write_json(gen / CHECKSUMS_FILE, {"files": files})


def read_checksums(gen: Path) -> dict[str, dict[str, Any]] | None:
    try:
        value = json.loads((gen / CHECKSUMS_FILE).read_text(encoding="utf-8"))
        files = value["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return files if isinstance(files, dict) else None


# -- checking ---------------------------------------------------------------------------------------------------


def quick_check(gen: Path, live_segments: Iterable[str]) -> list[str]:
    """Problems found by comparing the recorded sizes of the live segments' files: lost or truncated files."""
    recorded = read_checksums(gen)
    if recorded is None:
        return []
    live = set(live_segments)
    problems = []
    for name, entry in recorded.items():
        match = _SEGMENT_FILE.match(name)
        if not match or match.group(1) not in live:
            continue  # a segment a later commit merged away (this reader opened the newer table)
        try:
            size = (gen / name).stat().st_size
        except FileNotFoundError:
            problems.append(f"{name}: missing")
            continue
        if size != entry.get("size"):
            problems.append(f"{name}: {size:,} bytes, {entry.get('size', 0):,} when written")
    return problems


def check_generation(gen: Path, on_progress: Callable[[str], None] | None = None) -> CheckReport:
    """Every recorded digest compared, then every posting list, stored document and column read."""
    started = time.perf_counter()
    report = CheckReport(generation=gen.name)
    try:
        ix = whoosh_index.open_dir(str(gen), indexname=INDEX_NAME)
        segments = whoosh_write.segments(ix)  # the table of contents' list: which files this generation is made of
    except Exception as exc:
        report.problems.append(f"table of contents: cannot be read ({one_line_reason(exc, limit=160)})")
        report.seconds = time.perf_counter() - started
        return report
    live = {s.segment_id() for s in segments}
    report.segments = len(segments)
    _check_digests(gen, live, report)
    if on_progress:
        on_progress("checksums")
    for segment in segments:
        _read_segment(ix, segment, report)
        if on_progress:
            on_progress(segment.segment_id())
    report.seconds = time.perf_counter() - started
    return report


def digest_problems(gen: Path) -> list[str]:
    """Problems found by comparing every recorded digest of the live segments' files (reads them whole)."""
    report = CheckReport(generation=gen.name)
    try:
        live = {s.segment_id() for s in whoosh_write.segments(whoosh_index.open_dir(str(gen), indexname=INDEX_NAME))}
    except Exception as exc:
        return [f"table of contents: cannot be read ({one_line_reason(exc, limit=160)})"]
    _check_digests(gen, live, report)
    return report.problems


def _check_digests(gen: Path, live: set[str], report: CheckReport) -> None:
    recorded = read_checksums(gen)
    if recorded is None:
        report.checksums = False
        return
    for name, entry in sorted(recorded.items()):
        match = _SEGMENT_FILE.match(name)
        if not match or match.group(1) not in live:
            continue
        path = gen / name
        report.files += 1
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            report.problems.append(f"{name}: missing")
            continue
        if size != entry.get("size"):
            report.problems.append(f"{name}: {size:,} bytes, {entry.get('size', 0):,} when written")
        elif _digest(path) != entry.get("blake2b"):
            report.problems.append(f"{name}: contents changed since written (checksum mismatch)")


def _read_segment(ix: Any, segment: Any, report: CheckReport) -> None:
    """Decode everything of one segment; each part that fails is one problem, and the rest is still read."""
    name = segment.segment_id()
    try:
        reader = _segment_reader(ix, segment)
    except Exception as exc:
        report.problems.append(f"{name}: cannot be opened ({one_line_reason(exc, limit=160)})")
        return
    with contextlib.closing(reader):
        report.documents += reader.doc_count()
        for fieldname in reader.indexed_field_names():
            try:
                for text in reader.lexicon(fieldname):
                    report.terms += 1
                    matcher = reader.postings(fieldname, text)
                    while matcher.is_active():
                        matcher.value()  # the posting's stored value (weights, positions, characters)
                        report.postings += 1
                        matcher.next()
            except Exception as exc:
                report.problems.append(f"{name}: postings of field {fieldname!r} ({one_line_reason(exc, limit=160)})")
        try:
            for _fields in reader.iter_docs():
                report.stored += 1
        except Exception as exc:
            report.problems.append(f"{name}: stored documents ({one_line_reason(exc, limit=160)})")
        for fieldname in ix.schema.names():
            if not reader.has_column(fieldname):
                continue
            try:
                column = reader.column_reader(fieldname, translate=False)  # the stored values, as written
                for docnum in range(reader.doc_count_all()):
                    column[docnum]
                    report.column_values += 1
            except Exception as exc:
                report.problems.append(f"{name}: column {fieldname!r} ({one_line_reason(exc, limit=160)})")


def _segment_reader(ix: Any, segment: Any) -> Any:
    from whoosh.reading import SegmentReader

    return SegmentReader(ix.storage, ix.schema, segment)


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()

"""Find the input files under the paths a user gave."""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from searchnews.errors import InputError
from searchnews.ingest.decoding import os_error_reason
from searchnews.ingest.formats import format_of

FileKey = tuple[int, int]  # (st_dev, st_ino): one file however many paths lead to it


@dataclass(frozen=True)
class Unsupported:
    """A file inside a walked folder that searchnews does not read (not an error: folders hold other files)."""

    path: str


def canonical_path(path: str | Path) -> Path:
    """The absolute path with symbolic links resolved: one name for a file however it was typed or reached."""
    return Path(os.path.realpath(path))


def discover(paths: Sequence[str | Path], exclude: Sequence[str] = ()) -> Iterator[Path | InputError | Unsupported]:
    """Each readable input file under ``paths``, once, in a deterministic order, by its canonical path.

    Paths are made absolute with symbolic links resolved, so an article's identity does not depend on how its
    path was typed, on the working directory or on a link leading to it. Directories are walked recursively
    in sorted order, skipping hidden entries (names starting with "."); files of unsupported types inside them
    come out as ``Unsupported``. Problems (missing paths, symbolic link loops, unreadable directories, a named
    file of an unsupported type) are yielded as InputError, never raised.

    ``exclude``: glob patterns for entries a walk leaves out, as a .gitignore writes them: ``*.tmp`` matches a name
    at any depth, ``drafts/`` a folder's name, ``2021/*.html`` the end of a path. A path given by name is read.
    """
    seen: set[FileKey] = set()
    for given in paths:
        yield from _discover_path(Path(given), seen, tuple(exclude))


def excluded(path: Path, is_dir: bool, exclude: Sequence[str]) -> bool:
    """Whether a walk leaves ``path`` out by one of the ``exclude`` patterns (see ``discover``)."""
    for pattern in exclude:
        if pattern.endswith("/"):
            if is_dir and fnmatch.fnmatchcase(path.name, pattern.rstrip("/")):
                return True
        elif "/" in pattern:
            if fnmatch.fnmatchcase(path.as_posix(), "*/" + pattern.lstrip("/")):
                return True
        elif fnmatch.fnmatchcase(path.name, pattern):
            return True
    return False


def _discover_path(path: Path, seen: set[FileKey], exclude: tuple[str, ...] = ()) -> Iterator[Path | InputError]:
    name = path.as_posix()
    try:
        info = path.stat()
    except OSError as err:
        yield InputError(name, _stat_error_reason(path, err))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(canonical_path(path), info, frozenset(), seen, exclude)
    elif not stat.S_ISREG(info.st_mode):
        yield InputError(name, "not a regular file")
    elif format_of(path) is None:
        yield InputError(name, "unsupported file type")
    elif _first_visit(info, seen):
        yield canonical_path(path)


def _walk(
    directory: Path,
    info: os.stat_result,
    ancestors: frozenset[FileKey],
    seen: set[FileKey],
    exclude: tuple[str, ...] = (),
) -> Iterator[Path | InputError]:
    key = (info.st_dev, info.st_ino)
    if key in ancestors:  # a symbolic link back up the tree would make the walk endless
        yield InputError(directory.as_posix(), "symbolic link loop (directory contains itself)")
        return
    try:
        with os.scandir(directory) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as err:
        yield InputError(directory.as_posix(), os_error_reason(err))
        return
    inside = ancestors | {key}
    for entry_name in names:
        if entry_name.startswith("."):
            continue
        yield from _walk_entry(directory / entry_name, inside, seen, exclude)


def _walk_entry(
    path: Path, ancestors: frozenset[FileKey], seen: set[FileKey], exclude: tuple[str, ...] = ()
) -> Iterator[Path | InputError]:
    supported = format_of(path) is not None
    try:
        info = path.stat()
    except OSError as err:
        # Inside a directory only files we would read are worth a complaint; a dangling link to a .png is not.
        if supported or err.errno == errno.ELOOP:
            yield InputError(path.as_posix(), _stat_error_reason(path, err))
        return
    if exclude and excluded(path, stat.S_ISDIR(info.st_mode), exclude):
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, info, ancestors, seen, exclude)
    elif not stat.S_ISREG(info.st_mode):
        return
    elif not supported:
        yield Unsupported(path.as_posix())
    elif _first_visit(info, seen):
        yield canonical_path(path)


def _first_visit(info: os.stat_result, seen: set[FileKey]) -> bool:
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _stat_error_reason(path: Path, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    if err.errno == errno.ENOENT:
        return "broken symbolic link" if path.is_symlink() else "no such file or directory"
    return os_error_reason(err)

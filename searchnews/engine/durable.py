"""Files that survive a power cut: synced contents, synced folder entries, JSON written whole or not at all."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path


def sync_dir(path: Path) -> None:
    """Make the names in folder ``path`` (files created, renamed or removed there) survive a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_files(paths: Iterable[Path]) -> None:
    """Make the contents of ``paths`` survive a power cut (already clean files cost next to nothing)."""
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:  # removed meanwhile by a clean-up: nothing to keep
            continue
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_json(path: Path, value: object) -> None:
    """``value`` as JSON at ``path``: written beside it, synced, renamed into place, the folder synced."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    sync_dir(path.parent)

"""Where things live: the index directory and the seeds directory."""

from __future__ import annotations

import os
from pathlib import Path

INDEX_ENV = "SEARCHNEWS_INDEX"
SEEDS_ENV = "SEARCHNEWS_SEEDS"


def default_index_dir() -> Path:
    """``$SEARCHNEWS_INDEX``, else ``./index``."""
    return Path(os.environ.get(INDEX_ENV) or "index")


def default_seeds_dir() -> Path:
    """``$SEARCHNEWS_SEEDS``, else ``./seeds``."""
    return Path(os.environ.get(SEEDS_ENV) or "seeds")


def default_jobs() -> int:
    return os.cpu_count() or 1

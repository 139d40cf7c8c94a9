"""Input readers: files and directories in, Articles out, boilerplate removed.

``discover`` finds the input files; ``read_path`` turns one file into Articles. Neither raises for bad input:
problems come out of the iterators as ``Failure`` items (an InputError) so a caller can report them and go on.
"""

from __future__ import annotations

from searchnews.errors import InputError
from searchnews.ingest.discovery import Unsupported, canonical_path, discover
from searchnews.ingest.readers import read_path

# What the iterators yield for a problem; an alias so callers can write `isinstance(item, Failure)`.
Failure = InputError

__all__ = ["Failure", "Unsupported", "canonical_path", "discover", "read_path"]

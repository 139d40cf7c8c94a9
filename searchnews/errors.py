"""The exceptions searchnews raises. Only cli.py turns them into messages and exit codes."""

from __future__ import annotations


class SearchnewsError(Exception):
    """Base of every error searchnews reports to a user as one line."""


class UsageError(SearchnewsError):
    """Bad arguments or options: exit 2."""


class InputError(SearchnewsError):
    """One input (a file, or a line of a JSON Lines file) could not be read as an article."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


class UnsupportedContent(InputError):
    """A file of a supported type whose content is not articles (an XML file that is no feed): listed with the
    unsupported files, not counted as a failure."""


class IndexMissingError(SearchnewsError):
    """No index where one was expected."""


class IndexCorruptError(SearchnewsError):
    """The index exists but cannot be opened."""


class IndexWriteError(SearchnewsError):
    """The index could not be written (no space left): the live index is as it was."""


class IndexLockedError(SearchnewsError):
    """Another writer holds the index lock past the wait time."""


class QuerySyntaxError(SearchnewsError):
    """A query that cannot be parsed."""

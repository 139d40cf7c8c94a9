"""The exceptions searchnews raises. Only cli.py turns them into messages and exit codes."""

from __future__ import annotations


def one_line_reason(exc: BaseException, limit: int = 200) -> str:
    """An error as one short line for a user: its type and the first line of its message ("ImportError: ...")."""
    message = str(exc).strip().split("\n", 1)[0]
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


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

"""Publication dates as ISO ``YYYY-MM-DD``, from the formats feeds use."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
# "2021-07-13", "2021-07-13T10:00:00Z", "2021-07-13 10:00:00", "2021/07/13"; compact "20210713"
_ISO = re.compile(r"^\s*(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d)")
_COMPACT_ISO = re.compile(r"^\s*(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})(?:$|T)")
# "13 July 2021", "Tue, 13 Jul 2021 10:00:00 +0000" (RFC 2822), "13-Jul-2021"
_DAY_MONTH_YEAR = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[\s-]+(?:of\s+)?{_MONTH}[\s,-]+(?P<year>\d{{4}})\b")
# "July 13, 2021", "Jul 13 2021"
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b")
# Unix timestamps in seconds, within a sane range for news (1970..2100).
_MAX_TIMESTAMP = 4_102_444_800


def normalise_date(value: object) -> str:
    """``value`` as ``YYYY-MM-DD`` when it is a recognisable date, else ""."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return _from_timestamp(value)
    text = str(value).strip()
    if not text:
        return ""
    for pattern in (_ISO, _COMPACT_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.search(text)
        if match:
            found = _valid_date(match["year"], match["month"], match["day"])
            if found:
                return found
    return ""


def _valid_date(year: str, month: str, day: str) -> str:
    month_number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
    try:
        return date(int(year), month_number, int(day)).isoformat()
    except ValueError:
        return ""


def _from_timestamp(seconds: float) -> str:
    if not 0 < seconds < _MAX_TIMESTAMP:
        return ""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat()


# A date anywhere in a line: ISO ("2016-10-24", "2016/10/24") or written out ("24 October 2016", "Oct. 24, 2016").
_ISO_ANYWHERE = re.compile(
    r"(?<![\d/.-])(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d])"
)


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date written in ``text`` as (``YYYY-MM-DD``, start, end), or None: the forms of
    ``normalise_date`` that name a day and a year, found anywhere in the text."""
    found: list[tuple[int, int, str]] = []
    for pattern in (_ISO_ANYWHERE, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            day = _valid_date(match["year"], match["month"], match["day"])
            if day:
                found.append((match.start(), match.end(), day))
                break
    if not found:
        return None
    start, end, day = min(found)
    return day, start, end

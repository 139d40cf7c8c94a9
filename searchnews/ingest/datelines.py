"""The publication date (and source) of a plain-text article, from its first lines or its file name.

Text dumps carry the date in a few set places, and only there is it the article's own date:

- a label line near the top: "Published: 24 October 2016", "Updated 2016-10-24 10:30 BST", "Posted on ...";
- a line holding nothing but a date right under the headline: "Monday 24 October 2016";
- a byline with a date: "By Jane Doe | October 24, 2016";
- a dateline opening the first paragraph: "LONDON, 24 October 2016 (Reuters) - ...";
- the file name: "nyt_2016-10-24_slug.txt" (and its source, "nyt"), "20161024-slug.txt", ".../2016/10/24/slug.txt".

Dates anywhere else (the body's "on 3 May 2015 the council ...") are events of the story, not its date. The
published date wins over the others, an "Updated" date is the last resort. Label lines and date-only lines are
page furniture and leave the body; bylines and datelines are part of the text and stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from searchnews.ingest.dates import find_date, normalise_date

# How far down the top of an article is: non-empty lines looked at after the headline, and how long a line of
# page furniture (label, date, byline) may be.
_TOP_LINES = 6
_MAX_META_CHARS = 120
_EARLIEST_YEAR, _LATEST_YEAR = 1900, 2100

_PUBLISHED = r"(?:first\s+)?published|posted|date[d]?|released|filed"
_UPDATED = r"(?:last\s+)?(?:updated|modified|revised)"
_LABEL = re.compile(
    rf"^\W{{0,3}}(?:(?P<published>{_PUBLISHED})|(?P<updated>{_UPDATED}))(?:\s+(?:on|at))?\s*[:\-–—|]?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
# What may sit beside a date on a date line: times, weekdays, time zones, small words and punctuation.
_DATE_LINE_FILLER = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?|T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?"
    r"|\b(?:[A-Z]{2,4}T|GMT|UTC|BST|CET|CEST|EST|EDT|CST|CDT|PST|PDT|ET|PT|IST|AEST|AEDT|JST)\b"
    r"|[+-]\d{2}:?\d{2}\b|\b(?:at|on|the|of|am|pm)\b|[\W_]+",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\W{0,3}by\s+(?P<name>[^,|·•\n]{2,60}?)\s*[,|·•—–]\s*(?P<rest>.+)$", re.IGNORECASE)
# "LONDON, 24 October 2016 (Reuters) - ", "Washington, Oct. 24, 2016 — ": a place, a comma, a date, a dash.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’ -]{1,40}?)\s*(?:\([A-Za-z .]{1,30}\)\s*)?,\s*(?P<date>[^–—:()]{6,40}?)\s*"
    r"(?:\([A-Za-z .]{1,30}\)\s*)?(?:-|–|—|:)\s"
)
# File names: "nyt_2016-10-24_slug", "2016-10-24_slug", "20161024-slug", "slug-2016-10-24"; ".../2016/10/24/x".
# The source only in the plainest shape, underscores on both sides of the date: "brexit-2016-10-24-vote" starts
# with a word of the slug, not a source.
_NAME_SOURCE_DATE = re.compile(r"^(?P<source>[A-Za-z][A-Za-z0-9]{1,19})_(?P<date>\d{4}-\d{2}-\d{2}|\d{8})_.")
_NAME_DATE_FIRST = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2}|\d{8})(?=[_.-]|$)")
_NAME_ISO_DATE = re.compile(r"(?<![0-9])(?P<date>\d{4}-\d{2}-\d{2})(?![0-9])")
_FOLDER_DATE = re.compile(r"(?:^|/)(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/[^/]+$")


@dataclass(frozen=True)
class TextDate:
    """What the top of a text says about its date: the date (or ""), and the lines to drop from the body."""

    date: str = ""
    updated: str = ""
    drop: tuple[tuple[int, int], ...] = ()  # (start, end) of label and date-only lines in the text


def text_date(text: str) -> TextDate:
    """The date at the top of an article's text (the text after its headline); see the module docstring."""
    published = under_headline = byline = dateline = updated = ""
    drop: list[tuple[int, int]] = []
    seen = 0
    at = 0
    for line in text.split("\n"):
        start, end = at, at + len(line)
        at = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > _TOP_LINES:
            break
        if len(stripped) <= _MAX_META_CHARS:
            label = _LABEL.match(stripped)
            if label and _is_date_only(label["rest"]):
                day = find_date(label["rest"])[0]  # type: ignore[index]
                if label["published"]:
                    published = published or day
                else:
                    updated = updated or day
                drop.append((start, end))
                continue
            if _is_date_only(stripped):
                if seen == 1:
                    under_headline = find_date(stripped)[0]  # type: ignore[index]
                    drop.append((start, end))
                continue
            by = _BYLINE.match(stripped)
            if by:
                if _is_date_only(by["rest"]):
                    byline = byline or find_date(by["rest"])[0]  # type: ignore[index]
                continue
            if not re.search(r"[.!?]['\"’”]?$", stripped):
                continue  # a kicker, a byline, a caption: still the top of the article
        # The first line of prose: a dateline may open it; nothing after it is looked at.
        opening = _DATELINE.match(stripped)
        if opening:
            day = find_date(opening["date"])
            if day and _is_date_only(opening["date"]):
                dateline = day[0]
        break
    found = published or under_headline or byline or dateline
    return TextDate(date=_plausible(found), updated=_plausible(updated), drop=tuple(drop))


def name_date(name: str) -> tuple[str, str]:
    """(date, source) from a file's path: "nyt_2016-10-24_slug.txt" -> ("2016-10-24", "nyt"); "" where the name
    says nothing plain. The source only from that shape: letters first, then the date."""
    path = PurePosixPath(name)
    stem = path.name
    for suffix in (".gz", ".txt", ".text"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    match = _NAME_SOURCE_DATE.match(stem)
    if match:
        day = _plausible(normalise_date(match["date"]))
        if day:
            return day, match["source"]
    for pattern in (_NAME_DATE_FIRST, _NAME_ISO_DATE):
        match = pattern.search(stem)
        if match:
            day = _plausible(normalise_date(match["date"]))
            if day:
                return day, ""
    folder = _FOLDER_DATE.search(path.as_posix())
    if folder:
        return _plausible(normalise_date(f"{folder['year']}-{folder['month']}-{folder['day']}")), ""
    return "", ""


def _is_date_only(text: str) -> bool:
    """Whether ``text`` is a date and nothing else but times, weekdays, time zones and punctuation."""
    found = find_date(text)
    if found is None:
        return False
    _day, start, end = found
    rest = _DATE_LINE_FILLER.sub("", text[:start] + " " + text[end:])
    return not rest.strip()


def _plausible(day: str) -> str:
    """``day`` when its year is one a news article can have, else ""."""
    return day if day and _EARLIEST_YEAR <= int(day[:4]) <= _LATEST_YEAR else ""

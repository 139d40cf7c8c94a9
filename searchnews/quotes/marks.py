"""Find the stretches of a line that sit between quotation marks.

Every quotation style news text uses is handled: “curly”, "straight", «guillemets», „low-high“, and single
‘quotes’. Straight and single marks are ambiguous (a straight mark opens and closes; ’ is also the apostrophe
of "Tajikistan’s"), so each mark is classified by the characters beside it, and a single quote only counts when
it is closed on the same line. A double quote still open at the end of the line runs to the end: news leaves a
quote paragraph open when the quote continues in the next paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_DOUBLE_OPEN = frozenset("“„«")
_DOUBLE_CLOSE = frozenset("”»")
_SINGLE_OPEN = frozenset("‘‚")
# Doubled single marks stand for double ones in some feeds ("‘‘Yes,’’ she said", "``Yes,'' she said").
_MARKS_RE = re.compile(r"’’|''|‘‘|``|[\"“”„«»‘’‚']")
_DOUBLED_OPEN = frozenset(("‘‘", "``"))
_DOUBLED_CLOSE = frozenset(("’’", "''"))
# Characters after which a mark opens a quote ("said: “", "(“", "—“").
_OPENING_CONTEXT = frozenset(" \t\n\r([{—–-/:;,\u00a0")
# Characters after a closing mark ("…,” he said", "…”.", "…”)").
_CLOSING_CONTEXT = frozenset(" \t\n\r.,;:!?)]}—–-…\u00a0")


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted stretch: [open, close) covers the marks; [inner_start, inner_end) the words between them."""

    open: int
    close: int
    inner_start: int
    inner_end: int
    closed: bool


def _can_open(line: str, i: int) -> bool:
    before = line[i - 1] if i > 0 else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    return (before in _OPENING_CONTEXT or before in _DOUBLE_OPEN or before in _SINGLE_OPEN) and not after.isspace()


def _can_close(line: str, i: int) -> bool:
    before = line[i - 1] if i > 0 else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    return not before.isspace() and (after in _CLOSING_CONTEXT or after in _DOUBLE_CLOSE or after in "’'\"")


def _double_marks(line: str) -> list[tuple[int, str, int]]:
    """Double-quote marks as (position, "open" or "close", length); marks that can be neither are dropped."""
    marks: list[tuple[int, str, int]] = []
    inside = False
    for m in _MARKS_RE.finditer(line):
        ch, i = m.group(), m.start()
        if ch in _DOUBLED_OPEN:
            role = "open"
        elif ch in _DOUBLED_CLOSE:
            if not inside:
                before = line[i - 1] if i > 0 else " "
                after = line[i + 2] if i + 2 < len(line) else " "
                if before not in _OPENING_CONTEXT or not after.isalnum():
                    continue  # "the players’’" outside a quote: not a mark worth pairing
                role = "open"  # ''This is not reform,'' (doubled straight marks open too, NYT style)
            else:
                role = "close"
        elif ch in _DOUBLE_OPEN:
            role = "open"
        elif ch in _DOUBLE_CLOSE:
            # A closing curly mark typed where an opening one belongs ("”Hello,” she said") still opens.
            role = "open" if not inside and _can_open(line, i) and not _can_close(line, i) else "close"
        elif ch == '"':
            opens, closes = _can_open(line, i), _can_close(line, i)
            if opens and not closes:
                role = "open"
            elif closes and not opens:
                role = "close"
            elif opens and closes:
                role = "close" if inside else "open"
            else:  # between two letters or two spaces: let the running state decide
                role = "close" if inside else "open"
        else:
            continue
        marks.append((i, role, len(ch)))
        inside = role == "open"
    return marks


def _inside(spans: list[QuoteSpan], starts: list[int], i: int) -> bool:
    """Whether position ``i`` falls in one of ``spans`` (sorted, with ``starts`` their open positions)."""
    k = bisect_right(starts, i) - 1
    return k >= 0 and i < spans[k].close


def _single_marks(line: str, blocked: list[QuoteSpan]) -> list[tuple[int, str, int]]:
    """Single-quote marks outside double quotes, classified; apostrophes inside words are skipped."""
    marks: list[tuple[int, str, int]] = []
    starts = [s.open for s in blocked]
    for m in _MARKS_RE.finditer(line):
        ch, i = m.group(), m.start()
        if len(ch) != 1 or ch not in "‘’‚'" or _inside(blocked, starts, i):
            continue
        before = line[i - 1] if i > 0 else " "
        after = line[i + 1] if i + 1 < len(line) else " "
        if before.isalnum() and after.isalnum():
            continue  # "what’s", "O'Regan"
        if (ch in _SINGLE_OPEN or ch == "'") and _can_open(line, i) and after.isalnum():
            marks.append((i, "open", 1))
        elif ch in "’'" and _can_close(line, i):
            marks.append((i, "close", 1))
    return marks


def _overlaps_any(spans: list[QuoteSpan], starts: list[int], span: QuoteSpan) -> bool:
    k = bisect_right(starts, span.close - 1) - 1
    return k >= 0 and spans[k].close > span.open


def _pair(line: str, marks: list[tuple[int, str, int]], leave_open: bool) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    start: int | None = None
    width = 1
    for i, role, length in marks:
        if role == "open":
            if start is not None and leave_open:
                # A new opening mark while a quote is open: the first one was never closed; end it here.
                spans.append(QuoteSpan(start, i, start + width, i, False))
            start, width = i, length
        elif start is not None:
            spans.append(QuoteSpan(start, i + length, start + width, i, True))
            start = None
    if start is not None and leave_open:
        spans.append(QuoteSpan(start, len(line), start + width, len(line), False))
    return spans


def find_quote_spans(line: str) -> list[QuoteSpan]:
    """The quoted stretches of ``line``, in order and not overlapping."""
    if not _MARKS_RE.search(line):
        return []
    doubles = _pair(line, _double_marks(line), leave_open=True)
    singles = _pair(line, _single_marks(line, doubles), leave_open=False)
    # Single quotes only stand for a quotation where no double quote overlaps them (else they are nested).
    starts = [d.open for d in doubles]
    singles = [s for s in singles if not _overlaps_any(doubles, starts, s)]
    return sorted(doubles + singles, key=lambda s: s.open)

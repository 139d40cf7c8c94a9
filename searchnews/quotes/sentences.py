"""Split a line into sentences without cutting through a quotation.

A quotation of several sentences stays inside the one sentence that frames it ("He said: “A. B. C.”"), so its
attribution is found beside it; a new sentence starts after the closing mark ("…,” Peters said. “I like…”").
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .lexicon import ABBREVIATIONS
from .marks import QuoteSpan

# A sentence end: terminal punctuation, closing marks or brackets, space, then something that can start a
# sentence (capital, digit, opening mark or bracket).
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"”’'»)\]]*\s+(?=[\"“‘'«(\[]?[A-Z0-9])")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)[.!?…]*$")
_DOTTED_LETTERS_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _is_abbreviation(line: str, dot: int) -> bool:
    """Whether the "." at ``dot`` closes an abbreviation ("Mr.", "U.S.", an initial "J.") and not a sentence."""
    if line[dot] != ".":
        return False
    m = _WORD_BEFORE_RE.search(line, max(0, dot - 24), dot + 1)
    if not m:
        return False
    word = m.group(1).rstrip(".").lower()
    if word in ABBREVIATIONS:
        return True
    # A single capital letter is an initial ("Harry J. Kazianis"); dotted letters an acronym ("U.S.").
    bare = m.group(1).rstrip(".")
    return (len(bare) == 1 and bare.isupper()) or bool(_DOTTED_LETTERS_RE.fullmatch(bare))


def split_sentences(line: str, spans: list[QuoteSpan]) -> list[tuple[int, int]]:
    """[start, end) of each sentence of ``line``; no boundary falls strictly inside a quote span."""
    starts = [s.open for s in spans]
    bounds: list[tuple[int, int]] = []
    begin = 0
    for m in _BOUNDARY_RE.finditer(line):
        end = m.start() + len(m.group().rstrip())  # just after the punctuation and any closing marks
        k = bisect_right(starts, end - 1) - 1
        if k >= 0 and end < spans[k].close:
            continue  # the space sits inside a quotation: "A. B." is one quoted stretch
        if _is_abbreviation(line, m.start()):
            continue
        bounds.append((begin, end))
        begin = m.end()
    if begin < len(line):
        bounds.append((begin, len(line)))
    return [(s, e) for s, e in bounds if line[s:e].strip()]

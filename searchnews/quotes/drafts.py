"""The quotes of one line, before their speakers are resolved: boilerplate lines skipped, quotations masked, and
per sentence the clause each reporting cue reports (direct, indirect or mixed), a colon or dash introducing a
quotation, or a quotation standing alone that continues the quote before it."""

from __future__ import annotations

import re
from bisect import bisect_left

from searchnews.model import PARAGRAPH_SEPARATOR

from .clauses import find_cues
from .cue import MASK, Cue
from .lexicon import CLAUSE_WORDS
from .marks import QuoteSpan
from .reading import EDGE_JUNK, WORD_RE, Draft, Line
from .speakers import is_speaker_phrase, name_in_phrase, pronoun_of
from .subjects import sentence_subject

# Boilerplate: "… [LATEST]" link lines and "JUST IN: …" / "WATCH | …" teasers of other stories.
_TAGGED_LINK_RE = re.compile(r"\[[A-Z][A-Z ]{1,20}\]\s*$")
_TEASER_RE = re.compile(r"^\s*[A-Z][A-Z ]{2,20}\s*[:|]|^\s*Follow\s.{1,60}\bon (?:Twitter|Facebook|Instagram)\b")
_SENTENCE_FINAL = frozenset(".!?…:;")
_CLOSING_MARKS = frozenset("\"”’'»)]")
# "that" or a colon opening a reported clause (used with match(): anchored at the position given).
_LEADING_THAT_RE = re.compile(r"(?:that|:)\s+", re.IGNORECASE)


def article_lines(body: str) -> list[tuple[int, int, str]]:
    """(paragraph index, offset in body, text) of every line of every paragraph."""
    out: list[tuple[int, int, str]] = []
    offset = 0
    for index, paragraph in enumerate(body.split(PARAGRAPH_SEPARATOR)):
        line_offset = offset
        for text in paragraph.split("\n"):
            out.append((index, line_offset, text))
            line_offset += len(text) + 1
        offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return out


def is_boilerplate(text: str) -> bool:
    """A line that is no prose of this article: a linked headline, a teaser, a heading without punctuation."""
    stripped = text.strip()
    if not stripped or _TAGGED_LINK_RE.search(stripped) or _TEASER_RE.match(stripped):
        return True
    last = stripped[-1]
    if last in _SENTENCE_FINAL:
        return False
    unclosed = stripped.rstrip("".join(_CLOSING_MARKS))  # "…,'' he said." / "… election?''"
    if last in _CLOSING_MARKS and unclosed and unclosed[-1] in _SENTENCE_FINAL | {","}:
        return False
    return len(stripped.split()) <= 30


# A teaser label inside a line, after a sentence ("… agency. READ MORE: Idlib's rebel split …"): scraped text
# that ran another story's headline into the paragraph. The label is nobody's name.
_INLINE_LABEL_RE = re.compile(r"(?<=[.!?”\"’'])(\s+(?:[A-Z]{2,}\s+){0,2}[A-Z]{3,}:)(?=\s+[A-Z])")


def mask_quotes(text: str, spans: list[QuoteSpan]) -> str:
    """``text`` with every quotation masked (same length: offsets hold) and inline teaser labels blanked."""
    if ":" in text:
        text = _INLINE_LABEL_RE.sub(lambda m: " " * len(m.group()), text)
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for s in spans:
        parts.append(text[pos : s.open])
        parts.append(MASK * (s.close - s.open))
        pos = s.close
    parts.append(text[pos:])
    return "".join(parts)


def _spans_within(line: Line, start: int, end: int) -> list[QuoteSpan]:
    """The quote spans inside [start, end), found by bisection: a line may hold thousands."""
    out: list[QuoteSpan] = []
    for k in range(bisect_left(line.starts, start), len(line.spans)):
        span = line.spans[k]
        if span.open >= end:
            break
        if span.close <= end:
            out.append(span)
    return out


def _trim(line: Line, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past edge punctuation, a leading "that" and a final full stop outside quotes."""
    text = line.text
    while start < end and text[start] in EDGE_JUNK:
        start += 1
    m = _LEADING_THAT_RE.match(text, start, end)
    if m:
        start = m.end()
    while end > start and (text[end - 1] in EDGE_JUNK or (text[end - 1] in ".!?" and line.masked[end - 1] != MASK)):
        end -= 1
    return start, end


def _draft(line: Line, start: int, end: int, cue: str, mention: str, inherit: str) -> Draft | None:
    """The quote a clause [start, end) holds: direct when it is all quotation, else indirect or mixed."""
    start, end = _trim(line, start, end)
    if end <= start:
        return None
    quotes = _spans_within(line, start, end)
    outside = line.masked[start:end].replace(MASK, " ")
    outside = outside.strip(EDGE_JUNK + ".!?")
    that = _LEADING_THAT_RE.match(outside)
    if that:
        outside = outside[that.end() :]
    if quotes and not WORD_RE.search(outside):
        first, last = quotes[0], quotes[-1]
        return Draft(first.inner_start, last.inner_end, "direct", cue, mention, inherit)
    if not _has_words(line.masked if not quotes else line.text, start, end, 3):
        return None
    fragments = any(_has_words(line.text, q.inner_start, q.inner_end, 2) for q in quotes)
    if not quotes and _is_fragment(line.text[start:end]):
        return None
    return Draft(start, end, "mixed" if fragments else "indirect", cue, mention, inherit)


def _has_words(text: str, start: int, end: int, n: int) -> bool:
    """Whether text[start:end] holds at least ``n`` words: counted up to ``n``, not listed (clauses run long)."""
    return any(k >= n for k, _ in enumerate(WORD_RE.finditer(text, start, end), 1))


_FRAGMENT_OPENERS = frozenset(
    "during in on at after before since until despite through throughout amid within without with by for from "
    "under over about back".split()
)
_CLAUSE_HINTS = CLAUSE_WORDS | frozenset("he she it they we i you there".split())


def _is_fragment(text: str) -> bool:
    """An introductory phrase, not a report: "During his years in office", "before he died", "But in July 2012"."""
    words = [w.lower() for w in WORD_RE.findall(text)]
    if not words or words[0] not in _FRAGMENT_OPENERS:
        return False
    if len(words) <= 4:
        return True
    return not any(w in _CLAUSE_HINTS or w.endswith(("ed", "n't", "n’t")) for w in words)


def _mention(line: Line, cue: Cue) -> str:
    if cue.subject is None:
        return ""
    return line.text[cue.subject[0] : cue.subject[1]]


def sentence_drafts(line: Line, a: int, b: int, quoted: set[str]) -> list[Draft]:
    """The quotes of the sentence line[a:b]."""
    masked = line.masked
    cues = find_cues(masked, a, b)
    if not cues:
        return _introduced(line, a, b, quoted) or _follow_on(line, a, b)
    drafts: list[Draft] = []
    region = a  # reported material not yet claimed starts here
    open_cue: Cue | None = None  # a cue whose clause runs on to the right
    open_mention = ""
    open_inherit = ""
    since_region: list[Draft] = []

    def close(upto: int) -> None:
        if open_cue is not None:
            d = _draft(line, open_cue.clause_from, upto, open_cue.verb, open_mention, open_inherit)
            if d is not None:
                since_region.append(d)

    for cue in cues:
        mention = _mention(line, cue)
        if cue.form == "frame":
            if cue.according and open_cue is not None:
                close(cue.start)  # "Wang said …, according to a readout": the verb before is the cue
                open_cue = None
            else:
                # A frame reports all that precedes it: cues inside ("China told …, the ministry said") are
                # part of the reported material.
                since_region = []
                open_cue = None
                d = _draft(line, region, cue.clause_to, cue.verb, mention, "")
                if d is not None:
                    since_region.append(d)
            drafts.extend(since_region)
            since_region = []
            region = cue.after
            if cue.resume is not None:
                open_cue = Cue(cue.start, cue.end, cue.verb, "right", cue.subject, clause_from=cue.resume)
                open_mention, open_inherit = mention, ""
            continue
        boundary = cue.subject[0] if cue.subject is not None and not cue.inherit else cue.start
        if cue.according:
            boundary = cue.start
        close(boundary)
        inherit = ""
        if cue.inherit:
            inherit = "cue"
            if open_cue is not None and not open_cue.relative:
                mention, inherit = open_mention, open_inherit
            elif any(d.inherit != "relative" for d in drafts + since_region):
                prev = [d for d in drafts + since_region if d.inherit != "relative"][-1]
                mention, inherit = prev.mention, prev.inherit
            else:
                subject = sentence_subject(masked, a, b)
                if subject is not None and is_speaker_phrase(line.text[subject[0] : subject[1]]):
                    mention, inherit = line.text[subject[0] : subject[1]], ""
        if cue.relative and not inherit:
            inherit = "relative"
        open_cue, open_mention, open_inherit = cue, mention, inherit
    close(b)
    drafts.extend(since_region)
    return _merge_split_quotes(drafts)


def _merge_split_quotes(drafts: list[Draft]) -> list[Draft]:
    """ "“First,” he said, “second.”" is one quote: join direct parts the same cue attributes."""
    out: list[Draft] = []
    for d in drafts:
        if (
            out
            and d.kind == "direct"
            and out[-1].kind == "direct"
            and d.cue == out[-1].cue
            and d.mention == out[-1].mention
        ):
            prev = out.pop()
            d = Draft(prev.start, d.end, "direct", prev.cue, prev.mention, prev.inherit)
        out.append(d)
    return out


_INTRODUCING_END_RE = re.compile(r"(?::|\s[—–―-]{1,2})\s*$")


# "He answered, “Denver.”", "Some chanted, “USA!”": a past or present verb, a comma, then the quotation.
_COMMA_VERB_RE = re.compile(r"\b[a-z]{3,}(?:ed|es|s)\s*,\s*$")
_INVERTED_OPENERS = frozenset("said says added adds asked continued wrote".split())


def _introduced(line: Line, a: int, b: int, quoted: set[str]) -> list[Draft]:
    """ "Tom Hale was blunt: “…”", "Hale scolded him — “…”": a person's sentence whose colon or dash
    introduces a quotation; or, with the quotation in the next paragraph, ends the sentence ("… at the
    rally:"). The speaker is the sentence's subject when it names someone."""
    masked = line.masked
    first_quote = masked.find(MASK, a, b)
    head_end = first_quote if first_quote >= 0 else b
    tail = masked[max(a, head_end - 40) : head_end]  # the patterns below end the head: search its end only
    comma_verb = first_quote >= 0 and _COMMA_VERB_RE.search(tail) is not None
    opener = WORD_RE.search(masked, a, min(head_end, a + 40)) if first_quote >= 0 else None
    said_first = opener is not None and opener.group().lower() in _INVERTED_OPENERS
    if not _INTRODUCING_END_RE.search(tail) and not comma_verb and not said_first:
        return []
    if first_quote >= 0 and WORD_RE.search(masked[first_quote:b].replace(MASK, " ")):
        return []  # words after the quotation: not a plain introduction
    subject = sentence_subject(masked, a, head_end)
    if subject is None:
        return []
    phrase = line.text[subject[0] : subject[1]]
    first, _, rest = phrase.partition(" ")
    inverted = first.lower() in _INVERTED_OPENERS and bool(rest)
    if inverted:
        phrase = rest  # "Said Ellis: “…”": the verb itself shows speech
    if pronoun_of(phrase) not in ("he", "she") and not inverted:
        named = name_in_phrase(phrase)
        if named is None or (" " not in named[0] and named[1] is None and named[0] not in quoted):
            return []  # "Partial transcript:", "The Washington …": no one's name
    if first_quote < 0:
        return [Draft(b, b, "intro", "", phrase, "")]  # the quotation comes in the next paragraph
    quotes = _spans_within(line, first_quote, b)
    if not quotes:
        return []
    if comma_verb and not line.text[quotes[0].inner_start : quotes[0].inner_start + 1].isupper():
        return []  # "…, “along with some complex ones.”": a fragment, not an utterance
    return [Draft(quotes[0].inner_start, quotes[-1].inner_end, "direct", "", phrase, "")]


def _follow_on(line: Line, a: int, b: int) -> list[Draft]:
    """A sentence that is only a quotation, with no cue: it continues the last speaker's quote."""
    quotes = _spans_within(line, a, b)
    if not quotes or line.masked[a:b].strip()[:1] != MASK:
        return []
    outside = line.masked[a:b].replace(MASK, "").strip(EDGE_JUNK + ".!?")
    if WORD_RE.search(outside):
        return []
    inner = line.text[quotes[0].inner_start : quotes[-1].inner_end]
    words = WORD_RE.findall(inner)
    if len(words) < 4 and not (len(words) >= 2 and inner.rstrip()[-1:] in ".!?,"):
        return []  # a quoted heading, not a quote
    return [Draft(quotes[0].inner_start, quotes[-1].inner_end, "direct", "", "", "quote")]

"""What a reporting verb reports after it: a short adverbial or object to pass ("said on Tuesday", "told
NBC"), the clause it opens, a to-infinitive ("pledged to cut taxes") or an indirect question ("asked whether …")."""

from __future__ import annotations

import re

from .cue import MASK, WINDOW, WORD_RE, Cue, is_clause_word, is_contraction, words_of
from .lexicon import (
    CLAUSE_WORDS,
    PRONOUN_GENDER,
    QUESTION_VERBS,
    QUESTION_WORDS,
    QUOTE_ONLY_VERBS,
    STRICT_VERBS,
    TITLE_ABBREVIATIONS,
    TO_VERBS,
)
from .subjects import NAME_JOINERS

# Where a short speaker or adverbial phrase ends.
_PHRASE_END_RE = re.compile(rf"[,.;:!?—–(){MASK}]")
# A dot closing a title or an initial rather than a phrase ("Sen.", "Dr.", "J.").
_ABBREVIATION_DOT_RE = re.compile(
    r"(?:(?<![\w.])|(?<=\b[A-Z]\.))(?:[A-Z]|Jr|Sr|St|"
    + "|".join(sorted(w.capitalize() for w in TITLE_ABBREVIATIONS))
    + r")\.$"
)
# Openers of the short adverbial a frame verb may carry ("said on Tuesday", "said in a statement").
_ADVERBIAL_START = frozenset(
    "in on at during after before from via through to while when as last this earlier later yesterday today "
    "tonight monday tuesday wednesday thursday friday saturday sunday outside inside after following "
    "afterwards late early of about with".split()
)
# A subject pronoun inside what follows a verb shows a reported clause, not an adverbial.
_SUBJECT_PRONOUNS = frozenset("he she it they we i you there".split())
# Verbs common enough in reporting that a bare clause after them is trusted; rarer verbs need a clause marker.
_PLAIN_VERBS = frozenset("say says said saying according".split())
_SUBJECT_WORDS = frozenset("he she it they we i you there this that these those".split())
# First words after a verb that show it governs no reported clause.
_NOT_A_CLAUSE_START = frozenset("to by for of about with goodbye yes no".split())
_OBJECT_OF_TELL = frozenset("reporters journalists media him her them us me police donors voters supporters".split())


def _phrase_stop(masked: str, start: int, end: int) -> int:
    """Where the phrase starting at ``start`` ends: the next punctuation that is not an abbreviation's dot."""
    pos = start
    while True:
        m = _PHRASE_END_RE.search(masked, pos, end)
        if m is None:
            return end
        if m.group() == "." and _ABBREVIATION_DOT_RE.search(masked, max(start, m.start() - 6), m.start() + 1):
            pos = m.end()  # "Sen. Richard Blumenthal", "Harry J. Kazianis"
            continue
        return m.start()


def phrase_after(masked: str, start: int, end: int) -> tuple[int, int] | None:
    """The short phrase after ``start`` up to the next punctuation: [start, end) of its words, or None."""
    stop = _phrase_stop(masked, start, min(end, start + WINDOW))
    words = list(WORD_RE.finditer(masked, start, stop))
    if not words:
        return None
    return words[0].start(), words[-1].end()


def frame_adverbial_end(masked: str, verb: str, start: int, end: int) -> int | None:
    """Where a frame verb's short adverbial ends ("said on Tuesday", "told Reuters"); None if a clause follows."""
    stop = _phrase_stop(masked, start, min(end, start + WINDOW))
    stop = _past_title(masked, start, stop, end)
    if masked[stop : stop + 1] in (":", MASK):
        return None  # "McCallum said: “…”": the verb introduces what follows
    words = [w.lower() for w in words_of(masked[start:stop])]
    if not words:
        return stop
    if "that" in words or any(w in _SUBJECT_PRONOUNS for w in words):
        return None
    if _told_then_adverbial(masked, verb, start, stop, words):
        return stop
    if len(words) > 10:
        return None
    if words[0] in _ADVERBIAL_START:
        return stop
    if verb.lower() in ("told", "tells", "tell", "asked", "asks") and len(words) <= 6:
        if any(is_clause_word(w) for w in words):
            return None  # "told reporters the talks would resume": a reported clause after the object
        raw = words_of(masked[start:stop])
        if raw[0][:1].isupper() or words[0] in _OBJECT_OF_TELL or words[0] in ("the", "a", "an"):
            return stop
    return None


_TITLE_LEAD_RE = re.compile(r"(?:\b(?:on|in|to|at|from|of)|\b[A-Z0-9][\w.&]*[’']s)\s*$")


def _past_title(masked: str, start: int, stop: int, end: int) -> int:
    """Past a quoted title in an adverbial ("said on CNN’s “State of the Union.”"): where the phrase ends."""
    if masked[stop : stop + 1] != MASK or not _TITLE_LEAD_RE.search(masked, start, stop):
        return stop
    after = stop
    while after < end and masked[after] == MASK:
        after += 1
    return _phrase_stop(masked, after, min(end, after + WINDOW))


def _told_then_adverbial(masked: str, verb: str, start: int, stop: int, words: list[str]) -> bool:
    """ "…,” X told the House before slamming …": an object, then a long adverbial, no reported clause."""
    if verb.lower() not in ("told", "tells", "tell"):
        return False
    raw = words_of(masked[start:stop])
    if not (raw[0][:1].isupper() or words[0] in _OBJECT_OF_TELL or words[0] in ("the", "a", "an")):
        return False
    return any(w in _TOLD_ADVERBIAL_OPENERS for w in words[1:5])


_TOLD_ADVERBIAL_OPENERS = frozenset("before after while as when during on in at outside following".split())


def has_clause_before(masked: str, lo: int, at: int) -> bool:
    """Whether reported material precedes a frame's speaker: a quotation, or a clause ending in a comma."""
    before = masked[max(lo, at - WINDOW) : at].rstrip()
    if MASK in before:
        return True
    return len(words_of(before)) >= 3 and before.endswith((",", "—", "–"))


def colon_after(masked: str, start: int, end: int) -> int | None:
    """Where a short object or adverbial ending in a colon stops ("told the Herald: “…”"), or None."""
    stop = _phrase_stop(masked, start, min(end, start + 80))
    if masked[stop : stop + 1] != ":":
        return None
    words = words_of(masked[start:stop])
    if len(words) > 6 or any(is_clause_word(w) or w.lower() == "that" for w in words):
        return None
    return stop


def loose_adverbial_end(masked: str, start: int, end: int) -> int | None:
    """After "“…,” she said", what runs to the next punctuation is an adverbial ("dryly", "two weeks after the
    vote", "as he entered the talks") unless it opens a reported clause ("that …") or a quotation."""
    stop = _past_title(masked, start, _phrase_stop(masked, start, min(end, start + WINDOW)), end)
    if masked[stop : stop + 1] in (":", MASK):
        return None
    words = [w.lower() for w in words_of(masked[start:stop])]
    if words and (words[0] == "that" or words[0] in _SUBJECT_PRONOUNS):
        return None
    return stop


def right_clause(
    masked: str,
    b: int,
    vs: int,
    ve: int,
    verb: str,
    subject: tuple[int, int] | None,
    inherit: bool = False,
    skip_to: int | None = None,
) -> Cue | None:
    """A cue reporting what follows the verb; ``skip_to`` passes a short adverbial or object before a quotation
    ("told NBC, “…”", "said on Friday: “…”")."""
    low = verb.lower()
    clause_from = ve
    if skip_to is not None and masked[skip_to:b].lstrip(" ,:;—–-").startswith(MASK):
        clause_from = skip_to
    rest = masked[clause_from : min(b, clause_from + WINDOW)]
    words = words_of(rest)
    opening = rest.lstrip(" :,—–-")
    if opening[:5].lower() == "that ":
        opening = opening[5:].lstrip()
    starts_with_quote = opening.startswith(MASK)
    lows = [w.lower() for w in words[:9]]
    if not starts_with_quote:
        special = _special_report(masked, rest, clause_from, low, lows, participle=low.endswith("ing"))
        if special is not None:
            return Cue(vs, ve, verb, "right", subject, clause_from=special, after=special, inherit=inherit)
    if low in QUOTE_ONLY_VERBS or low == "pointed out":
        # "called", "described": a cue only right before a quotation
        head = rest.split(MASK, 1)[0]
        if MASK not in rest or len(words_of(head)) > 4:
            return None
    elif not starts_with_quote and (
        (len(words) < 3 and MASK not in rest) or not words or lows[0] in _NOT_A_CLAUSE_START
    ):
        return None  # "said to be", "told by", "said yes": no reported clause
    elif low in STRICT_VERBS and not starts_with_quote:
        if lows[0] not in ("that", *_SUBJECT_PRONOUNS):
            return None  # "denied the request", "vowed retribution": an object, not a report
    elif MASK not in rest and low not in _PLAIN_VERBS and not _has_clause_marker(words[:10]):
        return None  # "contended several other years at …", "told Surrey’s councillors at …"
    if words and words[0][:1].isdigit() and low in ("added", "adds", "adding"):
        return None  # "the index added 0.2 per cent"
    return Cue(vs, ve, verb, "right", subject, clause_from=clause_from, after=clause_from, inherit=inherit)


_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight earlier later".split()
)
_CLAUSE_OPENERS = frozenset("the a an he she it they we i his her their its this these those there".split())
_TO_RE = re.compile(r"\bto\s+[a-z]")


def _special_report(masked: str, rest: str, at: int, low: str, lows: list[str], participle: bool) -> int | None:
    """Where a to-infinitive ("pledged to cut taxes", "urged voters to reject it") or an indirect question
    ("asked whether the deal was legal") reported by the verb starts, or None."""
    if not lows:
        return None
    if lows[0] in _TIME_WORDS and len(lows) > 3 and (lows[1] in _CLAUSE_OPENERS or lows[1] == "that"):
        m = re.search(r"[\w'’]+\s+(?:that\s+)?", rest)
        if m:
            return at + m.end()  # "said Tuesday the drug was found": the clause after the day
    if "that" in lows[1:6]:
        k = lows.index("that", 1)
        before = lows[:k]
        object_of_tell = low.startswith(("tell", "told", "remind", "inform", "assur", "warn")) and (
            before[0] in _OBJECT_OF_TELL or before[0] in ("the", "a", "an", "his", "her", "their")
        )
        if (before[0] in _ADVERBIAL_START or object_of_tell) and not any(is_clause_word(w) for w in before):
            m = re.search(r"\bthat\s+", rest)
            if m and not any(c in rest[: m.start()] for c in ",;:" + MASK):
                return at + m.end()  # "told donors that …", "said on Friday that …"
    if low.startswith(("tell", "told")) and lows[0] in _OBJECT_OF_TELL and len(lows) > 3 and lows[1] != "to":
        m = re.search(r"[\w'’]+\s+", rest)
        if m and not is_clause_word(lows[1]):
            return at + m.end()  # "told reporters the talks would resume"
    if low in QUESTION_VERBS:
        for k, w in enumerate(lows[:8]):
            if w in QUESTION_WORDS and (k == 0 or low.startswith("ask")):
                if k == 0 or all(x not in _NOT_A_CLAUSE_START for x in lows[:k]):
                    m = re.search(rf"\b{w}\b", rest, re.IGNORECASE)
                    if m is None or any(c in rest[: m.start()] for c in ",;:.()" + MASK):
                        return None
                    return at + m.start()
                break
    if low in TO_VERBS and (not participle or low.startswith(("promis", "pledg", "vow"))):
        # "…, urging voters to …" reads as a purpose; "…, promising to cut taxes" is a commitment made
        m = _TO_RE.search(rest, 0, 60)
        if m is None or MASK in rest[: m.start()] or any(c in rest[: m.start()] for c in ",;:.()"):
            return None
        before = words_of(rest[: m.start()])
        if len(before) > 4 or any(is_clause_word(w) or w.lower() in ("that", "and", "or") for w in before):
            return None
        if before and low.startswith(("promis", "pledg", "vow", "threat")):
            return None  # "promised voters to …" is not how these verbs take an object
        return at + m.start()
    return None


def names_an_outlet(phrase: str) -> bool:
    """A capitalised name, maybe after "the" ("The New York Post", "CNN"), or a pronoun: who reports."""
    words = words_of(phrase)
    if len(words) == 1 and words[0].lower() in PRONOUN_GENDER:
        return True
    return bool(words) and all(w[:1].isupper() or w.lower() == "the" or w in NAME_JOINERS for w in words)


def _has_clause_marker(words: list[str]) -> bool:
    """Whether words read as a clause: an auxiliary, a subject pronoun, "that", or a past-tense verb."""
    for w in words:
        low = w.lower()
        if low in CLAUSE_WORDS or low in _SUBJECT_WORDS or low.endswith(("n't", "n’t")):
            return True
        if low.endswith("ed") and w[:1].islower():  # a past tense; "United" is a name
            return True
    return False


def object_before_quote(masked: str, start: int, end: int) -> int | None:
    """Where a short object before a quotation ends ("asking her, “…”"), or None."""
    stop = _phrase_stop(masked, start, min(end, start + 60))
    if not masked[stop:end].lstrip(" ,:").startswith(MASK):
        return None
    words = words_of(masked[start:stop])
    if not words or len(words) > 4:
        return None
    if any(is_clause_word(w) or is_contraction(w) or w.lower() in _SUBJECT_WORDS for w in words):
        return None  # "saying he’s “…”": a clause holding the quotation
    return stop

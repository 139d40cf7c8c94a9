"""Find the reporting cues of one sentence and the clause each one reports.

The sentence arrives "masked": every quoted stretch replaced by MASK characters of the same length, so the
cue search only sees the narrative around quotations and offsets stay those of the line.

A cue is a reporting verb (or "according to") with its speaker phrase. It reports either the clause after it
("Mr Blinken said the only path ..."; "He added: “...”") or, as a frame, the clause before it ("..., Mr Shoigu
emphasised."; "“...,” said X."). A frame followed by a comma may carry on after it ("“First,” he said,
“second.”"; "A, he said, but B").
"""

from __future__ import annotations

import re
from dataclasses import replace

from .cue import MASK, WINDOW, WORD_RE, Cue, is_clause_word, word_before, words_of
from .lexicon import (
    INTRO_WORDS,
    INVERTIBLE_VERBS,
    MESSAGE_NOUNS,
    QUOTE_ONLY_VERBS,
    RELATIVE_WORDS,
    SPEECH_VERBS,
    trie_pattern,
)
from .reported import (
    colon_after,
    frame_adverbial_end,
    has_clause_before,
    loose_adverbial_end,
    names_an_outlet,
    object_before_quote,
    phrase_after,
    right_clause,
)
from .speakers import is_speaker_phrase, name_in_phrase
from .subjects import left_subject

_CUE_RE = re.compile(
    r"\b(?:[Aa]ccording to|" + trie_pattern(SPEECH_VERBS | QUOTE_ONLY_VERBS | {"pointed out"}) + r")(?![\w'’\-])"
)
# Words that open a clause continuing a report after its frame ("…, he said, but …").
_CONTINUATION_OPENERS = frozenset("but and although though because while so yet that as or".split())
# Participles that report speech on their own ("…, saying the plan had failed").
_SPEECH_PARTICIPLES = frozenset(w for w in SPEECH_VERBS if w.endswith("ing")) | frozenset(
    "chanting shouting tweeting posting commenting".split()
)


def find_cues(masked: str, a: int, b: int) -> list[Cue]:
    """The reporting cues of the sentence masked[a:b], in order."""
    cues: list[Cue] = []
    for m in _CUE_RE.finditer(masked, a, b):
        if cues and m.start() < cues[-1].after:
            continue
        cue = _classify(masked, a, cues[-1].after if cues else a, b, m)
        if cue is not None and (not cues or cue.start >= cues[-1].after):
            cues.append(cue)
    return cues


def _classify(masked: str, a: int, lo: int, b: int, m: re.Match[str]) -> Cue | None:
    """The cue a verb match makes, if any; ``lo`` bounds the speaker search (the previous cue's end)."""
    verb = m.group()
    vs, ve = m.span()
    low = verb.lower()
    if low == "according to":
        return _according(masked, a, b, vs, ve)
    verb_start = vs
    if low.endswith("ing"):
        be = _PROGRESSIVE_RE.search(masked, max(lo, vs - 30), vs)
        if be is None:
            return _participle(masked, a, b, vs, ve, verb)
        verb_start = be.start()  # "is saying", "was telling reporters": a finite verb
    subject = left_subject(masked, lo, verb_start)
    if subject == "coord":
        return right_clause(masked, b, vs, ve, verb, None, inherit=True)
    if subject is None:
        return _inverted(masked, a, b, vs, ve, verb)
    assert isinstance(subject, tuple)
    if len(words_of(masked[subject[0] : subject[1]])) >= 7:
        inverted = _inverted(masked, a, b, vs, ve, verb)
        named = inverted is not None and inverted.subject is not None
        if named and name_in_phrase(masked[inverted.subject[0] : inverted.subject[1]]) is not None:
            return inverted  # "… stations on which they were operating as of 2005, said Jeffrey Trimble, …"
    before_subject = masked[max(a, subject[0] - 30) : subject[0]].rstrip()
    inside = [w.lower() for w in words_of(masked[subject[0] : subject[1]])]
    relative = word_before(before_subject, len(before_subject))[0] if before_subject[-1:].isalpha() else ""
    relative = relative if relative in _OBJECT_RELATIVES else next((w for w in inside if w in _OBJECT_RELATIVES), "")
    copula = words_of(masked[ve : ve + 12])[:1] in (["is"], ["was"], ["are"], ["were"])
    naming = low.startswith(("describ", "call", "term", "dub"))  # "what the commission described as “…”"
    if relative == "what" and (copula or naming):
        at = re.search(r"\bwhat\s+", masked[subject[0] : subject[1]], re.IGNORECASE)
        if at is not None:
            subject = (subject[0] + at.end(), subject[1])  # "the visit falls on what officials say is …"
    elif relative:
        return None  # "what Trump says his plan would do", "everything he says": no statement is reported
    if low in ("report", "reports") and not names_an_outlet(masked[subject[0] : subject[1]]):
        return None  # "reports" is a noun more often than a verb: only "The Daily Post reports that …"
    adverbial_end = frame_adverbial_end(masked, verb, ve, b)
    quote_before = _quote_right_before(masked, a, subject[0])
    if adverbial_end is None and quote_before:
        adverbial_end = loose_adverbial_end(masked, ve, b)
    if (
        adverbial_end is not None
        and not quote_before
        and MASK not in masked[a : subject[0]]
        and masked[adverbial_end:b].lstrip(" ,:;—–-").startswith(MASK)
    ):
        return right_clause(masked, b, vs, ve, verb, subject, skip_to=adverbial_end)  # "As …, X said, “…”"
    if adverbial_end is not None and (quote_before or has_clause_before(masked, a, subject[0])):
        return _frame(masked, b, vs, ve, verb, subject, adverbial_end, clause_to=subject[0])
    cue = right_clause(masked, b, vs, ve, verb, subject, skip_to=adverbial_end or colon_after(masked, ve, b))
    if cue is not None and _RELATIVE_GAP_RE.search(masked, subject[1], verb_start):
        cue = replace(cue, relative=True)
    return cue


_OBJECT_RELATIVES = frozenset("what everything anything whatever something nothing".split())
_RELATIVE_GAP_RE = re.compile(r"\b(?:who|which)\b")


# A form of "be" right before a participle: "is saying", "has been telling", "were warning".
_PROGRESSIVE_RE = re.compile(r"\b(?:is|are|was|were|been|am|[’']s|[’']re)\s+(?:also\s+|now\s+|still\s+)?$")


def _quote_right_before(masked: str, lo: int, at: int) -> bool:
    """Whether a quotation ends right before a speaker phrase ("“…,” she said …")."""
    return masked[lo:at].rstrip(" ,—–-").endswith(MASK)


def _frame(
    masked: str,
    b: int,
    vs: int,
    ve: int,
    verb: str,
    subject: tuple[int, int] | None,
    adverbial_end: int,
    clause_to: int,
) -> Cue:
    # What follows a frame continues the report only as a quotation ("“First,” he said, “second.”") or a
    # conjoined clause ("A, he said, but B"); anything else describes the speaker ("…, a professor at X").
    resume = None
    b_window = min(b, adverbial_end + WINDOW)
    stripped = masked[adverbial_end : min(b, adverbial_end + WINDOW)].lstrip(" ,")
    opener = words_of(stripped[:12])
    if stripped.startswith(MASK) or (opener and opener[0].lower() in _CONTINUATION_OPENERS):
        resume = b_window - len(stripped)
    return Cue(vs, ve, verb, "frame", subject, clause_to=clause_to, after=adverbial_end, resume=resume)


def _inverted(masked: str, a: int, b: int, vs: int, ve: int, verb: str) -> Cue | None:
    """ "“…,” said Sen. Smith." / "…, says the report." """
    if verb.lower() not in INVERTIBLE_VERBS or not has_clause_before(masked, a, vs):
        return None
    phrase = phrase_after(masked, ve, b)
    aside_end = None
    if phrase is not None:
        cut = _ASIDE_RE.search(masked, phrase[0], phrase[1])
        if cut is not None and cut.start() > phrase[0]:
            # "says Greenspan while visiting the kitchen": the speaker ends before the aside
            aside_end = phrase[1]
            phrase = (phrase[0], phrase[0] + len(masked[phrase[0] : cut.start()].rstrip()))
    if phrase is None or not is_speaker_phrase(masked[phrase[0] : phrase[1]]):
        return None
    words = words_of(masked[phrase[0] : phrase[1]])
    if len(words) > 12 or any(is_clause_word(w) for w in words) or words[0].lower() in INTRO_WORDS:
        return None
    phrase = _named_after_role(masked, phrase, b)
    return _frame(masked, b, vs, ve, verb, phrase, aside_end or phrase[1], clause_to=vs)


_ASIDE_RE = re.compile(
    r"\s(?:while|as|when|after|before|during|because|since|in an?|on [A-Z]\w+day|speaking|visiting|standing|"
    r"sitting|walking|talking|looking|holding|wearing|appearing|pointing|referring|smiling|laughing)\b"
)


# ", Jason Louth." / ", Darrin," after a role: the name of the person the role describes.
_APPOSED_NAME_RE = re.compile(r",\s+((?:[A-Z][\w'’\-]*\w\s+){0,3}[A-Z][\w'’\-]*\w)(?=\s*(?:[,.;]|$))")


def _named_after_role(masked: str, phrase: tuple[int, int], b: int) -> tuple[int, int]:
    """ "says Campbell’s partner, Jason Louth": the speaker phrase runs on to the name apposed to the role."""
    if name_in_phrase(masked[phrase[0] : phrase[1]]) is not None:
        return phrase
    m = _APPOSED_NAME_RE.match(masked, phrase[1], b)
    if m is None or name_in_phrase(m.group(1)) is None:
        return phrase
    return phrase[0], m.end(1)


def _according(masked: str, a: int, b: int, vs: int, ve: int) -> Cue | None:
    phrase = phrase_after(masked, ve, b)
    if phrase is None:
        return None
    ps, pe = phrase
    words = list(WORD_RE.finditer(masked, ps, pe))
    for k, w in enumerate(words[1:], 1):
        if w.group().lower() in RELATIVE_WORDS or w.group().lower() in ("on", "because"):
            pe = words[k - 1].end()
            break
    before = words_of(masked[max(a, vs - WINDOW) : vs])
    if not before or all(w.lower() in INTRO_WORDS for w in before):
        # "According to X, clause": the clause follows the speaker phrase
        return Cue(vs, ve, "according to", "right", (ps, pe), clause_from=phrase[1], after=phrase[1], according=True)
    return replace(_frame(masked, b, vs, ve, "according to", (ps, pe), phrase[1], clause_to=vs), according=True)


def _participle(masked: str, a: int, b: int, vs: int, ve: int, verb: str) -> Cue | None:
    """ ", adding that …", "…, saying …": reports the clause after, for the speaker of the main verb."""
    if verb.lower() not in _SPEECH_PARTICIPLES:
        return None
    before = masked[max(a, vs - WINDOW) : vs].rstrip()
    joined = before.endswith((",", MASK)) or before.endswith((" and", " while", " before", " after", " by", " —", " –"))
    if not joined and word_before(before, len(before))[0] not in MESSAGE_NOUNS:
        if not masked[ve:b].lstrip(" ,:").startswith(MASK):
            return None  # not "…, saying", nor "issued a statement saying …" (the message's content, by its author)
        subject = left_subject(masked, a, vs)  # "footage of Ann Lee asking, “…”": the name before it
        if isinstance(subject, tuple):
            return right_clause(masked, b, vs, ve, verb, subject)
    return right_clause(masked, b, vs, ve, verb, None, inherit=True, skip_to=object_before_quote(masked, ve, b))

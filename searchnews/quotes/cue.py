"""The record of a reporting cue, and the masked text every cue rule reads.

A sentence arrives "masked": every quoted stretch replaced by MASK characters of the same length, so the cue search
only sees the narrative around quotations and offsets stay those of the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import CLAUSE_WORDS

MASK = "\x01"
# How far from a verb its speaker phrase, adverbial or clause opening is looked for: bounds the work per cue so a
# pathological sentence (a megabyte without a full stop) stays linear.
WINDOW = 400
WORD_RE = re.compile(r"[\w'’\-]+")
# Conjunctions that end one clause and start the next, whose subject is the speaker.
_PRONOUN_IS = frozenset("it's that's there's he's she's what's who's here's let's where's".split())


@dataclass(frozen=True)
class Cue:
    """A reporting cue: verb span, speaker phrase span (or None to inherit), and how it reports.

    form: "right" (reports the clause after ``clause_from``), "frame" (reports the clause before
    ``clause_to``; carries on at ``resume`` when not None).
    """

    start: int
    end: int
    verb: str
    form: str
    subject: tuple[int, int] | None
    clause_from: int = 0
    clause_to: int = 0
    after: int = 0
    resume: int | None = None
    according: bool = False
    inherit: bool = False  # participle or coordinated verb: the speaker is that of the cue before
    relative: bool = False  # "an architect who said …": a side character, not who the story quotes next


def words_of(text: str) -> list[str]:
    return WORD_RE.findall(text)


def word_before(text: str, end: int) -> tuple[str, int]:
    """The last word of text[:end] (punctuation around it dropped) and where it starts."""
    # Indexes into ``text`` rather than a copy of text[:end]: called for each word dropped before each verb.
    stop = len(text) if end > len(text) else max(0, len(text) + end) if end < 0 else end
    while stop > 0 and text[stop - 1] in " \t,":
        stop -= 1
    cut = max(text.rfind(" ", 0, stop), text.rfind("\t", 0, stop), text.rfind("\n", 0, stop)) + 1
    return text[cut:stop].strip("\"“”‘’'()[]:;.!?\x01").lower(), cut


def is_clause_word(word: str) -> bool:
    """An auxiliary or negation ("was", "will", "may"); capitalised it is a name ("Ms. May", "Will Smith")."""
    return word in CLAUSE_WORDS


def is_contraction(word: str) -> bool:
    """ "It's", "they're", "we've", "didn't": a verb hides in the word, so it cannot be a speaker phrase."""
    low = word.lower().replace("’", "'")
    return low.endswith(("'re", "'ve", "'ll", "'d", "n't")) or low in _PRONOUN_IS

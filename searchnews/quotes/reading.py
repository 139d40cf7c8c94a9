"""What reading an article establishes: its lines, the quotes drafted in a sentence, and the state that
resolving the next speaker needs (people named so far, their genders and roles, the last speaker)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .marks import QuoteSpan
from .speakers import Registry

WORD_RE = re.compile(r"[\w'’\-]+")
EDGE_JUNK = " \t\r\n,;:—–-"
# A courtesy title before a surname, kept when the article gives no fuller name.
TITLED_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\.?\s+([\w'’\-]+)")
# A follow-on quote paragraph belongs to the last speaker only when that quote is this close.
FOLLOW_ON_PARAGRAPHS = 2


@dataclass(frozen=True)
class Line:
    paragraph: int
    offset: int  # of the line in the article body
    text: str
    masked: str
    spans: tuple[QuoteSpan, ...]
    starts: tuple[int, ...]  # the spans' open positions, for bisection


@dataclass(frozen=True)
class Draft:
    """A quote found in a sentence, before its speaker phrase is resolved. Offsets are in the line."""

    start: int
    end: int
    kind: str
    cue: str
    mention: str  # the speaker phrase as written; "" when it is inherited
    inherit: str  # "" | "cue" (participle, coordinated verb) | "quote" (follow-on quotation)


@dataclass
class State:
    """What reading the article so far has established, for resolving the next speaker."""

    registry: Registry
    people: list[str] = field(default_factory=list)  # persons in order of mention, last is most recent
    genders: dict[str, str] = field(default_factory=dict)
    last_speaker: str = ""
    last_quote_paragraph: int = -10
    paragraph: int = 0  # the paragraph being read
    last_group: str = ""  # the last organisation or group speaker, for "it" and "they"
    last_group_paragraph: int = -10
    last_org: str = ""  # the last organisation speaker (not a group of people), for "the company"
    last_org_paragraph: int = -10
    quoted: set[str] = field(default_factory=set)  # names as written at cues: people the article quotes
    roles: dict[str, set[str]] = field(default_factory=dict)  # role words a person was named with
    # the sentences read so far (line, start, end), where a pronoun nobody quoted before may find a person the
    # text only mentions; scanned lazily, since most pronouns never need it
    read: list[tuple[Line, int, int]] = field(default_factory=list)
    previous_subject: str = ""  # the person the sentence just read opens with, in this paragraph
    introduced: str = ""  # a full name the sentence just read opens with, not yet shown to be a person
    kinds: dict[str, str] = field(default_factory=dict)  # speaker -> kind, for quotes that inherit a speaker
    role_of: dict[str, str] = field(default_factory=dict)  # person -> the first role the text gave them
    titles: dict[str, str | None] = field(default_factory=dict)  # person -> the title before their first mention

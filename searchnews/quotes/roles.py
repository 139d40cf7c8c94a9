"""What kind of speaker a quote has, and the speaker's role in the text's own words.

Kinds: "person" ("Sergey Shoigu", "she"), "organisation" ("the Chinese Foreign Ministry", "RCMP", "Facebook"),
"group" ("police", "officials", "Republicans"), "description" ("a Taliban spokesperson", "the company" left
unresolved), "document" ("a report released on Monday" whose issuer the text does not name).

A role is what the text says the speaker is: the words around the name at the cue ("Russian Defence Minister
Sergey Shoigu" -> "Russian Defence Minister"; "professor Kent Moore at the University of Toronto" -> "professor
at the University of Toronto"), an appositive after it ("said Ana Ruiz, an economist." -> "an economist"), or
the description itself when no one is named ("an economist at the institute"). Courtesy titles (Mr, Ms, Dr) are
no role.
"""

from __future__ import annotations

import functools
import re

from .lexicon import (
    CLAUSE_WORDS,
    DOCUMENT_NOUNS,
    ORG_HEADS,
    ORG_WORDS,
    PLURAL_AGENT_NOUNS,
    PRONOUN_GENDER,
    SPEAKER_NOUNS,
    TITLE_WORDS,
)
from .speakers import clean_phrase, name_in_phrase

PERSON = "person"
ORGANISATION = "organisation"
GROUP = "group"
DESCRIPTION = "description"
DOCUMENT = "document"

_COURTESY = frozenset("mr mrs ms miss mx sir dame dr lord lady".split())
_WORD_RE = re.compile(r"[\w'’\-.&]+")
# Plural heads naming a group of people rather than one body.
_GROUP_HEADS = frozenset(
    """
    police officials authorities residents experts analysts critics protesters protestors demonstrators
    voters citizens people researchers scientists economists investigators prosecutors lawyers attorneys
    officers activists advocates supporters opponents members leaders lawmakers legislators senators
    democrats republicans liberals conservatives observers sources witnesses families parents students
    workers employees staff doctors nurses teachers fans users customers organizers organisers aides
    advisers advisors diplomats scholars historians insiders neighbours neighbors farmers owners
    """.split()
)
# An appositive after a name at the cue: ", an economist at the institute," / ", the co-founder of X."
_APPOSITIVE_RE = re.compile(
    r",\s+((?:a|an|the|his|her|their|its|one|[a-z][\w'’\-]*|[A-Z][\w'’\-]*(?:'s|’s))\b[^,;:()\"“”.!?]{0,90}?)"
    r"(?=\s*(?:,|;|\.(?:\s|$)|$|\)|—|–))"
)
_PREPOSITIONS = frozenset("of for at with from in on to".split())


def speaker_kind(speaker: str, mention: str, person: bool) -> str:
    """The kind of ``speaker`` (as resolved), given the phrase written at the cue; ``person`` when the
    article already treats the speaker as a person (a pronoun, an earlier "he")."""
    if not speaker:
        return ""
    pronoun = mention.strip().lower()
    if pronoun in ("he", "she") or person:
        return PERSON
    if pronoun == "it":
        return ORGANISATION
    if pronoun == "they":
        return GROUP
    return phrase_kind(speaker)


@functools.lru_cache(maxsize=8192)
def phrase_kind(phrase: str) -> str:
    """The kind a speaker phrase names, from its words alone."""
    cleaned = clean_phrase(phrase)
    words = _WORD_RE.findall(cleaned)
    if not words:
        return ""
    if len(words) == 1 and words[0].lower() in _GROUP_HEADS | _PLURALS | PLURAL_AGENT_NOUNS:
        return GROUP  # "Officials", "Police", "Dealers" opening a sentence: capitalised, but nobody's name
    found = name_in_phrase(cleaned)
    if found is not None:
        name = found[0].split()
        if len(name) == 1 and not found[1]:
            token = name[0]
            if (token.isupper() and len(token) >= 2) or "&" in cleaned:
                return ORGANISATION  # "RCMP", "IMF", "AT&T"
            if token.lower().rstrip(".") in ORG_WORDS:
                return ORGANISATION
        return PERSON
    low = [w.lower() for w in words]
    at = _head_index(low)
    head, written = low[at], words[at]
    if head in _GROUP_HEADS or (head in _PLURALS and written[:1].islower()):
        return GROUP  # "police", "Police", "officials", "the experts"
    if head in PLURAL_AGENT_NOUNS and not any(w in ORG_WORDS or w == "&" for w in low):
        return GROUP  # "Bond Dealers", "Merchant Bankers"; not "Smith & Sons", "Kansas City Chiefs"
    if head in DOCUMENT_NOUNS and written[:1].islower():
        return DOCUMENT
    if written[:1].isupper() and head not in _DATE_WORDS:
        return ORGANISATION  # "the Chinese Foreign Ministry", "The Tax Policy Center", "RCMP"
    if head in ORG_HEADS and any(w[:1].isupper() for w in words[1:at]):
        return ORGANISATION  # "the Chinese foreign ministry"
    return DESCRIPTION


_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday".split()
)
_PLURALS = frozenset(w for w in SPEAKER_NOUNS if w.endswith("s"))


def _head_index(words: list[str]) -> int:
    """Where the head noun of a phrase is: its last word before a preposition or a participle ("a spokesman
    for X" -> "spokesman", "a report released on Monday" -> "report")."""
    for k, w in enumerate(words[1:], 1):
        if w in _PREPOSITIONS or (w.endswith("ed") and k >= 2) or w in ("who", "which", "that"):
            return k - 1
    return len(words) - 1


def role_from_mention(mention: str, kind: str) -> str | None:
    """The role the cue's phrase gives: the words around a person's name, or a description itself."""
    cleaned = clean_phrase(mention).strip(" ,;:")
    if not cleaned or cleaned.lower() in PRONOUN_GENDER:
        return None
    if kind == DESCRIPTION:
        return cleaned
    if kind != PERSON:
        return None
    found = name_in_phrase(cleaned)
    if found is None:
        return None
    name = found[0]
    at = cleaned.find(name)
    if at < 0:
        parts = name.split()
        at = cleaned.find(parts[0])
        if at < 0:
            return None
        end = cleaned.find(parts[-1], at) + len(parts[-1])
    else:
        end = at + len(name)
    before = cleaned[:at].split()
    while before and before[0].lower().rstrip(".") in _COURTESY | {"the", "a", "an"}:
        before.pop(0)
    while before and before[-1].lower().rstrip(".") in _COURTESY:
        before.pop()
    after = cleaned[end:].strip(" ,")
    if "(" in after:
        after = after[: after.find("(")].strip()
    role = " ".join(before)
    if after and after.split()[0].lower() in _PREPOSITIONS:
        role = f"{role} {after}".strip()
    return role.strip(" ,") or None


def appositive_role(text: str, end: int) -> str | None:
    """A description set after the name that ends at ``end`` ("…, an economist at the institute, said")."""
    m = _APPOSITIVE_RE.match(text, end)
    if m is None:
        return None
    role = m.group(1).strip()
    words = role.split()
    if not words or len(words) > 14:
        return None
    first = words[0].lower()
    if first in ("said", "says", "told", "added", "who", "which", "that", "and", "but", "according"):
        return None
    if first.endswith(("ing", "ed", "ly")):
        return None  # "speaking alongside …", "flanked by …": what the speaker did, not a role
    if any(w.lower() in CLAUSE_WORDS for w in words):
        return None
    return role


# Title words before a name where the text first names someone: "Chinese Foreign Minister Wang Yi".
_TITLE_RUN_RE = re.compile(r"(?:(?:[A-Z][\w'’.\-]*|of|for|and|[a-z][a-z\-]*)\s+){1,6}$")


def title_before(text: str, name: str) -> str | None:
    """The title the text sets before a person's full name where it first names them, if any."""
    at = text.find(name)
    if at <= 0:
        return None
    m = _TITLE_RUN_RE.search(text, max(0, at - 80), at)
    if m is None:
        return None
    words = m.group().split()
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if w[:1].islower() and w not in ("of", "for", "and") and w.lower() not in TITLE_WORDS:
            words = words[k + 1 :]  # "… representatives met Foreign Minister": the run starts after "met"
            break
    # keep the capitalised run that ends in a title word ("Chinese Foreign Minister"), no sentence words
    while words and not (words[0][:1].isupper() and words[0].lower().rstrip(".") not in _COURTESY):
        words.pop(0)
    while words and words[-1].lower().rstrip(".") in _COURTESY:
        words.pop()
    if not words or words[-1].lower().rstrip(".") not in TITLE_WORDS:
        return None
    if any(w.lower() in CLAUSE_WORDS or w.lower() in ("said", "says", "told") for w in words):
        return None
    return " ".join(words)

"""Speaker phrases: what name or role a phrase names, and who a later mention ("Mr Shoigu", "he") refers to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (
    FEMALE_TITLES,
    INTRO_WORDS,
    MALE_TITLES,
    ORG_WORDS,
    PRONOUN_GENDER,
    SENTENCE_STARTERS,
    SPEAKER_NOUNS,
    TITLE_WORDS,
)

# A capitalised name token: "Shoigu", "O'Regan", "Jong-un", "al-Shabaab", an initial "J.", "McDonald".
_NAME_TOKEN = r"(?:[A-Z][\w'’\-]*\w|[A-Z]\.|(?:al|el|de|da|di|van|von|bin|ibn|le|la|du|del|der)(?=\s+[A-Z]))"
_NAME_RUN_RE = re.compile(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN})*")
_TOKEN_RE = re.compile(r"[\w'’\-]+\.?|\S")
# Words that join the parts of one name ("Ibn Saud", "Charles de Gaulle") rather than two names.
_NAME_PARTICLES = frozenset("al el de da di van von bin ibn le la du del der".split())
# Leading words dropped from a speaker phrase: conjunctions and sentence adverbs, never part of a speaker.
_LEADING_NOISE = frozenset(
    "and but so yet however meanwhile still also now then instead indeed moreover furthermore finally "
    "nonetheless nevertheless separately later earlier today yesterday".split()
)
# Trailing words dropped from a speaker phrase ("he also", "the minister later").
_TRAILING_NOISE = frozenset(
    "also later previously repeatedly then again further recently once earlier since just never often "
    "has have had would will could may might both all too himself herself themselves itself reportedly "
    "publicly privately already first last initially originally subsequently separately".split()
)
_PLURAL_HINTS = frozenset("officials authorities police people residents experts critics they".split())


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _bare(token: str) -> str:
    return token.rstrip(".").lower()


def clean_phrase(phrase: str) -> str:
    """The speaker phrase without leading conjunctions/adverbs or trailing auxiliaries and punctuation."""
    words = phrase.split()
    while words and _bare(words[0]).strip(",") in _LEADING_NOISE:
        words.pop(0)
    while words and _bare(words[-1]).strip(",") in _TRAILING_NOISE:
        words.pop()
    return " ".join(words).strip(" ,;:—–-")


def pronoun_of(phrase: str) -> str | None:
    """The personal pronoun a speaker phrase consists of ("he", "She"), lower-cased, or None."""
    bare = phrase.strip().lower()
    return bare if bare in PRONOUN_GENDER else None


def _strip_titles(run: list[str]) -> tuple[list[str], str | None]:
    """Drop titles and office words before a name; return the name tokens and a gender the title tells."""
    gender: str | None = None
    last_title = -1
    # The last token always stays: a name ends the run ("John Major", "Theresa May"), a title never does.
    for i, tok in enumerate(run[:-1]):
        low = _bare(tok)
        if low in TITLE_WORDS or low in ORG_WORDS or low in SENTENCE_STARTERS:
            last_title = i
            if low in MALE_TITLES or tok.lower() in MALE_TITLES:
                gender = "m"
            elif low in FEMALE_TITLES or tok.lower() in FEMALE_TITLES:
                gender = "f"
    return run[last_title + 1 :], gender


def name_in_phrase(phrase: str) -> tuple[str, str | None] | None:
    """The person's name a speaker phrase ends with, and a gender its title tells; None when no name heads it.

    "defence minister Sergey Shoigu" -> "Sergey Shoigu"; "Mr Shoigu" -> "Shoigu", "m"; "a Taliban spokesperson"
    -> None (a role heads the phrase); "the Chinese Foreign Ministry" -> None (an organisation).
    """
    toks = tokens(clean_phrase(phrase))
    while toks and not toks[-1][0].isalnum():
        toks.pop()
    if not toks or not _is_capitalised(toks[-1]):
        return None
    run: list[str] = []
    for tok in reversed(toks):
        if _is_capitalised(tok) or (tok.lower() in _NAME_PARTICLES and run):
            run.insert(0, tok)
        else:
            break
    name, gender = _strip_titles(run)
    if not name or any(_bare(t) in ORG_WORDS for t in name):
        return None
    if len(name) == 1 and len(run) == 1 and len(toks) > 1 and _bare(toks[0]) in ("the", "a", "an"):
        return None  # "the Taliban", "the RCMP": an organisation
    return " ".join(name), gender


def is_speaker_phrase(phrase: str) -> bool:
    """Whether a phrase can name who spoke: a pronoun, a capitalised name, or a speaker noun."""
    toks = [t for t in tokens(phrase) if t[0].isalnum()]
    if not toks or len(toks) > 14:
        return False
    if len(toks) == 1 and toks[0].lower() in PRONOUN_GENDER:
        return True
    if any(t.lower() in PRONOUN_GENDER for t in toks):
        return False  # "the man he met": a clause, not a speaker
    if any(_is_capitalised(t) and _bare(t) not in SENTENCE_STARTERS for t in toks):
        return True
    return any(_bare(t) in SPEAKER_NOUNS for t in toks)


@dataclass
class Person:
    name: str
    gender: str | None = None


@dataclass
class Registry:
    """The people an article names, to resolve "Mr Shoigu" to "Sergey Shoigu" and pronouns to people."""

    full_names: list[str] = field(default_factory=list)
    by_token: dict[str, list[str]] = field(default_factory=dict)
    genders: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str) -> Registry:
        reg = cls()
        for m in _NAME_RUN_RE.finditer(text):
            run = m.group().split()
            name, gender = _strip_titles(run)
            if len(name) < 2 or any(_bare(t) in ORG_WORDS for t in name):
                continue
            full = " ".join(name)
            if full not in reg.by_token.get(name[-1], ()):
                reg.full_names.append(full)
                for tok in (name[-1], name[0]):
                    reg.by_token.setdefault(tok, []).append(full)
            if gender:
                reg.genders.setdefault(full, gender)
        return reg

    def resolve(self, name: str) -> str:
        """The fullest name the article uses for ``name`` ("Shoigu" -> "Sergey Shoigu")."""
        parts = name.split()
        if not parts:
            return name
        candidates = self.by_token.get(parts[-1], []) or self.by_token.get(parts[0], [])
        for full in candidates:
            full_parts = full.split()
            if set(parts) <= set(full_parts) and len(full_parts) >= len(parts):
                return full
        return name

    def gender(self, name: str) -> str | None:
        return self.genders.get(name)

    def note_gender(self, name: str, gender: str | None) -> None:
        if gender in ("m", "f"):
            self.genders.setdefault(name, gender)


def looks_plural(phrase: str) -> bool:
    low = phrase.lower()
    return " and " in low or any(w in _PLURAL_HINTS for w in low.split()) or low.endswith("s")


def starts_with_intro(phrase: str) -> bool:
    toks = tokens(phrase)
    return bool(toks) and toks[0].lower() in INTRO_WORDS

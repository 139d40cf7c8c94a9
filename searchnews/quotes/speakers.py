"""Speaker phrases: what name or role a phrase names, and who a later mention ("Mr Shoigu", "he") refers to."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .lexicon import (
    FEMALE_NAMES,
    FEMALE_TITLES,
    INTRO_WORDS,
    MALE_NAMES,
    MALE_TITLES,
    ORG_WORDS,
    PERSON_NOUNS,
    PLURAL_AGENT_NOUNS,
    PRONOUN_GENDER,
    ROLE_NOUNS,
    SENTENCE_STARTERS,
    SPEAKER_NOUNS,
    TITLE_ABBREVIATIONS,
    TITLE_WORDS,
)

# A capitalised name token: "Shoigu", "O'Regan", "Jong-un", "al-Shabaab", an initial "J.", "McDonald".
_NAME_TOKEN = (
    r"(?:[A-Z][\w'’\-]*\w|[A-Z]\.|(?<![\w'’\-])(?:al|el|de|da|di|van|von|bin|ibn|le|la|du|del|der)(?=\s+[A-Z]))"
)
_NAME_RUN_RE = re.compile(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN})*")
# Given names and initials right before a surname ("Sergey ", "Harry J. "), found backwards from it.
_PRECEDING_NAME_RE = re.compile(rf"(?:{_NAME_TOKEN}\s+){{1,3}}$")
_FOLLOWING_NAME_RE = re.compile(r"\s([A-Z][\w'’\-]*\w)(?![\w'’\-])")
# A name right after a role word: "Mayor Doug McCallum", "minister Rob Fleming".
_HOLDER_RE = re.compile(r"\s+((?:[A-Z][\w'’\-]*\.?\s+){0,3}[A-Z][\w'’\-]*\w)")
_POSSESSIVE_RE = re.compile(r"[’']s?$")
# A role, then the name apposed to it ("father, Joseph,"), and a name, then the role apposed to it ("Rally
# Canada, the group that").
_APPOSED_NAME = r"[A-Z][\w'’\-]*\w(?:\s+(?:[A-Z][\w'’\-]*\w|&|of|de))*"
_ROLE_THEN_NAME_RE = re.compile(rf",\s+({_APPOSED_NAME})(?=\s*[,.;])")
_NAME_THEN_ROLE_RE = re.compile(
    rf"(?<![\w'’\-])({_APPOSED_NAME}),\s+(?:the|its|his|her|their)\s+(?:[\w'’\-]+\s+){{0,3}}$"
)
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
# Prepositions after which a speaker phrase describes the person named before them.
_POST_NAME_PREPOSITIONS = frozenset("with at from of for in".split())
_PLURAL_HINTS = frozenset("officials authorities police people residents experts critics they".split())


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def _is_capitalised(token: str) -> bool:
    """A capitalised word, or a name behind a lower-case particle ("al-Shabaab", "el-Sisi")."""
    return token[:1].isupper() or (token[:1] in "abei" and bool(_PARTICLE_NAME_RE.match(token)))


_PARTICLE_NAME_RE = re.compile(r"(?:al|el|ad|as|an|ar|bin|ibn|abu|abd)-[A-Z]")


def _bare(token: str) -> str:
    return token.rstrip(".").lower()


@functools.lru_cache(maxsize=8192)
def clean_phrase(phrase: str) -> str:
    """The speaker phrase without leading conjunctions/adverbs or trailing auxiliaries and punctuation."""
    words = phrase.split()
    while words and _bare(words[0]).strip(",") in _LEADING_NOISE:
        words.pop(0)
    # Trailing auxiliaries are lower-case; "May" or "Will" ending a phrase is a name.
    while words and words[-1][:1].islower() and _bare(words[-1]).strip(",") in _TRAILING_NOISE:
        words.pop()
    joined = " ".join(words).strip(" ,;:—–-")
    return _TRAILING_TIME_RE.sub("", joined) if len(words) > 1 else joined


# Time words trailing a speaker phrase: "Trump on Friday", "Clinton this week" — never part of a name.
_TRAILING_TIME_RE = re.compile(
    r"(?:,?\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|\s+(?:this|last|next)\s+(?:week|month|year|weekend)|\s+(?:today|yesterday|tonight|earlier|later))+$"
)


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
        if (
            low in TITLE_WORDS
            or low in ORG_WORDS
            or low in SENTENCE_STARTERS
            or (tok.endswith(".") and low in TITLE_ABBREVIATIONS)
            or _is_role(low, i, run)
        ):
            last_title = i
            if low in MALE_TITLES or tok.lower() in MALE_TITLES:
                gender = "m"
            elif low in FEMALE_TITLES or tok.lower() in FEMALE_TITLES:
                gender = "f"
    return run[last_title + 1 :], gender


def _is_role(low: str, i: int, run: list[str]) -> bool:
    """A capitalised role noun before a full name ("Farmer Tom Baker"): a role, not a given name.

    Only with a given name and a surname after it, and never a known given name: "Tom Farmer" keeps his name.
    """
    if i > len(run) - 3 or low in MALE_NAMES or low in FEMALE_NAMES:
        return False
    return low in ROLE_NOUNS or low in PERSON_NOUNS


def _run_at_end(toks: list[str]) -> list[str]:
    """The capitalised run (with name particles) that ends ``toks``."""
    run: list[str] = []
    for tok in reversed(toks):
        if _is_capitalised(tok) or (tok.lower() in _NAME_PARTICLES and run):
            run.insert(0, tok)
        else:
            break
    return run


def _person_name(run: list[str], whole: list[str]) -> tuple[str, str | None] | None:
    name, gender = _strip_titles(run)
    if not name or any(_bare(t) in ORG_WORDS or _PARTY_TAG_RE.fullmatch(t) for t in name) or name[-1] == "I":
        return None
    if len(name) == 1 and len(name[0]) >= 7 and name[0].endswith("ly") and not is_given_name(name[0]):
        return None  # "Hastily", "Specifically": a sentence adverb
    if len(name) == 1 and len(run) == 1 and len(whole) > 1 and _bare(whole[0]) in ("the", "a", "an"):
        return None  # "the Taliban", "the RCMP": an organisation
    led = _bare(run[0]) == "the" or (len(whole) == len(run) + 1 and _bare(whole[0]) == "the")
    if led and len(name) == 1 and any(_bare(t) in ORG_WORDS for t in run):
        return None  # "The Daily Ledger": an outlet, not a person called Ledger
    if len(name) == len(run) and len(whole) > len(run) + 1:
        connector = whole[len(whole) - len(run) - 1].lower()
        joined = connector in _ORG_CONNECTORS and _is_capitalised(whole[len(whole) - len(run) - 2])
        if joined and not is_given_name(name[0]):
            return None  # "Commission on Presidential Debates", "Center for Public Opinion Research"
    elif len(name) == 1 and len(run) > 1 and len(whole) > len(run) + 1:
        connector = whole[len(whole) - len(run) - 1].lower()
        if connector in _ORG_CONNECTORS:
            return None  # "Committee for a Responsible Federal Budget"
    if len(name) > 1 and _bare(name[-1]) in PLURAL_AGENT_NOUNS and not is_given_name(name[0]):
        return None  # "Bond Dealers", "Merchant Bankers": a group of people, nobody's name
    return " ".join(_from_given_name(name)), gender


def _from_given_name(name: list[str]) -> list[str]:
    """ "Miss Universe Alicia Machado", "Exchequer Nigel Lawson": the name starts at the given name."""
    for k in range(1, len(name) - 1):
        if is_given_name(name[k]) and not is_given_name(name[0]) and not name[k - 1].endswith("."):
            return name[k:]
    return name


_DESCRIPTION_OPENERS = frozenset("a an the one another".split())
_ORG_CONNECTORS = frozenset("of for on and & a the".split())
# A party-and-state tag: "R-IN", "D-N.C.", "R-Wis."
_PARTY_TAG_RE = re.compile(r"[A-Z]-[A-Z][\w.]*")
_PARENTHESES_RE = re.compile(r"\s*\([^()]*\)")


def is_given_name(token: str) -> bool:
    low = token.lower()
    return low in MALE_NAMES or low in FEMALE_NAMES


@functools.lru_cache(maxsize=8192)
def name_in_phrase(phrase: str) -> tuple[str, str | None] | None:
    """The person's name that heads a speaker phrase, and a gender its title tells; None when none heads it.

    "defence minister Sergey Shoigu" -> "Sergey Shoigu"; "Mr Shoigu" -> "Shoigu", "m"; "professor Kent Moore
    at the University of Toronto" -> "Kent Moore"; "a Taliban spokesperson" -> None (a role heads the phrase);
    "the Chinese Foreign Ministry" -> None (an organisation).
    """
    if "(" in phrase:
        phrase = _PARENTHESES_RE.sub("", phrase)  # "Gov. Mike Pence (R-IN)"
    toks = tokens(clean_phrase(phrase))
    while toks and not toks[-1][0].isalnum():
        toks.pop()
    if not toks:
        return None
    # A full name followed by what it works for: "Terry Chapman with the International Union of …".
    for k, tok in enumerate(toks[1:], 1):
        if tok.lower() in _POST_NAME_PREPOSITIONS and _is_capitalised(toks[k - 1]):
            run = _run_at_end(toks[:k])
            found = _person_name(run, toks[:k])
            if found and (" " in found[0] or found[1]) and _bare(run[-1]) not in TITLE_WORDS | ORG_WORDS:
                return found
            break
    if _bare(toks[0]) in _DESCRIPTION_OPENERS:
        for k, tok in enumerate(toks[1:], 1):
            if tok.lower() in _POST_NAME_PREPOSITIONS | {"to"} and toks[k - 1][:1].islower():
                # "A spokesman for Jim Lake", "an aide to Ms Ortiz": a description of someone else's
                # spokesman or aide; the speaker's own name may follow it ("…, David Schulz")
                if "," in toks[k:]:
                    last = len(toks) - 1 - toks[::-1].index(",")
                    tail = toks[last + 1 :]
                    if tail and all(_is_capitalised(t) for t in tail):
                        return _person_name(tail, tail)
                return None
    if not _is_capitalised(toks[-1]):
        return None
    run = _run_at_end(toks)
    owners = [k for k, tok in enumerate(run[:-1]) if tok.endswith(("'s", "’s", "s'", "s’"))]
    if owners:
        # "CBC Sports' Anson Henry": the name follows the owner; "the Ruler's Seal": a thing, no one's name
        rest = run[owners[-1] + 1 :]
        before = toks[len(toks) - len(run) - 1].lower() if len(toks) > len(run) else ""
        if len(rest) == 1 and before in ("the", "of"):
            return None
        run = rest
    return _person_name(run, toks)


@functools.lru_cache(maxsize=8192)
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
    if any(_bare(t) in _SPEAKER_HEADS for t in toks):
        return True
    return _is_determined_noun_phrase(toks)


_DETERMINERS = frozenset("the a an its his her their our one another".split())
_NOT_HEADS = frozenset(
    "of for to in on at by with from and or but as than then also too very more most less least same other "
    "first last next time way".split()
)


def _is_determined_noun_phrase(toks: list[str]) -> bool:
    """ "The bank", "the narrator", "a local grocer": a determiner and up to three words, a noun last."""
    if not 2 <= len(toks) <= 4 or _bare(toks[0]) not in _DETERMINERS:
        return False
    head = toks[-1].lower()
    if head in _NOT_HEADS or head in PRONOUN_GENDER or head.endswith("ly") or not head.isalpha():
        return False
    return not any(_bare(t) in _NOT_HEADS for t in toks[1:])


_SPEAKER_HEADS = SPEAKER_NOUNS | PERSON_NOUNS | ROLE_NOUNS
_MAX_OCCURRENCES = 40
# Words after a family name that are no given name: "Dealers", "Investors", "Group".
_NOT_GIVEN = ORG_WORDS | SENTENCE_STARTERS | PLURAL_AGENT_NOUNS
# An office named by what it is of ("Chancellor of the Exchequer", "Chief of Staff") ends right before a name.
_OFFICE_OF_RE = re.compile(r"\b[A-Z][a-z]+\s+(?:of|for)\s+(?:the\s+)?$")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’-"


def _occurrences(text: str, token: str) -> list[tuple[int, int]]:
    """Where ``token`` occurs in ``text`` as a whole word (str.find: no regex to compile per name)."""
    found: list[tuple[int, int]] = []
    i = text.find(token)
    while i >= 0 and len(found) < _MAX_OCCURRENCES:
        j = i + len(token)
        if (i == 0 or not _is_word_char(text[i - 1])) and (j == len(text) or not _is_word_char(text[j])):
            found.append((i, j))
        i = text.find(token, j)
    return found


@dataclass
class Registry:
    """The people an article names, to resolve "Mr Shoigu" to "Sergey Shoigu".

    Looked up lazily, one surname at a time, and cached: most capitalised words of an article are never a
    speaker, so indexing them all up front would cost more than the few look-ups made.
    """

    text: str
    _full: dict[str, str] = field(default_factory=dict)
    genders: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str) -> str:
        """The fullest name the article uses for ``name`` ("Shoigu" -> "Sergey Shoigu", "Wang" -> "Wang Yi")."""
        parts = name.split()
        if len(parts) != 1:
            return name
        if name not in self._full:
            self._full[name] = self._find_full(name) or name
        return self._full[name]

    def _find_full(self, token: str) -> str | None:
        surname_first: str | None = None
        # A full name comes at a person's first mentions: looking at the first few bounds the work.
        for start, end in _occurrences(self.text, token)[:_MAX_OCCURRENCES]:
            before = _PRECEDING_NAME_RE.search(self.text, max(0, start - 60), start)
            if before:
                name, gender = _strip_titles([*before.group().split(), token])
                name = _from_given_name(name)
                if (
                    len(name) >= 3
                    and not is_given_name(name[0])
                    and _OFFICE_OF_RE.search(self.text, max(0, before.start() - 40), before.start())
                ):
                    name = name[1:]  # "Chancellor of the Exchequer Nigel Lawson": the office's last word
                if gender:
                    self.genders.setdefault(token, gender)
                if len(name) >= 2 and not any(_bare(t) in ORG_WORDS for t in name[:-1]):
                    full = " ".join(name)
                    if gender:
                        self.genders.setdefault(full, gender)
                    return full
            after = _FOLLOWING_NAME_RE.match(self.text, end)
            possessive = token.endswith(("'s", "’s"))  # "Moody's Investors Service": a company's name
            if surname_first is None and after and not possessive and _bare(after.group(1)) not in _NOT_GIVEN:
                surname_first = f"{token} {after.group(1)}"  # "Wang Yi": family name first
        return surname_first

    def holder_of(self, role: str) -> str | None:
        """The person the article names with a role ("Mayor Doug McCallum" for "mayor"), if any."""
        key = "role:" + role
        if key not in self._full:
            self._full[key] = ""
            for _start, end in _occurrences(self.text, role) + _occurrences(self.text, role.capitalize()):
                m = _HOLDER_RE.match(self.text, end)
                if m:
                    name, _ = _strip_titles(m.group(1).split())
                    if len(name) == 1 and _bare(name[0]) not in ORG_WORDS | SENTENCE_STARTERS:
                        name = self.resolve(_POSSESSIVE_RE.sub("", name[0])).split()  # "Mayor Lee’s"
                    if len(name) >= 2 and not any(_bare(t) in ORG_WORDS for t in name):
                        self._full[key] = " ".join(name)
                        break
        return self._full[key] or None

    def apposed_to(self, role: str, person: bool) -> str | None:
        """Who the article sets a role beside: "Rally Canada, the group that …", "his father, Joseph, …".

        ``person``: only a person's name (a given name or two name words); else an organisation's too.
        """
        key = f"appos:{person}:{role}"
        if key not in self._full:
            self._full[key] = ""
            for start, end in _occurrences(self.text, role):
                m = _ROLE_THEN_NAME_RE.match(self.text, end)
                before = _NAME_THEN_ROLE_RE.search(self.text, max(0, start - 90), start)
                for found in (m, before):
                    name = found.group(1) if found else ""
                    if name and self._fits(name, person):
                        self._full[key] = name
                        break
                if self._full[key]:
                    break
        return self._full[key] or None

    def _fits(self, name: str, person: bool) -> bool:
        toks = name.split()
        if _bare(toks[0]) in SENTENCE_STARTERS or _bare(toks[0]) in TITLE_WORDS:
            return False
        orgish = any(_bare(t) in ORG_WORDS for t in toks)
        if not person:
            return True
        return not orgish and (len(toks) >= 2 or _bare(toks[0]) in MALE_NAMES or _bare(toks[0]) in FEMALE_NAMES)

    def gender(self, name: str) -> str | None:
        return self.genders.get(name) or self.genders.get(name.split()[-1] if name else "")


def looks_plural(phrase: str) -> bool:
    low = phrase.lower()
    return " and " in low or any(w in _PLURAL_HINTS for w in low.split()) or low.endswith("s")


def starts_with_intro(phrase: str) -> bool:
    toks = tokens(phrase)
    return bool(toks) and toks[0].lower() in INTRO_WORDS

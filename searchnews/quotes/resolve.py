"""Speaker resolution in reading order: names to the fullest form the article uses, pronouns to the last
compatible person (or one the text only mentions), "the mayor" / "the company" to whom they point back, documents
to who issued them; and what each quote teaches the state for the next one."""

from __future__ import annotations

import re

from .lexicon import (
    DOCUMENT_NOUNS,
    FEMALE_NAMES,
    FEMALE_TITLES,
    MALE_NAMES,
    MALE_TITLES,
    ORG_HEADS,
    ORG_WORDS,
    PERSON_NOUNS,
    PLURAL_AGENT_NOUNS,
    ROLE_NOUNS,
    SENTENCE_STARTERS,
    SPEAKER_NOUNS,
    TITLE_WORDS,
)
from .reading import FOLLOW_ON_PARAGRAPHS, TITLED_RE, WORD_RE, Draft, Line, State
from .roles import GROUP, phrase_kind
from .speakers import (
    clean_phrase,
    is_given_name,
    name_in_phrase,
    pronoun_of,
)


def resolve_draft(draft: Draft, state: State, paragraph: int, context: str) -> tuple[str, str]:
    """(speaker, mention) for a draft; ``context`` is the speaker of the cue a participle depends on."""
    if draft.inherit == "quote":
        if state.previous_subject:
            # "Durning did not need much coaxing. “I’m thankful …”": the person the sentence before is about
            return state.previous_subject, ""
        if paragraph - state.last_quote_paragraph <= FOLLOW_ON_PARAGRAPHS:
            return state.last_speaker, ""
        return "", ""
    # A closing quote mark the span finder did not take (`` ` ... ' he said``, a wire style) starts the mention.
    mention = draft.mention.strip().strip(_QUOTE_MARKS).strip()
    if draft.inherit == "cue" and not mention:
        return context or state.last_speaker, ""
    return resolve_phrase(mention, state), mention


_QUOTE_MARKS = "'\"‘’“”`´ "
OPENING_MARKS = "\"“‘«„'"


def resolve_phrase(phrase: str, state: State) -> str:
    pronoun = pronoun_of(phrase)
    if pronoun in ("he", "she"):
        gender = "m" if pronoun == "he" else "f"
        for person in reversed(state.people):
            if gender_of(state, person) in (gender, None):
                state.genders[person] = gender
                return person
        for k, (line, a, b) in enumerate(reversed(state.read)):
            if state.paragraph - line.paragraph > _MENTION_REACH or k >= _MENTION_SENTENCES:
                break
            for name, known in reversed(_mentions(line, a, b)):
                if known == gender:
                    full = state.registry.resolve(name) if " " not in name else name
                    state.genders.setdefault(full, gender)
                    note_person(state, full)
                    return full
        return ""
    if pronoun in ("it", "they"):
        return state.last_group
    found = name_in_phrase(phrase)
    if found is None:
        issuer = _document_issuer(phrase, state)
        if issuer is not None:
            return issuer
        return _resolve_role(phrase, state)
    name, gender = found
    if name.lower() in PLURAL_AGENT_NOUNS and not is_given_name(state.registry.resolve(name).split()[0]):
        return clean_phrase(phrase)  # "Dealers said": a group, unless the article names a "Keanu Reeves"
    state.quoted.add(name)
    full = _canonical_name(phrase, name, state)
    _note_roles(state, full, phrase)
    if gender:
        state.genders.setdefault(full, gender)
    else:
        known = state.registry.gender(full)
        if known:
            state.genders.setdefault(full, known)
    return full


def _canonical_name(phrase: str, name: str, state: State) -> str:
    """The fullest name the article uses; "Mr Osei" (title kept) when it never gives more than a surname."""
    full = state.registry.resolve(name)
    if full == name and " " not in name:
        titled = TITLED_RE.search(phrase)
        if titled and titled.group(2) == name:
            return f"{titled.group(1)} {name}"
    return full


def gender_of(state: State, person: str) -> str | None:
    """What the article has shown of a person's gender (title, earlier pronoun), else their given name's."""
    known = state.genders.get(person)
    if known:
        return known
    first = person.split()[0].lower() if " " in person else ""
    if first in MALE_NAMES:
        return "m"
    if first in FEMALE_NAMES:
        return "f"
    return None


_DEFINITE = frozenset("the his her their its our".split())
PHRASE_PREPOSITIONS = frozenset("of for at with from in on to".split())


# Nouns naming someone by their tie to another person: "the father" is not the person just named.
_RELATIONAL_NOUNS = frozenset(
    "father mother son daughter wife husband brother sister friend neighbour neighbor colleague partner parent "
    "grandmother grandfather uncle aunt cousin niece nephew girlfriend boyfriend fiancé fiancee dad mom mum "
    "lawyer attorney".split()
)
ROLE_GENDER = {
    w: g
    for g, ws in (
        ("m", "man boy spokesman chairman businessman father son husband brother grandfather uncle nephew"),
        ("f", "woman girl spokeswoman chairwoman businesswoman mother daughter wife sister grandmother aunt niece"),
    )
    for w in ws.split()
}


ANONYMOUS_HEADS = frozenset("person man woman source official resident witness".split())
ROLE_VOCABULARY = PERSON_NOUNS | TITLE_WORDS | ROLE_NOUNS


def _note_roles(state: State, person: str, phrase: str) -> None:
    """Remember the role words a person is named with ("Mayor", "the founder of …") to match "the mayor" later."""
    found = {w for w in WORD_RE.findall(phrase.lower()) if w in ROLE_VOCABULARY}
    if found:
        state.roles.setdefault(person, set()).update(found)


def _recent_person(state: State, head: str) -> str:
    """The person last named as a speaker or a sentence subject, when gender and role allow: "the coach"."""
    if not state.people or head in ANONYMOUS_HEADS:
        return ""
    person = state.people[-1]
    gender = ROLE_GENDER.get(head)
    if gender is not None and gender_of(state, person) not in (gender, None):
        return ""
    roles = state.roles.get(person)
    return person if not roles or head in roles else ""


def _resolve_role(phrase: str, state: State) -> str:
    """ "the mayor" -> the person the article calls "Mayor X"; "the company" -> the organisation last quoted."""
    cleaned = clean_phrase(phrase)
    words = cleaned.lower().split()
    if len(words) < 2 or not (words[0] in _DEFINITE or words[0].endswith(("'s", "’s"))):
        return cleaned
    for k, w in enumerate(words[1:], 1):
        if w in PHRASE_PREPOSITIONS:
            words = words[:k]
            break
    head = words[-1]
    if "-" in head and head.split("-")[0] in ROLE_VOCABULARY:
        head = head.split("-")[0]  # "sergeant-at-arms"
    if head not in TITLE_WORDS and any(w[:1].isupper() for w in cleaned.split()[1 : len(words)]):
        return cleaned  # "The Tax Policy Center": a proper name, not a role pointing back to someone
    if len(words) == 2 and words[0] == "the" and head in TITLE_WORDS:
        holder = state.registry.holder_of(head)
        if holder:
            return holder
    if head in ROLE_VOCABULARY:
        apposed = None
        if not (words[0] == "the" and head in _RELATIONAL_NOUNS):  # "the father" is someone's, not "Joe's father"
            apposed = state.registry.apposed_to(head, person=True)
        if apposed:
            return state.registry.resolve(apposed)
        if words[0] == "the" and head not in _RELATIONAL_NOUNS:
            recent = _recent_person(state, head)
            if recent:
                return recent
    elif head in ORG_HEADS:
        apposed = state.registry.apposed_to(head, person=False)
        if apposed:
            return apposed
    recent_org = state.last_org == state.last_group or state.paragraph - state.last_org_paragraph <= _ISSUER_REACH
    fits = head in _GENERIC_ORG_HEADS or head in state.last_org.lower().split()
    if len(words) == 2 and words[0] == "the" and head in ORG_HEADS and state.last_org and recent_org and fits:
        return state.last_org  # "the company": the organisation just quoted, never "users"
    if len(words) >= 3 and words[0] == "the" and head in ORG_HEADS and cleaned[1:].islower():
        named = _named_as(state, words[1:])
        if named:
            return named  # "the parole board" -> "Parole Board of Canada"
    if (
        words[0] == "the"
        and len(words) <= 4
        and cleaned[1:].islower()
        and head not in _KNOWN_HEADS
        and not head.endswith("s")
        and state.last_speaker
        and state.paragraph - state.last_quote_paragraph <= FOLLOW_ON_PARAGRAPHS
    ):
        return state.last_speaker  # "the affable proprietor", "the utility": an epithet for who just spoke
    return cleaned


# Heads "the …" uses for any organisation: "the company" may be Facebook; "the commission" is a commission.
_GENERIC_ORG_HEADS = frozenset("company firm corporation business organization organisation group".split())
_KNOWN_HEADS = SPEAKER_NOUNS | ORG_HEADS | ROLE_VOCABULARY | _RELATIONAL_NOUNS | DOCUMENT_NOUNS
_ISSUER_RE = re.compile(r"\b(?:from|by|of)\s+((?:the\s+)?[A-Z][\w&'’.\-]*(?:\s+(?:[A-Z0-9][\w&'’.\-]*|of|for|and|&))*)")
_POSSESSOR_RE = re.compile(r"^(.+?)[’']s?\s")
# How many paragraphs back an organisation quoted may be the issuer of "a statement" that names none.
_ISSUER_REACH = 3


def _document_issuer(phrase: str, state: State) -> str | None:
    """Who issued the document a speaker phrase names: "a release from UFCW Local 832" -> "UFCW Local 832";
    "the union's release" -> the union; "the parole board decision" -> the parole board; "a statement" -> the
    organisation last quoted, if recent. None when the phrase is no document."""
    cleaned = clean_phrase(phrase)
    words = cleaned.split()
    head_at = next((k for k, w in enumerate(words[:6]) if w in DOCUMENT_NOUNS), None)  # lower-case: not a name
    if head_at is None:
        return None
    owner_pronoun = _POSSESSIVE_PRONOUNS.get(words[0].lower()) if head_at > 0 else None
    if owner_pronoun:
        return resolve_phrase(owner_pronoun, state) or cleaned  # "her statement": hers
    after = " ".join(words[head_at + 1 :])
    issuer = _ISSUER_RE.search(after)
    if issuer is not None and issuer.start() < 40 and issuer.group(1).split()[0].lower() not in _DATE_WORDS:
        return resolve_phrase(issuer.group(1).rstrip(".,"), state)
    before = " ".join(words[:head_at])
    owner = _POSSESSOR_RE.match(before + " ") if before else None
    if owner is not None and WORD_RE.search(owner.group(1)):
        return resolve_phrase(owner.group(1), state)  # "the union's Friday release", "Trump's tweet"
    determiner = words[0].lower() in _DEFINITE or words[0].lower() in ("a", "an")
    modifier = words[1:head_at] if determiner else words[:head_at]
    named = [w for w in modifier if w[:1].isupper() and w.lower() not in _DATE_WORDS]
    if named and modifier[-1] == named[-1]:
        return " ".join(modifier[modifier.index(named[0]) :])  # "the IMF report", "a Quinnipiac University poll"
    if modifier and modifier[-1].lower() in ORG_HEADS | _ORG_MODIFIERS:
        return resolve_phrase(" ".join([words[0], *modifier] if determiner else modifier), state)
    bare = len(words) <= head_at + 3 and not any(w.lower() in ("by", "from", "of") for w in words)
    if bare and state.last_group and state.paragraph - state.last_group_paragraph <= _ISSUER_REACH:
        return state.last_group  # "A statement said …" after the organisation was quoted
    return cleaned


_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday".split()
)
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}
# Nouns that, before a document noun, name who issued it ("the parole board decision", "a police report").
_ORG_MODIFIERS = frozenset("police court government company union council ministry department agency".split())


POSSESSIVE_END_RE = re.compile(r"[’']s?$")


def _named_as(state: State, words: list[str]) -> str:
    """The capitalised name the article gives a described organisation: "parole board" -> "Parole Board of
    Canada", "tax policy center" -> "Tax Policy Center"; "" when it gives none."""
    key = "named:" + " ".join(words)
    cache = state.registry._full
    if key not in cache:
        core = r"\s+".join(re.escape(w.capitalize()) for w in words)
        m = re.search(
            rf"(?:\b[A-Z][\w&'’.\-]*\s+){{0,3}}\b{core}\b(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w&'’.\-]*(?:\s+[A-Z][\w&'’.\-]*)*)?",
            state.registry.text,
        )
        found = POSSESSIVE_END_RE.sub("", m.group()) if m else ""
        cache[key] = found[4:] if found.startswith("The ") else found
    return cache[key]


def note_speaker(state: State, speaker: str, mention: str, paragraph: int) -> None:
    if not speaker:
        return
    state.last_speaker = speaker
    state.last_quote_paragraph = paragraph
    pronoun = pronoun_of(mention)
    if pronoun in ("he", "she") or (not mention and speaker in state.people):
        note_person(state, speaker)
        return
    if not mention or pronoun:
        return
    named = name_in_phrase(mention)
    if named is not None and " and " not in named[0]:
        note_person(state, speaker)
    elif named is None and _is_person_role(mention):
        note_person(state, speaker)  # "a private security professional … he said"
    else:
        note_group(state, speaker, paragraph)
    if (
        named is not None
        and " " not in speaker
        and gender_of(state, speaker) is None
        and not _written_lower_case(state, speaker)  # "Apps": a common word
    ):
        # "Facebook said …": a lone capitalised name the article never expands may be an organisation, for
        # a later "the company" or "it"
        note_group(state, speaker, paragraph)


def _written_lower_case(state: State, word: str) -> bool:
    """Whether the article has ``word`` in lower case as a whole word (cached: one scan per word and article;
    a regular expression compiled per speaker cost 3% of extraction)."""
    key = "lower:" + word
    cache = state.registry._full
    if key not in cache:
        cache[key] = "1" if _whole_word_in(state.registry.text, word.lower()) else ""
    return bool(cache[key])


def _whole_word_in(text: str, word: str) -> bool:
    """``re.search(rf"\b{re.escape(word)}\b", text) is not None``, by str.find."""
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if _at_boundary(text, i) and _at_boundary(text, j):
            return True
        i = text.find(word, i + 1)
    return False


def _at_boundary(text: str, i: int) -> bool:
    before = i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")
    after = i < len(text) and (text[i].isalnum() or text[i] == "_")
    return before != after


def note_group(state: State, speaker: str, paragraph: int) -> None:
    state.last_group, state.last_group_paragraph = speaker, paragraph
    if phrase_kind(speaker) != GROUP:
        state.last_org, state.last_org_paragraph = speaker, paragraph


def _is_person_role(phrase: str) -> bool:
    words = clean_phrase(phrase).lower().split()
    for k, w in enumerate(words):
        if w in ("for", "of", "at", "with", "from", "in"):
            words = words[:k]
            break
    return bool(words) and words[-1] in PERSON_NOUNS


def note_person(state: State, name: str) -> None:
    if name in state.people:
        state.people.remove(name)
    state.people.append(name)


def note_sentence_subject(line: Line, subject: tuple[int, int] | None, state: State) -> None:
    """A person who opens a sentence ("Mamadou Dia was on a trip …") is who a following "he said" may mean."""
    state.previous_subject = state.introduced = ""
    if subject is None:
        return
    phrase = line.text[subject[0] : subject[1]]
    if " " not in phrase and phrase not in state.quoted:
        return  # a lone capitalised word opening a sentence is not known to be a person
    found = name_in_phrase(phrase)
    if found is None:
        return
    name, gender = found
    full = _canonical_name(phrase, name, state)
    titled = gender is not None or TITLED_RE.search(phrase) is not None
    if " " not in state.registry.resolve(name) and name not in state.quoted and not titled:
        return  # a lone capitalised word opening a sentence ("Other Syrian families …") is no known person
    if gender:
        state.genders.setdefault(full, gender)
    _note_roles(state, full, phrase)
    note_person(state, full)
    if full in state.quoted or name in state.quoted or gender_of(state, full) is not None:
        state.previous_subject = full  # a person the article shows as one: quoted before, or gendered
    elif " " in full and not any(t.lower() in ORG_WORDS for t in full.split()):
        state.introduced = full  # a full name opening a sentence: a quote paragraph right after may be theirs


# How many paragraphs back a merely mentioned person may be what "she said" means.
_MENTION_REACH = 2
_MENTION_SENTENCES = 12  # and at most this many sentences back: the work per pronoun stays bounded
_MENTION_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+)?[A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’\-]+)){0,3}"
)
_CREDIT_BEFORE_RE = re.compile(r"(?:\b[Bb]y|[Pp]hoto|[Cc]redit|/|\()\s*$")


def _mentions(line: Line, a: int, b: int) -> list[tuple[str, str]]:
    """The people a sentence names whose gender shows (a title, a known given name), with that gender;
    credits and bylines skipped ("Photo by Mark Dunn", "Carrie Antlfinger / The Associated Press")."""
    found: list[tuple[str, str]] = []
    masked = line.masked
    for m in _MENTION_RE.finditer(masked, a, b):
        toks = m.group().split()
        if len(toks) < 2:
            continue
        credit = _CREDIT_BEFORE_RE.search(masked, max(a, m.start() - 8), m.start())
        if credit or masked[m.end() : m.end() + 2] == " /":
            continue
        while toks and toks[0].lower() in SENTENCE_STARTERS:
            toks = toks[1:]  # "For Fouzia Al Hashish"
        if len(toks) < 2:
            continue
        first = toks[0].rstrip(".").lower()
        titled = first in MALE_TITLES or first in FEMALE_TITLES
        if first in MALE_TITLES or first in MALE_NAMES:
            gender = "m"
        elif first in FEMALE_TITLES or first in FEMALE_NAMES:
            gender = "f"
        else:
            continue
        found.append((" ".join(toks[1:]) if titled else " ".join(toks), gender))
    return found

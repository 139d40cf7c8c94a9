"""Quote extraction: direct, indirect and mixed quotes with their speakers, by rules alone.

Pure Python and precompiled regular expressions, linear in the text: extraction runs inside indexing and must
cost about a millisecond per article. The steps, per line of each paragraph:

1. skip boilerplate lines (headlines of other stories, "JUST IN:" teasers);
2. find the quoted stretches (marks.py) and mask them so cue words inside quotations are not read as cues;
3. split into sentences without cutting through a quotation (sentences.py);
4. find each sentence's reporting cues and the clause each reports (clauses.py); a sentence made only of a
   quotation, with no cue, continues the quote before it;
5. resolve speaker phrases in reading order: names to the fullest form the article uses, pronouns to the last
   compatible person (speakers.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from searchnews.model import PARAGRAPH_SEPARATOR, Article, Quote

from .clauses import MASK, Cue, find_cues, sentence_subject
from .lexicon import (
    CLAUSE_WORDS,
    DOCUMENT_NOUNS,
    FEMALE_NAMES,
    FEMALE_TITLES,
    MALE_NAMES,
    MALE_TITLES,
    ORG_HEADS,
    ORG_WORDS,
    PERSON_NOUNS,
    ROLE_NOUNS,
    SENTENCE_STARTERS,
    SPEAKER_NOUNS,
    TITLE_WORDS,
)
from .marks import QuoteSpan, find_quote_spans
from .roles import (
    DESCRIPTION,
    GROUP,
    ORGANISATION,
    PERSON,
    appositive_role,
    phrase_kind,
    role_from_mention,
    speaker_kind,
    title_before,
)
from .sentences import split_sentences
from .speakers import (
    Registry,
    clean_phrase,
    is_speaker_phrase,
    name_in_phrase,
    pronoun_of,
)

# Boilerplate: "… [LATEST]" link lines and "JUST IN: …" / "WATCH | …" teasers of other stories.
_TAGGED_LINK_RE = re.compile(r"\[[A-Z][A-Z ]{1,20}\]\s*$")
_TEASER_RE = re.compile(r"^\s*[A-Z][A-Z ]{2,20}\s*[:|]|^\s*Follow\s.{1,60}\bon (?:Twitter|Facebook|Instagram)\b")
_SENTENCE_FINAL = frozenset(".!?…:;")
_CLOSING_MARKS = frozenset("\"”’'»)]")
_WORD_RE = re.compile(r"[\w'’\-]+")
_EDGE_JUNK = " \t\r\n,;:—–-"
# "that" or a colon opening a reported clause (used with match(): anchored at the position given).
_LEADING_THAT_RE = re.compile(r"(?:that|:)\s+", re.IGNORECASE)
# A courtesy title before a surname, kept when the article gives no fuller name.
_TITLED_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\.?\s+([\w'’\-]+)")
# A follow-on quote paragraph belongs to the last speaker only when that quote is this close.
_FOLLOW_ON_PARAGRAPHS = 2


@dataclass(frozen=True)
class _Line:
    paragraph: int
    offset: int  # of the line in the article body
    text: str
    masked: str
    spans: tuple[QuoteSpan, ...]
    starts: tuple[int, ...]  # the spans' open positions, for bisection


@dataclass(frozen=True)
class _Draft:
    """A quote found in a sentence, before its speaker phrase is resolved. Offsets are in the line."""

    start: int
    end: int
    kind: str
    cue: str
    mention: str  # the speaker phrase as written; "" when it is inherited
    inherit: str  # "" | "cue" (participle, coordinated verb) | "quote" (follow-on quotation)


@dataclass
class _State:
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
    read: list[tuple[_Line, int, int]] = field(default_factory=list)
    previous_subject: str = ""  # the person the sentence just read opens with, in this paragraph
    introduced: str = ""  # a full name the sentence just read opens with, not yet shown to be a person
    kinds: dict[str, str] = field(default_factory=dict)  # speaker -> kind, for quotes that inherit a speaker
    role_of: dict[str, str] = field(default_factory=dict)  # person -> the first role the text gave them


def _lines(body: str) -> list[tuple[int, int, str]]:
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


def _is_boilerplate(text: str) -> bool:
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


def _mask(text: str, spans: list[QuoteSpan]) -> str:
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


def _spans_within(line: _Line, start: int, end: int) -> list[QuoteSpan]:
    """The quote spans inside [start, end), found by bisection: a line may hold thousands."""
    out: list[QuoteSpan] = []
    for k in range(bisect_left(line.starts, start), len(line.spans)):
        span = line.spans[k]
        if span.open >= end:
            break
        if span.close <= end:
            out.append(span)
    return out


def _trim(line: _Line, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past edge punctuation, a leading "that" and a final full stop outside quotes."""
    text = line.text
    while start < end and text[start] in _EDGE_JUNK:
        start += 1
    m = _LEADING_THAT_RE.match(text, start, end)
    if m:
        start = m.end()
    while end > start and (text[end - 1] in _EDGE_JUNK or (text[end - 1] in ".!?" and line.masked[end - 1] != MASK)):
        end -= 1
    return start, end


def _draft(line: _Line, start: int, end: int, cue: str, mention: str, inherit: str) -> _Draft | None:
    """The quote a clause [start, end) holds: direct when it is all quotation, else indirect or mixed."""
    start, end = _trim(line, start, end)
    if end <= start:
        return None
    quotes = _spans_within(line, start, end)
    outside = line.masked[start:end].replace(MASK, " ")
    outside = outside.strip(_EDGE_JUNK + ".!?")
    that = _LEADING_THAT_RE.match(outside)
    if that:
        outside = outside[that.end() :]
    if quotes and not _WORD_RE.search(outside):
        first, last = quotes[0], quotes[-1]
        return _Draft(first.inner_start, last.inner_end, "direct", cue, mention, inherit)
    if len(_WORD_RE.findall(line.masked[start:end] if not quotes else line.text[start:end])) < 3:
        return None
    fragments = any(len(_WORD_RE.findall(line.text[q.inner_start : q.inner_end])) >= 2 for q in quotes)
    if not quotes and _is_fragment(line.text[start:end]):
        return None
    return _Draft(start, end, "mixed" if fragments else "indirect", cue, mention, inherit)


_FRAGMENT_OPENERS = frozenset(
    "during in on at after before since until despite through throughout amid within without with by for from "
    "under over about back".split()
)
_CLAUSE_HINTS = CLAUSE_WORDS | frozenset("he she it they we i you there".split())


def _is_fragment(text: str) -> bool:
    """An introductory phrase, not a report: "During his years in office", "before he died", "But in July 2012"."""
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if not words or words[0] not in _FRAGMENT_OPENERS:
        return False
    if len(words) <= 4:
        return True
    return not any(w in _CLAUSE_HINTS or w.endswith(("ed", "n't", "n’t")) for w in words)


def _mention(line: _Line, cue: Cue) -> str:
    if cue.subject is None:
        return ""
    return line.text[cue.subject[0] : cue.subject[1]]


def _sentence_drafts(line: _Line, a: int, b: int, quoted: set[str]) -> list[_Draft]:
    """The quotes of the sentence line[a:b]."""
    masked = line.masked
    cues = find_cues(masked, a, b)
    if not cues:
        return _introduced(line, a, b, quoted) or _follow_on(line, a, b)
    drafts: list[_Draft] = []
    region = a  # reported material not yet claimed starts here
    open_cue: Cue | None = None  # a cue whose clause runs on to the right
    open_mention = ""
    open_inherit = ""
    since_region: list[_Draft] = []

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


def _merge_split_quotes(drafts: list[_Draft]) -> list[_Draft]:
    """ "“First,” he said, “second.”" is one quote: join direct parts the same cue attributes."""
    out: list[_Draft] = []
    for d in drafts:
        if (
            out
            and d.kind == "direct"
            and out[-1].kind == "direct"
            and d.cue == out[-1].cue
            and d.mention == out[-1].mention
        ):
            prev = out.pop()
            d = _Draft(prev.start, d.end, "direct", prev.cue, prev.mention, prev.inherit)
        out.append(d)
    return out


_INTRODUCING_END_RE = re.compile(r"(?::|\s[—–―-]{1,2})\s*$")


# "He answered, “Denver.”", "Some chanted, “USA!”": a past or present verb, a comma, then the quotation.
_COMMA_VERB_RE = re.compile(r"\b[a-z]{3,}(?:ed|es|s)\s*,\s*$")
_INVERTED_OPENERS = frozenset("said says added adds asked continued wrote".split())


def _introduced(line: _Line, a: int, b: int, quoted: set[str]) -> list[_Draft]:
    """ "Tom Hale was blunt: “…”", "Hale scolded him — “…”": a person's sentence whose colon or dash
    introduces a quotation; or, with the quotation in the next paragraph, ends the sentence ("… at the
    rally:"). The speaker is the sentence's subject when it names someone."""
    masked = line.masked
    first_quote = masked.find(MASK, a, b)
    head_end = first_quote if first_quote >= 0 else b
    tail = masked[max(a, head_end - 40) : head_end]  # the patterns below end the head: search its end only
    comma_verb = first_quote >= 0 and _COMMA_VERB_RE.search(tail) is not None
    opener = _WORD_RE.search(masked, a, min(head_end, a + 40)) if first_quote >= 0 else None
    said_first = opener is not None and opener.group().lower() in _INVERTED_OPENERS
    if not _INTRODUCING_END_RE.search(tail) and not comma_verb and not said_first:
        return []
    if first_quote >= 0 and _WORD_RE.search(masked[first_quote:b].replace(MASK, " ")):
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
        return [_Draft(b, b, "intro", "", phrase, "")]  # the quotation comes in the next paragraph
    quotes = _spans_within(line, first_quote, b)
    if not quotes:
        return []
    if comma_verb and not line.text[quotes[0].inner_start : quotes[0].inner_start + 1].isupper():
        return []  # "…, “along with some complex ones.”": a fragment, not an utterance
    return [_Draft(quotes[0].inner_start, quotes[-1].inner_end, "direct", "", phrase, "")]


def _follow_on(line: _Line, a: int, b: int) -> list[_Draft]:
    """A sentence that is only a quotation, with no cue: it continues the last speaker's quote."""
    quotes = _spans_within(line, a, b)
    if not quotes or line.masked[a:b].strip()[:1] != MASK:
        return []
    outside = line.masked[a:b].replace(MASK, "").strip(_EDGE_JUNK + ".!?")
    if _WORD_RE.search(outside):
        return []
    inner = line.text[quotes[0].inner_start : quotes[-1].inner_end]
    words = _WORD_RE.findall(inner)
    if len(words) < 4 and not (len(words) >= 2 and inner.rstrip()[-1:] in ".!?,"):
        return []  # a quoted heading, not a quote
    return [_Draft(quotes[0].inner_start, quotes[-1].inner_end, "direct", "", "", "quote")]


def _resolve(draft: _Draft, state: _State, paragraph: int, context: str) -> tuple[str, str]:
    """(speaker, mention) for a draft; ``context`` is the speaker of the cue a participle depends on."""
    if draft.inherit == "quote":
        if state.previous_subject:
            # "Durning did not need much coaxing. “I’m thankful …”": the person the sentence before is about
            return state.previous_subject, ""
        if paragraph - state.last_quote_paragraph <= _FOLLOW_ON_PARAGRAPHS:
            return state.last_speaker, ""
        return "", ""
    # A closing quote mark the span finder did not take (`` ` ... ' he said``, a wire style) starts the mention.
    mention = draft.mention.strip().strip(_QUOTE_MARKS).strip()
    if draft.inherit == "cue" and not mention:
        return context or state.last_speaker, ""
    return _resolve_phrase(mention, state), mention


_QUOTE_MARKS = "'\"‘’“”`´ "
_OPENING_MARKS = "\"“‘«„'"


def _resolve_phrase(phrase: str, state: _State) -> str:
    pronoun = pronoun_of(phrase)
    if pronoun in ("he", "she"):
        gender = "m" if pronoun == "he" else "f"
        for person in reversed(state.people):
            if _gender_of(state, person) in (gender, None):
                state.genders[person] = gender
                return person
        for k, (line, a, b) in enumerate(reversed(state.read)):
            if state.paragraph - line.paragraph > _MENTION_REACH or k >= _MENTION_SENTENCES:
                break
            for name, known in reversed(_mentions(line, a, b)):
                if known == gender:
                    full = state.registry.resolve(name) if " " not in name else name
                    state.genders.setdefault(full, gender)
                    _note_person(state, full)
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


def _canonical_name(phrase: str, name: str, state: _State) -> str:
    """The fullest name the article uses; "Mr Osei" (title kept) when it never gives more than a surname."""
    full = state.registry.resolve(name)
    if full == name and " " not in name:
        titled = _TITLED_RE.search(phrase)
        if titled and titled.group(2) == name:
            return f"{titled.group(1)} {name}"
    return full


def _gender_of(state: _State, person: str) -> str | None:
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
_PHRASE_PREPOSITIONS = frozenset("of for at with from in on to".split())


# Nouns naming someone by their tie to another person: "the father" is not the person just named.
_RELATIONAL_NOUNS = frozenset(
    "father mother son daughter wife husband brother sister friend neighbour neighbor colleague partner parent "
    "grandmother grandfather uncle aunt cousin niece nephew girlfriend boyfriend fiancé fiancee dad mom mum "
    "lawyer attorney".split()
)
_ROLE_GENDER = {
    w: g
    for g, ws in (
        ("m", "man boy spokesman chairman businessman father son husband brother grandfather uncle nephew"),
        ("f", "woman girl spokeswoman chairwoman businesswoman mother daughter wife sister grandmother aunt niece"),
    )
    for w in ws.split()
}


_ANONYMOUS_HEADS = frozenset("person man woman source official resident witness".split())
_ROLE_VOCABULARY = PERSON_NOUNS | TITLE_WORDS | ROLE_NOUNS


def _note_roles(state: _State, person: str, phrase: str) -> None:
    """Remember the role words a person is named with ("Mayor", "the founder of …") to match "the mayor" later."""
    found = {w for w in _WORD_RE.findall(phrase.lower()) if w in _ROLE_VOCABULARY}
    if found:
        state.roles.setdefault(person, set()).update(found)


def _recent_person(state: _State, head: str) -> str:
    """The person last named as a speaker or a sentence subject, when gender and role allow: "the coach"."""
    if not state.people or head in _ANONYMOUS_HEADS:
        return ""
    person = state.people[-1]
    gender = _ROLE_GENDER.get(head)
    if gender is not None and _gender_of(state, person) not in (gender, None):
        return ""
    roles = state.roles.get(person)
    return person if not roles or head in roles else ""


def _resolve_role(phrase: str, state: _State) -> str:
    """ "the mayor" -> the person the article calls "Mayor X"; "the company" -> the organisation last quoted."""
    cleaned = clean_phrase(phrase)
    words = cleaned.lower().split()
    if len(words) < 2 or not (words[0] in _DEFINITE or words[0].endswith(("'s", "’s"))):
        return cleaned
    for k, w in enumerate(words[1:], 1):
        if w in _PHRASE_PREPOSITIONS:
            words = words[:k]
            break
    head = words[-1]
    if "-" in head and head.split("-")[0] in _ROLE_VOCABULARY:
        head = head.split("-")[0]  # "sergeant-at-arms"
    if head not in TITLE_WORDS and any(w[:1].isupper() for w in cleaned.split()[1 : len(words)]):
        return cleaned  # "The Tax Policy Center": a proper name, not a role pointing back to someone
    if len(words) == 2 and words[0] == "the" and head in TITLE_WORDS:
        holder = state.registry.holder_of(head)
        if holder:
            return holder
    if head in _ROLE_VOCABULARY:
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
        and state.paragraph - state.last_quote_paragraph <= _FOLLOW_ON_PARAGRAPHS
    ):
        return state.last_speaker  # "the affable proprietor", "the utility": an epithet for who just spoke
    return cleaned


# Heads "the …" uses for any organisation: "the company" may be Facebook; "the commission" is a commission.
_GENERIC_ORG_HEADS = frozenset("company firm corporation business organization organisation group".split())
_KNOWN_HEADS = SPEAKER_NOUNS | ORG_HEADS | _ROLE_VOCABULARY | _RELATIONAL_NOUNS | DOCUMENT_NOUNS
_ISSUER_RE = re.compile(r"\b(?:from|by|of)\s+((?:the\s+)?[A-Z][\w&'’.\-]*(?:\s+(?:[A-Z0-9][\w&'’.\-]*|of|for|and|&))*)")
_POSSESSOR_RE = re.compile(r"^(.+?)[’']s?\s")
# How many paragraphs back an organisation quoted may be the issuer of "a statement" that names none.
_ISSUER_REACH = 3


def _document_issuer(phrase: str, state: _State) -> str | None:
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
        return _resolve_phrase(owner_pronoun, state) or cleaned  # "her statement": hers
    after = " ".join(words[head_at + 1 :])
    issuer = _ISSUER_RE.search(after)
    if issuer is not None and issuer.start() < 40 and issuer.group(1).split()[0].lower() not in _DATE_WORDS:
        return _resolve_phrase(issuer.group(1).rstrip(".,"), state)
    before = " ".join(words[:head_at])
    owner = _POSSESSOR_RE.match(before + " ") if before else None
    if owner is not None and _WORD_RE.search(owner.group(1)):
        return _resolve_phrase(owner.group(1), state)  # "the union's Friday release", "Trump's tweet"
    determiner = words[0].lower() in _DEFINITE or words[0].lower() in ("a", "an")
    modifier = words[1:head_at] if determiner else words[:head_at]
    named = [w for w in modifier if w[:1].isupper() and w.lower() not in _DATE_WORDS]
    if named and modifier[-1] == named[-1]:
        return " ".join(modifier[modifier.index(named[0]) :])  # "the IMF report", "a Quinnipiac University poll"
    if modifier and modifier[-1].lower() in ORG_HEADS | _ORG_MODIFIERS:
        return _resolve_phrase(" ".join([words[0], *modifier] if determiner else modifier), state)
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


_POSSESSIVE_END_RE = re.compile(r"[’']s?$")


def _named_as(state: _State, words: list[str]) -> str:
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
        found = _POSSESSIVE_END_RE.sub("", m.group()) if m else ""
        cache[key] = found[4:] if found.startswith("The ") else found
    return cache[key]


def _note_speaker(state: _State, speaker: str, mention: str, paragraph: int) -> None:
    if not speaker:
        return
    state.last_speaker = speaker
    state.last_quote_paragraph = paragraph
    pronoun = pronoun_of(mention)
    if pronoun in ("he", "she") or (not mention and speaker in state.people):
        _note_person(state, speaker)
        return
    if not mention or pronoun:
        return
    named = name_in_phrase(mention)
    if named is not None and " and " not in named[0]:
        _note_person(state, speaker)
    elif named is None and _is_person_role(mention):
        _note_person(state, speaker)  # "a private security professional … he said"
    else:
        _note_group(state, speaker, paragraph)
    if (
        named is not None
        and " " not in speaker
        and _gender_of(state, speaker) is None
        and not re.search(rf"\b{re.escape(speaker.lower())}\b", state.registry.text)  # "Apps": a common word
    ):
        # "Facebook said …": a lone capitalised name the article never expands may be an organisation, for
        # a later "the company" or "it"
        _note_group(state, speaker, paragraph)


def _note_group(state: _State, speaker: str, paragraph: int) -> None:
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


def _note_person(state: _State, name: str) -> None:
    if name in state.people:
        state.people.remove(name)
    state.people.append(name)


def _note_sentence_subject(line: _Line, subject: tuple[int, int] | None, state: _State) -> None:
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
    titled = gender is not None or _TITLED_RE.search(phrase) is not None
    if " " not in state.registry.resolve(name) and name not in state.quoted and not titled:
        return  # a lone capitalised word opening a sentence ("Other Syrian families …") is no known person
    if gender:
        state.genders.setdefault(full, gender)
    _note_roles(state, full, phrase)
    _note_person(state, full)
    if full in state.quoted or name in state.quoted or _gender_of(state, full) is not None:
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


def _mentions(line: _Line, a: int, b: int) -> list[tuple[str, str]]:
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


def _to_quote(line: _Line, draft: _Draft, speaker: str, mention: str) -> Quote:
    start, end = draft.start, draft.end
    text = line.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1  # the comma before a closing mark belongs to the sentence framing the quote
    return Quote(
        text=text[start:end],
        speaker=_POSSESSIVE_END_RE.sub("", speaker) if speaker[-2:] in ("'s", "’s") else speaker,
        kind=draft.kind,
        cue=draft.cue,
        mention=mention,
        paragraph=line.paragraph,
        start=line.offset + start,
        end=line.offset + end,
    )


# Quotes are looked for in the first this many characters of an article (about 60 pages; the longest of 36,575
# news articles has 28,000). Past it a text is a book or a dump, not a story, and extraction, at ~7 µs a
# character, would take minutes for a 20 MB file: indexing stays bounded by the article, not its size.
MAX_EXTRACT_CHARS = 300_000


def extract_quotes(article: Article) -> list[Quote]:
    """Every quote in ``article.body`` with its speaker; offsets index ``article.body``.

    A rule that trips over a text raises: the caller names that article as failed (an index run goes on with
    the others), and tests see the error instead of an empty list.
    """
    body = article.body or ""
    if len(body) > MAX_EXTRACT_CHARS:
        cut = body.rfind("\n", 0, MAX_EXTRACT_CHARS)  # at a paragraph's end where there is one
        body = body[: cut if cut > MAX_EXTRACT_CHARS // 2 else MAX_EXTRACT_CHARS]
    return _extract(body)


def _extract(body: str) -> list[Quote]:
    state = _State(registry=Registry(body))
    quotes: list[Quote] = []
    for paragraph, offset, text in _lines(body):
        if paragraph != state.paragraph and text.lstrip()[:1] not in _OPENING_MARKS:
            state.previous_subject = state.introduced = ""  # only a quote paragraph right after may be theirs
        elif paragraph != state.paragraph and state.introduced and not state.previous_subject:
            state.previous_subject = state.introduced  # "Ana Ruiz has lived here 20 years." / "“…”"
        state.paragraph = paragraph
        tweet = _embedded_post(text, paragraph, offset, state)
        if tweet is not None:
            quotes.append(tweet)  # and its sentences are read too: a post may report someone else
        if _is_boilerplate(text):
            continue
        spans = find_quote_spans(text)
        # no-break spaces read as spaces (same length: offsets hold): "said,\u00a0“…”"
        masked = _mask(text, spans).replace("\u00a0", " ")
        line = _Line(paragraph, offset, text, masked, tuple(spans), tuple(s.open for s in spans))
        for a, b in split_sentences(text, spans):
            context = ""
            subject = sentence_subject(line.masked, a, b)
            for draft in _sentence_drafts(line, a, b, state.quoted):
                speaker, mention = _resolve(draft, state, paragraph, context)
                if not speaker and pronoun_of(mention) in ("he", "she"):
                    # "Nina Kowal was blunt: …, she said": the sentence's own subject
                    _note_sentence_subject(line, subject, state)
                    speaker = _resolve_phrase(mention, state)
                if draft.inherit not in ("cue", "relative"):
                    context = speaker
                if draft.kind == "intro":
                    _note_speaker(state, speaker, mention, paragraph)  # its quotation follows
                    continue
                quote = _to_quote(line, draft, speaker, mention)
                if quote.text:
                    kind, role = _kind_and_role(line, quote.speaker, mention, state)
                    quotes.append(replace(quote, speaker_kind=kind, role=role))
                if draft.inherit != "relative":
                    _note_speaker(state, speaker, mention, paragraph)
            _note_sentence_subject(line, subject, state)
            state.read.append((line, a, b))
    quotes = _attribute_forward(_name_indefinite_speakers(quotes, state, body))
    quotes = _expand_acronyms(quotes, body)
    # "The Royal Canadian Mounted Police" and "Royal Canadian Mounted Police" are one name: no article before it
    quotes = [
        replace(q, speaker=q.speaker[4:])
        if q.speaker_kind == ORGANISATION
        and q.speaker[:4] in ("The ", "the ")
        and q.speaker[4:5].isupper()
        and q.speaker.split()[-1][:1].isupper()  # a proper name; "the Chinese foreign ministry" stays
        else q
        for q in quotes
    ]
    # a lone name the article later calls "he" or "she" is a person after all
    return [
        replace(q, speaker_kind=PERSON) if q.speaker_kind == ORGANISATION and state.genders.get(q.speaker) else q
        for q in quotes
    ]


# An embedded social-media post as scraped pages print it: "text pic.twitter.com/x — Name (@handle) May 2, 2019".
_POST_RE = re.compile(
    r"^\s*(?P<text>\S.*?)\s*(?:(?:https?://\S+|pic\.twitter\.com/\S+)\s*)*"
    r"[—–-]{1,2}\s*(?P<name>[^()\n]{2,60}?)\s*\(@\w{1,30}\)\s*"
    r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\s*\.?\s*$"
)
_URL_TAIL_RE = re.compile(r"(?:\s*(?:https?://\S+|pic\.twitter\.com/\S+|#\S*pic\.twitter\.com/\S+))+\s*$")


def _embedded_post(text: str, paragraph: int, offset: int, state: _State) -> Quote | None:
    """An embedded post ("… — Michelle Rempel (@MichelleRempel) December 18, 2018"): its text is a direct
    quote of the account's owner."""
    if "(@" not in text:
        return None
    m = _POST_RE.match(text)
    if m is None:
        return None
    body = text[m.start("text") : m.end("text")]
    body = _URL_TAIL_RE.sub("", body).rstrip()
    cut = body.find("pic.twitter.com")
    if cut > 0:
        body = body[:cut].rstrip(" #")
    if len(_WORD_RE.findall(body)) < 3:
        return None
    start = offset + m.start("text")
    name = m.group("name").strip()
    speaker = _resolve_phrase(name, state) or name
    kind = phrase_kind(name)
    if kind == PERSON:
        _note_person(state, speaker)
    else:
        _note_group(state, speaker, paragraph)
    state.last_speaker, state.last_quote_paragraph = speaker, paragraph
    return Quote(
        text=body,
        speaker=speaker,
        kind="direct",
        cue="",
        mention=name,
        paragraph=paragraph,
        start=start,
        end=start + len(body),
        role=None,
        speaker_kind=kind,
    )


_ACRONYM_RE = re.compile(r"^(?:[Tt]he\s+)?([A-Z][A-Z&]{1,9})$")


def _expand_acronyms(quotes: list[Quote], body: str) -> list[Quote]:
    """One organisation under its acronym and its name: "RCMP" -> "Royal Canadian Mounted Police" where the
    article spells it out ("the Royal Canadian Mounted Police (RCMP)")."""
    found: dict[str, str] = {}
    out = []
    for q in quotes:
        m = _ACRONYM_RE.match(q.speaker)
        if m is not None:
            acronym = m.group(1)
            if acronym not in found:
                at = body.find(f"({acronym})")  # spelled out only where the article puts it in brackets
                spelled = None
                if at > 0:
                    spelled = re.search(
                        r"((?:[A-Z][\w&'’.\-]*\s+(?:(?:of|for|and|on|the|&)\s+)*){1,8}[A-Z][\w&'’.\-]*)\s*$",
                        body[max(0, at - 160) : at],
                    )
                words = spelled.group(1).split() if spelled else []
                while words and words[0][:1] != acronym[0]:
                    words.pop(0)  # "Officers of the Royal Canadian Mounted Police (RCMP)": from the R
                found[acronym] = " ".join(words) if len(words) >= 2 else ""
            if found[acronym]:
                q = replace(q, speaker=found[acronym], speaker_kind=ORGANISATION)
        out.append(q)
    return out


def _kind_and_role(line: _Line, speaker: str, mention: str, state: _State) -> tuple[str, str | None]:
    """The speaker's kind and role for a quote; a quote with no phrase at its cue inherits the speaker's."""
    if not speaker:
        return "", None
    if not mention:
        return state.kinds.get(speaker) or phrase_kind(speaker), state.role_of.get(speaker)
    if pronoun_of(mention) in ("he", "she") and phrase_kind(speaker) == DESCRIPTION:
        return DESCRIPTION, clean_phrase(speaker)  # "a Labour spokesman … he said": still the description
    kind = speaker_kind(speaker, mention, person=False)
    lone = kind == PERSON and " " not in speaker and pronoun_of(mention) is None
    if lone and _gender_of(state, speaker) is None and not _TITLED_RE.search(mention):
        kind = ORGANISATION  # "Facebook said": a lone name nobody calls "he" or "she"
    mention_kind = phrase_kind(mention) if pronoun_of(mention) is None else PERSON
    role = None
    if mention_kind == DESCRIPTION and kind in (PERSON, DESCRIPTION):
        role = role_from_mention(mention, mention_kind)
    elif mention_kind == PERSON and pronoun_of(mention) is None:
        role = role_from_mention(mention, PERSON)
        if role is None:
            at = line.text.find(mention)
            if at >= 0:
                role = appositive_role(line.text, at + len(mention))
    if role is None and kind == PERSON:
        role = state.role_of.get(speaker)
        if role is None and " " in speaker:
            role = title_before(state.registry.text, speaker)  # "Chinese Foreign Minister Wang Yi" earlier
    if role and kind == PERSON:
        state.role_of.setdefault(speaker, role)
    state.kinds[speaker] = kind
    return kind, role


_INDEFINITE = frozenset("a an one another".split())


def _indefinite_head(mention: str) -> str:
    """The role noun an indefinite speaker phrase is headed by ("A spokeswoman for X" -> "spokeswoman"), or ""."""
    words = clean_phrase(mention).lower().split()
    if len(words) < 2 or words[0] not in _INDEFINITE:
        return ""
    for k, w in enumerate(words[1:], 1):
        if w in _PHRASE_PREPOSITIONS:
            words = words[:k]
            break
    head = words[-1]
    return head if head in _ROLE_VOCABULARY and head not in _ANONYMOUS_HEADS else ""


def _name_indefinite_speakers(quotes: list[Quote], state: _State, body: str) -> list[Quote]:
    """ "A spokeswoman for X said …" then, next, "…,” said Jane Roe": the role introduces the person named next.

    Only when the next quote, within a paragraph or two, names a person the article has not named before (or
    named with that very role) whose gender does not clash with the role's.
    """
    out = list(quotes)
    for k, q in enumerate(out):
        head = _indefinite_head(q.mention) if q.mention and q.speaker == clean_phrase(q.mention) else ""
        if not head:
            continue
        for nxt in out[k + 1 : k + 4]:
            if nxt.paragraph - q.paragraph > 2:
                break
            if not nxt.mention or nxt.speaker == q.speaker:
                continue
            if name_in_phrase(nxt.mention) is None or " " not in nxt.speaker:
                break
            before = body[: q.end]
            named_before = any(len(t) > 2 and t in before for t in nxt.speaker.split())
            roles = state.roles.get(nxt.speaker, set())
            gender = _ROLE_GENDER.get(head)
            if gender is not None and _gender_of(state, nxt.speaker) not in (gender, None):
                break
            if (roles and head not in roles) or (named_before and head not in roles):
                break
            out[k] = replace(q, speaker=nxt.speaker, speaker_kind=nxt.speaker_kind, role=q.role or nxt.role)
            break
    return out


def _attribute_forward(quotes: list[Quote]) -> list[Quote]:
    """A cue-less quotation with nobody before it belongs to the speaker introduced right after it.

    News sometimes opens with the quote and names the speaker in the next paragraph ("… said prosecutor X").
    """
    out = list(quotes)
    for k in range(len(out) - 2, -1, -1):
        q, nxt = out[k], out[k + 1]
        if not q.speaker and not q.cue and nxt.speaker and nxt.paragraph - q.paragraph <= 1:
            out[k] = replace(q, speaker=nxt.speaker, speaker_kind=nxt.speaker_kind, role=nxt.role)
    return out

"""Quote extraction: direct, indirect and mixed quotes with their speakers, by rules alone.

Pure Python and precompiled regular expressions, linear in the text: extraction runs inside indexing and must
cost about a millisecond per article. The steps, per line of each paragraph:

1. skip boilerplate lines (headlines of other stories, "JUST IN:" teasers) (drafts.py);
2. find the quoted stretches (marks.py) and mask them so cue words inside quotations are not read as cues;
3. split into sentences without cutting through a quotation (sentences.py);
4. find each sentence's reporting cues (clauses.py: the verb; subjects.py: the speaker phrase; reported.py: the
   clause after it) and draft a quote for each (drafts.py); a sentence made only of a quotation, with no cue,
   continues the quote before it;
5. resolve speaker phrases in reading order (resolve.py): names to the fullest form the article uses, pronouns
   to the last compatible person;
6. passes over the article's quotes (this module): embedded posts, acronyms spelled out, "a spokeswoman" named
   next, a leading quotation whose speaker comes after it, each speaker's kind and role.
"""

from __future__ import annotations

import re
from dataclasses import replace

from searchnews.model import Article, Quote

from .cue import is_contraction
from .drafts import article_lines, is_boilerplate, mask_quotes, sentence_drafts
from .marks import find_quote_spans
from .reading import TITLED_RE, WORD_RE, Draft, Line, State
from .resolve import (
    ANONYMOUS_HEADS,
    OPENING_MARKS,
    PHRASE_PREPOSITIONS,
    POSSESSIVE_END_RE,
    ROLE_GENDER,
    ROLE_VOCABULARY,
    gender_of,
    note_group,
    note_person,
    note_sentence_subject,
    note_speaker,
    resolve_draft,
    resolve_phrase,
)
from .roles import (
    DESCRIPTION,
    ORGANISATION,
    PERSON,
    appositive_role,
    phrase_kind,
    role_from_mention,
    speaker_kind,
    title_before,
)
from .sentences import split_sentences
from .speakers import Registry, clean_phrase, name_in_phrase, pronoun_of
from .subjects import sentence_subject


def _to_quote(line: Line, draft: Draft, speaker: str, mention: str, state: State) -> Quote | None:
    """The quote a draft makes, with its speaker's kind and role; None when no text is left (built once: a
    ``dataclasses.replace`` per quote cost 2% of extraction)."""
    start, end = draft.start, draft.end
    text = line.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1  # the comma before a closing mark belongs to the sentence framing the quote
    if start == end:
        return None
    if speaker[-2:] in ("'s", "’s") and not _possessive_name(speaker, state):
        speaker = POSSESSIVE_END_RE.sub("", speaker)  # "Taylor Swift's": the possessive is no part of the name
    kind, role = _kind_and_role(line, speaker, mention, state)
    return Quote(
        text=text[start:end],
        speaker=speaker,
        kind=draft.kind,
        cue=draft.cue,
        mention=mention,
        paragraph=line.paragraph,
        start=line.offset + start,
        end=line.offset + end,
        role=role,
        speaker_kind=kind,
    )


def _possessive_name(speaker: str, state: State) -> bool:
    """ "Moody's", "McDonald's": one word the article never writes without its "'s" is a name ending in it."""
    if " " in speaker or is_contraction(speaker):  # "It's"
        return False
    bare, text = speaker[:-2], state.registry.text
    i = text.find(bare)
    while i >= 0:
        j = i + len(bare)
        whole = (i == 0 or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum())
        if whole and text[j : j + 2] not in ("'s", "’s"):
            return False
        i = text.find(bare, j)
    return True


# A transcript turn's label: a surname in capitals and a colon ("WALLACE: If I may, sir, …").
_TURN_LABEL_RE = re.compile(r"([A-Z][A-Z'’\-]{2,}(?: [A-Z][A-Z'’\-]{2,}){0,2}):\s+")


def _transcript_turn(line: Line, draft: Draft, state: State) -> tuple[str, str, Draft] | None:
    """A quoted transcript turn with no cue ("PENCE: Well, look, …") is the labelled person's, when the article
    names that person in full ("Mike Pence"); the quote starts after the label. None otherwise ("VIDEO: …")."""
    m = _TURN_LABEL_RE.match(line.text, draft.start, draft.end)
    if m is None or m.end() >= draft.end:
        return None
    label = " ".join(w.capitalize() for w in m.group(1).split())
    full = state.registry.resolve(label)
    if " " not in full or name_in_phrase(full) is None:
        return None
    return full, label, replace(draft, start=m.end(), inherit="")


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
    state = State(registry=Registry(body))
    quotes: list[Quote] = []
    for paragraph, offset, text in article_lines(body):
        if paragraph != state.paragraph and text.lstrip()[:1] not in OPENING_MARKS:
            state.previous_subject = state.introduced = ""  # only a quote paragraph right after may be theirs
        elif paragraph != state.paragraph and state.introduced and not state.previous_subject:
            state.previous_subject = state.introduced  # "Ana Ruiz has lived here 20 years." / "“…”"
        state.paragraph = paragraph
        tweet = _embedded_post(text, paragraph, offset, state)
        if tweet is not None:
            quotes.append(tweet)  # and its sentences are read too: a post may report someone else
        if is_boilerplate(text):
            continue
        spans = find_quote_spans(text)
        # no-break spaces read as spaces (same length: offsets hold): "said,\u00a0“…”"
        masked = mask_quotes(text, spans).replace("\u00a0", " ")
        line = Line(paragraph, offset, text, masked, tuple(spans), tuple(s.open for s in spans))
        for a, b in split_sentences(text, spans):
            context = ""
            subject = sentence_subject(line.masked, a, b)
            for draft in sentence_drafts(line, a, b, state.quoted):
                speaker, mention = resolve_draft(draft, state, paragraph, context)
                turn = _transcript_turn(line, draft, state) if draft.inherit == "quote" else None
                if turn is not None:
                    speaker, mention, draft = turn  # "PENCE: Well, look, …": the label speaks, not the last speaker
                if not speaker and pronoun_of(mention) in ("he", "she"):
                    # "Nina Kowal was blunt: …, she said": the sentence's own subject
                    note_sentence_subject(line, subject, state)
                    speaker = resolve_phrase(mention, state)
                if draft.inherit not in ("cue", "relative"):
                    context = speaker
                if draft.kind == "intro":
                    note_speaker(state, speaker, mention, paragraph)  # its quotation follows
                    continue
                quote = _to_quote(line, draft, speaker, mention, state)
                if quote is not None:
                    quotes.append(quote)
                if draft.inherit != "relative":
                    note_speaker(state, speaker, mention, paragraph)
            note_sentence_subject(line, subject, state)
            state.read.append((line, a, b))
    quotes = _attribute_forward(_name_indefinite_speakers(quotes, state, body))
    quotes = _expand_acronyms(quotes, body)
    quotes = [_initials_joined(q) for q in quotes]
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


def _embedded_post(text: str, paragraph: int, offset: int, state: State) -> Quote | None:
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
    if len(WORD_RE.findall(body)) < 3:
        return None
    start = offset + m.start("text")
    name = m.group("name").strip()
    speaker = resolve_phrase(name, state) or name
    kind = phrase_kind(name)
    if kind == PERSON:
        note_person(state, speaker)
    else:
        note_group(state, speaker, paragraph)
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


# Initials spelled out with "and" in wire copy ("S and P", "AT and T"): one organisation's abbreviation.
_AND_INITIALS_RE = re.compile(r"[A-Z]{1,2}(?: and [A-Z]{1,2})+")


def _initials_joined(q: Quote) -> Quote:
    """ "S and P said" is S&P: write the abbreviation as the organisation does, not as a pair of names."""
    if " and " not in q.speaker or not _AND_INITIALS_RE.fullmatch(q.speaker):
        return q
    return replace(q, speaker=q.speaker.replace(" and ", "&"), speaker_kind=ORGANISATION)


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


def _kind_and_role(line: Line, speaker: str, mention: str, state: State) -> tuple[str, str | None]:
    """The speaker's kind and role for a quote; a quote with no phrase at its cue inherits the speaker's."""
    if not speaker:
        return "", None
    if not mention:
        return state.kinds.get(speaker) or phrase_kind(speaker), state.role_of.get(speaker)
    if pronoun_of(mention) in ("he", "she") and phrase_kind(speaker) == DESCRIPTION:
        return DESCRIPTION, clean_phrase(speaker)  # "a Labour spokesman … he said": still the description
    kind = speaker_kind(speaker, mention, person=False)
    lone = kind == PERSON and " " not in speaker and pronoun_of(mention) is None
    if lone and gender_of(state, speaker) is None and not TITLED_RE.search(mention):
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
            if speaker not in state.titles:  # cached: a regular expression over 80 characters per call
                state.titles[speaker] = title_before(state.registry.text, speaker)
            role = state.titles[speaker]  # "Chinese Foreign Minister Wang Yi" earlier
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
        if w in PHRASE_PREPOSITIONS:
            words = words[:k]
            break
    head = words[-1]
    return head if head in ROLE_VOCABULARY and head not in ANONYMOUS_HEADS else ""


def _name_indefinite_speakers(quotes: list[Quote], state: State, body: str) -> list[Quote]:
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
            gender = ROLE_GENDER.get(head)
            if gender is not None and gender_of(state, nxt.speaker) not in (gender, None):
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

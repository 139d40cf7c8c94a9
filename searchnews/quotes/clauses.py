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
from dataclasses import dataclass, replace

from .lexicon import (
    ABBREVIATIONS,
    CLAUSE_WORDS,
    FEMALE_NAMES,
    INTRO_WORDS,
    INVERTIBLE_VERBS,
    MALE_NAMES,
    MESSAGE_NOUNS,
    PASSIVE_MARKERS,
    PERSON_NOUNS,
    PRONOUN_GENDER,
    QUESTION_VERBS,
    QUESTION_WORDS,
    QUOTE_ONLY_VERBS,
    RELATIVE_WORDS,
    ROLE_NOUNS,
    SPEAKER_NOUNS,
    SPEECH_VERBS,
    STRICT_VERBS,
    TITLE_ABBREVIATIONS,
    TITLE_WORDS,
    TO_VERBS,
    VERB_PREFIX_WORDS,
    trie_pattern,
)
from .speakers import is_speaker_phrase, name_in_phrase

# Words a sentence-opening speaker phrase may hold besides capitalised ones ("North Korean leader Kim").
_DESCRIPTION_ROLES = PERSON_NOUNS | ROLE_NOUNS | TITLE_WORDS
_HEAD_JOINERS = (
    frozenset(
        "of de al the a an former presidential vice-presidential nominee candidate senior acting state federal "
        "provincial local county city deputy interim longtime".split()
    )
    | TITLE_WORDS
    | SPEAKER_NOUNS
)

MASK = "\x01"
# How far from a verb its speaker phrase, adverbial or clause opening is looked for: bounds the work per cue so a
# pathological sentence (a megabyte without a full stop) stays linear.
_WINDOW = 400

_CUE_RE = re.compile(
    r"\b(?:[Aa]ccording to|" + trie_pattern(SPEECH_VERBS | QUOTE_ONLY_VERBS | {"pointed out"}) + r")(?![\w'’\-])"
)
_WORD_RE = re.compile(r"[\w'’\-]+")
# Where a speaker phrase may start: after a comma, a dash, a bracket or a quotation.
_CHUNK_SEP_RE = re.compile(rf",|;|:|\s[—–―-]\s|[()]|{MASK}+")
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
# Conjunctions that end one clause and start the next, whose subject is the speaker.
_PRONOUN_IS = frozenset("it's that's there's he's she's what's who's here's let's where's".split())
_NAME_JOINERS = frozenset("de da di van von bin ibn al el le la du del der".split())
_TAG_RE = re.compile(r"[A-Z]-[A-Z][A-Za-z.]*|(?:[A-Z]\.){1,3}|[A-Z][a-z]{1,4}\.")
_CLAUSE_JOINERS = frozenset("but while whereas although though because since so yet when after before".split())
# First words of an appositive clause that may stand between a speaker and the verb.
_APPOSITIVE_OPENERS = frozenset("who whose whom which".split())
# Words that open a clause continuing a report after its frame ("…, he said, but …").
_CONTINUATION_OPENERS = frozenset("but and although though because while so yet that as or".split())
# Participles that report speech on their own ("…, saying the plan had failed").
_SPEECH_PARTICIPLES = frozenset(w for w in SPEECH_VERBS if w.endswith("ing")) | frozenset(
    "chanting shouting tweeting posting commenting".split()
)
# Verbs common enough in reporting that a bare clause after them is trusted; rarer verbs need a clause marker.
_PLAIN_VERBS = frozenset("say says said saying according".split())
_SUBJECT_WORDS = frozenset("he she it they we i you there this that these those".split())
# First words after a verb that show it governs no reported clause.
_NOT_A_CLAUSE_START = frozenset("to by for of about with goodbye yes no".split())
_OBJECT_OF_TELL = frozenset("reporters journalists media him her them us me police donors voters supporters".split())


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


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _last_word(text: str, end: int) -> tuple[str, int]:
    """The last word of text[:end] (punctuation around it dropped) and where it starts."""
    head = text[:end].rstrip(" \t,")
    cut = max(head.rfind(" "), head.rfind("\t"), head.rfind("\n")) + 1
    word = head[cut:]
    return word.strip("\"“”‘’'()[]:;.!?\x01").lower(), cut


def _strip_right(text: str, stop: frozenset[str]) -> int:
    """Length of ``text`` once trailing lower-case words from ``stop`` are dropped ("has also", not "May")."""
    end = len(text)
    while end > 0:
        word, cut = _last_word(text, end)
        if not word or word not in stop or not text[cut : cut + 1].islower():
            return end
        end = cut
    return end


def _subject_in_chunk(masked: str, cs: int, ce: int) -> tuple[int, int] | None:
    """The speaker phrase a comma-delimited chunk holds, as [start, end) in the line, or None."""
    matches = list(_WORD_RE.finditer(masked, cs, ce))
    if not matches:
        return None
    first = 0
    while first < len(matches) and matches[first].group().lower() in ("and", "but", "so", "however", "also", "yet"):
        first += 1
    if first == len(matches):
        return None
    for k in range(len(matches) - 1, first, -1):
        word = matches[k].group().lower()
        if word in _CLAUSE_JOINERS or (word == "and" and k - first > 5 and _all_capitalised(matches[k + 1 :])):
            first = k + 1  # "… per cent of cases but Chapman says": the speaker follows the conjunction
            break
    if first >= len(matches):
        return None
    if matches[first].group().lower() in ("who", "whom", "whose", "which"):
        return None  # "…, who joined the board last month, said": the speaker is named before the clause
    if matches[first].group().lower() in INTRO_WORDS:
        # "Speaking today US Secretary of State Antony Blinken said": the speaker is the name-led tail.
        first = _name_tail(matches, first + 1)
        if first is None:
            return None
    last = len(matches)
    for k in range(first + 1, len(matches)):
        if matches[k].group().lower() in RELATIVE_WORDS:
            last = k  # "the person who spoke to AP": the speaker is "the person"
            break
    words = [m.group() for m in matches[first:last]]
    if len(words) > 12 or any(_is_clause_word(w) or _is_contraction(w) for w in words):
        return None
    start, end = matches[first].start(), matches[last - 1].end()
    if not is_speaker_phrase(masked[start:end]):
        return None
    return start, end


def _all_capitalised(matches: list[re.Match[str]]) -> bool:
    return 0 < len(matches) <= 4 and all(m.group()[:1].isupper() for m in matches)


def _is_clause_word(word: str) -> bool:
    """An auxiliary or negation ("was", "will", "may"); capitalised it is a name ("Ms. May", "Will Smith")."""
    return word in CLAUSE_WORDS


def _is_contraction(word: str) -> bool:
    """ "It's", "they're", "we've", "didn't": a verb hides in the word, so it cannot be a speaker phrase."""
    low = word.lower().replace("’", "'")
    return low.endswith(("'re", "'ve", "'ll", "'d", "n't")) or low in _PRONOUN_IS


def _name_tail(matches: list[re.Match[str]], lo: int) -> int | None:
    """Index of the first word of the capitalised phrase that ends ``matches`` (after an intro), or None."""
    k = len(matches)
    while k > lo and (matches[k - 1].group()[:1].isupper() or matches[k - 1].group() in ("of", "de", "al")):
        k -= 1
    while k < len(matches) and not matches[k].group()[:1].isupper():
        k += 1
    if k >= len(matches):
        tail = matches[-1].group().lower()
        return len(matches) - 1 if tail in PRONOUN_GENDER and len(matches) > lo else None
    return k


def _is_appositive(masked: str, cs: int, ce: int) -> bool:
    """A chunk that describes the speaker named before it: "chief executive of X", "who was in Delhi", "45"."""
    m = _WORD_RE.search(masked, cs, ce)
    if not m:
        return False
    word = m.group()
    if word.lower() in PRONOUN_GENDER:
        return False
    return word[:1].islower() or word[:1].isdigit()


def left_subject(masked: str, lo: int, verb_start: int) -> tuple[int, int] | str | None:
    """The speaker phrase before a verb, "coord" for "... and added", or None.

    Walks comma-delimited chunks from the verb leftwards, skipping appositives ("Mr Blinken, who was in New
    Delhi, said") but not introductory phrases ("In a statement, the ministry said").
    """
    lo = max(lo, verb_start - _WINDOW)
    dateline = _DATELINE_RE.match(masked, lo, verb_start)
    if dateline:
        lo = dateline.end()  # "LA CROSSE, Wis. — Donald Trump said": the place is nobody
    end = lo + _strip_right(masked[lo:verb_start], VERB_PREFIX_WORDS)
    tail = masked[lo:end].rstrip()
    if tail.endswith((" and", ",and", " but", ",but")) or tail in ("and", "but"):
        return "coord"  # "… said …, and added", "… but added that …"
    last_word = _last_word(tail, len(tail))[0]
    if last_word in ("who", "which"):
        return _antecedent(masked, lo, lo + len(tail) - len(last_word))  # "an architect who said he was …"
    if last_word in ("to", "not", "never", "having", "as") or last_word.endswith(("n't", "n’t")):
        return None  # "to say", "did not say": no statement was made
    if last_word in PASSIVE_MARKERS or last_word.replace("’", "'").endswith(("'re", "'m")):
        return None  # "is said to", "was told", "we're told"
    seps = [m for m in _CHUNK_SEP_RE.finditer(masked, lo, end)]
    bounds = [lo] + [m.end() for m in seps]
    ends = [m.start() for m in seps] + [end]
    chunks = list(zip(bounds, ends, strict=True))
    chunk_count = len(chunks)
    opening = _opening_name(masked, chunks, seps)
    if opening is not None:
        return opening
    for idx in range(chunk_count - 1, -1, -1):
        cs, ce = chunks[idx]
        if idx < chunk_count - 1 and seps[idx].group()[0] == MASK:
            return None  # a quotation stands between: "“…,” he said" has its speaker right after it
        if not _WORD_RE.search(masked, cs, ce):
            if idx == chunk_count - 1:
                continue  # the comma closing an appositive: "Mr Blinken, who …, said"
            return None
        found = _subject_in_chunk(masked, cs, ce)
        appositive = _is_appositive(masked, cs, ce) or _is_role_description(masked, cs, ce)
        if found is None or _is_tag(masked, cs, ce):
            if _skippable(masked, cs, ce) and idx > 0 and seps[idx - 1].group()[0] != MASK:
                continue  # "Mr Blinken, who was in New Delhi for talks, said"
            return None
        if appositive and idx > 0 and seps[idx - 1].group()[0] == ",":
            named = _name_before_appositives(masked, chunks, seps, idx)
            if named is not None:
                return named  # "Lance Beebe, 49, a Navy veteran who …, said"; "X, director of Y, a union that …"
            before = _subject_in_chunk(masked, *chunks[idx - 1])
            if before is not None and _names_someone(masked[chunks[idx - 1][0] : chunks[idx - 1][1]]):
                return before
        return found
    return None


def _antecedent(masked: str, lo: int, at: int) -> tuple[int, int] | None:
    """The noun phrase a relative "who"/"which" at ``at`` stands for: the few words before it, back to a
    punctuation mark or a preposition ("listeners to his program who said" -> "listeners")."""
    head = masked[lo:at].rstrip(" ,")
    words = list(_WORD_RE.finditer(head))[-6:]
    if not words:
        return None
    first = len(words) - 1
    while first > 0:
        gap = head[words[first - 1].end() : words[first].start()]
        word = words[first - 1].group().lower()
        if gap.strip() or word in _STOP_BEFORE_ANTECEDENT:
            break
        first -= 1
    for k in range(len(words) - 1, first - 1, -1):
        if words[k].group().lower() in _ANTECEDENT_DETERMINERS:
            first = k  # "pay an architect who said": the phrase starts at its determiner
            break
    start, end = lo + words[first].start(), lo + words[-1].end()
    phrase = masked[start:end]
    if MASK in phrase or not is_speaker_phrase(phrase) or any(_is_clause_word(w) for w in _words(phrase)):
        return None
    return start, end


_ANTECEDENT_DETERMINERS = frozenset("a an the his her their its our this these those one some many several".split())
_STOP_BEFORE_ANTECEDENT = frozenset(
    "to of for from with by in on at about or but than that as like including among".split()
)


def _opening_name(masked: str, chunks: list[tuple[int, int]], seps: list[re.Match[str]]) -> tuple[int, int] | None:
    """A person's name opening the region, with only descriptions between it and the verb.

    "Jim Eglinski, Yellowhead MP, said"; "Tareq Hadad, the co-founder of X, a company based in Y, N.S., says".
    """
    start = 0
    for k in range(len(seps) - 1, -1, -1):
        if seps[k].group()[0] == MASK:
            start = k + 1  # the region after the last quotation
            break
    while start < len(chunks) and _is_intro(masked, *chunks[start]):
        start += 1
    if start >= len(chunks) - 1:
        return None  # the name would be the chunk right before the verb: the ordinary walk finds it
    if start > 0 and seps[start - 1].group() == "(":
        return None  # "… No. 23 (Central Okanagan), Minister Rob Fleming said": a bracketed aside
    cs, ce = chunks[start]
    words = _words(masked[cs:ce])
    if not 2 <= len(words) <= 5 or not all(w[:1].isupper() or w in _NAME_JOINERS for w in words):
        return None
    for ds, de in chunks[start + 1 :]:
        rest = _words(masked[ds:de])
        if any(_is_clause_word(w) or w.lower() in PRONOUN_GENDER for w in rest):
            return None
    if name_in_phrase(masked[cs:ce]) is None:
        return None  # "Late Tuesday", "Veterans Affairs": capitalised, but nobody's name
    return _subject_in_chunk(masked, cs, ce)


def _is_intro(masked: str, cs: int, ce: int) -> bool:
    m = _WORD_RE.search(masked, cs, ce)
    return m is not None and m.group().lower() in INTRO_WORDS


def _is_role_description(masked: str, cs: int, ce: int) -> bool:
    """ "Canada’s ambassador to China", "Acme’s chief executive": a role held somewhere, not a name."""
    words = _words(masked[cs:ce])
    for k, w in enumerate(words[1:-1], 1):
        if w in _DESCRIPTION_ROLES and (words[k + 1] in ("of", "to", "at", "for", "with") or k == 1):
            return words[0].endswith(("’s", "'s")) or words[k + 1] in ("of", "to", "at", "for", "with")
    return len(words) == 2 and words[0].endswith(("’s", "'s")) and words[1] in _DESCRIPTION_ROLES


def _skippable(masked: str, cs: int, ce: int) -> bool:
    """An appositive between a speaker and the verb: a relative clause, a participle, a description."""
    words = _words(masked[cs:ce])
    first = words[0].lower() if words else ""
    if first in _APPOSITIVE_OPENERS or first.endswith(("ing", "ed")) or _is_tag(masked, cs, ce):
        return True
    if not words or len(words) > 10 or words[0][:1].isupper() or first in ("and", "or", "but"):
        return False
    return not any(_is_clause_word(w) for w in words)


def _is_tag(masked: str, cs: int, ce: int) -> bool:
    """A party-and-state tag or a place abbreviation after a name: "D-Calif.", "N.S.", "B.C."."""
    return bool(_TAG_RE.fullmatch(masked[cs:ce].strip()))


def _name_before_appositives(
    masked: str, chunks: list[tuple[int, int]], seps: list[re.Match[str]], idx: int
) -> tuple[int, int] | None:
    """The person's name before a run of comma-separated descriptions, ages and tags, if any."""
    k = idx - 1
    while k >= 0 and idx - k <= 4:
        cs, ce = chunks[k]
        candidate = _subject_in_chunk(masked, cs, ce)
        if candidate is not None and _names_someone(masked[cs:ce]) and name_in_phrase(masked[slice(*candidate)]):
            return candidate
        described = _is_appositive(masked, cs, ce) or _is_role_description(masked, cs, ce) or _is_tag(masked, cs, ce)
        if k == 0 or seps[k - 1].group()[0] != "," or not described:
            return None
        k -= 1
    return None


def _names_someone(phrase: str) -> bool:
    words = _words(phrase)
    while words and words[0].lower() in ("and", "but", "so", "yet"):
        words = words[1:]  # "and Brian Deese, the adviser, said"
    if len(words) > 7 or not words or words[0].lower() in INTRO_WORDS or _is_adverb(words):
        return False
    return words[-1].lower() in PRONOUN_GENDER or words[-1][:1].isupper()


def _is_adverb(words: list[str]) -> bool:
    """ "Hastily", "Specifically": a sentence adverb, not a name ("Beverly", "Kimberly" are names)."""
    if len(words) != 1:
        return False
    low = words[0].lower()
    return len(low) >= 7 and low.endswith("ly") and low not in MALE_NAMES and low not in FEMALE_NAMES


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


def _phrase_after(masked: str, start: int, end: int) -> tuple[int, int] | None:
    """The short phrase after ``start`` up to the next punctuation: [start, end) of its words, or None."""
    stop = _phrase_stop(masked, start, min(end, start + _WINDOW))
    words = list(_WORD_RE.finditer(masked, start, stop))
    if not words:
        return None
    return words[0].start(), words[-1].end()


def _adverbial_end(masked: str, verb: str, start: int, end: int) -> int | None:
    """Where a frame verb's short adverbial ends ("said on Tuesday", "told Reuters"); None if a clause follows."""
    stop = _phrase_stop(masked, start, min(end, start + _WINDOW))
    stop = _past_title(masked, start, stop, end)
    if masked[stop : stop + 1] in (":", MASK):
        return None  # "McCallum said: “…”": the verb introduces what follows
    words = [w.lower() for w in _words(masked[start:stop])]
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
        if any(_is_clause_word(w) for w in words):
            return None  # "told reporters the talks would resume": a reported clause after the object
        raw = _words(masked[start:stop])
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
    return _phrase_stop(masked, after, min(end, after + _WINDOW))


def _told_then_adverbial(masked: str, verb: str, start: int, stop: int, words: list[str]) -> bool:
    """ "…,” X told the House before slamming …": an object, then a long adverbial, no reported clause."""
    if verb.lower() not in ("told", "tells", "tell"):
        return False
    raw = _words(masked[start:stop])
    if not (raw[0][:1].isupper() or words[0] in _OBJECT_OF_TELL or words[0] in ("the", "a", "an")):
        return False
    return any(w in _TOLD_ADVERBIAL_OPENERS for w in words[1:5])


_TOLD_ADVERBIAL_OPENERS = frozenset("before after while as when during on in at outside following".split())


def _has_clause_before(masked: str, lo: int, at: int) -> bool:
    """Whether reported material precedes a frame's speaker: a quotation, or a clause ending in a comma."""
    before = masked[max(lo, at - _WINDOW) : at].rstrip()
    if MASK in before:
        return True
    return len(_words(before)) >= 3 and before.endswith((",", "—", "–"))


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
        return _right_clause(masked, b, vs, ve, verb, None, inherit=True)
    if subject is None:
        return _inverted(masked, a, b, vs, ve, verb)
    assert isinstance(subject, tuple)
    if len(_words(masked[subject[0] : subject[1]])) >= 7:
        inverted = _inverted(masked, a, b, vs, ve, verb)
        named = inverted is not None and inverted.subject is not None
        if named and name_in_phrase(masked[inverted.subject[0] : inverted.subject[1]]) is not None:
            return inverted  # "… stations on which they were operating as of 2005, said Jeffrey Trimble, …"
    before_subject = masked[max(a, subject[0] - 30) : subject[0]].rstrip()
    inside = [w.lower() for w in _words(masked[subject[0] : subject[1]])]
    relative = _last_word(before_subject, len(before_subject))[0] if before_subject[-1:].isalpha() else ""
    relative = relative if relative in _OBJECT_RELATIVES else next((w for w in inside if w in _OBJECT_RELATIVES), "")
    copula = _words(masked[ve : ve + 12])[:1] in (["is"], ["was"], ["are"], ["were"])
    naming = low.startswith(("describ", "call", "term", "dub"))  # "what the commission described as “…”"
    if relative == "what" and (copula or naming):
        at = re.search(r"\bwhat\s+", masked[subject[0] : subject[1]], re.IGNORECASE)
        if at is not None:
            subject = (subject[0] + at.end(), subject[1])  # "the visit falls on what officials say is …"
    elif relative:
        return None  # "what Trump says his plan would do", "everything he says": no statement is reported
    if low in ("report", "reports") and not _names_an_outlet(masked[subject[0] : subject[1]]):
        return None  # "reports" is a noun more often than a verb: only "The Daily Post reports that …"
    adverbial_end = _adverbial_end(masked, verb, ve, b)
    quote_before = _quote_right_before(masked, a, subject[0])
    if adverbial_end is None and quote_before:
        adverbial_end = _loose_adverbial_end(masked, ve, b)
    if (
        adverbial_end is not None
        and not quote_before
        and MASK not in masked[a : subject[0]]
        and masked[adverbial_end:b].lstrip(" ,:;—–-").startswith(MASK)
    ):
        return _right_clause(masked, b, vs, ve, verb, subject, skip_to=adverbial_end)  # "As …, X said, “…”"
    if adverbial_end is not None and (quote_before or _has_clause_before(masked, a, subject[0])):
        return _frame(masked, b, vs, ve, verb, subject, adverbial_end, clause_to=subject[0])
    cue = _right_clause(masked, b, vs, ve, verb, subject, skip_to=adverbial_end or _colon_after(masked, ve, b))
    if cue is not None and _RELATIVE_GAP_RE.search(masked, subject[1], verb_start):
        cue = replace(cue, relative=True)
    return cue


_OBJECT_RELATIVES = frozenset("what everything anything whatever something nothing".split())
_RELATIVE_GAP_RE = re.compile(r"\b(?:who|which)\b")


def _colon_after(masked: str, start: int, end: int) -> int | None:
    """Where a short object or adverbial ending in a colon stops ("told the Herald: “…”"), or None."""
    stop = _phrase_stop(masked, start, min(end, start + 80))
    if masked[stop : stop + 1] != ":":
        return None
    words = _words(masked[start:stop])
    if len(words) > 6 or any(_is_clause_word(w) or w.lower() == "that" for w in words):
        return None
    return stop


# A form of "be" right before a participle: "is saying", "has been telling", "were warning".
_PROGRESSIVE_RE = re.compile(r"\b(?:is|are|was|were|been|am|[’']s|[’']re)\s+(?:also\s+|now\s+|still\s+)?$")


def _quote_right_before(masked: str, lo: int, at: int) -> bool:
    """Whether a quotation ends right before a speaker phrase ("“…,” she said …")."""
    return masked[lo:at].rstrip(" ,—–-").endswith(MASK)


def _loose_adverbial_end(masked: str, start: int, end: int) -> int | None:
    """After "“…,” she said", what runs to the next punctuation is an adverbial ("dryly", "two weeks after the
    vote", "as he entered the talks") unless it opens a reported clause ("that …") or a quotation."""
    stop = _past_title(masked, start, _phrase_stop(masked, start, min(end, start + _WINDOW)), end)
    if masked[stop : stop + 1] in (":", MASK):
        return None
    words = [w.lower() for w in _words(masked[start:stop])]
    if words and (words[0] == "that" or words[0] in _SUBJECT_PRONOUNS):
        return None
    return stop


def _right_clause(
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
    rest = masked[clause_from : min(b, clause_from + _WINDOW)]
    words = _words(rest)
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
        if MASK not in rest or len(_words(head)) > 4:
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
        if (before[0] in _ADVERBIAL_START or object_of_tell) and not any(_is_clause_word(w) for w in before):
            m = re.search(r"\bthat\s+", rest)
            if m and not any(c in rest[: m.start()] for c in ",;:" + MASK):
                return at + m.end()  # "told donors that …", "said on Friday that …"
    if low.startswith(("tell", "told")) and lows[0] in _OBJECT_OF_TELL and len(lows) > 3 and lows[1] != "to":
        m = re.search(r"[\w'’]+\s+", rest)
        if m and not _is_clause_word(lows[1]):
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
        before = _words(rest[: m.start()])
        if len(before) > 4 or any(_is_clause_word(w) or w.lower() in ("that", "and", "or") for w in before):
            return None
        if before and low.startswith(("promis", "pledg", "vow", "threat")):
            return None  # "promised voters to …" is not how these verbs take an object
        return at + m.start()
    return None


def _names_an_outlet(phrase: str) -> bool:
    """A capitalised name, maybe after "the" ("The New York Post", "CNN"), or a pronoun: who reports."""
    words = _words(phrase)
    if len(words) == 1 and words[0].lower() in PRONOUN_GENDER:
        return True
    return bool(words) and all(w[:1].isupper() or w.lower() == "the" or w in _NAME_JOINERS for w in words)


def _has_clause_marker(words: list[str]) -> bool:
    """Whether words read as a clause: an auxiliary, a subject pronoun, "that", or a past-tense verb."""
    for w in words:
        low = w.lower()
        if low in CLAUSE_WORDS or low in _SUBJECT_WORDS or low.endswith(("n't", "n’t")):
            return True
        if low.endswith("ed") and w[:1].islower():  # a past tense; "United" is a name
            return True
    return False


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
    b_window = min(b, adverbial_end + _WINDOW)
    stripped = masked[adverbial_end : min(b, adverbial_end + _WINDOW)].lstrip(" ,")
    opener = _words(stripped[:12])
    if stripped.startswith(MASK) or (opener and opener[0].lower() in _CONTINUATION_OPENERS):
        resume = b_window - len(stripped)
    return Cue(vs, ve, verb, "frame", subject, clause_to=clause_to, after=adverbial_end, resume=resume)


def _inverted(masked: str, a: int, b: int, vs: int, ve: int, verb: str) -> Cue | None:
    """ "“…,” said Sen. Smith." / "…, says the report." """
    if verb.lower() not in INVERTIBLE_VERBS or not _has_clause_before(masked, a, vs):
        return None
    phrase = _phrase_after(masked, ve, b)
    aside_end = None
    if phrase is not None:
        cut = _ASIDE_RE.search(masked, phrase[0], phrase[1])
        if cut is not None and cut.start() > phrase[0]:
            # "says Greenspan while visiting the kitchen": the speaker ends before the aside
            aside_end = phrase[1]
            phrase = (phrase[0], phrase[0] + len(masked[phrase[0] : cut.start()].rstrip()))
    if phrase is None or not is_speaker_phrase(masked[phrase[0] : phrase[1]]):
        return None
    words = _words(masked[phrase[0] : phrase[1]])
    if len(words) > 12 or any(_is_clause_word(w) for w in words) or words[0].lower() in INTRO_WORDS:
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
    phrase = _phrase_after(masked, ve, b)
    if phrase is None:
        return None
    ps, pe = phrase
    words = list(_WORD_RE.finditer(masked, ps, pe))
    for k, w in enumerate(words[1:], 1):
        if w.group().lower() in RELATIVE_WORDS or w.group().lower() in ("on", "because"):
            pe = words[k - 1].end()
            break
    before = _words(masked[max(a, vs - _WINDOW) : vs])
    if not before or all(w.lower() in INTRO_WORDS for w in before):
        # "According to X, clause": the clause follows the speaker phrase
        return Cue(vs, ve, "according to", "right", (ps, pe), clause_from=phrase[1], after=phrase[1], according=True)
    return replace(_frame(masked, b, vs, ve, "according to", (ps, pe), phrase[1], clause_to=vs), according=True)


def _participle(masked: str, a: int, b: int, vs: int, ve: int, verb: str) -> Cue | None:
    """ ", adding that …", "…, saying …": reports the clause after, for the speaker of the main verb."""
    if verb.lower() not in _SPEECH_PARTICIPLES:
        return None
    before = masked[max(a, vs - _WINDOW) : vs].rstrip()
    joined = before.endswith((",", MASK)) or before.endswith((" and", " while", " before", " after", " by", " —", " –"))
    if not joined and _last_word(before, len(before))[0] not in MESSAGE_NOUNS:
        if not masked[ve:b].lstrip(" ,:").startswith(MASK):
            return None  # not "…, saying", nor "issued a statement saying …" (the message's content, by its author)
        subject = left_subject(masked, a, vs)  # "footage of Ann Lee asking, “…”": the name before it
        if isinstance(subject, tuple):
            return _right_clause(masked, b, vs, ve, verb, subject)
    return _right_clause(masked, b, vs, ve, verb, None, inherit=True, skip_to=_object_before_quote(masked, ve, b))


def _object_before_quote(masked: str, start: int, end: int) -> int | None:
    """Where a short object before a quotation ends ("asking her, “…”"), or None."""
    stop = _phrase_stop(masked, start, min(end, start + 60))
    if not masked[stop:end].lstrip(" ,:").startswith(MASK):
        return None
    words = _words(masked[start:stop])
    if not words or len(words) > 4:
        return None
    if any(_is_clause_word(w) or _is_contraction(w) or w.lower() in _SUBJECT_WORDS for w in words):
        return None  # "saying he’s “…”": a clause holding the quotation
    return stop


# A dateline opening a story: a place in capitals, maybe a province or country, and a dash.
_DATELINE_RE = re.compile(
    r"\s*[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+)*(?:,\s*[\w.’' ]{1,30}?)?(?:\s*\([\w .]{1,20}\))?\s*[—–-]{1,2}\s+"
)


def sentence_subject(masked: str, a: int, b: int) -> tuple[int, int] | None:
    """The noun phrase that opens a sentence, after any introductory phrase, as [start, end); or None.

    "In an interview on Monday, U.S. Secretary of State Mike Pompeo praised …" -> "U.S. Secretary of State
    Mike Pompeo"; used for "… and said …" and for the people a later "he said" may mean.
    """
    dateline = _DATELINE_RE.match(masked, a, b)
    if dateline:
        a = dateline.end()  # "TROUT BROOK, N.B. — Kevin Vickers …"
    first = _WORD_RE.search(masked, a, min(b, a + 40))
    if first is None:
        return None
    start = first.start()
    for _ in range(3):  # "On Thursday, however, Trump …", "Chastened by the analyses, Trump …"
        word = first.group()
        following = _WORD_RE.search(masked, first.end(), min(b, first.end() + 20))
        next_word = following.group() if following else ""
        participle = next_word[:1].islower() and (
            word.lower().endswith(("ed", "ing")) or next_word in ("by", "with")  # "Stung by the polls, …"
        )
        if word.lower() not in INTRO_WORDS and not participle:
            break
        comma = masked.find(",", start, min(b, start + 120))
        if comma < 0:
            return None
        start = comma + 1
        nxt = _WORD_RE.search(masked, start, min(b, start + 40))
        if nxt is None:
            return None
        first = nxt
    end = None
    prev = ""
    for count, m in enumerate(_WORD_RE.finditer(masked, start, min(b, start + 120))):
        word = m.group()
        if count >= 10 or not (word[:1].isupper() or word.lower() in _HEAD_JOINERS):
            break
        gap = masked[end : m.start()].strip() if end is not None else ""
        if gap and not (gap == "." and (len(prev) == 1 or prev.lower() in ABBREVIATIONS)):
            break  # punctuation ends the phrase: "Mary Nicholson, director of …"; not "U.S. Secretary"
        end, prev = m.end(), word
    if end is None:
        return None
    begin = _WORD_RE.search(masked, start, end)
    return (begin.start(), end) if begin else None

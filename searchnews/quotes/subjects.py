"""Speaker phrases: the one before a reporting verb ("Mr Blinken, who was in New Delhi, said") and the noun
phrase opening a sentence ("In an interview, U.S. Secretary of State Mike Pompeo praised …")."""

from __future__ import annotations

import re

from .cue import MASK, WINDOW, WORD_RE, is_clause_word, is_contraction, word_before, words_of
from .lexicon import (
    ABBREVIATIONS,
    FEMALE_NAMES,
    INTRO_WORDS,
    MALE_NAMES,
    PASSIVE_MARKERS,
    PERSON_NOUNS,
    PRONOUN_GENDER,
    RELATIVE_WORDS,
    ROLE_NOUNS,
    SPEAKER_NOUNS,
    TITLE_WORDS,
    VERB_PREFIX_WORDS,
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
# Where a speaker phrase may start: after a comma, a dash, a bracket or a quotation.
_CHUNK_SEP_RE = re.compile(rf",|;|:|\s[—–―-]\s|[()]|{MASK}+")
NAME_JOINERS = frozenset("de da di van von bin ibn al el le la du del der".split())
_TAG_RE = re.compile(r"[A-Z]-[A-Z][A-Za-z.]*|(?:[A-Z]\.){1,3}|[A-Z][a-z]{1,4}\.")
_CLAUSE_JOINERS = frozenset("but while whereas although though because since so yet when after before".split())
# First words of an appositive clause that may stand between a speaker and the verb.
_APPOSITIVE_OPENERS = frozenset("who whose whom which".split())


def _strip_right(text: str, stop: frozenset[str]) -> int:
    """Length of ``text`` once trailing lower-case words from ``stop`` are dropped ("has also", not "May")."""
    end = len(text)
    while end > 0:
        word, cut = word_before(text, end)
        if not word or word not in stop or not text[cut : cut + 1].islower():
            return end
        end = cut
    return end


def _subject_in_chunk(masked: str, cs: int, ce: int) -> tuple[int, int] | None:
    """The speaker phrase a comma-delimited chunk holds, as [start, end) in the line, or None."""
    matches = list(WORD_RE.finditer(masked, cs, ce))
    if not matches:
        return None
    lows = [m.group().lower() for m in matches]  # once: every rule below reads the words lower-cased
    first = 0
    while first < len(matches) and lows[first] in ("and", "but", "so", "however", "also", "yet"):
        first += 1
    if first == len(matches):
        return None
    for k in range(len(matches) - 1, first, -1):
        word = lows[k]
        if word in _CLAUSE_JOINERS or (word == "and" and k - first > 5 and _all_capitalised(matches[k + 1 :])):
            first = k + 1  # "… per cent of cases but Chapman says": the speaker follows the conjunction
            break
    if first >= len(matches):
        return None
    if lows[first] in ("who", "whom", "whose", "which"):
        return None  # "…, who joined the board last month, said": the speaker is named before the clause
    if lows[first] in INTRO_WORDS:
        # "Speaking today US Secretary of State Antony Blinken said": the speaker is the name-led tail.
        first = _name_tail(matches, first + 1)
        if first is None:
            return None
    last = len(matches)
    for k in range(first + 1, len(matches)):
        if lows[k] in RELATIVE_WORDS:
            last = k  # "the person who spoke to AP": the speaker is "the person"
            break
    words = [m.group() for m in matches[first:last]]
    if len(words) > 12 or any(is_clause_word(w) or is_contraction(w) for w in words):
        return None
    start, end = matches[first].start(), matches[last - 1].end()
    if not is_speaker_phrase(masked[start:end]):
        return None
    return start, end


def _all_capitalised(matches: list[re.Match[str]]) -> bool:
    return 0 < len(matches) <= 4 and all(m.group()[:1].isupper() for m in matches)


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
    m = WORD_RE.search(masked, cs, ce)
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
    lo = max(lo, verb_start - WINDOW)
    dateline = _DATELINE_RE.match(masked, lo, verb_start)
    if dateline:
        lo = dateline.end()  # "LA CROSSE, Wis. — Donald Trump said": the place is nobody
    end = lo + _strip_right(masked[lo:verb_start], VERB_PREFIX_WORDS)
    tail = masked[lo:end].rstrip()
    if tail.endswith((" and", ",and", " but", ",but")) or tail in ("and", "but"):
        return "coord"  # "… said …, and added", "… but added that …"
    last_word = word_before(tail, len(tail))[0]
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
        if not WORD_RE.search(masked, cs, ce):
            if idx == chunk_count - 1:
                continue  # the comma closing an appositive: "Mr Blinken, who …, said"
            return None
        found = _subject_in_chunk(masked, cs, ce)
        if found is None or _is_tag(masked, cs, ce):
            if _skippable(masked, cs, ce) and idx > 0 and seps[idx - 1].group()[0] != MASK:
                continue  # "Mr Blinken, who was in New Delhi for talks, said"
            return None
        after_comma = idx > 0 and seps[idx - 1].group()[0] == ","
        if after_comma and (_is_appositive(masked, cs, ce) or _is_role_description(masked, cs, ce)):
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
    words = list(WORD_RE.finditer(head))[-6:]
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
    if MASK in phrase or not is_speaker_phrase(phrase) or any(is_clause_word(w) for w in words_of(phrase)):
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
    words = words_of(masked[cs:ce])
    if not 2 <= len(words) <= 5 or not all(w[:1].isupper() or w in NAME_JOINERS for w in words):
        return None
    for ds, de in chunks[start + 1 :]:
        rest = words_of(masked[ds:de])
        if any(is_clause_word(w) or w.lower() in PRONOUN_GENDER for w in rest):
            return None
    if name_in_phrase(masked[cs:ce]) is None:
        return None  # "Late Tuesday", "Veterans Affairs": capitalised, but nobody's name
    return _subject_in_chunk(masked, cs, ce)


def _is_intro(masked: str, cs: int, ce: int) -> bool:
    m = WORD_RE.search(masked, cs, ce)
    return m is not None and m.group().lower() in INTRO_WORDS


def _is_role_description(masked: str, cs: int, ce: int) -> bool:
    """ "Canada’s ambassador to China", "Acme’s chief executive": a role held somewhere, not a name."""
    words = words_of(masked[cs:ce])
    for k, w in enumerate(words[1:-1], 1):
        if w in _DESCRIPTION_ROLES and (words[k + 1] in ("of", "to", "at", "for", "with") or k == 1):
            return words[0].endswith(("’s", "'s")) or words[k + 1] in ("of", "to", "at", "for", "with")
    return len(words) == 2 and words[0].endswith(("’s", "'s")) and words[1] in _DESCRIPTION_ROLES


def _skippable(masked: str, cs: int, ce: int) -> bool:
    """An appositive between a speaker and the verb: a relative clause, a participle, a description."""
    words = words_of(masked[cs:ce])
    first = words[0].lower() if words else ""
    if first in _APPOSITIVE_OPENERS or first.endswith(("ing", "ed")) or _is_tag(masked, cs, ce):
        return True
    if not words or len(words) > 10 or words[0][:1].isupper() or first in ("and", "or", "but"):
        return False
    return not any(is_clause_word(w) for w in words)


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
    words = words_of(phrase)
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
    first = WORD_RE.search(masked, a, min(b, a + 40))
    if first is None:
        return None
    start = first.start()
    for _ in range(3):  # "On Thursday, however, Trump …", "Chastened by the analyses, Trump …"
        word = first.group()
        following = WORD_RE.search(masked, first.end(), min(b, first.end() + 20))
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
        nxt = WORD_RE.search(masked, start, min(b, start + 40))
        if nxt is None:
            return None
        first = nxt
    end = None
    prev = ""
    for count, m in enumerate(WORD_RE.finditer(masked, start, min(b, start + 120))):
        word = m.group()
        if count >= 10 or not (word[:1].isupper() or word.lower() in _HEAD_JOINERS):
            break
        gap = masked[end : m.start()].strip() if end is not None else ""
        if gap and not (gap == "." and (len(prev) == 1 or prev.lower() in ABBREVIATIONS)):
            break  # punctuation ends the phrase: "Mary Nicholson, director of …"; not "U.S. Secretary"
        end, prev = m.end(), word
    if end is None:
        return None
    begin = WORD_RE.search(masked, start, end)
    return (begin.start(), end) if begin else None

"""Highlighting and snippets: where a query's index terms occur in a text (tokenised, folded and stemmed as the
index does, with one regular expression to find the candidate words), and the best passages of an article."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator

from whoosh import highlight
from whoosh.analysis import Token
from whoosh.query import Phrase, Query
from whoosh.reading import IndexReader

from searchnews.engine.query import nodes
from searchnews.engine.schema import (
    TOKEN_PATTERN,
    UNSPACED_CHARS,
    WORD_MARKS,
    fold_word,
    has_unspaced,
    index_term,
    term_text,
    unspaced_pieces,
)
from searchnews.model import Span

SNIPPET_CHARS = 220
# Snippets are cut from an article's first characters only, as Lucene's highlighter reads only the first 50 KB
# (maxDocCharsToAnalyze): finding the words in all of an 18 MB one-line article took 2.5 s a search. Twice
# Lucene's figure; the longest article of the 36,575 in the benchmark corpus has 28,396 characters.
SNIPPET_SCAN_CHARS = 100_000
_STEMMED_FIELDS = frozenset({"headline", "body", "quote"})


def query_terms(reader: IndexReader, q: Query, fieldname: str) -> frozenset[str]:
    """The index terms a query matches in one field, wildcards and fuzzy terms expanded."""
    try:
        # Pass fieldname: without it, Whoosh 2.7.5's existing_terms reuses its ``fieldname`` argument as a
        # loop variable and so, after the first term, skips every term of another field.
        terms = q.existing_terms(reader, expand=True, fieldname=fieldname)
    except Exception:  # a huge wildcard expansion is not worth failing a search over its highlighting
        terms = q.iter_all_terms()
    found = {term_text(t) for f, t in terms if f == fieldname}
    # A word of a script written without spaces, longer than two characters, is a phrase of character pairs:
    # the word itself goes with them, so that highlighting shows where the whole word is, not every pair.
    for node in nodes(q):
        if isinstance(node, Phrase) and node.fieldname == fieldname:
            word = unspaced_word([term_text(w) for w in node.words])
            if word:
                found.add(word)
    return frozenset(found)


def field_spans(text: str, fieldname: str, terms: frozenset[str]) -> tuple[Span, ...]:
    """Where the index terms ``terms`` of ``fieldname`` occur in ``text``."""
    if not terms or not text:
        return ()
    stemming = fieldname in _STEMMED_FIELDS
    return tuple(Span(s, e) for s, e in find_terms(text, terms, stemming))


def find_terms(text: str, terms: Iterable[str], stemming: bool = True) -> Iterator[tuple[int, int]]:
    """(start, end) of every word of ``text`` that the index holds as one of ``terms``."""
    for start, end, _term in find_term_matches(text, terms, stemming):
        yield start, end


def find_term_matches(text: str, terms: Iterable[str], stemming: bool = True) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) of every word of ``text`` that the index holds as one of ``terms``.

    Tokenises as the index does (``NewsTokenizer``), but only folds and stems the words that start with the first
    two letters of some term (or with a letter folding may change): English stemming changes only a word's
    ending, and never its first two letters. In text with no combining mark (all English news), a regular
    expression finds those words (``_plain_words``) without a Python step for every other word of an article;
    other text is split into words (``_words``) and those words picked (``_may_be_term``).
    """
    terms = frozenset(terms)
    if not terms or not text:
        return
    # A word holding CJK characters is pieces to the index ("the北京" is "the", "北", "北京", "京"): look at
    # every such word when the text has any (one scan of the text; English text has none).
    cjk = has_unspaced(text)
    starts = frozenset(t[:2] for t in terms)
    # Text with no combining marks (all English news) is searched without the marks' character class, which it
    # cannot then match: the full expression took 5-15 ms to compile, once for every new query and field.
    if not cjk and (text.isascii() or not _mark().search(text)):
        for match in _plain_words(text, starts):  # no word holds CJK here
            term = index_term(match.group(), stemming)
            if term in terms:
                yield match.start(), match.end(), term
        return
    for match in _words().finditer(text):
        if not _may_be_term(match.group(), starts, cjk):
            continue
        word = fold_word(match.group())
        if not word.isascii() and has_unspaced(word):
            yield from _unspaced_matches(match.group(), match.start(), terms, stemming)
            continue
        term = index_term(match.group(), stemming)
        if term in terms:
            yield match.start(), match.end(), term


def _plain_words(text: str, starts: frozenset[str]) -> Iterator[re.Match[str]]:
    """The words of a text with no combining mark and no character of a script written without spaces that begin
    with one of ``starts`` (any case), or with a non-ASCII letter among their first two (folding may change those),
    in order: matches in the text lower-cased when it is ASCII (the same length; the words are lower-cased to be
    looked up anyway).

    The expression begins with the starts themselves, so the regular expression engine skips from one place
    holding one to the next in C; an expression with its lookbehinds first was tried at every character (0.10-0.15
    ms an article). Words whose first or second letter is not ASCII (few in English news: a curly quote is not a
    letter) are found apart and merged in.
    """
    if text.isascii():  # lower-cased first, a case-sensitive expression finds the starts 3-4 times faster
        yield from _ascii_led(starts, False).finditer(text.lower())
        return
    ascii_led = _ascii_led(starts, True).finditer(text)
    found = {m.start(): m for m in ascii_led}
    for letter in _NON_ASCII_LETTER.finditer(text):
        at = letter.start()
        for start in (at, at - 1):  # the word's first letter, or its second
            if start >= 0 and start not in found and _word_starts_at(text, start):
                found[start] = _PLAIN_WORD.match(text, start)
                break
    for start in sorted(found):
        yield found[start]


def _word_starts_at(text: str, at: int) -> bool:
    """Whether a word (``_PLAIN_TOKEN``) begins at ``at``: a word character not after another, nor after a dot
    that follows one ("U.S")."""
    if not _WORD_CHAR.match(text, at):
        return False
    if at and _WORD_CHAR.match(text, at - 1):
        return False
    return not (at > 1 and text[at - 1] == "." and _WORD_CHAR.match(text, at - 2))


_NON_ASCII_LETTER = re.compile(r"[^\W\x00-\x7f]")
_WORD_CHAR = re.compile(r"\w")


def _unspaced_matches(word: str, start: int, terms: frozenset[str], stemming: bool) -> Iterator[tuple[int, int, str]]:
    """The terms of a word holding characters of a script written without spaces that are among ``terms``,
    overlapping pairs ("中国" and "国人" of "中国人") joined into one stretch: a highlight is where the words are,
    not a pile of pairs. A longer word among ``terms`` (``query_terms`` adds the words of such phrases) is
    highlighted where it is whole; its pairs and characters elsewhere are not ("共和" of "人民共和国")."""
    whole = [t for t in terms if len(t) > 2 and _UNSPACED_WORD.fullmatch(t)]
    parts = {t[i : i + n] for t in whole for n in (1, 2) for i in range(len(t) - n + 1)}
    found = [
        (start + s, start + e, term)
        for s, e, term, _pos in unspaced_pieces(word, stemming)
        if term in terms and term not in parts
    ]
    for term in whole:
        at = word.find(term)
        while at >= 0:
            found.append((start + at, start + at + len(term), term))
            at = word.find(term, at + 1)
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for s, e, term in found:
        if merged and s < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], e), last[2])
        else:
            merged.append((s, e, term))
    yield from merged


def unspaced_word(words: list[str]) -> str:
    """The word a query phrase of overlapping character pairs spells ("人民", "民共" -> "人民共"), or ""."""
    if len(words) < 2 or not all(len(w) == 2 and _UNSPACED_WORD.fullmatch(w) for w in words):
        return ""
    if any(a[1] != b[0] for a, b in itertools.pairwise(words)):
        return ""
    return words[0] + "".join(w[1] for w in words[1:])


_UNSPACED_WORD = re.compile(f"[{UNSPACED_CHARS}]+")


@functools.cache
def _mark() -> re.Pattern[str]:
    return re.compile(f"[{WORD_MARKS}]")


# TOKEN_PATTERN for text holding no mark: [\w marks] is \w there, [marks] nothing.
_PLAIN_TOKEN = r"\w+(?:\.?\w+)*"


_PLAIN_WORD = re.compile(_PLAIN_TOKEN)


@functools.lru_cache(maxsize=256)
def _ascii_led(starts: frozenset[str], any_case: bool) -> re.Pattern[str]:
    """The words of a text with no combining mark that begin with one of ``starts`` (lower-case; ``any_case``: in
    any case): the start itself, then a lookbehind (not after a word character, nor after a dot that follows one),
    then the rest of the word."""
    two = sorted(re.escape(p) for p in starts if len(p) == 2)
    one = sorted(re.escape(p) for p in starts if len(p) == 1)
    led = []
    case = "(?i:" if any_case else "(?:"
    if two:
        led.append(case + "|".join(two) + r")(?<!\w..)(?<!\w\...)")
    if one:  # a one-letter term: a word starting with that letter (stemming makes "i" of "ies", "IéS")
        led.append(case + "|".join(one) + r")(?<!\w.)(?<!\w\..)")
    if not led:  # no term has a letter to begin with ("" of a lone "ـ"): only the non-ASCII letters are words
        return re.compile("(?!)")
    return re.compile("(?:" + "|".join(led) + r")\w*(?:\.?\w+)*")


def _may_be_term(word: str, starts: frozenset[str], cjk: bool) -> bool:
    """Whether a word may be one of the terms that begin with ``starts``: its first two characters (or its first
    alone), lowercased, are one of them, or one of its first two is not ASCII (folding may change those); with
    ``cjk``, also a word holding a character of a script written without spaces ("iPhone手机")."""
    head = word[:2]
    return not head.isascii() or head.lower() in starts or head[:1].lower() in starts or (cjk and has_unspaced(word))


@functools.cache
def _words() -> re.Pattern[str]:
    """Every word, as ``TOKEN_PATTERN`` splits them. A word starts where the one before cannot go on: not after a
    word character or a mark, nor at a word character after a dot inside a word ("U.S"). Compiled once: the
    marks' character class takes 5-15 ms, which an expression made for each query's terms cost every new query
    whose results held one article with a mark."""
    return re.compile(rf"(?<![\w{WORD_MARKS}])(?:(?<!\w\.)|(?=[{WORD_MARKS}]))" + TOKEN_PATTERN)


def match_tokens(body: str, terms: frozenset[str]) -> list[Token]:
    # The term as the token's text: the fragment scorer prefers passages holding more of the query's terms.
    return [Token(text=t, startchar=s, endchar=e) for s, e, t in find_term_matches(body, terms)]


def snippet_source(body: str) -> str:
    """What a snippet is cut from: the body, or its first SNIPPET_SCAN_CHARS characters ended at a word's end (a
    word cut in two could look like another word)."""
    if len(body) <= SNIPPET_SCAN_CHARS:
        return body
    end = _WORD_END.search(body, SNIPPET_SCAN_CHARS - 1, SNIPPET_SCAN_CHARS + 1000)
    return body[: end.end() if end else SNIPPET_SCAN_CHARS]


_WORD_END = re.compile(rf"[\w{WORD_MARKS}](?![\w{WORD_MARKS}])")


def snippet(body: str, tokens: list[Token]) -> tuple[str, tuple[Span, ...]]:
    if not tokens:
        return _lead(body), ()
    if len(body) <= SNIPPET_CHARS:
        # A short body is its own snippet: the fragmenter would cut it down to the words around the matches.
        return re.sub(r"\s", " ", body), tuple(Span(t.startchar, t.endchar) for t in tokens)
    fragments = _SNIPPET_FRAGMENTER.fragment_matches(body, tokens)
    best = highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST)
    return _join_fragments(_SpanFormatter().format(_merge_overlapping(best)))


def _merge_overlapping(fragments: list[highlight.Fragment]) -> list[highlight.Fragment]:
    """Fragments whose text overlaps become one: two matches close together showed the words between twice."""
    merged: list[highlight.Fragment] = []
    for f in sorted(fragments, key=lambda f: f.startchar):
        last = merged[-1] if merged else None
        if last is not None and f.startchar <= last.endchar:
            matches = sorted({id(t): t for t in (*last.matches, *f.matches)}.values(), key=lambda t: t.startchar)
            merged[-1] = highlight.Fragment(f.text, matches, last.startchar, max(last.endchar, f.endchar))
        else:
            merged.append(f)
    return merged


_SNIPPET_FRAGMENTER = highlight.PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=70, autotrim=True)


class _SpanFormatter(highlight.Formatter):
    """Returns fragments as (text, spans) pairs instead of markup, for terminals and JSON alike."""

    def format(self, fragments, replace=False):
        out = []
        for f in fragments:
            piece = f.text[f.startchar : f.endchar]
            spans = [
                (t.startchar - f.startchar, t.endchar - f.startchar)
                for t in sorted(f.matches, key=lambda t: t.startchar)
                if t.startchar is not None and t.startchar >= f.startchar and t.endchar <= f.endchar
            ]
            out.append((piece, spans))
        return out


def _join_fragments(fragments: Iterable[tuple[str, list[tuple[int, int]]]]) -> tuple[str, tuple[Span, ...]]:
    """One snippet from fragments, joined by an ellipsis; whitespace kept the same length so spans stay put."""
    text, spans = "", []
    for n, (piece, piece_spans) in enumerate(fragments):
        if n:
            text += " … "
        offset = len(text)
        text += re.sub(r"\s", " ", piece)
        spans.extend(Span(offset + s, offset + e) for s, e in piece_spans)
    return text, tuple(spans)


def _lead(body: str) -> str:
    text = " ".join(body[: SNIPPET_CHARS * 2].split())
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[: cut if cut > 0 else SNIPPET_CHARS] + " …"

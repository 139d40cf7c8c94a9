"""The Whoosh schema: one document per article, its quotes searchable in their own field and stored with it.

An article document holds the headline, body, every speaker and every quote of the article, plus metadata; the
quotes themselves (text, speaker, cue, offsets) are stored as one list on the article, and the searcher picks
the matching ones out of the articles that match. One document per quote made four and a half times as many
documents to index, for the same words.

Text is analysed in one pass per token (``NewsTokenizer``) rather than Whoosh's chain of four generators
(tokenizer, lower-case, accent folding, stemming): the same terms, for 40% less of the indexing time.

Words are folded by ``searchnews.model.fold`` (case, accents, "ß" -> "ss", ligatures), the one fold every
field, query and speaker name goes through. Chinese and Japanese, written without spaces, are indexed as
overlapping character pairs (and single characters), and so are Thai, Lao, Khmer and Myanmar;
``unspaced_pieces`` says how.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang.porter import stem as porter_stem

from searchnews.engine.postings import ArrayPositions
from searchnews.model import character_ranges, fold

# Bump when the schema or analysis changes: an index of another version must be rebuilt.
# 4: one fold ("ß" -> "ss", ligatures, full-width letters), Chinese and Japanese as character pairs.
# 5: combining marks inside words (Hindi, Thai, Arabic ...), Thai, Lao, Khmer and Myanmar as character pairs.
# 6: quote provenance (``quote_print`` terms, ``provenance`` column), organisations among speaker names, speaker
#    kinds stored with the article's speaker counts.
# 7: quote provenance marks are a quote's first and last run of words (6: winnowed runs).
# 8: positions stored as arrays (``postings.ArrayPositions``), in posting blocks of arrays (``postings.NewsCodec``).
SCHEMA_VERSION = "8"

# Where combining marks (vowel signs, viramas, tone marks, harakat, nikud: Unicode Mn, Mc, Me) are used
# inside words. Python's \w leaves them out, which cut every Hindi word at each vowel sign.
_MARK_BLOCKS = ((0x0300, 0x1FFF), (0x20D0, 0x20FF), (0x2CEF, 0x2DFF), (0x302A, 0x309A), (0xA66F, 0xABFF),
                (0xFB1E, 0xFB1E), (0xFE00, 0xFE2F))  # fmt: skip


WORD_MARKS = character_ranges(
    [c for a, b in _MARK_BLOCKS for c in range(a, b + 1) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")]
)
# A word: word characters and the marks on them, with single dots inside ("U.S", "3.5", "e.g"); "*" is never
# part of one (Whoosh's default pattern keeps it). A stray mark before a word stays with it.
TOKEN_PATTERN = rf"[{WORD_MARKS}]*\w[\w{WORD_MARKS}]*(?:\.?\w[\w{WORD_MARKS}]*)*"
_TOKEN = re.compile(TOKEN_PATTERN)
_STEM_CACHE_SIZE = 300_000
_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """The English (Porter) stem of a lower-cased, folded word, cached: news repeats its words."""
    found = _stems.get(word)
    if found is None:
        if len(_stems) >= _STEM_CACHE_SIZE:
            _stems.clear()
        found = _stems[word] = porter_stem(word)
    return found


# Lower-cased and folded, as the index holds a word before stemming ("Zürich" -> "zurich"): the model's one fold.
fold_word = fold


def index_term(word: str, stemming: bool = True) -> str:
    """One word (with no run of a script written without spaces) as the index holds it: lower-cased and folded,
    then stemmed. The one tokenise-fold-stem step: the analyzers, highlighting and ``who`` all go through it."""
    lowered = word.lower()
    folded = lowered if lowered.isascii() else fold(word)  # folding changes no ASCII letter but its case
    return stem(folded) if stemming else folded


# Scripts written without spaces between words: CJK ideographs (with the iteration marks 々〆〇), hiragana,
# katakana, and the letters and marks of Thai, Lao, Khmer and Myanmar. A run of them is indexed as its
# overlapping character pairs, each at its own position, plus each character alone, so that a word of any
# length is found: one character by itself, two as one pair, more as a phrase of pairs (see
# ``unspaced_pieces``); no dictionary of words needed. Hangul is written with spaces and stays as words.
UNSPACED_CHARS = (
    "\u3005-\u3007"  # 々〆〇
    "\u3040-\u309f\u30a1-\u30fa\u30fc-\u30ff"  # hiragana, katakana (not the ゠ and ・ punctuation)
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # ideographs
    "\u0e01-\u0e3a\u0e40-\u0e4e"  # Thai (not its digits)
    "\u0e81-\u0ec6\u0ec8-\u0ece"  # Lao
    "\u1780-\u17d3"  # Khmer
    "\u1000-\u103f"  # Myanmar
)
_UNSPACED_RUN = re.compile(f"[{UNSPACED_CHARS}]+")


def term_text(value: str | bytes) -> str:
    """A term as text: Whoosh hands terms out as UTF-8 bytes from readers and as text from queries."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def has_unspaced(word: str) -> bool:
    """Whether ``word`` (or a whole text) holds characters of a script written without spaces."""
    return not word.isascii() and _UNSPACED_RUN.search(word) is not None


def unspaced_pieces(word: str, stemming: bool = True, query: bool = False) -> list[tuple[int, int, str, int]]:
    """The terms of one token that holds CJK characters: [(start, end, term, position), ...], offsets and
    positions relative to the token.

    A run of n characters takes n - 1 positions (one when n is 1): the pair starting at each character but the
    last, with that character alone at the same position (the last character shares the last pair's). A query
    (``query=True``) asks for the pairs only, so a longer word becomes a phrase of pairs at consecutive
    positions, and words after the run keep the same distance in the index and in the query. Letters and
    digits around the run ("iPhone手机", "2016年") are words of their own.
    """
    pieces: list[tuple[int, int, str, int]] = []
    pos = at = 0
    for run in _UNSPACED_RUN.finditer(word):
        for m in _TOKEN.finditer(word, at, run.start()):
            pieces.append((m.start(), m.end(), index_term(m.group(), stemming), pos))
            pos += 1
        chars, start = run.group(), run.start()
        n = len(chars)
        if n == 1:
            pieces.append((start, start + 1, chars, pos))
            pos += 1
        else:
            for i in range(n):
                at_pos = pos + min(i, n - 2)
                if not query:
                    pieces.append((start + i, start + i + 1, chars[i], at_pos))
                if i < n - 1:
                    pieces.append((start + i, start + i + 2, chars[i : i + 2], at_pos))
            pos += n - 1
        at = run.end()
    for m in _TOKEN.finditer(word, at):
        pieces.append((m.start(), m.end(), index_term(m.group(), stemming), pos))
        pos += 1
    return pieces


def text_terms(text: str, stemming: bool = True) -> Iterator[tuple[int, int, str, int]]:
    """(start, end, term, position) of every term of ``text``, as the index holds them (``NewsTokenizer``)."""
    pos = 0
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word.isascii() or not _UNSPACED_RUN.search(word):
            yield match.start(), match.end(), index_term(word, stemming), pos
            pos += 1
            continue
        start = match.start()
        last = pos - 1
        for s, e, term, p in unspaced_pieces(word, stemming):
            last = pos + p
            yield start + s, start + e, term, last
        pos = last + 1


class NewsTokenizer(Tokenizer):
    """Words, lower-cased, accent-folded and (``stemming=True``) stemmed, no stop list ("US", "may", "will" stay).

    Equivalent to ``RegexTokenizer | LowercaseFilter | CharsetFilter(accent_map) | StemFilter`` token for token,
    in one loop.
    """

    def __init__(self, stemming: bool = True) -> None:
        self.stemming = stemming

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.stemming == self.stemming

    def __hash__(self) -> int:
        return hash((type(self), self.stemming))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stemming = self.stemming
        if not tokenize:  # the query parser hands over one word at a time
            t.original = value
            t.text = index_term(value, stemming)
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pos = start_pos
        query = mode == "query"
        for match in _TOKEN.finditer(value):
            word = match.group()
            if keeporiginal:
                t.original = word
            if not word.isascii() and _UNSPACED_RUN.search(word):
                # Rare, and never in English text: the ASCII test keeps this off the fast path.
                start = start_char + match.start()
                last = pos - 1
                for s, e, term, p in unspaced_pieces(word, stemming, query):
                    last = pos + p
                    t.text = term
                    t.boost = 1.0
                    t.stopped = False
                    if positions:
                        t.pos = last
                    if chars:
                        t.startchar, t.endchar = start + s, start + e
                    yield t
                pos = last + 1
                continue
            t.text = index_term(word, stemming)
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t
            pos += 1


def plain_analyzer() -> NewsTokenizer:
    """Words, lower-cased and accent-folded, no stop list: for names and the spelling dictionary."""
    return NewsTokenizer(stemming=False)


def stemming_analyzer() -> NewsTokenizer:
    """News text: no stop list ("US", "may", "will" stay searchable), accents folded, English stems."""
    return NewsTokenizer(stemming=True)


def _array_positions(field: TEXT) -> TEXT:
    """A text field with positions, its positions stored as arrays (``postings.ArrayPositions``)."""
    field.format = ArrayPositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    stem_words = stemming_analyzer()
    plain = plain_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        headline=_array_positions(TEXT(analyzer=stem_words, stored=True, field_boost=2.0)),
        # No character positions: snippets find the matched words in the stored body (see searcher), which costs
        # less than indexing a start and end for every word of every article.
        body=_array_positions(TEXT(analyzer=stem_words, stored=True)),
        # "Did you mean" words: unstemmed headline and speakers, not the body, which would cost a third of the
        # indexing time for a dictionary that rarely needs more than the words a story is about.
        spelling=TEXT(analyzer=plain, phrase=False, spelling=True),
        # columns (sortable), so an incremental run reads what it knows without loading stored bodies
        path=ID(stored=True, sortable=True),
        state=ID(stored=True, sortable=True),  # "content hash extractor version"
        url=STORED(),
        author=TEXT(analyzer=plain, stored=True, phrase=False),  # author:smith
        source=KEYWORD(stored=True, lowercase=True),
        date=DATETIME(stored=True, sortable=True),
        # Every speaker and every quote of the article, searchable (who:, said:, the quote view, who said X).
        speaker=_array_positions(TEXT(analyzer=plain)),  # positions: who:"Tom Baker" is a phrase
        quote=_array_positions(TEXT(analyzer=stem_words)),
        # One term per full speaker name, once per quote: its frequency is the speaker's quote count in the
        # article, and the lexicon's total weight the speaker's count in the index.
        speaker_name=KEYWORD(commas=True, scorable=True, lowercase=False),
        # The organisations among ``speaker_name``'s terms (once per article): the speaker list tells an
        # organisation from a person without opening documents.
        organisation=KEYWORD(commas=True, lowercase=False),
        quotes=STORED(),  # [(text, speaker, kind, cue, mention, paragraph, start, end, role, speaker_kind), ...]
        speaker_counts=STORED(),  # [(name, count), ...], most quoted first
        speaker_kinds=STORED(),  # [kind, ...], one for each of speaker_counts
        # Quote provenance (engine/provenance.py): every quote's marks, to find the articles sharing one;
        # and per quote with the article's source, to tell which quote of an article it is without its document.
        quote_print=KEYWORD(lowercase=False),
        provenance=COLUMN(VarBytesColumn()),
        quote_count=COLUMN(NumericColumn("I")),
    )

"""The Whoosh schema: one document per article, its quotes searchable in their own field and stored with it.

An article document holds the headline, body, every speaker and every quote of the article, plus metadata; the
quotes themselves (text, speaker, cue, offsets) are stored as one list on the article, and the searcher picks
the matching ones out of the articles that match. One document per quote made four and a half times as many
documents to index, for the same words.

Text is analysed in one pass per token (``NewsTokenizer``) rather than Whoosh's chain of four generators
(tokenizer, lower-case, accent folding, stemming): the same terms, for 40% less of the indexing time.
"""

from __future__ import annotations

import re

from whoosh.analysis import Token, Tokenizer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

# Bump when the schema or analysis changes: an index of another version must be rebuilt.
SCHEMA_VERSION = "3"

# \w+(\.?\w+)* keeps "U.S." and "3.5" together, and (unlike the default) never keeps "*" inside a token.
TOKEN_PATTERN = r"\w+(\.?\w+)*"
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


def fold_word(word: str) -> str:
    """Lower-cased and accent-folded, as the index holds a word before stemming ("Zürich" -> "zurich")."""
    word = word.lower()
    return word if word.isascii() else word.translate(accent_map)


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
            text = fold_word(value)
            t.text = stem(text) if stemming else text
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, match in enumerate(_TOKEN.finditer(value)):
            word = match.group()
            if keeporiginal:
                t.original = word
            word = word.lower()
            if not word.isascii():
                word = word.translate(accent_map)
            t.text = stem(word) if stemming else word
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t


def plain_analyzer() -> NewsTokenizer:
    """Words, lower-cased and accent-folded, no stop list: for names and the spelling dictionary."""
    return NewsTokenizer(stemming=False)


def stemming_analyzer() -> NewsTokenizer:
    """News text: no stop list ("US", "may", "will" stay searchable), accents folded, English stems."""
    return NewsTokenizer(stemming=True)


def build_schema() -> Schema:
    stem_words = stemming_analyzer()
    plain = plain_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        headline=TEXT(analyzer=stem_words, stored=True, field_boost=2.0),
        # No character positions: snippets find the matched words in the stored body (see searcher), which costs
        # less than indexing a start and end for every word of every article.
        body=TEXT(analyzer=stem_words, stored=True),
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
        speaker=TEXT(analyzer=plain),  # positions: who:"Tom Baker" is a phrase
        quote=TEXT(analyzer=stem_words),
        # One term per full speaker name, once per quote: its frequency is the speaker's quote count in the
        # article, and the lexicon's total weight the speaker's count in the index.
        speaker_name=KEYWORD(commas=True, scorable=True, lowercase=False),
        quotes=STORED(),  # [(text, speaker, kind, cue, mention, paragraph, start, end), ...]
        speaker_counts=STORED(),  # [(name, count), ...], most quoted first
        quote_count=COLUMN(NumericColumn("I")),
    )

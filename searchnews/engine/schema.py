"""The Whoosh schema: analyzers composed as small pipelines, and the fields of article and quote documents.

One index holds two kinds of document, told apart by ``kind``:
- ``article``: headline, body, every speaker and every quote of the article, plus metadata;
- ``quote``: one per quote, with its speaker, text and article, so quotes can be searched and listed alone.
Both carry ``article_id``, so one ``delete_by_term("article_id", ...)`` removes an article and its quotes.
"""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

# Bump when the schema or analysis changes: an index of another version must be rebuilt.
SCHEMA_VERSION = "2"

# \w+(\.?\w+)* keeps "U.S." and "3.5" together, and (unlike the default) never keeps "*" inside a token.
TOKEN_PATTERN = r"\w+(\.?\w+)*"

ARTICLE = "article"
QUOTE = "quote"


def plain_analyzer():
    """Words, lower-cased and accent-folded, no stop list: for names and the spelling dictionary."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def stemming_analyzer():
    """News text: no stop list ("US", "may", "will" stay searchable), accents folded, English stems."""
    return plain_analyzer() | StemFilter(cachesize=200_000)


def build_schema() -> Schema:
    stem = stemming_analyzer()
    plain = plain_analyzer()
    return Schema(
        kind=ID(stored=True),
        id=ID(stored=True, unique=True),
        article_id=ID(stored=True, sortable=True),
        # article documents
        # Character positions only where the searcher reads them: the body's pinpoint snippets. Short texts
        # (headlines, quotes, names) are re-tokenised to highlight, which costs less than indexing positions.
        headline=TEXT(analyzer=stem, stored=True, field_boost=2.0),
        body=TEXT(analyzer=stem, stored=True, chars=True),
        # "Did you mean" words: unstemmed headline, lede and speakers, not the whole body, which cost 30% of
        # indexing time for a dictionary that rarely needs more than the words a story is about.
        spelling=TEXT(analyzer=plain, phrase=False, spelling=True),
        # columns (sortable), so an incremental run reads what it knows without loading stored bodies
        path=ID(stored=True, sortable=True),
        hash=ID(stored=True, sortable=True),
        extractor=ID(stored=True, sortable=True),
        url=STORED(),
        author=TEXT(analyzer=plain, stored=True),
        source=KEYWORD(stored=True, lowercase=True),
        date=DATETIME(stored=True, sortable=True),
        speaker_counts=STORED(),
        # both: every speaker/quote of an article, or the one of a quote document
        speaker=TEXT(analyzer=plain, stored=True),
        quote=TEXT(analyzer=stem, stored=True),
        # quote documents
        speaker_name=ID(stored=True),
        mention=STORED(),
        cue=ID(stored=True),
        quote_kind=ID(stored=True),
        # A column for ordering only: a NUMERIC field would index eight terms per value for nothing.
        paragraph=COLUMN(NumericColumn("i")),
        span=STORED(),  # (start, end, paragraph)
        headline_text=STORED(),
    )

"""The Whoosh schema: analyzers composed as small pipelines, and the fields of article and quote documents.

One index holds two kinds of document, told apart by ``kind``:
- ``article``: headline, body, every speaker and every quote of the article, plus metadata;
- ``quote``: one per quote, with its speaker, text and article, so quotes can be searched and listed alone.
Both carry ``article_id``, so one ``delete_by_term("article_id", ...)`` removes an article and its quotes.
"""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

# Bump when the schema or analysis changes: an index of another version must be rebuilt.
SCHEMA_VERSION = "1"

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
        headline=TEXT(analyzer=stem, stored=True, chars=True, field_boost=2.0),
        body=TEXT(analyzer=stem, stored=True, chars=True),
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
        speaker=TEXT(analyzer=plain, stored=True, chars=True),
        quote=TEXT(analyzer=stem, stored=True, chars=True),
        # quote documents
        speaker_name=ID(stored=True),
        mention=STORED(),
        cue=ID(stored=True),
        quote_kind=ID(stored=True),
        paragraph=NUMERIC(stored=True, sortable=True),
        span=STORED(),
        headline_text=STORED(),
    )

"""Quote extraction: who said what in an article, direct, indirect or mixed.

    from searchnews.quotes import extract_quotes, EXTRACTOR_VERSION
    extract_quotes(article) -> list[Quote]

EXTRACTOR_VERSION changes whenever the output may change, so cached extractions can be invalidated.
"""

from .extractor import extract_quotes

EXTRACTOR_VERSION = "1.4.2"

__all__ = ["EXTRACTOR_VERSION", "extract_quotes"]

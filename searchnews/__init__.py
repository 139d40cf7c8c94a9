"""searchnews: full-text search for news articles, with quote attribution and a terminal UI."""

__version__ = "0.1.0"

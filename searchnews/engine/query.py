"""Query planning: Whoosh's parser with our fields and aliases, our plain-words errors, and bounds on what a query
may cost (wildcard expansions, fuzzy distance and prefix); the small walks over a parsed query the others share."""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime

from whoosh import qparser, query
from whoosh.query import DateRange, FuzzyTerm, Query
from whoosh.reading import IndexReader

from searchnews.engine.schema import has_unspaced
from searchnews.errors import QuerySyntaxError
from searchnews.model import normalise_text

# The body holds every quote too: searching the quote field as well would only double the work (said: reaches it).
ARTICLE_FIELDS = ("headline", "body")
QUOTE_FIELDS = ("quote", "speaker")
# Friendly names for fields in queries: who:shoigu, said:"important role", title:border.
ALIASES = {"speaker": ["who"], "quote": ["said"], "headline": ["title"]}
MAX_QUERY_CHARS = 2000
MAX_EXPANSIONS = 1000  # words a wildcard may match (Lucene's clause limit is 1,024)
FUZZY_PREFIX = 1  # a fuzzy word's first letters that must match exactly (Lucene's FuzzyQuery has the same knob)
# "word~9" would walk most of the lexicon (20 s on a tiny index): edit distances above 2 count as 2.
MAX_FUZZY_DISTANCE = 2


class _NewsParser(qparser.QueryParser):
    """Whoosh's parser, but a query word of Chinese or Japanese (several character pairs to the index) is a
    phrase of its pairs: "人民共和国" must find those characters in a row, not anywhere in the article."""

    def multitoken_query(self, spec, texts, fieldname, termclass, boost):
        if any(has_unspaced(t) for t in texts):
            return self.phraseclass(fieldname, texts, boost=boost)
        return super().multitoken_query(spec, texts, fieldname, termclass, boost)


def make_parser(fields: Sequence[str], schema, boosts: dict[str, float]) -> qparser.QueryParser:
    # What qparser.MultifieldParser (a function, not a class) builds, with our parser class.
    parser = _NewsParser(None, schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.MultifieldPlugin(list(fields), fieldboosts=boosts))
    parser.add_plugin(qparser.FieldAliasPlugin(ALIASES))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


_FIELD_PREFIX = re.compile(r"(?<![\w\"])([A-Za-z_]+):(?=\S)")


def parse_query(parser: qparser.QueryParser, text: str) -> Query:
    """Parse a query, or raise QuerySyntaxError saying in plain words what is wrong (Whoosh itself guesses
    silently, or raises with Python's own messages: "month must be in 1..12")."""
    if "\x00" in text or any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        text = "".join(c if ord(c) >= 32 else " " for c in text)
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"query too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    # As the articles were: no soft hyphens or zero-width characters inside words, "ﬁ" as "fi".
    text = normalise_text(text)
    if not text.strip():
        raise QuerySyntaxError("empty query")
    if text.count('"') % 2:
        raise QuerySyntaxError(f"unbalanced quote in query: {text!r}")
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            break
    if depth != 0:
        raise QuerySyntaxError(f"unbalanced parentheses in query: {text!r}")
    for value in _date_values(text):
        if not _is_date(value):  # Whoosh would take "2021-07-13T25:00" for a month and two words
            raise QuerySyntaxError(f"not a date: {value!r} in query {text!r} ({DATE_FORMS})")
    # Stored-only fields (url, quotes, quote_count) hold no words: naming one is as unknown as a misspelt field.
    known = {name for name in parser.schema.names() if parser.schema[name].indexed}
    known |= {a for names in ALIASES.values() for a in names}
    for match in _FIELD_PREFIX.finditer(text):
        if match.group(1) not in known:
            raise QuerySyntaxError(
                f"unknown field {match.group(1)!r} in query (try title:, who:, said:, source:, date:)"
            )
    try:
        q = parser.parse(text)
    except Exception as exc:  # Whoosh raises assorted errors on odd input; its messages are not ours to show
        raise _query_error(text) from exc
    if _first_error(q):
        raise _query_error(text)
    _check_date_ranges(q, text)
    return q.accept(_limit_fuzzy_distance)


def bounded(reader: IndexReader, q: Query, text: str) -> Query:
    """``q`` with its expanding words kept cheap: a fuzzy word keeps its first letter (FUZZY_PREFIX), and a
    wildcard may match at most MAX_EXPANSIONS words of the index (else QuerySyntaxError).

    Whoosh builds a scored matcher for every word a wildcard matches before the search starts, so before any
    time limit (``a*`` took 1.5 s, with nothing found in the time left); and it finds a fuzzy word's
    neighbours by measuring its distance to every word of the field (``tajikistn~`` 4.5 s, ``~2`` 13 s).
    """
    for node in q.leaves():
        if isinstance(node, FuzzyTerm):
            node.prefixlength = max(node.prefixlength, FUZZY_PREFIX)
        elif isinstance(node, query.MultiTerm):
            n = sum(1 for _ in itertools.islice(node.expanded_terms(reader), MAX_EXPANSIONS + 1))
            if n > MAX_EXPANSIONS:
                shown = f"{node.text}*" if isinstance(node, query.Prefix) else node.text
                raise QuerySyntaxError(
                    f"{shown!r} matches more than {MAX_EXPANSIONS:,} words (in {text!r}): add letters"
                )
    return q


DATE_FORMS = "dates are written YYYY, YYYY-MM or YYYY-MM-DD: date:2021, date:2021-07-13, date:[2021-01 to 2021-06]"
# A date: clause's value: a range in brackets or braces, a quoted value, or a word (after any < > <= >=).
_DATE_CLAUSE = re.compile(r"""(?<![\w"])date:\s*(?:[<>]=?)?\s*(\[[^\]]*\]?|\{[^}]*\}?|'[^']*'?|"[^"]*"?|[^\s)]*)""")
_RANGE_WORDS = re.compile(r"(?:^|\s+)to(?:\s+|$)", re.IGNORECASE)
_DATE_VALUE = re.compile(r"(\d{4})(?:-?(\d{1,2})(?:-?(\d{1,2}))?)?")


def _query_error(text: str) -> QuerySyntaxError:
    """The error for a query Whoosh could not make sense of, in our words: the bad date of a ``date:`` clause
    named when there is one, else the query."""
    for value in _date_values(text):
        if not _is_date(value):
            return QuerySyntaxError(f"not a date: {value!r} in query {text!r} ({DATE_FORMS})")
    if _DATE_CLAUSE.search(text):
        return QuerySyntaxError(f"cannot read the date in query {text!r} ({DATE_FORMS})")
    return QuerySyntaxError(
        f"cannot make sense of query {text!r}: check its quotes, brackets and field names (title:, who:, said:, "
        "source:, date:)"
    )


def _date_values(text: str) -> list[str]:
    """The dates written in the ``date:`` clauses of a query, each end of a range on its own."""
    values: list[str] = []
    for match in _DATE_CLAUSE.finditer(text):
        value = match.group(1).strip()
        if value[:1] in "[{":
            inner = value[1:].rstrip("]}")
            values.extend(v.strip() for v in _RANGE_WORDS.split(inner) if v.strip())
        elif value.strip("'\""):
            values.append(value.strip("'\""))
    return values


def _is_date(value: str) -> bool:
    """Whether ``value`` is a date as a query may write it: a year, a month or a day, all of the calendar."""
    match = _DATE_VALUE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return year >= 1


def _check_date_ranges(q: Query, text: str) -> None:
    """A date range that ends before it starts matches nothing, silently: say so instead."""
    for node in nodes(q):
        if (
            isinstance(node, query.NumericRange)
            and node.fieldname == "date"
            and node.start is not None
            and node.end is not None
            and node.start > node.end
        ):
            raise QuerySyntaxError(f"the date range in query {text!r} ends before it starts")


def _limit_fuzzy_distance(q: Query) -> Query:
    if isinstance(q, FuzzyTerm) and q.maxdist > MAX_FUZZY_DISTANCE:
        q = copy.copy(q)
        q.maxdist = MAX_FUZZY_DISTANCE
    return q


def _first_error(q: Query) -> str | None:
    """Whoosh marks what it could not parse with an ``error`` attribute instead of raising."""
    error = getattr(q, "error", None)
    if error:
        return str(error)
    for child in q.children():
        error = _first_error(child)
        if error:
            return error
    return None


def is_date_condition(node: Query) -> bool:
    """A ``date:`` condition of a query (a day, month or year is a range of the date field)."""
    return isinstance(node, (query.NumericRange, query.Term)) and getattr(node, "fieldname", None) == "date"


def date_filter(since: date | None, until: date | None) -> Query | None:
    if not (since or until):
        return None
    start = datetime.combine(since, datetime.min.time()) if since else None
    end = datetime.combine(until, datetime.max.time()) if until else None
    return DateRange("date", start, end)


def nodes(q: Query) -> Iterator[Query]:
    yield q
    for child in q.children():
        yield from nodes(child)


def evaluate(q: Query, leaf: Callable[[Query], bool]) -> bool:
    """Whether a query's boolean tree holds, ``leaf`` deciding each leaf (a term, a phrase, a wildcard ...)."""
    if isinstance(q, query.AndNot):
        return evaluate(q.a, leaf) and not evaluate(q.b, leaf)
    if isinstance(q, query.AndMaybe):
        return evaluate(q.a, leaf)
    if isinstance(q, query.Require):
        return evaluate(q.a, leaf) and evaluate(q.b, leaf)
    if isinstance(q, query.Not):
        return not evaluate(q.query, leaf)
    if isinstance(q, query.And):
        return all(evaluate(c, leaf) for c in q.children())
    if isinstance(q, (query.Or, query.DisjunctionMax)):
        return any(evaluate(c, leaf) for c in q.children())
    if isinstance(q, query.WrappingQuery):
        return evaluate(q.child, leaf)
    return leaf(q)

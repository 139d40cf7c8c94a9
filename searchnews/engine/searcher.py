"""Reading the index: article search with highlighted snippets, quotes, "who said X", speakers, suggestions.

``NewsIndex`` is shared by threads; each thread asks it for its own ``NewsSearcher`` (a Whoosh searcher is
not thread-safe). A searcher sees one generation of the index: ``is_current()`` tells when a newer one exists,
and the caller opens a new searcher then (never ``Searcher.refresh()``: in 2.7.5 it returns deleted documents).
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from whoosh import highlight, qparser, sorting
from whoosh.analysis import Token
from whoosh.collectors import FilterCollector, TimeLimitCollector
from whoosh.index import Index
from whoosh.query import And, DateRange, Every, FuzzyTerm, Or, Phrase, Query, Require, Term
from whoosh.searching import Searcher, TimeLimit

from searchnews.engine.documents import count_documents, stored_quotes
from searchnews.engine.schema import ARTICLE, QUOTE
from searchnews.engine.store import IndexStore
from searchnews.errors import QuerySyntaxError
from searchnews.model import Article, Hit, Quote, QuoteHit, Span, speaker_key

# The body holds every quote too: searching the quote field as well would only double the work (said: reaches it).
ARTICLE_FIELDS = ("headline", "body")
QUOTE_FIELDS = ("quote", "speaker")
# Friendly names for fields in queries: who:shoigu, said:"important role", title:border.
ALIASES = {"speaker": ["who"], "quote": ["said"], "headline": ["title"]}
SNIPPET_CHARS = 220
COUNT_SECONDS = 0.01
COMMON_WORD_SHARE = 0.05  # who(): a word in more documents than this share does not by itself make a candidate
MAX_QUERY_CHARS = 2000
# "word~9" would walk most of the lexicon (20 s on a tiny index): edit distances above 2 count as 2.
MAX_FUZZY_DISTANCE = 2
SPEAKER_SCAN_LIMIT = 2000  # articles read to count speakers of a query


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    total: int
    seconds: float
    query: str
    suggestion: str | None = None
    partial: bool = False  # the time limit cut the search short
    capped: bool = False  # counting was cut short: ``total`` is a lower bound ("1,200+")


@dataclass(frozen=True)
class QuoteResult:
    hits: tuple[QuoteHit, ...]
    total: int
    seconds: float
    query: str
    capped: bool = False  # counting was cut short: ``total`` is a lower bound


@dataclass(frozen=True)
class SpeakerCount:
    name: str  # the fullest form of the name
    count: int
    names: tuple[str, ...]  # every form merged into it ("Sergey Shoigu", "Mr Shoigu")


@dataclass(frozen=True)
class IndexStats:
    articles: int
    quotes: int
    size_bytes: int
    modified: float  # epoch seconds of the last commit
    generation: tuple[str, int]


class NewsIndex:
    """An open index, shared by threads; ``searcher()`` gives each thread its own searcher."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = IndexStore(root)
        # The generation first, then the index: a rebuild swapping in between makes swapped() true (one needless
        # reopen), where the other order would pair an old index with the new name and never tell it is stale.
        self._gen_dir = self.store.current_dir()
        self.ix: Index = self.store.open()

    def searcher(self) -> NewsSearcher:
        return NewsSearcher(self.ix.searcher(), self)

    def generation(self) -> tuple[str, int]:
        """Changes whenever a commit or a rebuild makes new data visible."""
        current = self.store.current_dir()
        name = current.name if current else ""
        if current != self._gen_dir:
            return name, -1
        return name, self.ix.latest_generation()

    def swapped(self) -> bool:
        """True when a rebuild has replaced the generation this object opened: ``reopen()`` it."""
        return self.store.current_dir() != self._gen_dir

    def reopen(self) -> NewsIndex:
        return NewsIndex(self.root)

    def stats(self) -> IndexStats:
        articles, quotes = count_documents(self.ix)
        gen = self.store.current_dir()
        toc = [f for f in gen.iterdir() if f.suffix == ".toc"] if gen else []
        modified = max((f.stat().st_mtime for f in toc), default=0.0)
        return IndexStats(articles, quotes, self.store.size_bytes(), modified, self.generation())


class NewsSearcher:
    """One thread's view of one generation of the index."""

    def __init__(self, searcher: Searcher, index: NewsIndex) -> None:
        self.s = searcher
        self.index = index
        self.schema = searcher.schema
        self._article_parser = _parser(ARTICLE_FIELDS, self.schema, {"headline": 2.0})
        self._quote_parser = _parser(QUOTE_FIELDS, self.schema, {"speaker": 0.5})
        self._spelling_parser = _parser(("spelling",), self.schema, {})
        self._kinds: dict[str, set[int]] = {}

    def close(self) -> None:
        self.s.close()

    def __enter__(self) -> NewsSearcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def is_current(self) -> bool:
        """False once a commit or a rebuild has made newer data visible: open a new searcher then."""
        return not self.index.swapped() and self.s.up_to_date()

    # -- articles -------------------------------------------------------------------------------------------

    def parse(self, text: str) -> Query:
        return _parse(self._article_parser, text)

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        since: date | None = None,
        until: date | None = None,
        time_limit: float | None = None,
        suggest: bool = True,
    ) -> SearchResult:
        started = time.perf_counter()
        q = self.parse(text)
        kinds = self._kind_filter(ARTICLE, since, until)
        # terms=False: recording matched terms makes Whoosh score every match instead of skipping blocks that
        # cannot reach the top 10 (6x slower for a common word). Snippets come from _body_chars instead.
        results, partial = self._run(q, kinds, limit, time_limit, optimize=False)
        hits_list = [h for h in results]  # not list(results): it asks len(), a second pass over every match
        chars = self._body_chars([h.docnum for h in hits_list], self.query_terms(q, "body"))
        headline_terms = self.query_terms(q, "headline")
        hits = tuple(self._hit(h, headline_terms, chars.get(h.docnum, [])) for h in hits_list)
        total, capped = (len(hits), False) if partial else self._count(results, q, limit, kinds)
        suggestion = self.suggest(text) if (suggest and total == 0) else None
        return SearchResult(hits, total, time.perf_counter() - started, text, suggestion, partial, capped)

    def _count(self, results, q: Query, limit: int | None, allowed: set[int] | Query) -> tuple[int, bool]:
        """How many documents matched, counting for at most COUNT_SECONDS: (n, True) when cut short ("1,200+").

        Whoosh's exact len(results) runs the whole query again, which for a common word or a phrase cost as much
        as the search itself on the full corpus; past a few thousand matches nobody needs the exact figure.
        """
        scored = results.scored_length()
        if limit is None or scored < limit:
            return scored, False
        if not isinstance(allowed, set):
            return len(results), False
        deadline = time.perf_counter() + COUNT_SECONDS
        n = 0
        for docnum in self.s.docs_for_query(q):
            if docnum in allowed:
                n += 1
                if not n % 256 and time.perf_counter() > deadline:
                    return n, True
        return n, False

    def _kind_docs(self, kind: str) -> set[int]:
        """The document numbers of one kind, computed once per searcher (a searcher sees one generation).

        A set filter costs a membership test per match; filtering by the ``kind`` term instead made every query
        intersect with a posting list of every article or quote, several times slower on a full index.
        """
        if kind not in self._kinds:
            self._kinds[kind] = set(self.s.docs_for_query(Term("kind", kind)))  # Whoosh takes a set, not a frozenset
        return self._kinds[kind]

    def _kind_filter(self, kind: str, since: date | None = None, until: date | None = None) -> set[int] | Query:
        if since or until:
            start = datetime.combine(since, datetime.min.time()) if since else None
            end = datetime.combine(until, datetime.max.time()) if until else None
            return And([Term("kind", kind), DateRange("date", start, end)])
        return self._kind_docs(kind)

    def _run(
        self,
        q: Query,
        kinds: set[int] | Query,
        limit: int | None,
        time_limit: float | None,
        sortedby=None,
        optimize: bool = True,
    ):
        """Run a query restricted to ``kinds``; (results, True) when the time limit cut it short.

        The filter wraps the time limit, not the other way round: Whoosh's TimeLimitCollector hands matches
        straight to its child, so a FilterCollector inside it filters nothing. Never terms=True with a filter
        either: Whoosh 2.7.5 then counts filtered-out documents.
        """
        collector = self.s.collector(limit=limit, sortedby=sortedby, optimize=optimize)
        if not optimize:
            # Without block skipping there is nothing to gain from Whoosh re-optimising the matcher tree every
            # few matches, and for a wildcard's tree of hundreds of terms that cost 90% of the search.
            collector.replace = 0
        if time_limit is not None:
            collector = TimeLimitCollector(collector, timelimit=time_limit, use_alarm=False)
        collector = FilterCollector(collector, allow=kinds)
        try:
            self.s.search_with_collector(q, collector)
        except TimeLimit:
            return collector.results(), True
        return collector.results(), False

    def _body_chars(self, docnums: Sequence[int], terms: frozenset[str]) -> dict[int, list[Token]]:
        """Where each term occurs in the body of each document, read from the postings (``chars=True``).

        This is what Whoosh's pinpoint highlighting does, without needing the search to record matched terms.
        """
        found: dict[int, list[Token]] = {d: [] for d in docnums}
        wanted = sorted(set(docnums))
        reader = self.s.reader()
        for term in terms:
            if ("body", term) not in reader:
                continue
            matcher = reader.postings("body", term)
            for docnum in wanted:
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                if matcher.id() == docnum:
                    for pos, start, end in matcher.value_as("characters"):
                        found[docnum].append(Token(text=term, pos=pos, startchar=start, endchar=end))
        return found

    def _snippet(self, body: str, tokens: list[Token]) -> tuple[str, tuple[Span, ...]]:
        if not tokens:
            return _lead(body), ()
        tokens = sorted(tokens, key=lambda t: t.startchar)
        if len(body) <= SNIPPET_CHARS:
            # A short body is its own snippet: the fragmenter would cut it down to the words around the matches.
            return re.sub(r"\s", " ", body), tuple(Span(t.startchar, t.endchar) for t in tokens)
        fragments = _SNIPPET_FRAGMENTER.fragment_matches(body, tokens)
        best = highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST)
        return _join_fragments(_SpanFormatter().format(best))

    def _hit(self, h, headline_terms: frozenset[str], body_tokens: list[Token]) -> Hit:
        fields = h.fields()
        body = fields.get("body", "")
        snippet, spans = self._snippet(body, body_tokens)
        headline = fields.get("headline", "")
        return Hit(
            id=fields["id"],
            headline=headline,
            date=_iso(fields.get("date")),
            source=fields.get("source", ""),
            url=fields.get("url", ""),
            path=fields.get("path", ""),
            score=round(float(h.score or 0.0), 4),
            snippet=snippet,
            snippet_spans=spans,
            speakers=tuple(name for name, _ in fields.get("speaker_counts", ())),
            headline_spans=self.spans(headline, "headline", headline_terms),
        )

    def query_terms(self, q: Query, fieldname: str) -> frozenset[str]:
        """The index terms a query matches in one field, wildcards and fuzzy terms expanded."""
        try:
            # Pass fieldname: without it, Whoosh 2.7.5's existing_terms reuses its ``fieldname`` argument as a
            # loop variable and so, after the first term, skips every term of another field.
            terms = q.existing_terms(self.s.reader(), expand=True, fieldname=fieldname)
        except Exception:  # a huge wildcard expansion is not worth failing a search over its highlighting
            terms = q.iter_all_terms()
        return frozenset(_text(t) for f, t in terms if f == fieldname)

    def spans(self, text: str, fieldname: str, terms: frozenset[str]) -> tuple[Span, ...]:
        """Where the index terms ``terms`` of ``fieldname`` occur in ``text`` (re-tokenised: short texts)."""
        if not terms or not text:
            return ()
        analyzer = self.schema[fieldname].analyzer
        return tuple(
            Span(t.startchar, t.endchar)
            for t in analyzer(text, chars=True, mode="query", removestops=False)
            if t.text in terms
        )

    def article(self, article_id: str) -> Article | None:
        docnum = self.s.document_number(id=article_id, kind=ARTICLE)
        if docnum is None:
            return None
        f = self.s.stored_fields(docnum)
        return Article(
            id=f["id"],
            headline=f.get("headline", ""),
            body=f.get("body", ""),
            path=f.get("path", ""),
            date=_iso(f.get("date")),
            source=f.get("source", ""),
            url=f.get("url", ""),
            author=f.get("author", ""),
            quotes=tuple(self.article_quotes(article_id)),
        )

    def article_quotes(self, article_id: str) -> list[Quote]:
        return stored_quotes(self.s, article_id)

    def source_paths(self) -> tuple[str, ...]:
        """Every input file the indexed articles came from (read from the ``path`` lexicon, not stored fields)."""
        return tuple(_text(t) for t in self.s.reader().lexicon("path"))

    # -- quotes ---------------------------------------------------------------------------------------------

    def quotes(
        self,
        text: str = "",
        *,
        speaker: str | None = None,
        limit: int | None = 20,
        since: date | None = None,
        until: date | None = None,
        time_limit: float | None = None,
    ) -> QuoteResult:
        started = time.perf_counter()
        q = _parse(self._quote_parser, text) if text.strip() else Every()
        kinds = self._kind_filter(QUOTE, since, until)
        if speaker:
            # speaker_name is a field of quote documents only, so it can stand for the kind.
            names = self.speaker_forms(speaker)
            who = Or([Term("speaker_name", n) for n in names]) if names else Term("speaker_name", speaker)
            kinds = And([who, kinds]) if isinstance(kinds, Query) else who
        # No words to rank by: newest articles first, quotes in article order.
        order = None if text.strip() else _NEWEST_FIRST
        results, _ = self._run(q, kinds, limit, time_limit, sortedby=order)
        quote_terms = self.query_terms(q, "quote")
        hits = tuple(self._quote_hit(h, quote_terms, scored=order is None) for h in results)
        total, capped = self._count(results, q, limit, kinds)
        return QuoteResult(hits, total, time.perf_counter() - started, text, capped)

    def _quote_hit(self, h, terms: frozenset[str], scored: bool = True) -> QuoteHit:
        f = h.fields()
        text = f.get("quote", "")
        return QuoteHit(
            speaker=f.get("speaker_name", ""),
            text=text,
            kind=f.get("quote_kind", ""),
            cue=f.get("cue", ""),
            article_id=f.get("article_id", ""),
            headline=f.get("headline_text", ""),
            date=_iso(f.get("date")),
            score=round(float(h.score or 0.0), 4) if scored else 0.0,  # sorted results carry the sort key
            paragraph=f["span"][2] if len(f.get("span", ())) > 2 else 0,
            text_spans=self.spans(text, "quote", terms),
        )

    def who(self, phrase: str, *, limit: int = 10) -> QuoteResult:
        """The speakers of the quotes best matching a half-remembered phrase, best first, one row a speaker.

        Every word may match (a missing or wrong word costs score, not the answer); words in order and near
        each other score higher.
        """
        started = time.perf_counter()
        if len(phrase) > MAX_QUERY_CHARS:
            raise QuerySyntaxError(f"phrase too long ({len(phrase)} characters; at most {MAX_QUERY_CHARS})")
        words = [t.text for t in self.schema["quote"].analyzer(phrase, mode="query", removestops=False)]
        if not words:
            raise QuerySyntaxError(f"no words to look for in {phrase!r}")
        unique = list(dict.fromkeys(words))
        parts: list[Query] = [Or([Term("quote", w) for w in unique])]
        if len(words) > 1:
            parts.append(Phrase("quote", words, slop=4, boost=3.0))
        q: Query = Or(parts)
        # A word found in most quotes ("the", "we") matches nearly every document, and scoring them all made one
        # lookup take a second at 2,000 articles. Only quotes holding a rarer word of the phrase are scored:
        # Require keeps the full query's scores, and a phrase match holds every word, so it is never left out.
        rare = self._uncommon_words(unique)
        if rare and len(rare) < len(unique):
            q = Require(q, Or([Term("quote", w) for w in rare]))
        # No terms=True: _quote_hit finds the words by re-tokenising the short quote text. optimize=False: the
        # collector then scores every candidate and counts them as it goes, where block skipping would make
        # len(results) run the whole query a second time to count (half the time of a lookup).
        results = self.s.search(q, limit=max(limit * 5, 50), optimize=False, filter=self._kind_docs(QUOTE))
        quote_terms = frozenset(words)
        best: dict[str, QuoteHit] = {}
        for h in results:
            hit = self._quote_hit(h, quote_terms)
            key = speaker_key(hit.speaker) or f"?{h.docnum}"
            if key not in best:
                best[key] = hit
            if len(best) >= limit:
                break
        return QuoteResult(tuple(best.values()), len(results), time.perf_counter() - started, phrase)

    def _uncommon_words(self, words: Sequence[str]) -> list[str]:
        """The words of ``words`` that some, but at most COMMON_WORD_SHARE, of the documents hold in a quote."""
        most = COMMON_WORD_SHARE * self.s.doc_count_all()
        return [w for w in words if 0 < self.s.doc_frequency("quote", w) <= most]

    # -- speakers -------------------------------------------------------------------------------------------

    def speakers(
        self, text: str = "", *, limit: int | None = None, articles: int = SPEAKER_SCAN_LIMIT
    ) -> list[SpeakerCount]:
        """Speakers and their quote counts: of the whole index, or of the ``articles`` best matching ``text``.

        Counting reads each matching article's stored document, so a live view asks for fewer articles.
        """
        counts = self._speaker_counts_in(text, articles) if text.strip() else self._all_speaker_counts()
        merged = merge_speakers(counts)
        return merged[:limit] if limit else merged

    def _all_speaker_counts(self) -> dict[str, int]:
        reader = self.s.reader()
        counts: dict[str, int] = {}
        deletions = reader.has_deletions()
        for btext, info in reader.iter_field("speaker_name"):
            name = _text(btext)
            if deletions:
                n = sum(1 for d in reader.postings("speaker_name", btext).all_ids() if not reader.is_deleted(d))
            else:
                n = info.doc_frequency()
            if n:
                counts[name] = n
        return counts

    def _speaker_counts_in(self, text: str, articles: int) -> dict[str, int]:
        results = self.s.search(self.parse(text), limit=articles, filter=self._kind_docs(ARTICLE))
        counts: dict[str, int] = {}
        for h in results:
            for name, n in h.fields().get("speaker_counts", ()):
                counts[name] = counts.get(name, 0) + n
        return counts

    def speaker_forms(self, name: str) -> tuple[str, ...]:
        """Every stored form of the speaker ``name`` names ("shoigu" -> "Sergey Shoigu", "Mr Shoigu")."""
        wanted = speaker_key(name)
        if not wanted:
            return ()
        for group in merge_speakers(self._all_speaker_counts()):
            keys = {speaker_key(n) for n in group.names}
            if wanted in keys or wanted == speaker_key(group.name).split(" ")[-1]:
                return group.names
        return ()

    # -- did you mean ---------------------------------------------------------------------------------------

    def suggest(self, text: str) -> str | None:
        """A respelt query that finds something, or None."""
        try:
            q = _parse(self._spelling_parser, text)
            correction = self.s.correct_query(q, text, maxdist=2)
        except Exception:
            return None
        fixed = correction.string
        if not fixed or fixed == text:
            return None
        try:
            found = self.s.search(self.parse(fixed), limit=1, filter=self._kind_docs(ARTICLE))
        except QuerySyntaxError:
            return None
        return fixed if len(found) else None


_NEWEST_FIRST = sorting.MultiFacet(
    [sorting.FieldFacet("date", reverse=True), sorting.FieldFacet("article_id"), sorting.FieldFacet("paragraph")]
)


def merge_speakers(counts: dict[str, int]) -> list[SpeakerCount]:
    """Fold the forms of one speaker across articles into one entry, best-counted first.

    Same key (case, accents, titles folded) -> one speaker; a surname alone ("Mr Shoigu") joins the one full
    name ending with it ("Sergey Shoigu") when exactly one does.
    """
    groups: dict[str, dict[str, int]] = {}
    for name, n in counts.items():
        key = speaker_key(name)
        if key:
            groups.setdefault(key, {})[name] = groups.get(key, {}).get(name, 0) + n
    by_surname: dict[str, list[str]] = {}
    for key in groups:
        words = key.split(" ")
        if len(words) > 1 and _looks_like_name(groups[key]):
            by_surname.setdefault(words[-1], []).append(key)
    for key in [k for k in groups if " " not in k]:
        full = by_surname.get(key, [])
        if len(full) == 1:
            for name, n in groups.pop(key).items():
                groups[full[0]][name] = groups[full[0]].get(name, 0) + n
    merged = [
        SpeakerCount(
            name=max(forms, key=lambda n: (len(n.split()), forms[n], n)),
            count=sum(forms.values()),
            names=tuple(sorted(forms, key=lambda n: (-forms[n], n))),
        )
        for forms in groups.values()
    ]
    merged.sort(key=lambda s: (-s.count, s.name))
    return merged


def _looks_like_name(forms: dict[str, int]) -> bool:
    """A person's name ("Sergey Shoigu"), not a role ("a Taliban spokesperson"): every word capitalised."""
    return any(all(w[:1].isupper() for w in name.split()) for name in forms)


def _parser(fields: Sequence[str], schema, boosts: dict[str, float]) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(fields), schema, fieldboosts=boosts, group=qparser.AndGroup)
    parser.add_plugin(qparser.FieldAliasPlugin(ALIASES))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


_FIELD_PREFIX = re.compile(r"(?<![\w\"])([A-Za-z_]+):(?=\S)")


def _parse(parser: qparser.QueryParser, text: str) -> Query:
    """Parse a query, or raise QuerySyntaxError naming what is wrong (Whoosh itself guesses silently)."""
    if "\x00" in text or any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        text = "".join(c if ord(c) >= 32 else " " for c in text)
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"query too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
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
    known = set(parser.schema.names()) | {a for names in ALIASES.values() for a in names}
    for match in _FIELD_PREFIX.finditer(text):
        if match.group(1) not in known:
            raise QuerySyntaxError(
                f"unknown field {match.group(1)!r} in query (try title:, who:, said:, source:, date:)"
            )
    try:
        q = parser.parse(text)
    except Exception as exc:  # Whoosh raises assorted errors on odd input
        raise QuerySyntaxError(f"cannot parse query {text!r}: {exc}") from exc
    error = _first_error(q)
    if error:
        raise QuerySyntaxError(f"cannot parse query {text!r}: {error}")
    return q.accept(_limit_fuzzy_distance)


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


def _iso(value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value or "")


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def open_index(root: Path | str | None = None) -> NewsIndex:
    from searchnews.config import default_index_dir

    return NewsIndex(Path(root) if root is not None else default_index_dir())

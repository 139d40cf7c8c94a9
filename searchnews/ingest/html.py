"""HTML pages through trafilatura: the article's title, metadata and paragraphs, page furniture left out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from searchnews.errors import InputError
from searchnews.ingest.dates import normalise_date
from searchnews.ingest.records import body_from_paragraphs, one_line
from searchnews.model import Article

if TYPE_CHECKING:
    from lxml.etree import _Element

# trafilatura's output tree: blocks that are one paragraph each, and containers whose children are blocks.
_BLOCKS = frozenset({"p", "head", "item", "row"})
_CONTAINERS = frozenset({"list", "quote", "div", "table"})
_CELL_SEPARATOR = " | "
_SENTENCE_END = re.compile(r"[.!?…\"”’)]\s*$")


def read_html(text: str, name: str) -> Iterator[Article | InputError]:
    """The article in one HTML page, or InputError "no article text found"."""
    # Imported here, not at module level: trafilatura is slow to import and `searchnews search` never needs it.
    import trafilatura
    from trafilatura.utils import load_html

    try:
        tree = load_html(text)
        page = _page_metadata(tree) if tree is not None else _PageMetadata()
        # Tables kept, one paragraph a row with its cells apart: body F1 0.9391 -> 0.9405 on the 238 pages of
        # benchmarks/html_extraction.py, no page losing expected text.
        document = (
            trafilatura.bare_extraction(
                tree, with_metadata=True, include_comments=False, include_tables=True, include_images=False
            )
            if tree is not None
            else None
        )
    except Exception as err:  # trafilatura and lxml raise many kinds of errors on broken markup
        yield InputError(name, f"could not parse HTML ({type(err).__name__})")
        return
    if document is None or document.body is None:
        yield InputError(name, "no article text found")
        return
    title = one_line(document.title or "")
    # trafilatura falls back to the <title> for the site's name when the page declares none: a site name equal
    # to the whole title is only believed when the page declares it (og:site_name, application-name).
    site_names = [page.site_name] if page.site_name else []
    if document.sitename and _site_key(document.sitename) != _site_key(title):
        site_names.append(document.sitename)
    headline = clean_headline(title, site_names, (page.og_title, page.h1))
    paragraphs = _drop_repeated_headline(list(html_paragraphs(document.body)), headline)
    body = body_from_paragraphs(paragraphs)
    if not body:
        yield InputError(name, "no article text found")
        return
    yield Article(
        id=name,
        headline=headline,
        body=body,
        path=name,
        date=normalise_date(document.date),
        source=one_line(document.sitename or document.hostname or ""),
        url=(document.url or "").strip() or page.url,
        author=one_line(document.author or ""),
    )


def html_paragraphs(element: _Element) -> Iterator[str]:
    """The paragraphs of trafilatura's body tree, in order; a <br> inside a paragraph becomes a newline."""
    for child in element:
        if child.tag not in _CONTAINERS:
            yield _element_text(child).strip()
        elif _holds_only_blocks(child):
            yield from html_paragraphs(child)
        else:
            yield from _mixed_paragraphs(child)


def _mixed_paragraphs(container: _Element) -> Iterator[str]:
    """Paragraphs of a container that mixes blocks with loose text (broken markup: "<p>NEW DELHI: </p>Pakistan").

    A block starts a new paragraph only where the text so far ends a sentence; otherwise the pieces belong
    together, as in the example.
    """
    pieces = [container.text or ""]
    for child in container:
        if child.tag in _BLOCKS or child.tag in _CONTAINERS:
            so_far = "".join(pieces).strip()
            if so_far and _SENTENCE_END.search(so_far):
                yield so_far
                pieces = []
        pieces.append(_element_text(child))
        pieces.append(child.tail or "")
    rest = "".join(pieces).strip()
    if rest:
        yield rest


def _holds_only_blocks(element: _Element) -> bool:
    """True when every piece of text in ``element`` sits inside a child block (nothing loose between them)."""
    if (element.text or "").strip() or len(element) == 0:
        return False
    return all(child.tag in _BLOCKS or child.tag in _CONTAINERS for child in element) and all(
        not (child.tail or "").strip() for child in element
    )


def _element_text(element: _Element) -> str:
    parts: list[str] = []
    for node in element.iter():
        if node.tag == "lb":
            parts.append("\n")
        elif node.tag == "cell" and node.getprevious() is not None:
            parts.append(_CELL_SEPARATOR)  # cells of a table row, kept apart rather than glued into one word
        elif node is not element and node.tag in _BLOCKS:
            parts.append("\n")  # a block nested in another still starts its own line
        if node.text and node.tag != "lb":
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _drop_repeated_headline(paragraphs: list[str], headline: str) -> list[str]:
    """Pages often repeat the <h1> as the first block of the article; the headline field already has it."""
    key = headline.casefold()
    while paragraphs and key and " ".join(paragraphs[0].split()).casefold() == key:
        paragraphs = paragraphs[1:]
    return paragraphs


@dataclass(frozen=True)
class _PageMetadata:
    """What the page's own markup declares, read before trafilatura: its fallbacks for URL and headline."""

    url: str = ""  # rel=canonical, else og:url: absolute http(s) only
    site_name: str = ""  # og:site_name, else application-name
    og_title: str = ""
    h1: str = ""  # the first <h1>'s text


def _page_metadata(tree: _Element) -> _PageMetadata:
    def meta(*keys: str) -> str:
        for key in keys:
            for attribute in ("property", "name"):
                for value in tree.xpath(f'//meta[@{attribute}="{key}"]/@content'):
                    if value.strip():
                        return one_line(value)
        return ""

    url = ""
    for candidate in [*tree.xpath('//link[@rel="canonical"]/@href'), meta("og:url")]:
        candidate = candidate.strip()
        if _ABSOLUTE_URL.match(candidate):
            url = candidate
            break
    h1 = next((one_line(h.text_content()) for h in tree.iter("h1") if h.text_content().strip()), "")
    return _PageMetadata(url=url, site_name=meta("og:site_name", "application-name"), og_title=meta("og:title"), h1=h1)


_ABSOLUTE_URL = re.compile(r"https?://[^\s/]+\.[^\s/]+", re.IGNORECASE)
# " | ", " - ", " – ", " — ", " · ", " • ", " * ", " :: ", " » ": spaces on both sides, so "well-known" and
# "10:30" never split.
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|·|•|\*|::|»)\s+")
_BYLINE = re.compile(r"^by\s+\w+(?:[\s.'-]+\w+){0,3}\s*$", re.IGNORECASE)
_TAGLINE = re.compile(r":\s+")
# A site name written as its domain: "Globalnews.ca", "www.example.co.uk".
_DOMAIN_NAME = re.compile(r"^(?:www\.)?(?P<label>[\w-]+)\.[a-z]{2,}(?:\.[a-z]{2})?$", re.IGNORECASE)


def _site_key(text: str) -> str:
    """A name folded for comparison: case, spacing, punctuation and a leading "The" ignored."""
    folded = text.casefold().strip()
    if folded.startswith("the "):
        folded = folded[4:]
    domain = _DOMAIN_NAME.match(folded)
    if domain:
        folded = domain["label"]
    # Letters, marks and digits only: "MIT Technology Review" is "mittechnologyreview".
    return "".join(char for char in folded if unicodedata.category(char)[0] in "LMN")


def clean_headline(headline: str, site_names: list[str], alternatives: tuple[str, ...] = ()) -> str:
    """The headline without the site's name before or after it ("Site | Headline", "Headline - Site").

    Conservative: a piece is dropped only when it is, folded, one of ``site_names`` (what the page's metadata
    calls the site), and only at either end, at a separator with spaces on both sides. After a site prefix, a
    tagline ("Site | Tagline: Headline") goes too when one of ``alternatives`` (og:title, the <h1>) is what
    follows it. A headline that is nothing but the site's name gives way to the first alternative that is more.
    """
    keys = {key for key in map(_site_key, site_names) if key}
    if not headline or not keys:
        return headline
    pieces = _TITLE_SEPARATOR.split(headline)
    separators = list(_TITLE_SEPARATOR.finditer(headline))
    start, end = 0, len(pieces)
    while start < end and _site_key(pieces[start]) in keys:
        start += 1
    # At the end, "| by Author" may follow the site's name ("Headline | Site | by Jane Doe"): both go.
    trailing_site = False
    while end > start and (_site_key(pieces[end - 1]) in keys or _BYLINE.match(pieces[end - 1])):
        trailing_site = trailing_site or _site_key(pieces[end - 1]) in keys
        end -= 1
    if not trailing_site:
        end = len(pieces)
    if start == end:  # the headline is the site's name: the page's og:title or <h1> says more
        for alternative in alternatives:
            cleaned = clean_headline(alternative, site_names)
            if cleaned and _site_key(cleaned) not in keys:
                return cleaned
        return headline
    if (start, end) == (0, len(pieces)):
        return headline
    left = separators[start - 1].end() if start > 0 else 0
    right = separators[end - 1].start() if end < len(pieces) else len(headline)
    kept = headline[left:right]
    if start > 0:
        tagline = _TAGLINE.split(kept, maxsplit=1)
        if len(tagline) == 2:
            for alternative in alternatives:
                if alternative and _site_key(alternative) == _site_key(tagline[1]):
                    return tagline[1]
    return kept


# Elements of an HTML fragment (a feed item's content) that start a paragraph of their own.
_FRAGMENT_BLOCKS = frozenset(
    "p div section article header footer aside blockquote pre ul ol li dl dt dd h1 h2 h3 h4 h5 h6 table thead "
    "tbody tfoot tr figure figcaption address hr".split()
)
_FRAGMENT_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})


def fragment_paragraphs(markup: str) -> list[str]:
    """The paragraphs of an HTML fragment (a feed item's content): the text of each block, a table row's cells
    separated as in pages (" | "), a <br> a newline; scripts and styles left out. The whole fragment is the
    article, so nothing is removed as page furniture (the body's boilerplate cleaning still applies)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return [markup]
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = "".join(current).strip()
        if text:
            paragraphs.append(text)
        current.clear()

    def walk(node: _Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _FRAGMENT_SKIPPED or not tag:  # comments and processing instructions have no str tag
            if node.tail:
                current.append(node.tail)
            return
        block = tag in _FRAGMENT_BLOCKS
        if block:
            flush()
        if tag == "br":
            current.append("\n")
        elif tag in ("td", "th") and node.getprevious() is not None:
            current.append(_CELL_SEPARATOR)
        if node.text:
            current.append(node.text)
        for child in node:
            walk(child)
        if block:
            flush()
        if node.tail:
            current.append(node.tail)

    walk(root)
    flush()
    return paragraphs

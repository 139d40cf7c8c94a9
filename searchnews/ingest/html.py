"""HTML pages through trafilatura: the article's title, metadata and paragraphs, page furniture left out."""

from __future__ import annotations

import re
from collections.abc import Iterator
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
_SENTENCE_END = re.compile(r"[.!?…\"”’)]\s*$")


def read_html(text: str, name: str) -> Iterator[Article | InputError]:
    """The article in one HTML page, or InputError "no article text found"."""
    # Imported here, not at module level: trafilatura is slow to import and `searchnews search` never needs it.
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=False, include_images=False
        )
    except Exception as err:  # trafilatura and lxml raise many kinds of errors on broken markup
        yield InputError(name, f"could not parse HTML ({type(err).__name__})")
        return
    if document is None or document.body is None:
        yield InputError(name, "no article text found")
        return
    headline = one_line(document.title or "")
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
        url=(document.url or "").strip(),
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

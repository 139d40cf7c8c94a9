"""The one door to Whoosh's read-side internals (whoosh-reloaded 2.7.5, pinned exactly in pyproject.toml).

Everything here leans on attributes Whoosh does not document: a column's raw bytes, a matcher's posting blocks, a
filter matcher's deleted documents, a collector's running count. Each function says what it relies on, and
``tests/test_whoosh_internals.py`` checks each of those on a real index of the pinned version, naming what changed
if an upgrade moves it. Every fast path here has a way back to Whoosh's own (slower) reading: a function returns
None, or yields from Whoosh's public iteration, when what it finds is not what it expects.
"""

from __future__ import annotations

import bisect
import itertools
import pickle
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from searchnews.engine.postings import ArrayLeafMatcher, ArrayPositions

# Whoosh stores a field's length in a document as one byte (``length_to_byte``): the lengths those bytes stand for.
BYTE_LENGTHS = tuple(byte_to_length(b) for b in range(256))


def field_lengths(reader: IndexReader, fieldname: str) -> list[int] | None:
    """Each document's length in ``fieldname`` (of one segment's reader), from one read of its length column's bytes,
    or None when the column is not laid out as expected.

    Relies on: ``SegmentReader._perdoc._cached_reader(name, column)`` giving the W3 codec's length column, a
    fixed-width column of one byte a document at ``_basepos`` in ``_dbfile`` with
    ``_count`` documents; documents past ``_count`` (added without the field) have length 0.
    """
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, column._count)
        lengths = [BYTE_LENGTHS[b] for b in raw]
        lengths.extend([0] * (reader.doc_count_all() - len(lengths)))
    except Exception:
        return None
    return lengths


def column_values(column) -> Iterator[int]:
    """Every value of a numeric column reader, in one read of its bytes instead of a read per document.

    Relies on: ``NumericColumn.Reader``'s ``_dbfile``, ``_basepos``, ``_count``, ``_fixedlen``, ``_typecode``,
    ``_doccount`` and ``_default`` (values big-endian, one ``_fixedlen`` a document). On any surprise, Whoosh's own
    iteration.
    """
    try:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        values = [value for (value,) in struct.iter_unpack("!" + column._typecode, raw)]
        missing = column._doccount - len(values)
        default = column._default
    except Exception:
        yield from column
        return
    yield from values
    yield from itertools.repeat(default, missing)


def unwrap_deletions(postings) -> tuple[frozenset[int] | set[int], object]:
    """(deleted docnums, the matcher under them) of a segment's postings: Whoosh wraps the postings of a segment
    with deletions in a FilterMatcher excluding them.

    Relies on: ``FilterMatcher._exclude`` (True: ``_ids`` are left out) and ``_ids``, ``.child``.
    """
    if isinstance(postings, FilterMatcher) and postings._exclude:
        return postings._ids, postings.child
    return frozenset(), postings


def has_blocks(postings) -> bool:
    """Whether ``posting_blocks`` can read these postings (the W3 codec's leaf matcher)."""
    return isinstance(postings, W3LeafMatcher)


def posting_blocks(m: W3LeafMatcher) -> Iterator[tuple[tuple[int, ...] | list[int], object]]:
    """(docnums, term frequencies) of each block of a W3 leaf matcher's postings, in order, the matcher used up.

    Relies on: ``W3LeafMatcher._read_weights()``, ``_next_block()`` and the ``_weights`` it fills (one block at a
    time; ``is_active()`` false past the last), and what ``block_ids`` relies on.
    """
    while m.is_active():
        ids = block_ids(m)
        m._read_weights()
        yield ids, m._weights
        m._next_block()


def block_ids(m: W3LeafMatcher) -> tuple[int, ...]:
    """The docnums of the matcher's current block, filling ``_ids`` as Whoosh's ``_read_ids`` does: the block's
    deltas summed by ``itertools.accumulate`` (in C) instead of Whoosh's ``delta_decode`` generator, a Python step
    per posting (a third of a phrase search's time). Relies on: ``_read_data()`` filling ``_data``, a tuple whose
    first item is the block's docnums, delta-encoded unless ``_byteids``; ``_ids`` None until read."""
    if m._ids is None:
        if isinstance(m, ArrayLeafMatcher):
            m._read_ids()
            return m._ids
        if m._data is None:
            m._read_data()
        ids = m._data[0]
        m._ids = ids if m._byteids else tuple(itertools.accumulate(ids))
    return m._ids


def posting_arrays(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, term frequencies) of all of a W3 leaf matcher's postings as two arrays (int64, float64), the
    matcher used up, without a Python step per posting: our codec's blocks (``postings.ArrayLeafMatcher``) hold
    them as arrays; Whoosh's own are read from each block's pickle.

    Relies on: ``_read_data()`` filling ``_data`` = (docnum deltas, weights, values), weights None when all are 1.0,
    one float when all are equal, else a tuple (``W3PostingsWriter._mini_weights``); ``_blocklength``,
    ``_byteids``, ``_next_block()``.
    """
    if isinstance(m, ArrayLeafMatcher):
        return _array_blocks(m)
    deltas: list[tuple[int, ...]] = []
    lengths: list[int] = []
    weights: list[Iterable[float]] = []
    while m.is_active():
        if m._data is None:
            m._read_data()
        block_deltas, block_weights, n = m._data[0], m._data[1], m._blocklength
        deltas.append(block_deltas)
        lengths.append(n)
        if block_weights is None:
            weights.append(itertools.repeat(1.0, n))
        elif isinstance(block_weights, float):
            weights.append(itertools.repeat(block_weights, n))
        else:
            weights.append(block_weights)
        m._next_block()
    total = sum(lengths)
    ids = np.fromiter(itertools.chain.from_iterable(deltas), dtype=np.int64, count=total)
    if not m._byteids and total:
        ids = _summed_by_block(ids, lengths)
    return ids, np.fromiter(itertools.chain.from_iterable(weights), dtype=np.float64, count=total)


def _array_blocks(m: ArrayLeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    deltas: list[bytes] = []
    weights: list[bytes] = []
    lengths: list[int] = []
    while m.is_active():
        arrays, n = m.block_arrays(), m._blocklength
        deltas.append(arrays[: 4 * n])
        weights.append(arrays[4 * n : 8 * n])
        lengths.append(n)
        m._next_block()
    if not lengths:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return _summed_by_block(_uint32s(deltas), lengths), _float32s(weights)


def _uint32s(parts: list[bytes]) -> np.ndarray:
    """Little-endian uint32 numbers (as our codec stores them), end to end, as one int64 array."""
    return np.frombuffer(b"".join(parts), dtype="<u4").astype(np.int64)


def _float32s(parts: list[bytes]) -> np.ndarray:
    """Little-endian float32 numbers (a block's weights, as our codec stores them), end to end, as one float64
    array."""
    return np.frombuffer(b"".join(parts), dtype="<f4").astype(np.float64)


def _summed_by_block(deltas: np.ndarray, lengths) -> np.ndarray:
    """Docnums from their deltas, each block's starting again from 0: one running sum, less its value before each
    block."""
    summed = np.cumsum(deltas)
    starts = np.cumsum(lengths) - lengths
    before = np.concatenate(([0], summed[starts[1:] - 1]))
    return summed - np.repeat(before, lengths)


def values_at(m: W3LeafMatcher, wanted: Sequence[int]) -> Iterator[tuple[int, object]]:
    """(docnum, raw posting value) for each of the sorted segment docnums ``wanted`` that the postings hold, the
    matcher used up.

    Whoosh's ``skip_to`` moves through a block one posting at a time, with three method calls each: finding 200
    phrase candidates in a common word's postings took 10-40 ms. Here a block whose last docnum comes before the
    next wanted one is passed by its header alone, and a block holding some is decoded once and searched by
    bisection; our codec's blocks cut out the wanted postings' values alone (``ArrayLeafMatcher.value_at``).
    Relies on: ``_maxid`` (a block's last docnum, from its header), ``block_ids``, ``_read_values()``,
    ``_next_block()`` and the ``_ids``, ``_values`` they fill.
    """
    i, n = 0, len(wanted)
    array_blocks = isinstance(m, ArrayLeafMatcher)
    while i < n and m.is_active():
        if wanted[i] > m._maxid:
            if not array_blocks:
                m._next_block()
            elif not m.skip_to_block(wanted[i]):  # our codec's: by the term's block index
                break
            continue
        ids = block_ids(m)
        value_at = m.value_at if array_blocks else _value_at(m)
        while i < n and wanted[i] <= m._maxid:
            at = bisect.bisect_left(ids, wanted[i])
            if at < len(ids) and ids[at] == wanted[i]:
                yield wanted[i], value_at(at)
            i += 1
        m._next_block()


def _value_at(m: W3LeafMatcher) -> Callable[[int], object]:
    """A function from a posting's index in the matcher's current block to its raw value (Whoosh's blocks: all of
    the block's values read at the first)."""

    def value_at(i: int):
        if m._values is None:
            m._read_values()
        return m._values[i]

    return value_at


def positions_decoder(fmt) -> Callable[[object], list[int]]:
    """A function from a raw posting value of ``fmt`` to its positions: for Whoosh's ``Positions`` format, the
    pickled deltas summed by ``itertools.accumulate`` instead of a Python loop (half the time of
    ``decode_positions``, the same list); for any other format, Whoosh's own decoder.

    Relies on: ``Positions.encode`` writing a 4-byte count, then the deltas pickled (its ``decode_positions``
    appends the pickle's STOP when missing).
    """
    if isinstance(fmt, ArrayPositions):
        return fmt.decode_positions
    if type(fmt) is not Positions:
        decode = fmt.decoder("positions")
        return lambda value: list(decode(value))

    def decode_positions(value) -> list[int]:
        if not value.endswith(b"."):
            value += b"."
        return list(itertools.accumulate(pickle.loads(value[_INT_SIZE:])))

    return decode_positions


class PostingPositions(NamedTuple):
    """A term's postings read with their positions: each posting's docnum and weight (the term's frequency in the
    document times the field's boost, as scoring reads it), and every position as (docs, positions), in order."""

    posting_docs: np.ndarray
    weights: np.ndarray
    docs: np.ndarray
    positions: np.ndarray


def posting_positions(m, fmt, wanted: Sequence[int] | None = None) -> PostingPositions:
    """A term's postings ``m`` (of a field of format ``fmt``) with every position (``PostingPositions``), the
    matcher used up. Our codec's blocks of ``ArrayPositions`` are read a block at a time, without a Python step per
    posting; other postings (a term in one document, kept in the term index; a segment in Whoosh's own blocks) a
    posting at a time. ``wanted`` (sorted docnums): our codec's blocks holding none of them are passed by their
    header (the postings of others may still come back, from the blocks read).

    Relies on: ``ArrayLeafMatcher.block_arrays()`` (a block's docnum deltas, then its weights, as uint32 and
    float32) / ``block_values()`` (a block's values: the uint32 byte length of each posting's positions, then the
    positions as uint32 deltas from 0, end to end), ``skip_to_block()``, ``_blocklength``, ``_maxid`` (a block's
    last docnum), ``_next_block()``.
    """
    if not isinstance(m, ArrayLeafMatcher) or not isinstance(m.format, ArrayPositions):
        decode = positions_decoder(fmt)
        posting_docs: list[int] = []
        weights: list[float] = []
        docs: list[int] = []
        where: list[int] = []
        while m.is_active():
            found = decode(m.value())
            posting_docs.append(m.id())
            weights.append(m.weight())
            docs.extend([m.id()] * len(found))
            where.extend(found)
            m.next()
        return PostingPositions(
            np.array(posting_docs, dtype=np.int64),
            np.array(weights, dtype=np.float64),
            np.array(docs, dtype=np.int64),
            np.array(where, dtype=np.int64),
        )
    ids: list[bytes] = []
    block_weights: list[bytes] = []
    lengths: list[int] = []
    counts: list[bytes] = []
    deltas: list[bytes] = []
    after = -1  # the last docnum of the block before
    while m.is_active():
        if wanted is not None:  # the next wanted document: in this block, a later one (the block index), or none
            at = bisect.bisect_right(wanted, after)
            if at == len(wanted) or not m.skip_to_block(wanted[at]):
                break
        after = m._maxid
        n = m._blocklength
        arrays = m.block_arrays()
        ids.append(arrays[: 4 * n])
        block_weights.append(arrays[4 * n : 8 * n])
        values = m.block_values()
        counts.append(values[: 4 * n])
        deltas.append(values[4 * n :])
        lengths.append(n)
        m._next_block()
    if not lengths:
        empty = np.zeros(0, dtype=np.int64)
        return PostingPositions(empty, np.zeros(0, dtype=np.float64), empty, empty)
    docnums = _summed_by_block(_uint32s(ids), lengths)
    per_posting = _uint32s(counts) // 4  # positions in each posting
    # Each posting's deltas start again from 0: summed as one run, less the sum before each posting.
    positions = _summed_by_block(_uint32s(deltas), per_posting)
    return PostingPositions(docnums, _float32s(block_weights), np.repeat(docnums, per_posting), positions)


class CountingTopCollector(TopCollector):
    """Whoosh's top-N collector that counts every match: it never lets the matcher tree drop branches for the page.

    Whoosh's ``ScoredCollector.matches`` calls ``matcher.replace(self.minscore)`` every ``replace`` matches, with the
    page's lowest score once the page is full, even without block skipping: an OR whose branch cannot reach the
    page becomes an AndMaybe and its matches go uncounted ('ferry' with a date filter, limit 1: 98 of 600). Here
    ``minscore`` always reads None, so replacing only drops exhausted branches (``replace(0)``), which keeps its
    speed. Relies on: ``matches`` reading ``self.minscore``, ``_collect`` writing it and ranking by its own heap.
    """

    @property
    def minscore(self):
        return None

    @minscore.setter
    def minscore(self, value) -> None:
        pass


def collected_total(collector) -> int | None:
    """How many documents a top-N collector saw (every match when it did not skip blocks), or None for another
    collector. Relies on: ``TopCollector.total``, counted in ``_collect`` (its public ``count()`` would search
    again when block skipping was possible)."""
    return collector.total if isinstance(collector, TopCollector) else None


def filter_allowed(collector: FilterCollector):
    """The set of top-level docnums a FilterCollector lets through, once it is prepared (None: all).
    Relies on: ``FilterCollector._allow``, set by ``prepare()`` from the ``allow`` given."""
    return collector._allow

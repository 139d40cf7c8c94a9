"""The index's posting format: Whoosh's W3 codec, each block's document numbers and term frequencies stored as
arrays, apart from the positions.

Whoosh's W3 blocks are one pickled tuple (docnum deltas, frequencies, every posting's positions), compressed
together: to score a common word, every block's positions were decompressed and unpickled too, and each docnum
summed by a Python generator (16 ms for the 29,000 postings of "said"). Here a block's data is two sections:
the docnum deltas and frequencies as little-endian uint32 and float32 arrays, compressed together, then the
values compressed on their own; scoring reads the first section only, and numpy decodes it in one call
(``whoosh_read.posting_arrays``). The values of a field with positions (``ArrayPositions``: each posting's
positions as a uint32 array) are each posting's byte length, then the arrays end to end: a block's positions
are one array too (``whoosh_read.posting_positions``), and a phrase is found in every document of its words at once.
The block header, the term index and everything else are Whoosh's own, and Whoosh's matchers read these blocks
through ``ArrayLeafMatcher``, so Whoosh's search, merging and checking work on them unchanged.

Each segment records the codec it was written with (it is pickled in the table of contents), so segments written
in Whoosh's own blocks stay readable beside these, and the fast paths read both. The positions format is the
schema's, for the whole index (SCHEMA_VERSION 8).

Relies on (whoosh-reloaded 2.7.5, pinned): ``W3PostingsWriter``'s block buffer (``_ids`` an ``array('I')``,
``_weights`` an ``array('f')``, ``_values`` the non-empty values, the block statistics) and ``_write_block``'s
framing (the header tag before the first block, a block length negative for the last, a pickled info tuple);
``W3LeafMatcher``'s ``_read_ids`` / ``_read_weights`` / ``_read_values`` filling ``_ids`` / ``_weights`` /
``_values`` from the block at ``_dataoffset`` .. ``_nextoffset``, ``_data`` reset by ``_goto``; ``_goto(offset)``
reading a block's header there (after the first block's at ``_baseoffset``), ``_atend`` ending the matcher, and
``_startoffset`` naming the term's postings in the file (``ArrayLeafMatcher.block_index``).
``tests/test_whoosh_internals.py`` checks them.
"""

from __future__ import annotations

import bisect
import itertools
import pickle
import struct
import sys
import zlib
from array import array

from whoosh.codec import whoosh3
from whoosh.formats import Positions
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import length_to_byte

_SECTIONS = struct.Struct("<II")  # the byte lengths of a block's two sections, as stored
VALUES_PICKLE_PROTOCOL = 5  # bytes objects read back without a call each (protocol 2: ``_codecs.encode``)
SMALL_BLOCK = 64  # bytes: a block this small is not compressed
BLOCK_INDEX_TERMS = 2048  # terms whose block index (``ArrayLeafMatcher.block_index``) a postings file keeps
_BIG_ENDIAN = sys.byteorder == "big"
_ONE, _TWO = struct.Struct("<I").pack, struct.Struct("<II").pack


def _deltas(values) -> array:
    """Increasing numbers as the differences from the one before (the first from 0), an array of uint32."""
    deltas = array("I")
    prev = 0
    for value in values:
        deltas.append(value - prev)
        prev = value
    return deltas


def _le_bytes(numbers: array) -> bytes:
    """An array's bytes, little-endian (as stored) whatever the machine's order."""
    if _BIG_ENDIAN:
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _le_array(typecode: str, data: bytes) -> array:
    """An array read from little-endian bytes (as stored)."""
    numbers = array(typecode, data)
    if _BIG_ENDIAN:
        numbers.byteswap()
    return numbers


class ArrayPositions(Positions):
    """Whoosh's ``Positions`` format with a posting's positions stored as an array: little-endian uint32 deltas
    (Whoosh's own pickles the list of deltas after a 4-byte count). Cheaper to write and to read one at a time,
    and a block of them is one array (``ArrayPostingsWriter``): a phrase is checked in every document of a
    common word at once (``whoosh_read.posting_positions``)."""

    def encode(self, poslist) -> bytes:
        # Most words occur once or twice in an article: those without a list (0.13 us, Whoosh's pickle 0.67 us).
        n = len(poslist)
        if n == 1:
            return _ONE(poslist[0])
        if n == 2:
            return _TWO(poslist[0], poslist[1] - poslist[0])
        return _le_bytes(_deltas(poslist))

    def decode_positions(self, valuestring) -> list[int]:
        return list(itertools.accumulate(_le_array("I", valuestring)))

    def decode_frequency(self, valuestring) -> int:
        return len(valuestring) // 4


class NewsCodec(whoosh3.W3Codec):
    """Whoosh's W3 codec with posting blocks of arrays (the module's docstring says how), and a term index that
    keeps the entries it has read (``TermInfoCache``)."""

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        return TermInfoCache(self, storage.open_file(tiname), storage.file_length(tiname), postfile)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors (unused here): Whoosh's own blocks
            return super().postings_writer(dbfile, byteids=byteids)
        return ArrayPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=False,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():  # a term in one document: its posting is kept in the term index
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


TERM_INFO_CACHE = 16_384  # term index entries kept per segment (about 200 bytes each)


class TermInfoCache(whoosh3.W3TermsReader):
    """Whoosh's reader of a segment's term index, keeping each entry it reads (absent terms too), up to
    TERM_INFO_CACHE, then starting again.

    A search asks the term index for the same word several times, in every segment: whether it is there, its
    document frequency (scoring, the rarest word first), its postings; a phrase search, again for each check. Each
    ask was a hash, a seek and a read of the file and a decoding of the entry: 270 asks and 3 ms of a search of a
    phrase, at 36,575 articles. The index files of a segment never change once written, so the entries never go
    stale. Relies on: ``_tindex[key]`` (KeyError when absent), ``_keycoder``, ``W3TermInfo.from_bytes``.
    """

    def __init__(self, codec, dbfile, length, postfile):
        super().__init__(codec, dbfile, length, postfile)
        self._infos: dict[tuple[str, bytes], whoosh3.W3TermInfo | None] = {}

    def _info(self, fieldname: str, tbytes: bytes) -> whoosh3.W3TermInfo | None:
        key = (fieldname, tbytes)
        infos = self._infos
        if key in infos:
            return infos[key]
        try:
            info = whoosh3.W3TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            info = None
        if len(infos) >= TERM_INFO_CACHE:
            infos.clear()
        infos[key] = info
        return info

    def __contains__(self, term) -> bool:
        return self._info(*term) is not None

    def term_info(self, fieldname, tbytes):
        info = self._info(fieldname, tbytes)
        if info is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return info

    def frequency(self, fieldname, tbytes):
        info = self._info(fieldname, tbytes)
        if info is None:
            raise KeyError((fieldname, tbytes))  # as Whoosh's: the segment reader answers 0
        return info.weight()

    def doc_frequency(self, fieldname, tbytes):
        info = self._info(fieldname, tbytes)
        if info is None:
            raise KeyError((fieldname, tbytes))
        return info.doc_frequency()


class ArrayPostingsWriter(whoosh3.W3PostingsWriter):
    def _write_block(self, last=False):
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        # array, not numpy: most blocks are a rare term's one to five postings, where numpy's per-call cost
        # made the whole build 30% slower.
        arrays = _le_bytes(_deltas(ids)) + _le_bytes(self._weights)
        values = self._values_bytes()
        # A small block is stored as it is: compressing it costs more than it saves.
        comp = self._compression if len(arrays) + len(values) > SMALL_BLOCK else 0
        if comp:
            arrays = zlib.compress(arrays, comp)
            values = zlib.compress(values, comp) if values else values
        data = _SECTIONS.pack(len(arrays), len(values)) + arrays + values
        info = pickle.dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                comp,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        blocklength = len(info) + len(data)
        postfile.write_int(-blocklength if last else blocklength)
        postfile.write(info)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def _values_bytes(self) -> bytes:
        if isinstance(self._format, ArrayPositions):  # each posting's byte length, then the arrays end to end
            return _le_bytes(array("I", [len(v) for v in self._values])) + b"".join(self._values)
        fixedsize = self._format.fixed_value_size()
        if fixedsize is None or fixedsize < 0:
            return pickle.dumps(tuple(self._values), VALUES_PICKLE_PROTOCOL)
        if fixedsize == 0:
            return b""
        return b"".join(self._values)


class ArrayLeafMatcher(whoosh3.W3LeafMatcher):
    """Whoosh's leaf matcher over ``ArrayPostingsWriter``'s blocks."""

    def block_arrays(self) -> bytes:
        """The current block's first section, decompressed: its docnum deltas (uint32) then its frequencies
        (float32), ``_blocklength`` of each, little-endian."""
        if self._data is None:
            raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
            arrays_length, values_length = _SECTIONS.unpack_from(raw)
            start = _SECTIONS.size
            arrays = raw[start : start + arrays_length]
            values = raw[start + arrays_length : start + arrays_length + values_length]
            # [arrays, values, whether values is decompressed yet]: the values only when asked for
            self._data = [zlib.decompress(arrays) if self._compression else arrays, values, not self._compression]
        return self._data[0]

    def block_values(self) -> bytes:
        """The current block's second section, decompressed: its values (positions, in a field with positions)."""
        self.block_arrays()
        data = self._data
        if not data[2]:
            data[1] = zlib.decompress(data[1]) if data[1] else data[1]
            data[2] = True
        return data[1]

    def skip_to_block(self, docnum: int) -> bool:
        """Move to the block that would hold ``docnum``: this one, or the first later one whose last docnum is not
        before it, by the term's block index (``block_index``) rather than every header in between. False, and the
        matcher used up, when no block would."""
        if docnum <= self._maxid:
            return True
        maxids, offsets = self.block_index()
        at = bisect.bisect_left(maxids, docnum)
        if at == len(maxids):
            self._atend = True
            return False
        self._goto(offsets[at])
        return True

    def block_index(self) -> tuple[list[int], list[int]]:
        """(last docnum, offset) of each block of the term's postings, in order, from the blocks' headers: read once
        for each postings file and term, and kept with the file (at most BLOCK_INDEX_TERMS terms). A phrase's
        candidates are checked in rounds, each reading its words' postings again: the headers of every block of
        "have" (1,100 at 146,300 articles) were read each round, for the few blocks that held a candidate."""
        cache = self._postfile.__dict__.setdefault("_searchnews_block_index", {})
        found = cache.get(self._startoffset)
        if found is None:
            if len(cache) >= BLOCK_INDEX_TERMS:
                cache.clear()
            found = cache[self._startoffset] = self._read_block_index()
        return found

    def _read_block_index(self) -> tuple[list[int], list[int]]:
        postfile = self._postfile
        maxids: list[int] = []
        offsets: list[int] = []
        position = self._baseoffset
        while True:  # as _goto reads a block's header: its length (negative for the last), its pickled info
            postfile.seek(position)
            length = postfile.read_int()
            maxids.append(postfile.read_pickle()[1])
            offsets.append(position)
            if length < 0:
                return maxids, offsets
            position += _INT_SIZE + length

    # Whoosh's matchers (its searches, and merging segments) read blocks one at a time, most of them a rare
    # term's one to five postings: array and itertools, not numpy, whose per-call cost is more than such a block's.

    def _read_ids(self):
        n = self._blocklength
        self._ids = list(itertools.accumulate(_le_array("I", self.block_arrays()[: 4 * n])))

    def _read_weights(self):
        n = self._blocklength
        self._weights = _le_array("f", self.block_arrays()[4 * n : 8 * n]).tolist()

    def value_at(self, i: int):
        """The raw value of the current block's ``i``-th posting. Positions are cut out of the block's values alone,
        without splitting the others: a phrase check wants a few postings of a block of 128."""
        if self._values is None and isinstance(self.format, ArrayPositions):
            start, end = self._value_offsets()[i : i + 2]
            return self.block_values()[start:end]
        if self._values is None:
            self._read_values()
        return self._values[i]

    def _value_offsets(self) -> list[int]:
        """Where each posting's positions start in the block's values, then where the last ends (kept with the
        block: ``_goto`` drops ``_data``)."""
        values = self.block_values()
        if len(self._data) < 4:
            n = self._blocklength
            self._data.append(list(itertools.accumulate(_le_array("I", values[: 4 * n]), initial=4 * n)))
        return self._data[3]

    def _read_values(self):
        fixedsize = self._fixedsize
        if fixedsize == 0:
            self._values = (None,) * self._blocklength
            return
        values = self.block_values()
        if isinstance(self.format, ArrayPositions):
            offsets = self._value_offsets()
            self._values = tuple(values[start:end] for start, end in itertools.pairwise(offsets))
        elif fixedsize is None or fixedsize < 0:
            self._values = pickle.loads(values)
        else:
            self._values = tuple(values[i : i + fixedsize] for i in range(0, len(values), fixedsize))

"""The index's posting format: Whoosh's W3 codec, each block's document numbers and term frequencies stored as
arrays, apart from the positions.

Whoosh's W3 blocks are one pickled tuple (docnum deltas, frequencies, every posting's positions), compressed
together: to score a common word, every block's positions were decompressed and unpickled too, and each docnum
summed by a Python generator (16 ms for the 29,000 postings of "said"). Here a block's data is two sections:
the docnum deltas and frequencies as little-endian uint32 and float32 arrays, compressed together, then the
positions (the format's values, pickled) compressed on their own; scoring reads the first section only, and
numpy decodes it in one call (``whoosh_read.posting_arrays``). The block header, the term index and everything
else are Whoosh's own, and Whoosh's matchers read these blocks through ``ArrayLeafMatcher``, so Whoosh's search,
merging and checking work on them unchanged.

Each segment records the codec it was written with (it is pickled in the table of contents), so segments written
in Whoosh's own format before stay readable beside these, and the fast paths read both.

Relies on (whoosh-reloaded 2.7.5, pinned): ``W3PostingsWriter``'s block buffer (``_ids`` an ``array('I')``,
``_weights`` an ``array('f')``, ``_values`` the non-empty values, the block statistics) and ``_write_block``'s
framing (the header tag before the first block, a block length negative for the last, a pickled info tuple);
``W3LeafMatcher``'s ``_read_ids`` / ``_read_weights`` / ``_read_values`` filling ``_ids`` / ``_weights`` /
``_values`` from the block at ``_dataoffset`` .. ``_nextoffset``, ``_data`` reset by ``_goto``.
``tests/test_whoosh_internals.py`` checks them.
"""

from __future__ import annotations

import itertools
import pickle
import struct
import sys
import zlib
from array import array

import numpy as np
from whoosh.codec import whoosh3
from whoosh.util.numeric import length_to_byte

_SECTIONS = struct.Struct("<II")  # the byte lengths of a block's two sections, as stored
VALUES_PICKLE_PROTOCOL = 5  # bytes objects read back without a call each (protocol 2: ``_codecs.encode``)
SMALL_BLOCK = 64  # bytes: a block this small is not compressed
_BIG_ENDIAN = sys.byteorder == "big"


class NewsCodec(whoosh3.W3Codec):
    """Whoosh's W3 codec with posting blocks of arrays (the module's docstring says how)."""

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


class ArrayPostingsWriter(whoosh3.W3PostingsWriter):
    def _write_block(self, last=False):
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        # array, not numpy: most blocks are a rare term's one to five postings, where numpy's per-call cost
        # made the whole build 30% slower.
        deltas = array("I", [b - a for a, b in zip(itertools.chain((0,), ids), ids, strict=False)])
        weights = self._weights
        if _BIG_ENDIAN:
            deltas.byteswap()
            weights = array("f", weights)
            weights.byteswap()
        arrays = deltas.tobytes() + weights.tobytes()
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
            self._data = (zlib.decompress(arrays) if self._compression else arrays, values)
        return self._data[0]

    def _read_ids(self):
        self._ids = np.frombuffer(self.block_arrays(), dtype="<u4", count=self._blocklength).cumsum().tolist()

    def _read_weights(self):
        n = self._blocklength
        self._weights = np.frombuffer(self.block_arrays(), dtype="<f4", count=n, offset=4 * n).tolist()

    def _read_values(self):
        self.block_arrays()
        values = self._data[1]
        fixedsize = self._fixedsize
        if fixedsize == 0:
            self._values = (None,) * self._blocklength
            return
        if values and self._compression:
            values = zlib.decompress(values)
        if fixedsize is None or fixedsize < 0:
            self._values = pickle.loads(values)
        else:
            self._values = tuple(values[i : i + fixedsize] for i in range(0, len(values), fixedsize))

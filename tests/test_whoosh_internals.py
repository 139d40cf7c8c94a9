"""Whoosh's internals that the engine relies on (through engine/whoosh_read.py and engine/whoosh_write.py) are what
the code expects, on a real index of the pinned Whoosh: each failure names what changed.

The fast paths fall back to Whoosh's own reading on surprises they can see; these tests catch the ones they cannot
(a column laid out differently still decodes, into wrong lengths and so a wrong ranking).
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from whoosh import collectors, index, multiproc, query, writing
from whoosh.codec import whoosh3
from whoosh.externalsort import SortingPool
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader

from searchnews.engine import open_index, whoosh_read, whoosh_write
from searchnews.engine.query import ARTICLE_FIELDS, QUOTE_FIELDS
from searchnews.engine.store import WHOOSH_INDEX_NAME, IndexStore
from searchnews.indexing import index_paths


def _expect(condition: bool, what: str) -> None:
    if not condition:
        pytest.fail(f"Whoosh internals changed: {what} (see engine/whoosh_read.py, engine/whoosh_write.py)")


@pytest.fixture(scope="module")
def updated_index(tmp_path_factory) -> Path:
    """An index of two segments, the first with a deleted document (an article changed), some without a date."""
    folder = tmp_path_factory.mktemp("internals")
    rows = [
        {
            "id": f"a{n}",
            "headline": f"Harbour report {n}" + " ferry" * (n % 4),
            "body": " ".join(["The council met."] * (1 + n % 9)) + f' Mayor Jo Reed said: "Item {n} is agreed."',
            **({"date": f"2021-0{1 + n % 9}-1{n % 10}"} if n % 3 else {}),
        }
        for n in range(300)
    ]
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    index_paths(folder / "ix", [feed], jobs=1)
    rows[5]["body"] = "A ferry, rewritten with many more words than before to change its length."
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    index_paths(folder / "ix", [feed], jobs=1)
    return folder / "ix"


def _leaf_readers(root: Path):
    s = open_index(root).searcher()
    leaves = s.s.reader().leaf_readers()
    _expect(len(leaves) > 1 and any(r.has_deletions() for r, _ in leaves), "the test index should have 2 segments")
    return s, leaves


def test_field_lengths_read_from_the_column_bytes_equal_whooshs_own(updated_index: Path) -> None:
    s, leaves = _leaf_readers(updated_index)
    with s:
        for reader, _offset in leaves:
            _expect(hasattr(reader, "_perdoc") and hasattr(reader._perdoc, "_cached_reader"), "SegmentReader._perdoc")
            for fieldname in (*ARTICLE_FIELDS, *QUOTE_FIELDS):
                lengths = whoosh_read.field_lengths(reader, fieldname)
                if lengths is None:  # a segment where no document has the field has no length column
                    _expect(
                        fieldname not in reader.indexed_field_names(),
                        f"the length column of {fieldname!r} is not a fixed column of bytes",
                    )
                    continue
                whooshs = [reader.doc_field_length(d, fieldname, 0) for d in range(reader.doc_count_all())]
                _expect(lengths == whooshs, f"the length column of {fieldname!r} decodes to other lengths")


def test_date_column_bytes_equal_whooshs_own(updated_index: Path) -> None:
    s, leaves = _leaf_readers(updated_index)
    with s:
        for reader, _offset in leaves:
            column = reader.column_reader("date", translate=False)
            for name in ("_dbfile", "_basepos", "_count", "_fixedlen", "_typecode", "_doccount", "_default"):
                _expect(hasattr(column, name), f"numeric column reader has no {name}")
            _expect(list(whoosh_read.column_values(column)) == list(column), "the date column decodes differently")


def test_posting_blocks_and_deletions_equal_whooshs_matchers(updated_index: Path) -> None:
    s, leaves = _leaf_readers(updated_index)
    with s:
        for reader, _offset in leaves:
            for fieldname, text in (("body", "council"), ("headline", "ferry"), ("quote", "agre")):
                if (fieldname, text) not in reader:
                    continue
                deleted, m = whoosh_read.unwrap_deletions(reader.postings(fieldname, text))
                expected_deleted = {d for d in range(reader.doc_count_all()) if reader.is_deleted(d)}
                _expect(set(deleted) == expected_deleted, "FilterMatcher no longer carries the deleted docnums")
                _expect(whoosh_read.has_blocks(m), f"{type(m).__name__} is not the W3 leaf matcher")
                ours = [(d, w) for ids, ws in whoosh_read.posting_blocks(m) for d, w in zip(ids, ws, strict=True)]
                plain = reader.postings(fieldname, text)
                plain = plain.child if isinstance(plain, FilterMatcher) else plain
                whooshs = []
                while plain.is_active():
                    whooshs.append((plain.id(), plain.weight()))
                    plain.next()
                _expect(ours == whooshs, f"posting blocks of {fieldname}:{text} decode differently")
                _deleted, m = whoosh_read.unwrap_deletions(reader.postings(fieldname, text))
                ids, weights = whoosh_read.posting_arrays(m)
                _expect(
                    list(zip(ids.tolist(), weights.tolist(), strict=True)) == whooshs,
                    f"posting arrays of {fieldname}:{text} decode differently",
                )
    for name in ("_read_data", "_read_weights", "_next_block"):
        _expect(callable(getattr(whoosh3.W3LeafMatcher, name, None)), f"W3LeafMatcher.{name} is gone")


def test_collector_counts_and_filter(updated_index: Path) -> None:
    with open_index(updated_index).searcher() as s:
        q = query.Term("body", "council")
        top = s.s.collector(limit=5)
        _expect(isinstance(top, collectors.TopCollector), "Searcher.collector() is not a TopCollector")
        s.s.search_with_collector(q, top)
        _expect(whoosh_read.collected_total(top) == len(list(s.s.docs_for_query(q))), "TopCollector.total")
        allow = {1, 2, 3}
        filtered = collectors.FilterCollector(s.s.collector(limit=5), allow=allow)
        s.s.search_with_collector(q, filtered)
        _expect(set(whoosh_read.filter_allowed(filtered)) == allow, "FilterCollector._allow")

        counting = whoosh_read.CountingTopCollector(limit=1)
        either = query.Or([query.Term("body", "council"), query.Term("body", "harbour")])
        s.s.search_with_collector(either, counting)
        _expect(
            whoosh_read.collected_total(counting) == len(list(s.s.docs_for_query(either))),
            "CountingTopCollector: Whoosh's matches() no longer reads minscore to replace the matcher tree",
        )
        _expect("self.minscore" in inspect.getsource(collectors.ScoredCollector.matches), "ScoredCollector.matches")


def test_writer_internals(updated_index: Path) -> None:
    gen = IndexStore(updated_index).current_dir()
    assert gen is not None
    ix = index.open_dir(str(gen), indexname=WHOOSH_INDEX_NAME)
    segments = whoosh_write.segments(ix)
    _expect(bool(segments) and all(hasattr(seg, "segment_id") for seg in segments), "Index._segments()")
    toc, segment = whoosh_write.file_patterns(WHOOSH_INDEX_NAME)
    names = [p.name for p in gen.iterdir()]
    tocs = [int(m.group(1)) for m in map(toc.match, names) if m]
    _expect(ix.latest_generation() in tocs, "TOC._pattern does not match the table of contents' file name")
    ids = {m.group(1) for m in map(segment.match, names) if m}
    _expect({seg.segment_id() for seg in segments} <= ids, "TOC._segment_pattern does not match segment files")
    # The W3 codec pickles posting blocks through the module's own ``dumps`` name (so swapping it takes effect).
    _expect("dumps(" in inspect.getsource(whoosh3), "whoosh3 no longer pickles blocks with dumps()")
    with whoosh_write.postings_pickle_protocol():
        _expect(whoosh3.dumps is not whoosh_write._whoosh_dumps, "whoosh3.dumps was not swapped")
    _expect(whoosh3.dumps is whoosh_write._whoosh_dumps, "whoosh3.dumps was not restored")
    # The posting pool spills sorted runs through these two methods (swapped the same way).
    _expect(issubclass(writing.PostingPool, SortingPool), "the writer's posting pool is no longer a SortingPool")
    runs = (SortingPool._write_run, SortingPool._read_run)
    _expect(runs == whoosh_write._whoosh_runs, "the run methods were not restored")
    # Our writers override these and read these attributes.
    for cls in (writing.SegmentWriter, multiproc.MpWriter):
        _expect(callable(getattr(cls, "_commit_toc", None)), f"{cls.__name__}._commit_toc is gone")
    _expect(callable(getattr(multiproc.MpWriter, "_new_task", None)), "MpWriter._new_task is gone")
    init = inspect.signature(multiproc.SubWriterTask.__init__).parameters
    _expect(
        list(init) == ["self", "storage", "indexname", "jobqueue", "resultqueue", "kwargs", "multisegment"],
        f"SubWriterTask's arguments are now {list(init)}",
    )
    source = inspect.getsource(multiproc.MpWriter.__init__)
    for name in ("self.tasks", "self.jobqueue", "self.resultqueue", "self.subargs", "self.multisegment"):
        _expect(name in source, f"MpWriter no longer sets {name}")
    _expect(inspect.signature(SegmentReader).parameters.keys() >= {"storage", "schema", "segment"}, "SegmentReader")


def test_posting_arrays_decode_every_way_a_block_stores_its_weights(tmp_path: Path) -> None:
    """A block stores its term frequencies as None (all 1), one float (all equal) or a tuple: each decodes as
    Whoosh's matcher reads it, across blocks (300 postings: three blocks)."""
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"id": f"d{n}", "headline": f"Report {n}", "body": "alpha. beta beta. " + "gamma " * (1 + n % 3)}
        for n in range(300)
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    index_paths(tmp_path / "ix", [feed], jobs=1)
    with open_index(tmp_path / "ix").searcher() as s:
        (reader, _offset), *_ = s.s.reader().leaf_readers()
        for text, expected in (("alpha", {1.0}), ("beta", {2.0}), ("gamma", {1.0, 2.0, 3.0})):
            plain = reader.postings("body", text)
            whooshs = []
            while plain.is_active():
                whooshs.append((plain.id(), plain.weight()))
                plain.next()
            ids, weights = whoosh_read.posting_arrays(reader.postings("body", text))
            _expect(len(whooshs) == 300 and set(weights.tolist()) == expected, f"body:{text} weights {expected}")
            ours = list(zip(ids.tolist(), weights.tolist(), strict=True))
            _expect(ours == whooshs, f"body:{text} decodes differently")


def test_our_codec_stores_what_whooshs_own_stores(tmp_path: Path) -> None:
    """The same documents written with Whoosh's W3 codec and with ours (engine/postings.py) read back the same:
    every term's postings (docnums, frequencies, positions) in every field, through Whoosh's own matchers; a merge
    of segments keeps them; and Whoosh's own search (a phrase, a word) finds the same documents in the same order."""
    from whoosh import index as whoosh_index
    from whoosh.qparser import QueryParser

    from searchnews.engine import postings
    from searchnews.engine.schema import build_schema

    docs = [
        {
            "id": f"d{n}",
            "headline": f"Ferry report {n}",
            "body": " ".join(["the harbour ferry sailed"] * (1 + n % 5)) + f" word{n % 7} " + "tide " * (n % 300),
        }
        for n in range(400)
    ]
    built = {}
    for name, codec in (("whoosh", None), ("ours", postings.NewsCodec())):
        folder = tmp_path / name
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), build_schema())
        for part, optimize in ((docs[:150], False), (docs[150:], True)):  # the second commit merges the first's in
            w = ix.writer(**({"codec": codec} if codec else {}))
            for doc in part:
                w.add_document(**doc)
            w.commit(optimize=optimize)
        built[name] = whoosh_index.open_dir(str(folder))
    with built["whoosh"].searcher() as theirs, built["ours"].searcher() as ours:
        _expect(len(ours.reader().leaf_readers()) == 1, "the two commits should have merged into one segment")
        (reader, _), *_ = ours.reader().leaf_readers()
        _expect(isinstance(reader.postings("body", "ferri"), postings.ArrayLeafMatcher), "our codec was not used")
        for fieldname in ("headline", "body"):
            terms = list(theirs.reader().lexicon(fieldname))
            _expect(terms == list(ours.reader().lexicon(fieldname)), f"{fieldname}: the terms differ")
            for text in terms:
                a, b = theirs.reader().postings(fieldname, text), ours.reader().postings(fieldname, text)
                _expect(list(a.items_as("positions")) == list(b.items_as("positions")), f"{fieldname}:{text!r}")
                a, b = theirs.reader().postings(fieldname, text), ours.reader().postings(fieldname, text)
                _expect([a.weight() for _ in a.all_ids()] == [b.weight() for _ in b.all_ids()], f"{text!r} weights")
                # the term index, read through TermInfoCache (asked twice: the second answer is the kept one)
                for _ in range(2):
                    for ask in ("doc_frequency", "frequency"):
                        mine, whooshs = getattr(ours.reader(), ask)(fieldname, text), getattr(theirs.reader(), ask)
                        _expect(mine == whooshs(fieldname, text), f"{ask} of {fieldname}:{text!r}")
                # a phrase check's reads of a few postings of a block (every third document)
                a, b = theirs.reader().postings(fieldname, text), ours.reader().postings(fieldname, text)
                wanted = list(range(0, len(docs), 3))
                expected = [(d, list(where)) for d, where in a.items_as("positions") if d % 3 == 0]
                decode = ours.schema[fieldname].format.decode_positions
                mine = [(d, decode(value)) for d, value in whoosh_read.values_at(b, wanted)]
                _expect(mine == expected, f"values_at of {fieldname}:{text!r}")
        for _ in range(2):  # an absent term, asked again once kept as absent
            _expect(("body", "zzzz") not in ours.reader(), "an absent term found")
            _expect(ours.reader().doc_frequency("body", "zzzz") == 0 == ours.reader().frequency("body", "zzzz"), "zzzz")
        parser = QueryParser("body", build_schema())
        for text in ('"harbour ferry"', "tide", '"sailed word3"'):
            q = parser.parse(text)
            _expect(
                [h.docnum for h in theirs.search(q, limit=None)] == [h.docnum for h in ours.search(q, limit=None)],
                f"Whoosh's search for {text} differs",
            )


def test_segments_in_whooshs_format_and_ours_read_side_by_side(tmp_path: Path) -> None:
    """An index written before (Whoosh's own blocks) and updated since (ours): each segment is read through the
    codec it was written with, by Whoosh and by the fast paths alike."""
    from whoosh import index as whoosh_index
    from whoosh.qparser import QueryParser

    from searchnews.engine import postings
    from searchnews.engine.schema import build_schema

    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    for n, codec in enumerate((None, postings.NewsCodec())):
        w = ix.writer(**({"codec": codec} if codec else {}))
        for k in range(200):
            w.add_document(id=f"{n}-{k}", headline="Ferry", body="the harbour ferry " * (1 + k % 3))
        w.commit()
    ix = whoosh_index.open_dir(str(tmp_path))
    with ix.searcher() as s:
        leaves = s.reader().leaf_readers()
        kinds = [type(r.postings("body", "ferri")) for r, _ in leaves]
        _expect(kinds == [whoosh3.W3LeafMatcher, postings.ArrayLeafMatcher], f"segments read as {kinds}")
        for reader, _offset in leaves:
            ids, weights = whoosh_read.posting_arrays(reader.postings("body", "ferri"))
            _expect(ids.tolist() == list(range(200)), "docnums of a segment")
            _expect(weights.tolist() == [float(1 + k % 3) for k in range(200)], "frequencies of a segment")
        phrase = QueryParser("body", s.schema).parse('"harbour ferry"')
        _expect(len(s.search(phrase, limit=None)) == 400, "Whoosh's phrase search over both")


def test_posting_positions_equal_whooshs_positions(updated_index: Path) -> None:
    """Every position of a term, read a block at a time as arrays, is what Whoosh's matcher reads a posting at a
    time (deleted documents included: the caller leaves them out), in every segment."""
    s, leaves = _leaf_readers(updated_index)
    with s:
        for reader, _offset in leaves:
            for fieldname, text in (("body", "council"), ("body", "the"), ("headline", "ferri"), ("quote", "agre")):
                if (fieldname, text) not in reader:
                    continue
                _deleted, m = whoosh_read.unwrap_deletions(reader.postings(fieldname, text))
                read = whoosh_read.posting_positions(m, reader.schema[fieldname].format)
                docs, positions = read.docs, read.positions
                plain = reader.postings(fieldname, text)
                plain = plain.child if isinstance(plain, FilterMatcher) else plain
                whooshs = [(d, p) for d, where in plain.items_as("positions") for p in where]
                ours = list(zip(docs.tolist(), positions.tolist(), strict=True))
                _expect(ours == whooshs, f"positions of {fieldname}:{text} decode differently")
                # only the blocks holding a wanted document (the first and the last): those documents' positions
                # all come back, and blocks holding none are passed ("council" is in 300 articles: 3 blocks)
                holders = sorted({d for d, _ in whooshs})
                wanted = [holders[0], holders[-1]]
                _deleted, m = whoosh_read.unwrap_deletions(reader.postings(fieldname, text))
                read = whoosh_read.posting_positions(m, reader.schema[fieldname].format, wanted)
                docs, positions = read.docs, read.positions
                some = list(zip(docs.tolist(), positions.tolist(), strict=True))
                _expect(set(some) <= set(whooshs), f"positions of {fieldname}:{text} in wanted blocks")
                _expect([x for x in whooshs if x[0] in wanted] == [x for x in some if x[0] in wanted], "wanted")
                if (fieldname, text) == ("body", "council") and reader.doc_count_all() > 250:
                    _expect(len({d for d, _ in some}) < len({d for d, _ in whooshs}), "no block was passed")
                    _deleted, m = whoosh_read.unwrap_deletions(reader.postings(fieldname, text))
                    docs = whoosh_read.posting_positions(m, reader.schema[fieldname].format, wanted[:1]).docs
                    _expect(wanted[0] in docs and docs.max() < max(wanted), "the blocks after the last wanted read")


def test_block_index_is_the_blocks_whoosh_walks(updated_index: Path) -> None:
    """A term's block index (our codec's matcher) holds each block's last docnum and offset as Whoosh's own walk
    from header to header finds them, and skipping by it lands on the block that holds a docnum, or past the end."""
    from searchnews.engine.postings import ArrayLeafMatcher

    s, leaves = _leaf_readers(updated_index)
    with s:
        checked = 0
        for reader, _offset in leaves:
            for fieldname, text in (("body", "the"), ("body", "council"), ("headline", "ferri")):
                if (fieldname, text) not in reader:
                    continue
                _deleted, m = whoosh_read.unwrap_deletions(reader.postings(fieldname, text))
                if not isinstance(m, ArrayLeafMatcher):
                    continue  # a term in one document: kept in the term index, no blocks
                walked: list[tuple[int, list[int]]] = []
                while m.is_active():
                    walked.append((m._maxid, whoosh_read.block_ids(m)))
                    m._next_block()
                _deleted, m = whoosh_read.unwrap_deletions(reader.postings(fieldname, text))
                maxids, offsets = m.block_index()
                _expect(maxids == [maxid for maxid, _ in walked], f"block index of {fieldname}:{text}")
                _expect(offsets == sorted(set(offsets)), "offsets in order")
                for n, (maxid, ids) in enumerate(walked):
                    _deleted, m = whoosh_read.unwrap_deletions(reader.postings(fieldname, text))
                    _expect(m.skip_to_block(ids[0]) and whoosh_read.block_ids(m) == ids, f"to block {n}")
                    _expect(m._maxid == maxid and m.is_active(), f"at block {n}")
                _expect(not m.skip_to_block(walked[-1][0] + 1) and not m.is_active(), "past the last block")
                checked += len(walked) > 1
        _expect(checked > 0, "no term of several blocks")


def test_runs_spilled_in_chunks_sort_as_whooshs_do(tmp_path: Path, monkeypatch) -> None:
    """A pool that spills sorted runs to disk (more items than it keeps) gives its items in order, through chunked
    runs, through runs merged into a run (more runs than files it may open), and from a run of Whoosh's own."""
    import random

    monkeypatch.setattr(whoosh_write, "RUN_CHUNK", 7)  # several chunks a run
    items = [("body", f"w{n % 37}".encode(), n, 1.0, None) for n in range(500)]
    random.Random(3).shuffle(items)
    with whoosh_write.postings_pickle_protocol():
        _expect(SortingPool._write_run is whoosh_write._write_run_chunks, "the run methods were not swapped")
        pool = SortingPool(maxsize=40, tempdir=str(tmp_path))
        for item in items:
            pool.add(item)
        _expect(len(pool.runs) > 4, "the pool did not spill")
        _expect(list(pool.items(maxfiles=3)) == sorted(items), "chunked runs merged out of order")
        whooshs = SortingPool(tempdir=str(tmp_path))
        path, f = whooshs._new_run()
        whoosh_write._whoosh_runs[0](whooshs, f, sorted(items[:50]))  # Whoosh's writer: one pickle an item
        _expect(list(whooshs._read_run(path)) == sorted(items[:50]), "a run of Whoosh's own read differently")
    _expect(not list(tmp_path.iterdir()), "runs left behind")

"""Reliability (issue #6): messy inputs, interrupted and concurrent writers, broken indexes, hostile queries.

Everything that needs real processes and signals runs ``python -m searchnews`` in a subprocess on invented
articles generated in tmp_path. A few runs go through a small harness (``_HARNESS``) that sets two engine
constants before calling the same CLI entry point: the commit interval (so a first build commits within a
test's lifetime) and the parallel threshold (so the multi-process writer starts after a few hundred articles).
"""

from __future__ import annotations

import ctypes
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchnews.engine import open_index
from searchnews.engine.store import IndexStore
from searchnews.engine.writer import PARALLEL_THRESHOLD
from searchnews.errors import InputError
from searchnews.indexing import index_paths
from searchnews.ingest import read_path
from searchnews.quotes import extract_quotes

# -- invented articles ------------------------------------------------------------------------------------------

_TOWNS = ["Porthaven", "Alderbridge", "Kestrel Bay", "Marlowe", "Fenwick", "Oakridge", "Saltmere", "Brackley"]
_TOPICS = [
    ("ferry", "The ferry timetable changes next month after a review of winter crossings."),
    ("library", "The library will open on Sundays once the new reading room is finished."),
    ("tram", "Work on the tram extension starts in spring and should take two years."),
    ("orchard", "Growers expect a smaller apple harvest after a wet and windy April."),
    ("bridge", "Engineers found cracks in the old bridge during a routine inspection."),
    ("market", "Stallholders at the covered market asked for longer opening hours."),
]
_SPEAKERS = ["Mayor Ann Lee", "Councillor Bo Park", "Engineer Ida Moss", "Farmer Tom Reid", "Director Lena Holt"]


def invented_article(n: int, prefix: str = "a") -> dict[str, str]:
    """One short invented article; most carry one or two quotes, some none."""
    town = _TOWNS[n % len(_TOWNS)]
    topic, sentence = _TOPICS[n % len(_TOPICS)]
    speaker = _SPEAKERS[n % len(_SPEAKERS)]
    paragraphs = [f"{town} council met on Tuesday to discuss the {topic}, item {n} on its agenda.", sentence]
    if n % 4 != 3:
        paragraphs.append(f'{speaker} said: "Item {n} about the {topic} in {town} is agreed."')
    if n % 3 == 0:
        paragraphs.append(f'"We will report back in a month," {speaker.split()[-1]} added.')
    return {
        "id": f"{prefix}{n}",
        "headline": f"{town} {topic} plan number {n}",
        "body": "\n\n".join(paragraphs),
        "date": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "source": "Invented Gazette",
    }


def write_feed(path: Path, count: int, prefix: str = "a") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for n in range(count):
            f.write(json.dumps(invented_article(n, prefix)) + "\n")
    return path


def expected_quotes(*feeds: Path) -> dict[str, int]:
    """article id -> how many quotes the extractor finds in it, read the way the indexer reads it."""
    counts: dict[str, int] = {}
    for feed in feeds:
        for item in read_path(feed):
            assert not isinstance(item, InputError), item
            counts[item.id] = len(extract_quotes(item))
    return counts


BASE, BIG = 40, 1500  # BIG: enough short articles for a run that lasts a few seconds


@pytest.fixture(scope="module")
def feeds(tmp_path_factory) -> dict[str, object]:
    """A small base feed, a big feed (long enough to interrupt) and their expected quote counts, made once."""
    folder = tmp_path_factory.mktemp("feeds")
    base = write_feed(folder / "base.jsonl", BASE, "base")
    big = write_feed(folder / "big.jsonl", BIG, "big")
    return {"base": base, "big": big, "quotes": expected_quotes(base, big)}


# -- processes ----------------------------------------------------------------------------------------------------

_HARNESS = (
    "import sys; import searchnews.engine.writer as w; "
    "w.PARALLEL_THRESHOLD = int(sys.argv.pop(1)); "
    "w.FIRST_COMMIT_SECONDS = w.MAX_COMMIT_INTERVAL_SECONDS = float(sys.argv.pop(1)); "
    "sys.argv[0] = 'searchnews'; from searchnews.cli import main; main()"
)


def _command(args, threshold: int | None = None, commit_every: float = 120.0) -> list[str]:
    if threshold is None:
        return [sys.executable, "-m", "searchnews", *map(str, args)]
    return [sys.executable, "-c", _HARNESS, str(threshold), str(commit_every), *map(str, args)]


def cli(*args, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(args), capture_output=True, text=True, timeout=timeout)


def start(*args, threshold: int | None = None, commit_every: float = 120.0) -> subprocess.Popen[str]:
    """A writer in its own process group, like a foreground job in a terminal."""
    return subprocess.Popen(
        _command(args, threshold, commit_every),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # a hung writer can be made to show where it hangs
    )


def wait_for(condition, timeout: float = 20.0, what: str = "condition", proc=None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"process ended (exit {proc.returncode}) before {what}: {err[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def wait_for_lock(proc: subprocess.Popen[str], root: Path) -> None:
    """Until ``proc`` holds the writer lock of ``root`` (it writes its pid there once it has it)."""
    lock = root / "writer.lock"

    def holding() -> bool:
        try:
            return lock.read_text() == f"pid {proc.pid}"
        except OSError:
            return False

    wait_for(holding, what="the writer lock", proc=proc)


def mid_run(proc: subprocess.Popen[str], root: Path, settle: float = 0.8) -> None:
    wait_for_lock(proc, root)
    time.sleep(settle)
    assert proc.poll() is None, "the run finished before the signal: the corpus is too small for this machine"


def children(pid: int) -> set[int]:
    """Live processes whose parent is ``pid`` (a /proc scan, no psutil)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat is not None and stat[1] == pid and stat[0] != "Z":
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    stat = _proc_stat(pid)
    return stat is not None and stat[0] != "Z"


def _proc_stat(pid: int) -> tuple[str, int] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = text.rsplit(")", 1)[1].split()[:2]
    return state, int(ppid)


def assert_one_line_interrupt(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("searchnews: interrupted"), stderr


def articles_and_quotes(root: Path) -> tuple[set[str], int]:
    """(ids of the live articles, their stored quotes) of the index at ``root``; the index's own count agrees."""
    with open_index(root).searcher() as s:
        docs = list(s.s.all_stored_fields())
    ids = {fields["id"] for fields in docs}
    quotes = sum(len(fields["quotes"]) for fields in docs)
    stats = open_index(root).stats()
    assert (stats.articles, stats.quotes) == (len(ids), quotes)
    return ids, quotes


def assert_complete(root: Path, counts: dict[str, int], ids: set[str]) -> None:
    """The index holds exactly the articles ``ids`` and every quote the extractor finds in them, no more."""
    live, quotes = articles_and_quotes(root)
    assert live == ids
    assert quotes == sum(counts[i] for i in ids)


@pytest.fixture
def base_index(tmp_path: Path, feeds) -> Path:
    root = tmp_path / "ix"
    assert index_paths(root, [feeds["base"]], jobs=1).articles == BASE
    return root


def _ids(counts: dict[str, int], prefix: str) -> set[str]:
    return {i for i in counts if i.startswith(prefix)}


# -- bad input ----------------------------------------------------------------------------------------------------


def _story(headline: str, quote: str) -> str:
    return f'{headline}\n\nThe parish council met on Monday evening.\n\nClerk Rosa Vane said: "{quote}"\n'


def _root_can_read_everything() -> bool:
    return os.geteuid() == 0


def _drop_read_override() -> None:
    """In the child, before exec: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set, so even
    root gets "permission denied" for a mode-000 file (the exec'd process keeps only the bounding set)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            os._exit(97)


def _can_drop_read_override(probe: Path) -> bool:
    probe.write_text("secret")
    probe.chmod(0)
    try:
        out = subprocess.run(["cat", str(probe)], preexec_fn=_drop_read_override, capture_output=True)
    except OSError:
        return False
    finally:
        probe.chmod(0o644)
        probe.unlink()
    return out.returncode not in (0, 97)


def test_messy_folder_every_input_indexed_or_named_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "cron drop – Überblick"
    folder.mkdir()
    good: dict[str, str] = {}  # file -> a word only that article holds

    def story(name: str, word: str) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_story(f"Parish notes {word}", f"The {word} fund is open."), encoding="utf-8")
        good[str(path)] = word
        return path

    story("plain.txt", "lanterns")
    story("with spaces in name.txt", "hedgerows")
    story("Zürich – café ünïcode.txt", "gondolas")
    story("日本語の記事.txt", "lighthouses")
    story("sub dir/nested.txt", "kingfishers")
    (folder / "latin1.txt").write_bytes(_story("Parish notes ferrets", "Le café est ouvert.").encode("latin-1"))
    good[str(folder / "latin1.txt")] = "ferrets"
    mostly = _story("Parish notes badgers", "Zoë and Chloé agree.").encode() + b"stray \xff byte\n"
    (folder / "mostly-utf8.txt").write_bytes(mostly)
    good[str(folder / "mostly-utf8.txt")] = "badgers"

    failed: dict[str, str] = {}  # where -> a word the reason must contain
    (folder / "empty.txt").write_bytes(b"")
    failed[str(folder / "empty.txt")] = "empty"
    (folder / "blank.json").write_text("  \n\n ")
    failed[str(folder / "blank.json")] = "empty"
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    failed[str(folder / "image.html")] = "binary"
    whole = gzip.compress(_story("Parish notes otters", "Cut short.").encode() * 200)
    (folder / "truncated.txt.gz").write_bytes(whole[: len(whole) // 2])
    failed[str(folder / "truncated.txt.gz")] = "gzip"
    (folder / "menu.html").write_text(
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav>"
        "</body></html>"
    )
    failed[str(folder / "menu.html")] = "no article"
    with (folder / "huge.txt").open("wb") as f:  # sparse: instant to make, 201 MB to read
        f.truncate(201 * 1024 * 1024)
    failed[str(folder / "huge.txt")] = "too large"
    (folder / "loop").symlink_to(".")
    failed[str(folder / "loop")] = "loop"
    (folder / "self.txt").symlink_to("self.txt")
    failed[str(folder / "self.txt")] = "loop"
    (folder / "gone.txt").symlink_to("nowhere.txt")
    failed[str(folder / "gone.txt")] = "broken"
    (folder / "notes.docx").write_text("not a format we read")  # unsupported inside a folder: not an input

    lines = [
        json.dumps({"id": "j1", "headline": "Hovercraft back", "body": "The hovercraft is back in service."}),
        '{"id": "j2", "headline": "Broken',
        "",
        json.dumps({"id": "j3", "headline": "Tram", "body": "The tram line now reaches the coast at Marlowe."}),
        "[1, 2, 3]",
        json.dumps({"id": "j5", "url": "https://example.org/nothing-but-a-link"}),  # neither headline nor body
        b"\xff\xfe not json".decode("latin-1"),
        json.dumps({"id": "j7", "headline": "Lone surrogate", "body": "Broken emoji \ud83d at the end of a tweet."}),
        json.dumps({"id": "j8", "headline": "Bakery", "body": "The bakery in Fenwick won a prize for its rye."}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    for number in (2, 5, 6, 7):
        failed[f"{folder / 'feed.jsonl'}:{number}"] = ""

    # A JSON Lines file over the size limit streams: lines before and after one giant line are read.
    big = folder / "big.jsonl"
    with big.open("wb") as f:
        for n in range(30):
            f.write(json.dumps(invented_article(n, "huge")).encode() + b"\n")
        f.seek(210 * 1024 * 1024)
        f.write(b"\n" + json.dumps(invented_article(99, "huge")).encode() + b"\n")
    failed[f"{big}:31"] = "longer than"

    with (tmp_path / "out").open("wb") as out_file, (tmp_path / "err").open("wb") as err_file:
        proc = subprocess.Popen(
            _command(["index", "--index", tmp_path / "ix", folder, "--json", "--jobs", "1"]),
            stdout=out_file,
            stderr=err_file,
        )
        _, status, usage = os.wait4(proc.pid, 0)  # wait4: the peak memory of this one process
        proc.returncode = os.waitstatus_to_exitcode(status)
    out, stderr = (tmp_path / "out").read_bytes(), (tmp_path / "err").read_text("utf-8", "replace")
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    summary = json.loads(out.decode("utf-8"))
    reasons = {f["path"]: f["error"] for f in summary["failed"]}
    assert set(reasons) == set(failed), reasons
    for where, word in failed.items():
        assert word in reasons[where].lower(), (where, reasons[where])
        assert reasons[where] and "\n" not in reasons[where]
        assert f"skipped {where}:" in stderr
    assert summary["articles"] == len(good) + 4 + 31  # .txt files, good feed lines, big.jsonl lines

    with open_index(tmp_path / "ix").searcher() as s:
        for path, word in good.items():
            hits = s.search(word).hits
            assert [h.path for h in hits] == [path], word
        assert s.search("café").total == 1  # the Latin-1 file, decoded
        assert s.search("hovercraft").total == 1 and s.search("bakery").total == 1
        assert s.search("emoji").total == 1
    emoji = cli("search", "emoji", "--index", tmp_path / "ix", "--json")
    assert emoji.returncode == 0 and "Traceback" not in emoji.stderr, emoji.stderr
    assert "emoji \ufffd at the end" in json.loads(emoji.stdout)[0]["snippet"]  # the lone surrogate, replaced
    assert usage.ru_maxrss < 600 * 1024, usage.ru_maxrss  # KiB: never the whole 210 MB file plus copies


def test_undecodable_file_name_is_indexed_and_reported_as_valid_json(tmp_path: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/caf\xe9 notes.txt"
    with open(raw, "wb") as f:
        f.write(_story("Parish notes herons", "The heron count is up.").encode())
    with open(os.fsencode(folder) + b"/empt\xe9.txt", "wb"):
        pass
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""}
    out = subprocess.run(
        _command(["index", "--index", tmp_path / "ix", folder, "--json"]), capture_output=True, env=env
    )
    stderr = out.stderr.decode("utf-8", "replace")
    assert out.returncode == 1 and "Traceback" not in stderr, stderr
    summary = json.loads(out.stdout.decode("utf-8"))  # valid UTF-8 JSON, whatever the file names
    assert summary["articles"] == 1 and len(summary["failed"]) == 1
    assert os.fsencode(summary["failed"][0]["path"]).endswith(b"/empt\xe9.txt")  # the name, recoverable
    hits = json.loads(cli("search", "herons", "--index", tmp_path / "ix", "--json").stdout)
    assert len(hits) == 1 and "caf" in hits[0]["path"]
    again = json.loads(cli("index", "--index", tmp_path / "ix", folder, "--json").stdout)
    assert (again["indexed"], again["unchanged"], again["articles"]) == (0, 1, 1)  # recognised, not duplicated


def test_unreadable_file_is_named_with_permission_denied(tmp_path: Path) -> None:
    folder = tmp_path / "perm"
    folder.mkdir()
    (folder / "ok.txt").write_text(_story("Parish notes swifts", "Swifts are back."))
    secret = folder / "secret.txt"
    secret.write_text(_story("Parish notes moles", "Hidden."))
    preexec = None
    if _root_can_read_everything():
        if not _can_drop_read_override(tmp_path / "probe.txt"):
            pytest.skip("running as root without CAP_SETPCAP: a mode-000 file stays readable, nothing to test")
        preexec = _drop_read_override  # root without the capabilities that override file permissions
    secret.chmod(0)
    try:
        out = subprocess.run(
            _command(["index", "--index", tmp_path / "ix", folder, "--json"]),
            capture_output=True,
            text=True,
            preexec_fn=preexec,
        )
    finally:
        secret.chmod(0o644)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    summary = json.loads(out.stdout)
    assert summary["failed"] == [{"path": str(secret), "error": "permission denied"}]
    assert summary["articles"] == 1


# -- interrupted writes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rebuild", [False, True], ids=["incremental", "rebuild"])
def test_ctrl_c_keeps_the_index_prints_one_line_and_the_next_run_finishes(base_index: Path, feeds, rebuild) -> None:
    counts = feeds["quotes"]
    before = IndexStore(base_index).current_dir()
    flags = ["--rebuild"] if rebuild else []
    proc = start("index", "--index", base_index, feeds["base"], feeds["big"], "--jobs", "1", *flags)
    mid_run(proc, base_index)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert_one_line_interrupt(err)
    assert IndexStore(base_index).current_dir() == before
    assert_complete(base_index, counts, _ids(counts, "base"))
    assert cli("search", "ferry", "--index", base_index).returncode == 0

    done = cli("index", "--index", base_index, feeds["base"], feeds["big"], "--json", *flags)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles"] == len(counts)
    assert_complete(base_index, counts, set(counts))


@pytest.mark.parametrize("rebuild", [False, True], ids=["incremental", "rebuild"])
def test_sigkill_keeps_the_index_and_the_next_run_finishes(base_index: Path, feeds, rebuild) -> None:
    counts = feeds["quotes"]
    flags = ["--rebuild"] if rebuild else []
    proc = start("index", "--index", base_index, feeds["base"], feeds["big"], "--jobs", "1", *flags)
    mid_run(proc, base_index)
    proc.kill()
    proc.communicate(timeout=10)
    assert_complete(base_index, counts, _ids(counts, "base"))
    search = cli("search", "council", "--index", base_index, "--json", "--limit", "100")
    assert search.returncode == 0 and len(json.loads(search.stdout)) == BASE

    done = cli("index", "--index", base_index, feeds["base"], feeds["big"], "--json", *flags)
    assert done.returncode == 0, done.stderr
    assert_complete(base_index, counts, set(counts))
    gens = [p for p in base_index.iterdir() if p.name.startswith("gen-")]
    assert len(gens) <= 2  # the half-built generation was cleaned up


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "sigkill"])
def test_interrupted_first_build_keeps_its_commits(tmp_path: Path, feeds, sig) -> None:
    """A first build is live at once and commits as it goes (interval shortened through the harness)."""
    counts = feeds["quotes"]
    root = tmp_path / "ix"
    proc = start("index", "--index", root, feeds["big"], "--jobs", "1", threshold=100, commit_every=0.3)
    wait_for(lambda: IndexStore(root).exists() and open_index(root).stats().articles > 0, what="a commit", proc=proc)
    sent = time.monotonic()
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        proc.kill()
    _, err = proc.communicate(timeout=20)
    if sig == signal.SIGINT:
        assert time.monotonic() - sent < 2.0, "Ctrl-C must stop a build within 2 s"
        assert proc.returncode == 130
        assert_one_line_interrupt(err)
        assert leftovers(root) == [], "an interrupted run removes its own temporary files"
    live, quotes = articles_and_quotes(root)
    assert 0 < len(live) < BIG, "interrupted before the end"
    assert quotes == sum(counts[i] for i in live)  # whole articles with all their quotes, nothing half-written
    assert cli("search", "council", "--index", root).returncode == 0

    done = cli("index", "--index", root, feeds["big"], "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["unchanged"] == len(live) and summary["indexed"] == BIG - len(live)
    assert_complete(root, counts, _ids(counts, "big"))
    assert leftovers(root) == [], "the next run collects what a killed one left"


def test_ctrl_c_stops_a_parallel_first_build_within_two_seconds(tmp_path: Path, feeds) -> None:
    """Ctrl-C while the multi-process writer's children are busy: out in 2 s, no children, no temporary files."""
    root = tmp_path / "ix"
    proc = start("index", "--index", root, feeds["big"], "--jobs", "2", threshold=200, commit_every=0.5)
    wait_for(lambda: len(children(proc.pid)) >= 2, what="the writer's sub-processes", proc=proc)
    kids = children(proc.pid)
    time.sleep(0.3)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGABRT)
        proc.wait(timeout=5)
        pytest.fail(f"the writer did not exit after SIGINT: {proc.stderr.read()[-6000:]}")
    took = time.monotonic() - sent
    assert proc.returncode == 130, proc.stderr.read()
    assert took < 2.0, f"Ctrl-C took {took:.1f} s"
    assert not [pid for pid in kids if alive(pid)]
    assert leftovers(root) == []
    assert cli("search", "council", "--index", root).returncode == 0


def leftovers(root: Path) -> list[str]:
    """Files in the live generation that no commit refers to: temporary folders, segments of cancelled writers."""
    from whoosh import index as whoosh_index
    from whoosh.index import TOC

    gen = IndexStore(root).current_dir()
    if gen is None:
        return []
    names = sorted(p.name for p in gen.iterdir())
    left = [name for name in names if name.endswith(".tmp")]
    try:
        ix = whoosh_index.open_dir(str(gen))
    except Exception:
        return left
    live = {segment.segment_id() for segment in ix._segments()}
    toc, segment_name = TOC._pattern("MAIN"), TOC._segment_pattern("MAIN")
    for name in names:
        toc_match, segment_match = toc.match(name), segment_name.match(name)
        if (toc_match and int(toc_match.group(1)) != ix.latest_generation()) or (
            segment_match and segment_match.group(1) not in live
        ):
            left.append(name)
    return left


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "sigkill"])
def test_interrupted_parallel_rebuild_leaves_no_processes_behind(base_index: Path, feeds, sig) -> None:
    counts = feeds["quotes"]
    args = ["index", "--index", base_index, feeds["base"], feeds["big"], "--rebuild", "--jobs", "2"]
    proc = start(*args, threshold=200)
    wait_for(lambda: len(children(proc.pid)) >= 2, what="the writer's sub-processes", proc=proc)
    kids = children(proc.pid)
    time.sleep(0.3)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # the whole foreground group, as a terminal does
    else:
        proc.kill()  # the parent alone, as the OOM killer does
    try:
        proc.wait(timeout=15)  # not communicate(): a left-over child would hold the pipes open
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGABRT)  # faulthandler prints every thread's stack
        proc.wait(timeout=5)
        pytest.fail(f"the writer did not exit after {sig.name}: {proc.stderr.read()[-6000:]}")
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert_one_line_interrupt(proc.stderr.read())
    try:
        wait_for(lambda: not any(alive(k) for k in kids), timeout=5, what="the sub-processes to exit")
    finally:
        for k in kids:  # never leave a stray process behind, even when the test fails
            if alive(k):
                os.kill(k, signal.SIGKILL)
        proc.stdout.close()
        proc.stderr.close()
    assert_complete(base_index, counts, _ids(counts, "base"))

    done = subprocess.run(_command([*args, "--json"], threshold=200), capture_output=True)
    assert done.returncode == 0, done.stderr  # not locked by a left-over child
    assert_complete(base_index, counts, set(counts))


# -- concurrency ----------------------------------------------------------------------------------------------------


def _count(stdout: str) -> int:
    match = re.match(r"([\d,]+)\+? articles? match", stdout)
    assert match, stdout
    return int(match.group(1).replace(",", ""))


def test_searches_keep_answering_while_an_index_run_writes(base_index: Path, feeds) -> None:
    writer = start("index", "--index", base_index, feeds["base"], feeds["big"], "--rebuild", "--jobs", "1")
    wait_for_lock(writer, base_index)
    seen: list[int] = []
    while writer.poll() is None or not seen:
        out = cli("search", "council", "--index", base_index, "--limit", "1")
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
        seen.append(_count(out.stdout))
    writer.communicate(timeout=30)
    assert writer.returncode == 0
    final = _count(cli("search", "council", "--index", base_index, "--limit", "1").stdout)
    assert final == BASE + BIG
    assert set(seen) <= {BASE, BASE + BIG} and seen == sorted(seen)  # the old index or the new one, never in between


def test_second_writer_waits_then_exits_2_naming_the_lock(base_index: Path, feeds) -> None:
    writer = start("index", "--index", base_index, feeds["base"], feeds["big"], "--rebuild", "--jobs", "1")
    try:
        wait_for_lock(writer, base_index)
        started = time.monotonic()
        second = cli("index", "--index", base_index, feeds["base"], "--wait", "1")
        waited = time.monotonic() - started
        assert writer.poll() is None, "the first writer finished too early to hold the lock"
        assert second.returncode == 2
        assert second.stderr.count("\n") == 1 and "writer.lock" in second.stderr
        assert f"pid {writer.pid}" in second.stderr and "Traceback" not in second.stderr
        assert waited >= 1.0
        patient = cli("index", "--index", base_index, feeds["base"], "--wait", "60", "--json")
        assert patient.returncode == 0 and json.loads(patient.stdout)["unchanged"] == BASE
    finally:
        writer.communicate(timeout=60)
    assert writer.returncode == 0


def test_open_reader_sees_commits_and_swaps_from_another_process(base_index: Path, feeds, tmp_path: Path) -> None:
    reader = open_index(base_index)
    searcher = reader.searcher()
    assert searcher.search("council", limit=1).total == 40 and searcher.is_current()

    small = write_feed(tmp_path / "more.jsonl", 5, "more")
    assert cli("index", "--index", base_index, small).returncode == 0  # a commit into the live generation
    assert not searcher.is_current() and not reader.swapped()
    assert searcher.search("council", limit=1).total == 40  # its snapshot still answers
    searcher.close()
    searcher = reader.searcher()
    assert searcher.search("council", limit=1).total == 45 and searcher.is_current()

    for _ in range(2):  # two rebuilds: the reader's generation is gone from disk
        assert cli("index", "--index", base_index, feeds["base"], "--rebuild").returncode == 0
    assert reader.swapped() and not searcher.is_current()
    assert searcher.search("council", limit=1).total == 45  # files it had open stay readable
    searcher.close()
    reader = reader.reopen()
    with reader.searcher() as fresh:
        assert fresh.search("council", limit=1).total == 40 and fresh.is_current()
    assert not reader.swapped()


def test_reader_opened_during_a_swap_knows_it(base_index: Path, feeds, monkeypatch) -> None:
    """A rebuild that publishes between opening the index and noting its generation must not go unnoticed."""
    real_open = IndexStore.open

    def open_then_swap(self):
        ix = real_open(self)
        monkeypatch.setattr(IndexStore, "open", real_open)
        index_paths(base_index, [feeds["base"]], rebuild=True, jobs=1)  # a rebuild publishes right now
        return ix

    monkeypatch.setattr(IndexStore, "open", open_then_swap)
    reader = open_index(base_index)
    monkeypatch.undo()
    assert reader.swapped()  # so a caller that checks will reopen
    with reader.searcher() as s:
        assert not s.is_current()


# -- broken index ---------------------------------------------------------------------------------------------------


def _garbage_toc(gen: Path) -> None:
    for toc in gen.glob("*.toc"):
        toc.write_bytes(b"garbage")


def _delete_segments(gen: Path) -> None:
    for f in gen.iterdir():
        if f.suffix == ".seg" or f.name.endswith((".trm", ".pst", ".fdi", ".vps")):
            f.unlink()


def _truncate_segments(gen: Path) -> None:
    # Compound segments (.seg) or, as searchnews writes them, one file per part of a segment.
    for f in gen.iterdir():
        if f.suffix in {".seg", ".trm", ".pst", ".col"}:
            with f.open("r+b") as h:
                h.truncate(f.stat().st_size // 3)


def _dangling_current(gen: Path) -> None:
    import shutil

    shutil.rmtree(gen)


def _schema_mismatch(gen: Path) -> None:
    (gen / "SCHEMA_VERSION").write_text("0")


def _no_schema_file(gen: Path) -> None:
    (gen / "SCHEMA_VERSION").unlink()


_DAMAGE = {
    "garbage-toc": _garbage_toc,
    "deleted-segments": _delete_segments,
    "truncated-segments": _truncate_segments,
    "current-points-nowhere": _dangling_current,
    "schema-mismatch": _schema_mismatch,
    "schema-file-missing": _no_schema_file,
}


@pytest.mark.parametrize("damage", list(_DAMAGE))
def test_broken_index_one_line_exit_2_and_rebuild_cures_it(run, tmp_path: Path, corpus: Path, damage: str) -> None:
    root = tmp_path / "ix"
    assert run("index", "--index", root, corpus).exit_code == 0
    _DAMAGE[damage](IndexStore(root).current_dir())
    for args in (["search", "harbour"], ["quotes", "fair deal"], ["who", "fair deal"], ["speakers"]):
        result = run(*args, "--index", root)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.count("\n") == 1 and "searchnews index --rebuild" in result.stderr, result.stderr
    update = run("index", "--index", root, corpus)
    assert update.exit_code == 2 and "--rebuild" in update.stderr
    cured = run("index", "--index", root, corpus, "--rebuild", "--json")
    assert cured.exit_code == 0, cured.output
    assert json.loads(cured.stdout)["articles"] == 3
    assert run("search", "harbour", "--index", root).exit_code == 0


def test_missing_index_or_a_file_in_its_place(run, tmp_path: Path, corpus: Path) -> None:
    for root in (tmp_path / "nowhere", tmp_path / "empty-dir"):
        if root.name == "empty-dir":
            root.mkdir()
        for args in (["search", "x"], ["quotes"], ["who", "x"], ["speakers"]):
            result = run(*args, "--index", root)
            assert result.exit_code == 2 and result.stderr.count("\n") == 1
            assert "searchnews index" in result.stderr
    a_file = tmp_path / "index.txt"
    a_file.write_text("not an index")
    result = run("index", "--index", a_file, corpus)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and str(a_file) in result.stderr
    assert run("search", "x", "--index", a_file).exit_code == 2


# -- queries --------------------------------------------------------------------------------------------------------

_QUERIES = [
    '"unbalanced',
    'said:"fair deal',
    "(harbour",
    "harbour)",
    "((a) OR (b)",
    "AND",
    "OR",
    "NOT",
    "AND OR",
    "NOT NOT",
    "harbour AND",
    "OR harbour",
    'AND OR NOT ( ) ""',
    "*",
    "?",
    "~",
    "^2",
    "harbour^",
    "harbour~9",
    "h*r*b*o*u*r",
    ":",
    "who:",
    "title:",
    "who:lopez",
    'who:"Maria Lopez"',
    "said:deal",
    'said:"fair deal"',
    "title:frost",
    "source:gazette",
    "date:2024",
    "date:20240101",
    "date:yesterday",
    "date:[2020-01-01 to 2030-01-01]",
    "date:[to]",
    "date:>2020",
    "date:<",
    "date:[x to y]",
    "nosuch:field",
    "harbour\x00frost",
    "\x1b[31mred\x1b[0m",
    "tab\tand\nnewline",
    "\u202eright-to-left\u202c",
    "emoji 🦆 duck",
    "[",
    "]",
    "{",
    "}",
    "harbour" * 15000,  # 105 KB
    "a " * 50000,  # 100 KB of words
]


@pytest.mark.parametrize("command", ["search", "quotes", "who", "speakers"])
def test_hostile_queries_answer_or_fail_in_one_line(run, built_index: Path, command: str) -> None:
    for query in _QUERIES:
        result = run(command, query, "--index", built_index, "--json")
        assert result.exit_code in (0, 2), (command, query[:40], result.output[-500:])
        if result.exit_code == 2:
            line = result.stderr.rstrip("\n")
            assert line.startswith("searchnews: ") and "\n" not in line, (command, query[:40], result.stderr)
            assert len(line) < 400, "the message quotes at most a bounded part of the query"
        else:
            assert isinstance(json.loads(result.stdout), list)


def test_field_aliases_find_what_they_name(run, base_index: Path, feeds) -> None:
    def found(query: str) -> set[str]:
        result = run("search", query, "--index", base_index, "--json", "--limit", "100")
        assert result.exit_code == 0, result.stderr
        return {hit["id"] for hit in json.loads(result.stdout)}

    articles = [invented_article(n, "base") for n in range(BASE)]

    def where(test) -> set[str]:
        return {a["id"] for a in articles if test(a)}

    assert found('who:"Ida Moss"') == where(lambda a: "Ida Moss said" in a["body"])
    assert found("said:agreed") == where(lambda a: "agreed" in a["body"])
    assert found("title:ferry") == where(lambda a: "ferry" in a["headline"])
    assert found("source:gazette") == where(lambda a: True)
    assert found("source:nosuchsource") == set()
    assert found("council date:[2024-01-01 to 2024-02-28]") == where(lambda a: a["date"] < "2024-03")


# -- nothing lost -----------------------------------------------------------------------------------------------------


def test_parallel_build_over_the_threshold_loses_nothing(tmp_path: Path) -> None:
    count = PARALLEL_THRESHOLD + 300
    feed = write_feed(tmp_path / "many.jsonl", count, "p")
    counts = expected_quotes(feed)
    assert sum(counts.values()) > count  # a corpus with quotes to lose
    result = cli("index", "--index", tmp_path / "ix", feed, "--jobs", "2", "--json", timeout=120)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["indexed"], summary["articles"], summary["quotes"]) == (count, count, sum(counts.values()))
    assert_complete(tmp_path / "ix", counts, set(counts))


def test_expensive_queries_stay_bounded(built_index: Path) -> None:
    from searchnews.errors import QuerySyntaxError

    with open_index(built_index).searcher() as s:
        started = time.monotonic()
        assert s.search("harbour~9").total >= 1  # an edit distance of 9 is searched as 2, not over the lexicon
        s.quotes("harbour~9")
        s.speakers("harbour~9")
        assert time.monotonic() - started < 5
        with pytest.raises(QuerySyntaxError, match="too long"):
            s.who("a " * 50000)

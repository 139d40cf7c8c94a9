"""Resources over a long session (issue #17): old generations' files are let go, the descriptor count stays flat.

One TUI backend (the object that owns the TUI's searchers, in its own threads) searches 1,000 times while the
index is rebuilt and swapped 20 times underneath it, reloading after each swap as the TUI's ctrl+r does.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import ARTICLES

from searchnews.indexing import index_paths
from searchnews.tui.backend import SearchBackend


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def mapped_generations(root: Path) -> set[str]:
    """Generations of ``root`` that this process still has files of mapped into memory."""
    found = set()
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            path = line.split(maxsplit=5)[-1].strip()
            if path.startswith(str(root)):
                found.add(Path(path).parent.name)
    return found


async def test_descriptors_stay_flat_over_1000_searches_and_20_swaps(tmp_path: Path, corpus: Path) -> None:
    root = tmp_path / "index"
    index_paths(root, [corpus])
    backend = SearchBackend(root)
    words = ["harbour", "frost", "museum", '"fair deal"', "dinosaur OR apple", "who:lopez"]
    try:
        for n in range(5):  # warm: the lanes' threads, their searchers, Python's own caches
            await backend.call(lambda s, n=n: s.search(words[n % len(words)]))
        baseline = open_descriptors()
        counts = []
        for swap in range(20):
            index_paths(root, None, rebuild=True)
            await backend.reload()
            for n in range(50):
                result = await backend.call(lambda s, n=n: s.search(words[n % len(words)]))
                assert result.total >= 0
            found = await backend.call(lambda s: s.search("harbour OR frost OR museum", limit=20))
            assert found.total == len(ARTICLES), swap  # never a mix of generations, never an empty index
            counts.append(open_descriptors())
        assert max(counts) <= baseline + 4, (baseline, counts)
        assert len(mapped_generations(root)) <= 2, mapped_generations(root)  # the live one and at most the one before
    finally:
        backend.close()

"""The benchmark's inputs: a slice of the corpus, its 1% update, and a seeded mix of queries drawn from it.

Nothing here writes inside the repository: corpus slices go to the caller's temporary directory.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO

# Query kinds of the search mix, in report order.
SEARCH_KINDS = ("rare", "common", "two_terms", "phrase", "who_speaker", "said_phrase")
VOCABULARY_SAMPLE = 5000  # articles read to learn document frequencies
_LOWER_WORD = re.compile(r"\b[a-z]{5,}\b")
_WORD = re.compile(r"[A-Za-z]+")
_TOKEN = re.compile(r"\w+(?:\.?\w+)*")  # words as the index splits them (searchnews.engine.schema.TOKEN_PATTERN)
_PAIR = re.compile(r"(?=\b([a-z]{4,}) ([a-z]{4,})\b)")


def percentile(values: Sequence[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default): the one definition every harness reports."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def open_corpus(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def write_slice(corpus: Path, dest: Path, limit: int | None) -> int:
    """Copy the first ``limit`` non-blank lines of ``corpus`` (gzipped or not) to ``dest`` as plain JSONL."""
    n = 0
    with open_corpus(corpus) as src, open(dest, "wb") as out:
        for line in src:
            if not line.strip():
                continue
            out.write(line if line.endswith(b"\n") else line + b"\n")
            n += 1
            if limit is not None and n >= limit:
                break
    return n


def iter_records(path: Path) -> Iterator[dict]:
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


@dataclass(frozen=True)
class Update:
    changed: int
    ids: tuple[str, ...]
    how: str


UPDATE_SENTENCE = '"We will look at the {n} figures again next week," a company spokesperson said on Tuesday.'


def write_update(src: Path, dest: Path, fraction: float, seed: int) -> Update:
    """``src`` with ``fraction`` of its articles (seeded) given one more paragraph, a quoted sentence, at the end.

    Ids are kept (the corpus rows carry an "id"), so indexing ``dest`` replaces those articles in place.
    """
    lines = src.read_bytes().splitlines()
    rng = random.Random(seed)
    count = max(1, round(len(lines) * fraction))
    chosen = set(rng.sample(range(len(lines)), min(count, len(lines))))
    ids: list[str] = []
    with open(dest, "wb") as out:
        for n, line in enumerate(lines):
            if n in chosen:
                record = json.loads(line)
                record["body"] = f"{record.get('body', '')}\n\n{UPDATE_SENTENCE.format(n=n)}"
                ids.append(str(record.get("id", "")))
                line = json.dumps(record, ensure_ascii=False).encode()
            out.write(line + b"\n")
    how = (
        f"{len(chosen)} of {len(lines)} articles (random.Random({seed})) get one more paragraph, a quoted sentence; "
        "ids unchanged"
    )
    return Update(len(chosen), tuple(ids), how)


def write_subset(src: Path, dest: Path, ids: set[str]) -> int:
    """The lines of ``src`` whose id is in ``ids``: a feed holding only the changed articles."""
    n = 0
    with open(src, "rb") as f, open(dest, "wb") as out:
        for line in f:
            if line.strip() and str(json.loads(line).get("id", "")) in ids:
                out.write(line if line.endswith(b"\n") else line + b"\n")
                n += 1
    return n


def replace_file(src: Path, dest: Path) -> None:
    os.replace(src, dest)


# -- queries ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    kind: str
    text: str


@dataclass(frozen=True)
class Vocabulary:
    texts: list[str]  # bodies of the sampled articles
    df: Counter  # lower-case word -> articles of the sample containing it

    @property
    def size(self) -> int:
        return len(self.texts)


def learn_vocabulary(path: Path, seed: int, sample: int = VOCABULARY_SAMPLE) -> Vocabulary:
    records = [f"{r.get('headline', '')}\n{r.get('body', '')}" for r in iter_records(path)]
    rng = random.Random(seed)
    texts = rng.sample(records, min(sample, len(records)))
    df: Counter = Counter()
    for text in texts:
        df.update(set(_LOWER_WORD.findall(text)))
    return Vocabulary(texts, df)


def search_queries(
    vocab: Vocabulary, speakers: list[str], quotes: list[str], n: int, seed: int
) -> tuple[list[Query], dict[str, str]]:
    """``n`` queries of each kind (fewer when the corpus cannot supply them), and how each kind is drawn."""
    rng = random.Random(seed)
    size = max(vocab.size, 1)
    by_df = sorted(vocab.df)
    rare = [w for w in by_df if 2 <= vocab.df[w] <= 3] or [w for w in by_df if vocab.df[w] == 1]
    common = [w for w in by_df if 0.05 <= vocab.df[w] / size <= 0.4] or sorted(vocab.df, key=lambda w: -vocab.df[w])[
        :50
    ]
    medium = {w for w in by_df if 0.002 <= vocab.df[w] / size <= 0.1 or vocab.size < 200}
    queries: list[Query] = []
    queries += [Query("rare", w) for w in _pick(rng, rare, n)]
    queries += [Query("common", w) for w in _pick(rng, common, n)]
    queries += [Query("two_terms", q) for q in _two_terms(rng, vocab.texts, medium, n)]
    queries += [Query("phrase", f'"{a} {b}"') for a, b in _pairs(rng, vocab.texts, n)]
    names = [s for s in speakers if '"' not in s and s.strip()]
    queries += [Query("who_speaker", f'who:"{s}"') for s in _pick(rng, names, n)]
    queries += [Query("said_phrase", f'said:"{p}"') for p in _quote_windows(rng, quotes, n, 2, 3, content=True)]
    how = {
        "rare": f"a lower-case word of 5+ letters in 2-3 of {vocab.size} sampled articles",
        "common": f"a word of 5+ letters in 5-40% of {vocab.size} sampled articles",
        "two_terms": "two words (0.2-10% of sampled articles) from the same article",
        "phrase": "two adjacent lower-case words of 4+ letters from an article, quoted",
        "who_speaker": 'who:"Name", Name drawn from the 300 speakers with most quotes',
        "said_phrase": 'said:"..." with 2-3 adjacent words (3+ letters, one of 5+) of a stored quote',
    }
    return queries, how


def who_phrases(quotes: list[str], n: int, seed: int) -> tuple[list[str], str]:
    """Half-remembered phrases: 5 adjacent words of a stored quote, one inner word dropped in half of them."""
    rng = random.Random(seed + 1)
    phrases = []
    for p in _quote_windows(rng, quotes, n, 5, 5):
        words = p.split()
        if len(words) > 3 and rng.random() < 0.5:
            del words[rng.randrange(1, len(words) - 1)]
        phrases.append(" ".join(words))
    return phrases, "5 adjacent words of a stored quote, lower-cased; in half of them one inner word is dropped"


def _pick(rng: random.Random, items: list[str], n: int) -> list[str]:
    if not items:
        return []
    return [rng.choice(items) for _ in range(n)]


def _two_terms(rng: random.Random, texts: list[str], medium: set[str], n: int) -> list[str]:
    out: list[str] = []
    for _ in range(n * 20):
        if len(out) >= n or not texts:
            break
        words = sorted({w for w in _LOWER_WORD.findall(rng.choice(texts)) if w in medium})
        if len(words) >= 2:
            a, b = rng.sample(words, 2)
            out.append(f"{a} {b}")
    return out


def _pairs(rng: random.Random, texts: list[str], n: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for _ in range(n * 20):
        if len(out) >= n or not texts:
            break
        pairs = _PAIR.findall(rng.choice(texts))
        if pairs:
            out.append(rng.choice(pairs))
    return out


def _quote_windows(rng: random.Random, quotes: list[str], n: int, lo: int, hi: int, content: bool = False) -> list[str]:
    """Runs of ``lo``-``hi`` adjacent words of quotes, letters only; ``content``: words of 3+ letters, one of 5+ (a
    query a person would type, not "of the" or the "it s" left of "it's").

    Words are adjacent as the index sees them: a run with a number or a word of other characters inside is not
    taken ("five and 10 years" once gave the phrase "and years", which no article holds).
    """
    out: list[str] = []
    for _ in range(n * 50):
        if len(out) >= n or not quotes:
            break
        words = _TOKEN.findall(rng.choice(quotes))
        size = rng.randint(lo, hi)
        if len(words) >= size:
            start = rng.randrange(len(words) - size + 1)
            window = words[start : start + size]
            if not all(_WORD.fullmatch(w) for w in window):
                continue
            if content and (min(map(len, window)) < 3 or max(map(len, window)) < 5):
                continue
            out.append(" ".join(window).lower())
    return out


# -- scaled corpus -------------------------------------------------------------------------------------------------

SCALE_BLOCK = 200  # articles of one source recombined together: bounds memory to ~ blocks x sources in flight
SENTENCES_PER_UNIT = 3  # a body without paragraph breaks is recombined by runs of this many sentences
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def paragraphs(body: str) -> list[str]:
    """The units a scaled copy recombines: the body's paragraphs; a body of one paragraph (many sources have no
    breaks at all) is cut into runs of SENTENCES_PER_UNIT sentences, cut out of the text as written (a unit split
    again gives itself)."""
    paras = [p.strip() for p in _PARAGRAPH_BREAK.split(body) if p.strip()]
    if len(paras) != 1:
        return paras
    text = paras[0]
    cuts = [m.end() for m in _SENTENCE_END.finditer(text)][SENTENCES_PER_UNIT - 1 :: SENTENCES_PER_UNIT]
    bounds = [0, *cuts, len(text)]
    return [u for u in (text[a:b].strip() for a, b in pairwise(bounds)) if u]


def scaled_id(article_id: str, copy: int) -> str:
    return f"{article_id}~x{copy}"


def write_scaled(src: Path, dest: Path, k: int, seed: int, block: int = SCALE_BLOCK) -> dict:
    """``src`` (JSONL) written ``k`` times to ``dest``: copy 0 is the original, copies 1..k-1 are new articles.

    A new copy of an article has a new id (``scaled_id``), its source, date and headline, and as many paragraphs
    as the original (``paragraphs``: runs of sentences for a body without breaks), drawn from the paragraphs of a
    block of ``block`` articles of the same source, shuffled (seeded per copy and block) and joined by blank
    lines: every paragraph of the block is used once, so each copy holds the same paragraphs as the original
    corpus (term statistics stay those of real text; quotes repeat across copies as wire copy does) arranged in
    new articles. A body that would equal one already written is reshuffled; an article that still cannot get a
    new body (a short article whose one paragraph drew another one-paragraph article's body) gets its last
    paragraph repeated (counted as ``repeated``). An empty body stays empty.

    Streams: ``src`` is read once per copy; memory holds one block per source and an 8-byte hash per body.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    seen: set[bytes] = set()
    stats = {"articles": 0, "copies": k, "reshuffled_blocks": 0, "repeated": 0, "block": block}

    def digest(body: str) -> bytes:
        return hashlib.blake2b(body.encode(), digest_size=8).digest()

    with open(dest, "w", encoding="utf-8") as out:

        def emit(record: dict) -> None:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            stats["articles"] += 1

        for record in iter_records(src):  # copy 0: the original, as is
            seen.add(digest(record.get("body") or ""))
            emit(record)
        for copy in range(1, k):
            buffers: dict[str, list[dict]] = {}
            blocks = Counter()

            def flush(source: str, copy: int = copy, buffers: dict = buffers, blocks: Counter = blocks) -> None:
                records = buffers.pop(source, [])
                if records:
                    rng = random.Random(f"{seed}:{copy}:{source}:{blocks[source]}")
                    blocks[source] += 1
                    for record in _recombine(records, rng, copy, seen, stats, digest):
                        emit(record)

            for record in iter_records(src):
                source = str(record.get("source") or "")
                buffers.setdefault(source, []).append(record)
                if len(buffers[source]) >= block:
                    flush(source)
            for source in list(buffers):
                flush(source)
    return stats


def _recombine(records: list[dict], rng: random.Random, copy: int, seen: set[bytes], stats: dict, digest) -> list[dict]:
    """New articles from one block of one source's articles (see write_scaled)."""
    paras = [paragraphs(r.get("body") or "") for r in records]
    pool = [p for ps in paras for p in ps]
    for attempt in range(10):
        rng.shuffle(pool)
        bodies, at = [], 0
        for ps in paras:
            bodies.append(pool[at : at + len(ps)])
            at += len(ps)
        texts = ["\n\n".join(b) for b in bodies]
        hashes = [digest(t) for t in texts]
        filled = [h for h, t in zip(hashes, texts, strict=True) if t]
        if len(set(filled)) == len(filled) and not any(h in seen for h in filled):
            break
        if attempt == 0:
            stats["reshuffled_blocks"] += 1
    out = []
    for record, body, text, h in zip(records, bodies, texts, hashes, strict=True):
        while h in seen and body:  # the last resort (see write_scaled): a repeated paragraph makes the body new
            body = [*body, body[-1]]
            text, h = "\n\n".join(body), digest("\n\n".join(body))
            stats["repeated"] += 1
        seen.add(h)
        new = dict(record)
        new["id"] = scaled_id(str(record.get("id") or ""), copy)
        new["body"] = text
        if new.get("url"):
            new["url"] = f"{new['url']}#x{copy}"
        out.append(new)
    return out

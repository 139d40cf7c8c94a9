"""Quote provenance (issue #13): one quote across the articles that carried it, on real indexes of made-up articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchnews.engine.provenance import MIN_WORDS, fingerprints, same_quote
from searchnews.engine.searcher import open_index
from searchnews.indexing import index_paths

PLEDGE = "We will rebuild every bridge in this valley before the winter comes, and nobody will be left behind"
TRIMMED = "We will rebuild every bridge in this valley before the winter comes."


def article(aid: str, date: str, source: str, body: str, headline: str = "") -> dict[str, str]:
    return {"id": aid, "headline": headline or f"Story {aid}", "date": date, "source": source, "body": body}


THREE = [
    article("wire", "2024-03-01", "Wire Service", f'Governor Ana Ruiz said: "{PLEDGE.upper()}!"\n\nShe spoke at noon.'),
    article("post", "2024-03-02", "Valley Post", f'Governor Ana Ruiz spoke on Monday.\n\n"{PLEDGE}," Ms. Ruiz said.'),
    article("herald", "2024-03-05", "The Herald", f'Governor Ana Ruiz said: "{TRIMMED}"\n\nCritics were unconvinced.'),
    article(
        "other",
        "2024-03-03",
        "The Herald",
        'Mayor Tom Lee said: "We will rebuild every bridge in this town, whatever the council decides."',
    ),
]


def write(path: Path, articles: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    return write(tmp_path / "feed.jsonl", THREE)


def index(root: Path, feed: Path, **options) -> Path:
    summary = index_paths(root, [feed], jobs=1, **options)
    assert not summary.failed
    return root


def group_of(root: Path, article_id: str):
    with open_index(root).searcher() as s:
        return s.quote_group(article_id, 0)


def test_normalising_case_punctuation_and_quote_marks_gives_the_same_fingerprints() -> None:
    assert fingerprints(f"“{PLEDGE.upper()}!”") == fingerprints(f'"{PLEDGE}."')
    assert fingerprints(TRIMMED).runs < fingerprints(PLEDGE).runs  # a stretch of a longer quote: a subset
    # trimmed at the end: it starts as the longer form does, so they share the index term of their first run
    assert fingerprints(TRIMMED).marks & fingerprints(PLEDGE).marks
    assert same_quote(fingerprints(TRIMMED), fingerprints(PLEDGE))


def test_quotes_sharing_their_opening_words_only_are_not_one() -> None:
    a = fingerprints("We will rebuild every bridge in this valley before the winter comes")
    b = fingerprints("We will rebuild every bridge in this town, whatever the council decides")
    assert not same_quote(a, b)


def test_a_quote_sharing_one_common_phrase_with_others_is_not_one_with_them() -> None:
    # Its runs decide, not a shared run (measured: a shared run alone chained unrelated wire quotes ending
    # "... by the Securities and Exchange Commission" into one group of 18 articles).
    short = fingerprints("the offer was approved by the Securities and Exchange Commission")
    long = fingerprints("the merger was cleared on Friday by the Securities and Exchange Commission in Washington")
    assert not same_quote(short, long)
    assert same_quote(
        short, fingerprints("Shares rose after the offer was approved by the Securities and Exchange Commission")
    )


def test_a_copy_trimmed_at_the_start_shares_the_last_run() -> None:
    start_trimmed = fingerprints("every bridge in this valley before the winter comes, and nobody will be left behind")
    assert same_quote(start_trimmed, fingerprints(PLEDGE)) and start_trimmed.marks & fingerprints(PLEDGE).marks


def test_a_short_quote_joins_no_group() -> None:
    assert not fingerprints(" ".join(["fake"] * (MIN_WORDS - 1)))
    assert not same_quote(fingerprints("fake news"), fingerprints("fake news"))


def test_three_articles_carrying_one_quote_one_trimmed_are_one_group_first_seen_the_earliest(
    tmp_path: Path, feed: Path
) -> None:
    root = index(tmp_path / "ix", feed)
    for aid in ("wire", "post", "herald"):
        group = group_of(root, aid)
        assert group is not None
        assert [o.article_id for o in group.occurrences] == ["wire", "post", "herald"]
        assert group.articles == 3
        assert group.sources == ("The Herald", "Valley Post", "Wire Service")
        assert (group.first_seen.date, group.first_seen.source, group.first_seen.article_id) == (
            "2024-03-01",
            "Wire Service",
            "wire",
        )
    herald = group_of(root, "herald")
    assert herald.occurrences[-1].text == TRIMMED and herald.occurrences[-1].headline == "Story herald"
    assert group_of(root, "other").articles == 1  # the mayor's quote shares opening words only


def test_deleting_the_first_article_moves_first_seen_to_the_next(tmp_path: Path, feed: Path) -> None:
    root = index(tmp_path / "ix", feed)
    write(feed, THREE[1:])  # the wire story is gone from the file read again: pruned
    index(root, feed, prune=True)
    group = group_of(root, "herald")
    assert [o.article_id for o in group.occurrences] == ["post", "herald"]
    assert (group.first_seen.article_id, group.first_seen.date) == ("post", "2024-03-02")
    write(feed, THREE)  # and back: it joins the group again
    index(root, feed)
    assert group_of(root, "herald").first_seen.article_id == "wire"


def test_a_changed_article_leaves_the_group(tmp_path: Path, feed: Path) -> None:
    root = index(tmp_path / "ix", feed)
    changed = [*THREE[:1], article("post", "2024-03-02", "Valley Post", 'Ms. Ruiz said: "The roads come first."')]
    write(feed, [*changed, *THREE[2:]])
    index(root, feed)
    assert [o.article_id for o in group_of(root, "wire").occurrences] == ["wire", "herald"]


def test_a_rebuild_gives_the_same_groups(tmp_path: Path, feed: Path) -> None:
    root = index(tmp_path / "ix", feed)
    before = {aid: group_of(root, aid) for aid in ("wire", "post", "herald", "other")}
    index(root, feed, rebuild=True)
    assert {aid: group_of(root, aid) for aid in before} == before


def test_same_day_ties_go_to_the_lower_article_id(tmp_path: Path) -> None:
    same_day = [
        article("b-copy", "2024-05-01", "B Daily", f'Governor Ana Ruiz said: "{PLEDGE}."'),
        article("a-copy", "2024-05-01", "A Daily", f'Governor Ana Ruiz said: "{PLEDGE}."'),
        article("undated", "", "C Daily", f'Governor Ana Ruiz said: "{PLEDGE}."'),
    ]
    root = index(tmp_path / "ix", write(tmp_path / "f.jsonl", same_day))
    group = group_of(root, "undated")
    assert [o.article_id for o in group.occurrences] == ["a-copy", "b-copy", "undated"]


def test_quotes_and_who_show_each_quote_once_with_its_provenance(tmp_path: Path, feed: Path) -> None:
    root = index(tmp_path / "ix", feed)
    with open_index(root).searcher() as s:
        found = s.quotes("bridge valley")
        assert len(found.hits) == 1
        prov = found.hits[0].provenance
        assert (prov.articles, prov.first_seen.article_id, len(prov.sources)) == (3, "wire", 3)
        who = s.who("rebuild every bridge in this valley")
        assert [h.speaker for h in who.hits][:2] == ["Ana Ruiz", "Tom Lee"]
        assert who.hits[0].provenance.first_seen.source == "Wire Service"
        assert who.hits[1].provenance.articles == 1


def test_a_quote_with_no_index_entry_has_no_group(tmp_path: Path, feed: Path) -> None:
    root = index(tmp_path / "ix", feed)
    with open_index(root).searcher() as s:
        assert s.quote_group("wire", 7) is None
        assert s.quote_group("nowhere", 0) is None


def test_descriptions_are_not_counted_across_articles_and_organisations_have_their_kind(tmp_path: Path) -> None:
    articles = [
        article(
            f"co{i}",
            "2024-01-0" + str(i + 1),
            "Biz",
            f'The company said: "Profits rose in quarter {i}, and we expect more."\n\n'
            f'Acme Corp said in a statement: "We stand by our figures for quarter {i}."',
        )
        for i in range(3)
    ]
    root = index(tmp_path / "ix", write(tmp_path / "biz.jsonl", articles))
    with open_index(root).searcher() as s:
        scoped = {c.name: c.kind for c in s.speakers("profits")}
        everything = {c.name: c.kind for c in s.speakers()}
    assert "The company" not in scoped and "The company" not in everything
    assert scoped.get("Acme Corp") == everything.get("Acme Corp") == "organisation"


def test_quotes_by_source_and_newest_first(tmp_path: Path, feed: Path) -> None:
    root = index(tmp_path / "ix", feed)
    with open_index(root).searcher() as s:
        herald = s.quotes("bridge", sources=["the herald"])
        assert {h.article_id for h in herald.hits} == {"herald", "other"}
        newest = s.quotes("bridge", sort="date")
        assert [h.article_id for h in newest.hits] == ["herald", "other"]  # the pledge once, as its newest copy
        assert newest.hits[0].provenance.first_seen.article_id == "wire"

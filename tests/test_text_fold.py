"""Text as users have it: one fold for every field and lookup, and invisible characters that split no word.

Unit checks of ``fold`` and ``normalise_text``, then the same on real indexes built from invented files of
every input kind.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchnews.engine import open_index
from searchnews.indexing import index_paths
from searchnews.ingest import read_path
from searchnews.model import Article, fold, normalise_text, speaker_key


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("U.S. Army", "u.s. army"),
        ("Zürich", "zurich"),
        ("Łukasz", "lukasz"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("ẞ", "ss"),
        ("ﬁnance", "finance"),
        ("Ｆ１", "f1"),
        ("Ærøskøbing", "aeroskobing"),
        ("e\u0301te\u0301", "ete"),  # decomposed accents
        ("İstanbul", "istanbul"),
        ("Þór", "thor"),
        ("Москва", "москва"),  # other scripts: case only
        ("北京", "北京"),
    ],
)
def test_one_fold_for_case_accents_ligatures_and_width(written: str, folded: str) -> None:
    assert fold(written) == folded


def test_speaker_names_fold_as_the_index_does() -> None:
    assert speaker_key("Łukasz Nowak") == speaker_key("Lukasz Nowak") == speaker_key("Mr ŁUKASZ NOWAK")
    assert speaker_key("Jürgen Straße") == "jurgen strasse"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Not\u00adfall\u00addaten\u00adsatz", "Notfalldatensatz"),  # soft hyphens
        ("zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffjoined", "zerowidthnonjoinerwordjoined"),
        ("caf\u0065\u0301", "café"),  # composed (NFC)
        ("ﬁnal ﬂag", "final flag"),  # ligatures
        ("ｆｕｌｌ ｗｉｄｔｈ ２０２１", "full width 2021"),
        ("𝐁𝐨𝐥𝐝 𝘪𝘵𝘢𝘭𝘪𝘤 text", "Bold italic text"),  # mathematical letters used as fancy text, beyond U+FFFF
    ],
)
def test_normalise_text_removes_invisible_characters_and_compatibility_letters(raw: str, normal: str) -> None:
    assert normalise_text(raw) == normal


@pytest.mark.parametrize(
    "kept",
    [
        "“Curly” and ‘single’ quotes, «guillemets» and „low“ ones",
        "an ellipsis… stays one character",
        "10 m² and ½ a cup, 2³",  # superscripts and fractions change meaning: kept
        "中文，标点（全角）",  # full-width CJK punctuation keeps its look
        "don´t",  # a spacing accent used as an apostrophe is not split into a space and a mark
        "plain ASCII text",
    ],
)
def test_normalise_text_keeps_what_would_change_meaning_or_look(kept: str) -> None:
    assert normalise_text(kept) == kept


HEADLINE = "Neuer Not\u00adfall\u00adplan"
BODY = 'Der Not\u00adfall\u00addaten\u00adsatz ist fertig. Anna Berg said: "The Not\u00adfall\u00adplan is ready."'


def _inputs(folder: Path) -> Path:
    """The same invented article as .txt, .json, .jsonl and .html, each with soft hyphens inside words."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(f"{HEADLINE}\n\n{BODY}\n", encoding="utf-8")
    (folder / "b.json").write_text(json.dumps({"id": "json", "headline": HEADLINE, "body": BODY}), encoding="utf-8")
    (folder / "c.jsonl").write_text(json.dumps({"id": "jsonl", "headline": HEADLINE, "body": BODY}) + "\n")
    html_body = BODY.replace('"', "&quot;")
    paragraphs = "".join(f"<p>{html_body} Sentence number {n} of the story goes on here.</p>" for n in range(6))
    (folder / "d.html").write_text(
        f"<html><head><title>{HEADLINE}</title></head><body><article><h1>{HEADLINE}</h1>{paragraphs}"
        "</article></body></html>",
        encoding="utf-8",
    )
    return folder


def test_every_input_kind_is_normalised_before_quotes_and_analysis(tmp_path: Path) -> None:
    folder = _inputs(tmp_path / "in")
    articles = [item for path in sorted(folder.iterdir()) for item in read_path(path)]
    assert len(articles) == 4 and all(isinstance(a, Article) for a in articles), articles
    for article in articles:
        assert "\u00ad" not in article.headline + article.body
        assert "Notfalldatensatz" in article.body
        assert article.headline == "Neuer Notfallplan"

    root = tmp_path / "ix"
    summary = index_paths(root, [folder], jobs=1)
    assert summary.indexed == 4 and not summary.failed
    with open_index(root).searcher() as s:
        assert s.search("notfalldatensatz").total == 4
        assert s.search("daten").total == 0  # no longer a word of its own
        assert s.search("title:notfallplan").total == 4
        found = s.quotes("notfallplan")
        assert found.total >= 4
        for hit in found.hits:
            assert hit.text == "The Notfallplan is ready."
            article = s.article(hit.article_id)
            quote = next(q for q in article.quotes if q.text == hit.text)
            assert article.body[quote.start : quote.end] == quote.text  # offsets into the normalised body


def _index(tmp_path: Path, articles: dict[str, tuple[str, str]]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (headline, body) in articles.items():
        (folder / name).write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
    root = tmp_path / "ix"
    summary = index_paths(root, [folder], jobs=1)
    assert summary.indexed == len(articles) and not summary.failed
    return root


def test_sharp_s_folds_to_ss_and_matches_no_english_text(tmp_path: Path) -> None:
    root = _index(
        tmp_path,
        {
            "en.txt": ("Russia's army moves", "Russia's army moved its units. It's the army's plan, officials said."),
            "de.txt": ("Straße gesperrt", "Die Straße am Hafen ist seit Montag gesperrt."),
            "ch.txt": ("Strasse offen", "Die Strasse am See ist wieder offen."),
        },
    )
    with open_index(root).searcher() as s:
        assert s.search("ß").total == 0  # it folded to "s", the "s" of every "Russia's"
        assert {h.id.rsplit("/", 1)[-1] for h in s.search("strasse").hits} == {"de.txt", "ch.txt"}
        assert {h.id.rsplit("/", 1)[-1] for h in s.search("Straße").hits} == {"de.txt", "ch.txt"}
        hit = next(h for h in s.search("strasse").hits if h.id.endswith("de.txt"))
        assert [hit.snippet[sp.start : sp.end] for sp in hit.snippet_spans] == ["Straße"]


def test_one_speaker_whatever_the_accents_of_the_lookup(tmp_path: Path) -> None:
    root = _index(
        tmp_path,
        {
            "a.txt": ("Port plan agreed", 'Łukasz Nowak said: "The port will reopen in May."'),
            "b.txt": ("Port opens", 'Lukasz Nowak said: "The first ship arrives today."'),
        },
    )
    with open_index(root).searcher() as s:
        for name in ("Lukasz Nowak", "Łukasz Nowak", "lukasz nowak", "ŁUKASZ NOWAK", "Nowak"):
            found = s.quotes(speaker=name)
            assert {h.text for h in found.hits} == {"The port will reopen in May.", "The first ship arrives today."}, (
                name
            )
        assert s.quotes("who:lukasz").total == 2
        assert s.quotes("who:łukasz").total == 2
        speakers = s.speakers()
        assert len(speakers) == 1 and speakers[0].count == 2
        assert set(speakers[0].names) == {"Łukasz Nowak", "Lukasz Nowak"}


def test_who_and_speaker_lookups_are_normalised_like_queries(tmp_path: Path) -> None:
    root = _index(tmp_path, {"a.txt": ("Plan", 'Łukasz Nowak said: "The emergency dataset is finally complete."')})
    with open_index(root).searcher() as s:
        (best,) = s.who("data\u00adset").hits  # "data" and "set" are in no quote
        assert best.speaker == "Łukasz Nowak"
        assert s.quotes(speaker="Łu\u200bkasz No\u00adwak").total == 1

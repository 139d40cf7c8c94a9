"""One speaker across the index (issue #12): every form of a name is one speaker; descriptions stay in their article.

Names here are made up or public figures' names in made-up sentences; no corpus text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from searchnews.cli import app
from searchnews.engine.speakers import merge_speakers
from searchnews.names import name_parts


def groups(counts: dict[str, int]) -> dict[str, tuple[str, ...]]:
    return {g.name: tuple(sorted(g.names)) for g in merge_speakers(counts)}


def test_titles_initials_and_middle_names_are_one_person() -> None:
    merged = groups(
        {"Donald Trump": 40, "Donald J. Trump": 7, "Mr. Trump": 5, "President Trump": 3, "Trump": 2, "Ivanka Trump": 1}
    )
    assert merged["Donald Trump"] == ("Donald J. Trump", "Donald Trump", "Mr. Trump", "President Trump", "Trump")
    assert merged["Ivanka Trump"] == ("Ivanka Trump",)
    assert groups({"Hillary Rodham Clinton": 2, "Hillary Clinton": 9})["Hillary Clinton"] == (
        "Hillary Clinton",
        "Hillary Rodham Clinton",
    )


def test_a_titled_surname_follows_the_title_gender_when_two_share_it() -> None:
    counts = {"Michelle Obama": 6, "Barack Obama": 5, "Mr. Obama": 4, "Mrs. Obama": 3}
    merged = groups(counts)
    assert merged["Michelle Obama"] == ("Michelle Obama", "Mrs. Obama")
    assert merged["Barack Obama"] == ("Barack Obama", "Mr. Obama")


def test_a_bare_surname_shared_evenly_stays_apart() -> None:
    merged = groups({"Ann Reyes": 5, "Luis Reyes": 5, "Reyes": 3})
    assert merged["Reyes"] == ("Reyes",)


def test_organisations_keep_their_words_and_pronouns_are_no_one() -> None:
    merged = groups({"General Motors": 4, "Motors": 1, "he": 9, "The Bank of Canada": 2, "Bank of Canada": 3})
    assert "General Motors" in merged and "he" not in merged
    assert merged["Bank of Canada"] == ("Bank of Canada", "The Bank of Canada")
    assert name_parts("Del. Mary Plask").words == ("mary", "plask")


ARTICLES = {
    "a.txt": ("Tariff talks", ['Donald Trump said: "We will win on trade."', '"Nobody trades better," Trump added.']),
    "b.txt": ("Rally in Ohio", ['"The polls are wrong," said Donald J. Trump at a rally in Ohio.']),
    "c.txt": ("White House briefing", ["President Trump said the wall would be built."]),
    "d.txt": ("Factory closes", ["The company said it would close the plant in May.", "Acme Corp. makes brakes."]),
    "e.txt": ("Bakery sold", ["The company said the bakery was sold to a rival."]),
    "f.txt": ("Bridge inspection", ["Police said the bridge was closed after a crash."]),
}


@pytest.fixture
def index(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, (headline, paragraphs) in ARTICLES.items():
        (folder / name).write_text(headline + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    root = tmp_path / "ix"
    result = CliRunner().invoke(app, ["index", "--index", str(root), str(folder)])
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("form", ["trump", "Donald Trump", "Donald J. Trump", "President Trump", "Mr. Trump"])
def test_any_form_of_a_name_finds_all_their_quotes(index: Path, form: str) -> None:
    result = CliRunner().invoke(app, ["quotes", "--speaker", form, "--index", str(index), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 4, form


def test_speakers_lists_people_and_organisations_never_a_description_across_articles(index: Path) -> None:
    result = CliRunner().invoke(app, ["speakers", "--index", str(index), "--json"])
    listed = {s["speaker"]: s for s in json.loads(result.stdout)}
    assert listed["Donald Trump"]["quotes"] == 4
    assert set(listed["Donald Trump"]["names"]) == {"Donald Trump", "Donald J. Trump", "Trump"}  # "President" a role
    assert not any(name.lower() in ("the company", "police") for name in listed)


def test_a_title_of_the_other_gender_never_joins_and_bare_descriptions_are_nobody() -> None:
    merged = groups({"Tony Blair": 5, "Mrs Blair": 2, "Justice Department": 5, "the department": 3, "The company": 4})
    assert merged["Tony Blair"] == ("Tony Blair",) and merged["Mrs Blair"] == ("Mrs Blair",)
    assert merged["Justice Department"] == ("Justice Department",)  # "Justice" is no title of an organisation
    assert "The company" not in merged and "the department" not in merged
    with_her = groups({"Tony Blair": 5, "Cherie Blair": 1, "Mrs Blair": 2})
    assert with_her["Cherie Blair"] == ("Cherie Blair", "Mrs Blair")

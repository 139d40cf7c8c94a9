"""Speaker names that must never be artefacts (issue #12, the 36k corpus's top speakers): a company suffix, the
last word of an office, a plural noun capitalised at a sentence start, a teaser label, initials joined by "and".

Every text here is invented for the test; none comes from a corpus or a gold set.
"""

from __future__ import annotations

from searchnews.model import Article, Quote
from searchnews.quotes import extract_quotes
from searchnews.quotes.extractor import _extract


def extract(*paragraphs: str) -> list[Quote]:
    body = "\n\n".join(paragraphs)
    quotes = extract_quotes(Article(id="t", headline="", body=body))
    assert quotes == _extract(body)  # the unguarded extractor gives the same
    return quotes


def speakers(quotes: list[Quote]) -> list[tuple[str, str]]:
    return [(q.speaker, q.speaker_kind) for q in quotes]


def test_a_company_suffix_keeps_the_company_whole() -> None:
    quotes = extract(
        "Brightwater Holding Group Co said it would close two plants in the spring.",
        "The company said the closures would cost 200 jobs.",
    )
    assert speakers(quotes) == [("Brightwater Holding Group Co", "organisation")] * 2


def test_company_suffixes_of_other_countries_are_organisations_too() -> None:
    for name in ("Kessler Pumpen AG", "Ostrava Steel Co", "Marlow Freight LLP"):
        (quote,) = extract(f"{name} said its orders fell by a third in March.")
        assert (quote.speaker, quote.speaker_kind) == (name, "organisation")


def test_the_last_word_of_an_office_is_no_part_of_the_name() -> None:
    quotes = extract(
        "Chancellor of the Exchequer Martin Dale presented the budget on Wednesday.",
        "Dale said the deficit would fall by half within three years.",
    )
    assert speakers(quotes) == [("Martin Dale", "person")]
    quotes = extract(
        "Chief of Staff Orrin Vasko left the meeting early.",
        "Vasko said the talks had stalled over the budget.",
    )
    assert speakers(quotes) == [("Orrin Vasko", "person")]


def test_a_role_word_before_a_name_is_no_part_of_it() -> None:
    quotes = extract(
        "Broadcaster Nina Aldous hosted the evening.",
        "Aldous said the show would return in the autumn.",
    )
    assert speakers(quotes) == [("Nina Aldous", "person")]


def test_plural_nouns_at_a_sentence_start_are_groups_not_names() -> None:
    quotes = extract(
        "The Association of Grain Dealers met in the capital on Monday.",
        "Dealers said wheat prices would rise after the frost.",
        "Bond Traders said the central bank would hold its rate.",
    )
    assert speakers(quotes) == [("Dealers", "group"), ("Bond Traders", "group")]


def test_a_surname_that_is_also_a_plural_stays_a_person() -> None:
    quotes = extract(
        "Actor Tal Reeves arrived at the festival on Friday.",
        "Reeves said the film had taken six years to make.",
    )
    assert speakers(quotes) == [("Tal Reeves", "person")]


def test_a_teaser_label_run_into_a_paragraph_is_nobody() -> None:
    quotes = extract(
        "Ministers met on Tuesday to discuss the floods. READ MORE: Storm batters the coast again "
        "Officials said the coastal road would stay closed until Friday."
    )
    assert quotes and all("READ" not in q.speaker for q in quotes)


def test_initials_joined_by_and_are_one_organisation() -> None:
    (quote,) = extract("Q and R said the outlook for the bank's debt was stable.")
    assert (quote.speaker, quote.speaker_kind) == ("Q&R", "organisation")


def test_a_quoted_transcript_turn_is_the_labelled_speakers() -> None:
    quotes = extract(
        "Host Dana Whitlock interviewed Governor Ray Halloran on Sunday.",
        '"Ray Halloran said the budget would pass," the network reported.',
        '"WHITLOCK: Will the budget pass this week?',
        '"HALLORAN: It will pass, and it will pass with votes to spare.',
        '"VIDEO: the full interview."',
    )
    turns = [(q.speaker, q.text) for q in quotes if q.kind == "direct" and not q.cue]
    assert ("Dana Whitlock", "Will the budget pass this week?") in turns
    assert ("Ray Halloran", "It will pass, and it will pass with votes to spare.") in turns
    assert all(not q.text.startswith(("WHITLOCK", "HALLORAN")) for q in quotes)


def test_a_name_written_only_with_its_possessive_keeps_it() -> None:
    quotes = extract(
        "Fenwick's Ratings Service cut the city's bond rating on Monday.",
        "Fenwick's said the city's debt had doubled in five years.",
    )
    assert speakers(quotes) == [("Fenwick's", "organisation")]
    quotes = extract(
        "Senator Alma Ortiz spoke in Denver. Ortiz's aides were nearby.",
        "Ortiz's said the bill would fail, a phrasing the aides later corrected.",
    )
    assert all(q.speaker != "Ortiz's" for q in quotes)

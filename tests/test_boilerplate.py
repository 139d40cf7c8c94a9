"""The boilerplate cleaner: page furniture goes by its shape, every story paragraph stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchnews.ingest import Failure, read_path
from searchnews.ingest.boilerplate import clean_line, clean_paragraphs, is_boilerplate_line

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_ed251e8534f4e119.txt"


# --- the seed article ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_article():
    items = list(read_path(SEED))
    assert len(items) == 1 and not isinstance(items[0], Failure)
    return items[0]


def test_seed_headline(seed_article):
    assert seed_article.headline == (
        "Russia plots army drills at Afghanistan border as Putin tightens stranglehold on region"
    )


def test_seed_keeps_all_twenty_story_paragraphs(seed_article):
    paragraphs = seed_article.paragraphs
    assert len(paragraphs) == 20
    assert paragraphs[0].startswith("And defence minister Sergey Shoigu also said")
    assert paragraphs[-1].startswith("Wang said the Taliban is expected to")
    # Short paragraphs that are the tail of a quote are story, not furniture.
    assert "“I hope to discuss all these issues with you.”" in paragraphs
    assert "“Notably, we can see that their movement is organised quite well.”" in paragraphs


@pytest.mark.parametrize(
    "furniture",
    [
        "Afghanistan: Taliban fighters capture US military equipment",  # a related story's headline
        "We use your sign-up",
        "JUST IN",
        "Yanis Varoufakis",
        "[LATEST]",
        "[UPDATE]",
        "[INSIGHT]",
        "Adam Peaty",
        "Source: Read Full Article",
        "Read Full Article",
    ],
)
def test_seed_loses_its_furniture(seed_article, furniture):
    assert furniture not in seed_article.body
    assert furniture not in seed_article.headline


def test_seed_paragraphs_are_whole_story_text(seed_article):
    separator_free = all("\n" not in paragraph for paragraph in seed_article.paragraphs)
    assert separator_free
    assert seed_article.body.count("\n\n") == 19


# --- invented furniture: other wording, other tags ----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # consent, sign-up, newsletter, cookies, comments
        "We use your email address to send you our newsletter and offers you have consented to. "
        "You can opt out at any time. Privacy notice",
        "Sign up to our free morning newsletter",
        "Sign up for The Daily Brief and get the biggest stories in your inbox.",
        "We and our partners use cookies to personalise content and ads. Manage your cookie settings.",
        "Sorry, we are not accepting comments on this story.",
        "Comments are closed.",
        # teasers with a tag at the start
        "READ MORE: Council tax rise confirmed for thousands of households",
        "Read more: Ten things we learned from the budget",
        "SEE ALSO: The best walking routes in the Lake District",
        "MORE: Fans furious after final whistle",
        "WATCH: Dramatic moment ferry hits harbour wall",
        "Related: How the housing crisis reached the suburbs",
        "Don't miss: Gardener's tip for bigger tomatoes",
        "LATEST NEWS: Storm warning extended to Wales",
        # teasers with a bracketed tag at the end (or start)
        "Chancellor under fire over fuel duty plans [ANALYSIS]",
        "Village fete ends in chaos as goat escapes [PICS]",
        "Minister's ‘secret’ holiday plans exposed [REVEALED]",
        "[VIDEO] Rescuers pull puppy from river",
        # calls to action
        "Share this article",
        "Follow us on Instagram",
        "Follow The Herald on Facebook and X",
        "Click here to read the full interview",
        "To see all the photos, tap here.",
        "Get the app for breaking news alerts",
        "Download our app",
        "Like us on Facebook",
        # credits and copyright
        "Image: Getty Images",
        "Picture: Reuters",
        "Photo credit: Jane Doe / Agency",
        "AFP via Getty Images",
        "Source: Read Full Article",
        "© 2024 Example Media Group. All rights reserved.",
        "Copyright 2019 Northern Times Ltd",
    ],
)
def test_furniture_line_is_removed(line):
    assert is_boilerplate_line(line), line


@pytest.mark.parametrize(
    "line",
    [
        # wire-service tables and footnotes look terse and tagged, but are story
        "Qtly div 12 cts vs 12 cts prior",
        "Pay May 20",
        "Record April 30",
        "Nine mths",
        "NOTE: Share data adjusted for a two-for-one stock split.",
        "Note: full-year figures not given",
        "TOTAL: 1,204 votes",
        # tags that label the story itself
        "EXCLUSIVE: The minister was warned twice about the bridge, documents show.",
        "UPDATE: Police have now named the man who died.",
        "BREAKING: The prime minister has resigned.",
        # story about the very words the rules look for
        "Shares in the cookie maker fell 4% after it cut its forecast.",
        "Privacy campaigners said the new law went too far.",
        "The council declined to comment.",
        "Officials said they would not comment on the investigation.",
        "He said: “Sign up for the army, they told us, and see the world.”",
        "“Click here, they said, and I did,” she told the court.",
        "You can also sign up for the scheme at any post office.",
        "Follow the river north for two miles and the village appears.",
        "Share prices rose sharply in early trading.",
        "Like our neighbours, we were not warned.",
        "Subscribers to the service will get a refund, the company said.",
        "Copyright infringement cases rose by a third last year.",
        "The US and its allies met in Brussels.",
        # short quote tails and crossheads
        "“I hope so.”",
        "“We will not give up.”",
        "The road ahead",
        "Reuters reported the talks had stalled.",
    ],
)
def test_story_line_is_kept(line):
    assert not is_boilerplate_line(line), line
    assert clean_line(line) == line


def test_each_line_of_a_paragraph_is_judged_on_its_own():
    paragraph = (
        "Mayor promises new bus lanes by spring [LATEST]\n"
        "Rail strike talks collapse again [UPDATE]\n"
        "Residents say the new lanes will cut journey times."
    )
    assert clean_paragraphs([paragraph]) == ["Residents say the new lanes will cut journey times."]


def test_a_paragraph_of_only_teasers_disappears():
    teasers = "Mayor promises new bus lanes [LATEST]\nRail strike talks collapse again [UPDATE]"
    assert clean_paragraphs(["The story begins here.", teasers, "And ends here."]) == [
        "The story begins here.",
        "And ends here.",
    ]


def test_trailing_notice_sentence_is_cut_from_a_story_paragraph():
    paragraph = "Both men deny the charges. The trial continues. Sorry, we are not accepting comments on this article."
    assert clean_line(paragraph) == "Both men deny the charges. The trial continues."


def test_leading_call_to_action_sentence_is_cut_from_a_story_paragraph():
    paragraph = "Click here for the full match report. The visitors scored twice in the first ten minutes."
    assert clean_line(paragraph) == "The visitors scored twice in the first ten minutes."


def test_tag_running_into_story_text_is_not_dropped():
    # No full stop after the teaser, so tag and story share a "sentence": keep it rather than lose the story.
    line = (
        "READ MORE: Storm hits coast Every winter the harbour wall takes another beating and the repair bill "
        "grows, officials say. Engineers will inspect it on Monday."
    )
    assert "Every winter the harbour wall" in clean_line(line)


def test_related_headline_above_a_consent_box_is_dropped():
    paragraphs = [
        "Floods: Army called in as river bursts banks",
        "We use your sign-up to send you news you have agreed to receive. You can unsubscribe at any time.",
        "The river rose two metres overnight.",
    ]
    assert clean_paragraphs(paragraphs) == ["The river rose two metres overnight."]


def test_short_first_paragraph_followed_by_story_is_kept():
    paragraphs = ["Floods: Army called in as river bursts banks", "The river rose two metres overnight."]
    assert clean_paragraphs(paragraphs) == paragraphs


def test_clean_paragraphs_drops_empty_paragraphs_and_keeps_order():
    assert clean_paragraphs(["", "One.", "  ", "Two.", "Share this article", "Three."]) == ["One.", "Two.", "Three."]

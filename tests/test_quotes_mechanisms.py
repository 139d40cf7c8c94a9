"""Quote extraction, issue #12: cue forms, verbs and tenses, mixed quotes, speakers, roles and kinds.

Every text here is invented for the test; none comes from a corpus or a gold set.
"""

from __future__ import annotations

import pytest

from searchnews.model import Article, Quote
from searchnews.quotes import extract_quotes


def extract(*paragraphs: str) -> list[Quote]:
    article = Article(id="t", headline="", body="\n\n".join(paragraphs))
    quotes = extract_quotes(article)
    for q in quotes:
        assert article.body[q.start : q.end] == q.text
    return quotes


def only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, quotes
    return quotes[0]


# --- cue forms -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "quote"),
    [
        ('"We will not back down," Ms. Reyes told the workers.', "Ms Reyes", "We will not back down"),
        ("“The roof held,” Mr. Okoro told the council on Monday.", "Mr Okoro", "The roof held"),
        ('Ortiz told NBC, "We are ready."', "Ortiz", "We are ready."),
        ("Ingrid Pahl told the Herald: “The fund is empty.”", "Ingrid Pahl", "The fund is empty."),
        ('Hana Bello said on Friday, "The count is over."', "Hana Bello", "The count is over."),
        ('"That went well," Lin said dryly.', "Lin", "That went well"),
        ("“It is finished,” Paulo Reis said quietly.", "Paulo Reis", "It is finished"),
        ('"We are late," Ada Stone said two weeks after the vote.', "Ada Stone", "We are late"),
        ("“Enough,” Tariq Nasser said as he left the hall.", "Tariq Nasser", "Enough"),
        ("''This is not reform,'' said Ana Ruiz, an economist.", "Ana Ruiz", "This is not reform"),
        ("''The numbers are wrong,'' Bo Lind said.", "Bo Lind", "The numbers are wrong"),
    ],
)
def test_direct_cue_forms(text: str, speaker: str, quote: str) -> None:
    q = only(extract(text))
    assert (q.kind, q.speaker, q.text) == ("direct", speaker, quote)


def test_time_phrase_after_frame_is_no_quote() -> None:
    quotes = extract('Ada Stone chaired the vote. "We are late," she said two weeks after the vote.')
    assert [(q.kind, q.text, q.speaker) for q in quotes] == [("direct", "We are late", "Ada Stone")]


def test_intro_clause_then_cue_with_comma_before_quote() -> None:
    q = only(extract('As the film ended, the narrator said, "Goodnight."'))
    assert (q.kind, q.text, q.speaker) == ("direct", "Goodnight.", "the narrator")


# --- verbs and tenses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "quote"),
    [
        ("Governor Jim Lake promised that taxes would fall next year.", "promised", "taxes would fall next year"),
        ("Senator Ann Fox urged voters to reject the measure.", "urged", "to reject the measure"),
        ("Jim Lake denied that he had met the lobbyist.", "denied", "he had met the lobbyist"),
        ("Jim Lake pledged to cut taxes by a fifth.", "pledged", "to cut taxes by a fifth"),
        ("Jim Lake vowed to fight the ruling in court.", "vowed", "to fight the ruling in court"),
        ("Jim Lake warned that the deficit would grow.", "warned", "the deficit would grow"),
        ("Jim Lake asked whether the deal was legal.", "asked", "whether the deal was legal"),
        ("Jim Lake has suggested that the vote was rigged.", "suggested", "the vote was rigged"),
        ("Rosa Vance promises to open the files within a month.", "promises", "to open the files within a month"),
        ("Rosa Vance asked the minister why the clinic had closed.", "asked", "why the clinic had closed"),
    ],
)
def test_reporting_verbs(text: str, cue: str, quote: str) -> None:
    q = only(extract(text))
    assert (q.kind, q.cue, q.text) == ("indirect", cue, quote)
    assert q.speaker in ("Jim Lake", "Ann Fox", "Rosa Vance")


@pytest.mark.parametrize(
    "text",
    [
        "The council denied the request in March.",
        "Jim Lake vowed revenge.",
        "The board asked for more time.",
        "She promised her mother a visit.",
    ],
)
def test_verbs_with_an_object_report_nothing(text: str) -> None:
    assert extract(text) == []


def test_organisation_subject_said_it_had() -> None:
    q = only(extract("The bank said it had raised rates twice this year."))
    assert (q.speaker, q.text) == ("The bank", "it had raised rates twice this year")


# --- mixed quotes ----------------------------------------------------------------------------------------


def test_mixed_quote_at_sentence_end() -> None:
    q = only(extract('Kerr says the plan "would hurt everyone."'))
    assert (q.kind, q.speaker) == ("mixed", "Kerr")
    assert q.text.startswith("the plan") and "would hurt everyone" in q.text


def test_mixed_and_unmarked_sentences_both_found() -> None:
    marked = only(extract("Lena Morris said the levy “would ruin small farms.”"))
    plain = only(extract("Lena Morris said the levy would ruin small farms."))
    assert (marked.kind, plain.kind) == ("mixed", "indirect")
    assert marked.speaker == plain.speaker == "Lena Morris"


# --- speaker names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"We need more money," said Del. Mary Plask.', "Mary Plask"),
        ('"We need more money," said Rep. Tom Ueda.', "Tom Ueda"),
        ("Adm. Carla Voss said the fleet would sail at dawn.", "Carla Voss"),
    ],
)
def test_abbreviated_titles_are_not_names(text: str, speaker: str) -> None:
    assert only(extract(text)).speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        "Jim Lake issued a statement saying the vote was rigged.",
        "Jim Lake posted a video on Sunday, saying the vote was rigged.",
        "Jim Lake is saying the vote was rigged.",
        "Jim Lake has been telling donors that the vote was rigged.",
    ],
)
def test_participles_and_progressives(text: str) -> None:
    q = only(extract(text))
    assert (q.kind, q.speaker, q.text) == ("indirect", "Jim Lake", "the vote was rigged")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("A reporter for the Daily Sun reported that the mayor had resigned.", "A reporter for the Daily Sun"),
        ("The Commission on Rural Water says the wells were never tested.", "Commission on Rural Water"),
        ("The Institute for Coastal Study reported that the dunes were shrinking.", "Institute for Coastal Study"),
        ("Gov. Dana Whitt (R-Ore.) said the budget was balanced.", "Dana Whitt"),
        ("Rep. J.T. Morrow (D-Ind.) said the budget was balanced.", "J. T. Morrow"),
        ("Everyone I asked liked the plan. The Harbor Trust says it would cost too much.", "Harbor Trust"),
        ("Former state treasurer Nina Kowal was blunt: the budget is not balanced, she said.", "Nina Kowal"),
    ],
)
def test_names_are_not_taken_from_descriptions_or_tags(text: str, speaker: str) -> None:
    assert [q.speaker for q in extract(text)] == [speaker]


def test_colon_separates_speaker_from_narrative() -> None:
    q = only(extract("The vote set off a storm on Friday: Republicans said they were convinced the count was wrong."))
    assert q.speaker == "Republicans"


def test_description_of_someone_else_is_not_their_name() -> None:
    assert only(extract("A spokesman for Jim Lake said the senator would not attend.")).speaker == (
        "A spokesman for Jim Lake"
    )
    assert only(extract("An aide to Maria Ortiz said the vote was delayed.")).speaker == "An aide to Maria Ortiz"
    q = only(extract("A lawyer for the families, Dan Pruitt, said the appeal was still open."))
    assert q.speaker == "Dan Pruitt"


# --- pronouns --------------------------------------------------------------------------------------------


def test_pronoun_means_a_mentioned_person_of_its_gender() -> None:
    quotes = extract('Tom Hale met Maria Lopez at the site. "It was a disaster," she said.')
    assert [q.speaker for q in quotes] == ["Maria Lopez"]


def test_pronoun_never_means_a_person_of_the_other_gender() -> None:
    quotes = extract('Police said Maria Lopez, 34, was shot on Friday. "We are looking for the driver," he said.')
    assert quotes[-1].speaker != "Maria Lopez"


def test_pronoun_after_an_apposed_name() -> None:
    quotes = extract('The mayor, Tom Hale, spoke to reporters. He said: "We are ready for the storm."')
    assert [q.speaker for q in quotes] == ["Tom Hale"]


def test_pronoun_never_means_a_photo_credit() -> None:
    quotes = extract("Photo by Mark Dunn. Jane Ellis said the plan would fail.", '"It is a mess," he said.')
    assert [q.speaker for q in quotes] == ["Jane Ellis", ""]


def test_pronoun_keeps_the_speaker_over_a_relative_mentioned_since() -> None:
    quotes = extract(
        "Ruth Adler said the plan would fail. Her husband, Karl Adler, retired in 2010.", '"It is a mess," she said.'
    )
    assert [q.speaker for q in quotes] == ["Ruth Adler", "Ruth Adler"]


# --- quotes introduced by a colon or a dash --------------------------------------------------------------


def test_colon_line_introduces_next_paragraph_quote() -> None:
    quotes = extract("Tom Hale spoke at the rally:", '"We will win this fight and we will win it soon."')
    assert [(q.kind, q.speaker) for q in quotes] == [("direct", "Tom Hale")]


@pytest.mark.parametrize(
    "text",
    ['Tom Hale was blunt — "We will win this fight."', "Tom Hale was blunt: “We will win this fight.”"],
)
def test_colon_or_dash_introduces_quote(text: str) -> None:
    q = only(extract(text))
    assert (q.kind, q.speaker, q.text) == ("direct", "Tom Hale", "We will win this fight.")


def test_colon_after_a_thing_introduces_nobody() -> None:
    quotes = extract('The sign on the door read: "Closed until spring."')
    assert all(q.speaker == "" for q in quotes)


@pytest.mark.parametrize(
    "text",
    [
        "''What outlet isn't taking sides in this race?'' he said.",
        "As for the channel's bent, Ivo Marr said, ''What outlet isn't taking sides in this race?''",
    ],
)
def test_doubled_apostrophe_quote_ending_a_paragraph_is_prose(text: str) -> None:
    q = only(extract(text))
    assert q.kind == "direct" and q.text.startswith("What outlet")


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Nell Ruiz spoke for an hour, emphasizing that the clinic would stay open.", "emphasizing"),
        ("Nell Ruiz closed the meeting by announcing that the clinic would stay open.", "announcing"),
        ("Nell Ruiz wrote to the board, promising that the clinic would stay open.", "promising"),
    ],
)
def test_any_reporting_participle(text: str, cue: str) -> None:
    q = only(extract(text))
    assert (q.cue, q.speaker, q.text) == (cue, "Nell Ruiz", "the clinic would stay open")


# --- documents and organisations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraphs", "speaker"),
    [
        (["A statement from the Harbour Trust said the pier would reopen in May."], "Harbour Trust"),
        (["A release sent by Vanta Mining on Friday said the mine would close."], "Vanta Mining"),
        (["The Vanta Mining statement said the mine would close."], "Vanta Mining"),
        (["Corla Foods said prices would rise.", "A statement said the plant would stay open."], "Corla Foods"),
        (
            ["The grain board said prices would rise.", "The board's report said the plant would close."],
            "The grain board",
        ),
    ],
)
def test_documents_speak_for_who_issued_them(paragraphs: list[str], speaker: str) -> None:
    assert extract(*paragraphs)[-1].speaker == speaker


def test_document_with_no_issuer_stays_a_document() -> None:
    assert only(extract("A report released on Monday said the river was unsafe.")).speaker.startswith("A report")


def test_the_company_is_the_company_just_quoted() -> None:
    quotes = extract("Brightel said its network was back.", "The company said the outage had lasted an hour.")
    assert [q.speaker for q in quotes] == ["Brightel", "Brightel"]


def test_described_organisation_takes_the_name_the_article_gives() -> None:
    quotes = extract(
        "The Parole Board of Canada released Mr. Oakes in May.",
        "The parole board said he had completed every program offered.",
    )
    assert quotes[-1].speaker == "Parole Board of Canada"


def test_possessive_never_ends_a_speaker() -> None:
    quotes = extract("Gale Oduya's lawyer said the charges would be dropped.")
    assert all(not q.speaker.endswith(("'s", "’s")) for q in quotes)


# --- roles and speaker kinds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        (
            "Russian Defence Minister Sergey Volkov said the troops would stay.",
            "Sergey Volkov",
            "Russian Defence Minister",
        ),
        ('"It will fail," said Ana Ruiz, an economist at the institute.', "Ana Ruiz", "an economist at the institute"),
        (
            "Ana Ruiz, an economist at the institute, said the plan would fail.",
            "Ana Ruiz",
            "an economist at the institute",
        ),
        ("''This is not reform,'' said Ana Ruiz, an economist.", "Ana Ruiz", "an economist"),
        (
            "Professor Kent Moyo at the Lakeside Institute said the ice was thin.",
            "Kent Moyo",
            "Professor at the Lakeside Institute",
        ),
        ("Ms. Ana Ruiz said the plan would fail.", "Ana Ruiz", None),
        ("Ana Ruiz, speaking after the vote, said the plan would fail.", "Ana Ruiz", None),
        ("A Taliban spokesperson said the talks were over.", "A Taliban spokesperson", "A Taliban spokesperson"),
    ],
)
def test_role_is_the_texts_own_words(text: str, speaker: str, role: str | None) -> None:
    q = only(extract(text))
    assert (q.speaker, q.role) == (speaker, role)


def test_role_follows_the_person_to_later_quotes() -> None:
    quotes = extract(
        "Harbour master Lena Okafor said the pier would reopen.", '"We are ready," she said.', "Ms. Okafor agreed."
    )
    assert [(q.speaker, q.role) for q in quotes] == [("Lena Okafor", "Harbour master")] * 2


def test_role_from_where_the_text_first_names_the_person() -> None:
    quotes = extract("Envoys met Foreign Minister Ida Berg on Monday.", "Berg said the talks had gone well.")
    assert [(q.speaker, q.role) for q in quotes] == [("Ida Berg", "Foreign Minister")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Sergey Volkov said the troops would stay.", "person"),
        ("The Chinese foreign ministry said it was concerned.", "organisation"),
        ("The Tax Policy Center said the plan would cost more.", "organisation"),
        ("The RCMP said it had arrested two men.", "organisation"),
        ("Police said the road was closed.", "group"),
        ("Officials said the road was closed.", "group"),
        ("A Taliban spokesperson said the talks were over.", "description"),
        ("A report released on Monday said the river was unsafe.", "document"),
    ],
)
def test_speaker_kind(text: str, kind: str) -> None:
    assert only(extract(text)).speaker_kind == kind


def test_organisation_under_its_acronym_and_its_name_is_one_speaker() -> None:
    quotes = extract(
        "Officers of the Royal Canadian Mounted Police (RCMP) arrived on Monday.",
        "The RCMP said two men were arrested.",
        "The Royal Canadian Mounted Police said the road was closed.",
    )
    assert [q.speaker for q in quotes] == ["Royal Canadian Mounted Police"] * 2


def test_pronoun_and_follow_on_quotes_are_a_persons() -> None:
    quotes = extract('Vera Holm said the plan was late. "We tried," she said.', '"It was not enough."')
    assert [q.speaker_kind for q in quotes] == ["person", "person", "person"]


def test_lone_name_nobody_calls_he_or_she_is_an_organisation() -> None:
    quotes = extract("Brightel said its network was back.", "The company said the outage had lasted an hour.")
    assert [q.speaker_kind for q in quotes] == ["organisation", "organisation"]


def test_quote_without_speaker_has_no_kind() -> None:
    quotes = extract('"Nobody saw it coming."')
    assert all((q.speaker, q.speaker_kind, q.role) == ("", "", None) for q in quotes)


def test_quote_after_a_persons_sentence_is_theirs() -> None:
    quotes = extract('"It is late," says Omar Lind. Ms. Ada Pell did not need coaxing. "I am thankful for the chance."')
    assert [q.speaker for q in quotes] == ["Omar Lind", "Ada Pell"]


def test_relative_clause_is_no_speaker() -> None:
    q = only(extract('A statement sent by Reagan Moss, who joined the board last month, said "We will comply."'))
    assert "who" not in q.speaker


@pytest.mark.parametrize(
    ("text", "speaker", "quote"),
    [
        ("Dana Oyelaran sang to the crowd before asking them, “Where do we go from here?”", "Dana Oyelaran", None),
        ("The ad shows footage of Lena Fisk asking, “Why am I not ahead?”", "Lena Fisk", "Why am I not ahead?"),
        ("The march wound through the city while chanting, “Hands off our parks.”", "", "Hands off our parks."),
        ("At a dinner, a friend commented: “You will never win that seat.”", "a friend", None),
        ("Said Ellis: “I don’t see any interest in reform.”", "Ellis", None),
        ("The paper ran dry years ― Tom Harte boasted, “That makes me smart.”", "Tom Harte", "That makes me smart."),
        ('"We need calm," Ada Stone said on Channel 4\'s "Morning Hour."', "Ada Stone", "We need calm"),
        ("“Stay inside,” the notice read.", "the notice", "Stay inside"),
    ],
)
def test_more_direct_cues(text: str, speaker: str, quote: str | None) -> None:
    found = [q for q in extract(text) if q.kind == "direct"]
    assert found, text
    if speaker:
        assert found[0].speaker == speaker
    if quote is not None:
        assert found[0].text == quote


def test_possessive_pronoun_document_is_the_persons() -> None:
    quotes = extract("Shira Pons spoke on Monday.", "Her statement said: “We have heard stories of fear.”")
    assert quotes[-1].speaker == "Shira Pons"


# --- embedded posts, coordinated and participle cues -----------------------------------------------------


def test_embedded_post_is_its_authors_direct_quote() -> None:
    quotes = extract(
        "The mayor answered on social media.",
        "Roads are closed until noon. Stay home if you can. pic.twitter.com/AbC123 — Lina Marsh (@linamarsh)"
        " March 3, 2019",
    )
    post = quotes[-1]
    assert (post.kind, post.speaker, post.text) == (
        "direct",
        "Lina Marsh",
        "Roads are closed until noon. Stay home if you can.",
    )


def test_but_added_keeps_the_speaker() -> None:
    quotes = extract("Prime Minister Oren Vale said the choice was not his, but added that he hoped it came soon.")
    assert [q.speaker for q in quotes] == ["Oren Vale", "Oren Vale"]
    assert quotes[-1].text == "he hoped it came soon"


def test_participle_after_a_quotation() -> None:
    quotes = extract('Ida Moss said she was "far from a decision," noting that she had served for 40 years.')
    assert quotes[-1].cue == "noting" and quotes[-1].speaker == "Ida Moss"
    assert quotes[-1].text == "she had served for 40 years"


@pytest.mark.parametrize(
    "text",
    [
        "During her years in office, Mayor Ann Beck said, the city doubled its parks.",
        "Before he died, Tom Vale said, he had asked for the files.",
    ],
)
def test_introductory_phrase_before_a_frame_is_no_quote(text: str) -> None:
    quotes = extract(text)
    assert all(not q.text.lower().startswith(("during", "before")) for q in quotes)


def test_told_reporters_then_clause() -> None:
    q = only(extract("Lena Dorsch told reporters the talks would resume in May."))
    assert (q.speaker, q.text) == ("Lena Dorsch", "the talks would resume in May")


def test_follow_us_line_is_no_quote() -> None:
    assert extract('"We will see," Tom Vale said.', "Follow Ann Beck on Twitter @annbeck.")[-1].speaker == "Tom Vale"


def test_relative_who_said_reports_for_its_antecedent() -> None:
    quotes = extract(
        "Ruth Gale refused to pay an architect who said he was owed money, saying “He did poor work.”",
    )
    assert (quotes[0].speaker, quotes[0].text) == ("an architect", "he was owed money")
    assert quotes[-1].speaker == "Ruth Gale"


def test_inverted_speaker_ends_before_an_aside() -> None:
    quotes = extract('"I cook simple food," says Greenfield while visiting the test kitchen with her husband.')
    assert [q.speaker for q in quotes] == ["Greenfield"]


def test_particle_name_is_a_name() -> None:
    q = only(extract("The group al-Kataib said it carried out the attack."))
    assert "al-Kataib" in q.speaker


def test_common_word_opening_a_sentence_is_no_organisation() -> None:
    quotes = extract(
        "Brightel said its network was back.",
        "Apps that it said would fail kept working, and users said apps loaded fast.",
        "The company said the outage had lasted an hour.",
    )
    assert quotes[-1].speaker == "Brightel"


def test_outlet_reports_that() -> None:
    q = only(extract("The Daily Ledger reports that the mayor will resign in June."))
    assert (q.speaker, q.cue, q.text) == ("Daily Ledger", "reports", "the mayor will resign in June")


def test_reports_as_a_noun_is_no_cue() -> None:
    assert extract("The board asked for copies of the audit reports that staff had filed in May.") == []


@pytest.mark.parametrize(
    "text",
    [
        "On Thursday, however, Nora Vance spoke to the miners, promising to reopen the pits by spring.",
        "Stung by the polls, Nora Vance rewrote her plan, promising to reopen the pits by spring.",
    ],
)
def test_promising_participle_after_an_intro(text: str) -> None:
    q = only(extract(text))
    assert (q.speaker, q.text) == ("Nora Vance", "to reopen the pits by spring")


def test_news_conference_announcing() -> None:
    quotes = extract("Nora Vance spoke at a news conference announcing that the pits would reopen.")
    assert [(q.speaker, q.text) for q in quotes] == [("Nora Vance", "the pits would reopen")]


def test_quote_paragraph_after_a_persons_sentence_is_theirs() -> None:
    quotes = extract(
        '"The rules are clear," said Sandra Wu.',
        "Ms. Tessa Nolan, a senior analyst, explained to colleagues how the policy works.",
        '"Family members may join the sessions when the doctor agrees."',
    )
    assert [q.speaker for q in quotes] == ["Sandra Wu", "Tessa Nolan"]


def test_relational_description_is_not_someone_named_elsewhere() -> None:
    quotes = extract(
        "His father, Joseph Okel, said the boy loved football.",
        'At the morgue, "He is gone," the father repeated into his phone.',
    )
    assert quotes[-1].speaker == "the father"


def test_organisation_and_its_product_are_not_one_name() -> None:
    quotes = extract(
        "Users downloaded an app called Brightel Research.",
        "Brightel said the app was paused.",
        "The company said the data was safe.",
    )
    assert [q.speaker for q in quotes] == ["Brightel", "Brightel"]


def test_having_said_that_is_no_report() -> None:
    assert extract("Having said that, there are some economists who disagree.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Everything Rob Lane says is a lie, one voter wrote.",
        "The gap between what Rob Lane says his plan would do began early.",
    ],
)
def test_what_x_says_reports_nothing_for_x(text: str) -> None:
    assert all(q.speaker != "Rob Lane" for q in extract(text))


def test_long_phrase_before_inverted_verb_is_the_report() -> None:
    q = only(
        extract(
            "The station was dropped by most of the roughly 100 stations on which it had aired as of 2005, said "
            "Jeffrey Trent, a senior official with the board."
        )
    )
    assert q.speaker == "Jeffrey Trent" and q.text.startswith("The station was dropped")


def test_what_officials_say_is_a_report() -> None:
    q = only(extract("The visit falls on what South Korean officials say is the leader's 35th birthday."))
    assert q.speaker == "South Korean officials"


def test_as_predicted_is_no_report() -> None:
    assert all(q.cue != "predicted" for q in extract("In July the mine failed, as predicted, and the town emptied."))


def test_object_with_a_capitalised_ed_word_is_no_clause() -> None:
    assert extract("Ivo Pell declared war on the United States in 1996.") == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Rob Lane this week said he would name a running mate soon.", "Rob Lane"),
        ("Rob Lane on Friday said he would name a running mate soon.", "Rob Lane"),
    ],
)
def test_time_words_are_never_part_of_a_name(text: str, speaker: str) -> None:
    assert only(extract(text)).speaker == speaker


def test_clause_after_a_day_name() -> None:
    q = only(extract("The Tulsa Police Department said Tuesday the drug was found in the car."))
    assert q.text == "the drug was found in the car"


@pytest.mark.parametrize(
    "text",
    [
        "LA CROSSE, Wis. — Republican nominee Ada Stone said Tuesday that the plan would fail.",
        "NEW YORK (AP) — Ada Stone said the plan would fail.",
    ],
)
def test_dateline_is_no_speaker(text: str) -> None:
    assert only(extract(text)).speaker == "Ada Stone"


def test_sentence_adverb_is_no_name() -> None:
    quotes = extract('Hastily, the mayor said the plan would fail. "No," he said.')
    assert all(q.speaker != "Hastily" for q in quotes)


@pytest.mark.parametrize(
    "text",
    [
        "Rosa Demaro, director of the Nurses Union, a union that has backed the mayor, said her group would march.",
        "The office says it is on track, and Rosa Demaro, the city climate adviser, said her staff had plans.",
        "The plan failed.\n\nRosa Demaro, 49, a Navy veteran who now works in sales, said her group would march.",
    ],
)
def test_name_before_several_descriptions(text: str) -> None:
    assert extract(text)[-1].speaker == "Rosa Demaro"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Asked where he would go next, Tom Hale answered, “Denver.”", "Tom Hale"),
        ("As the results came in, the crowd chanted, “Four more years!”", "the crowd"),
    ],
)
def test_verb_and_comma_introduce_a_quote(text: str, speaker: str) -> None:
    q = only(extract(text))
    assert q.kind == "direct" and q.speaker == speaker


def test_fragment_after_a_comma_is_no_utterance() -> None:
    quotes = extract("Ana Lee learned simple words, “along with some complex ones.”")
    assert all(q.kind != "direct" for q in quotes)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Said Dora Poyn, who grew up with him in the neighbourhood, “We were all so proud of him.”", "Dora Poyn"),
        ("Asked to respond, Carson said,\u00a0“What does it say about people who jump on the bandwagon?”", "Carson"),
    ],
)
def test_said_first_and_no_break_space(text: str, speaker: str) -> None:
    q = only(extract(text))
    assert (q.kind, q.speaker) == ("direct", speaker)


def test_described_speaker_stays_a_description_under_a_pronoun() -> None:
    quotes = extract('A Labour Party spokesman said the plan was fine. "We agree," he said.')
    assert [(q.speaker_kind, q.role) for q in quotes] == [("description", "A Labour Party spokesman")] * 2


def test_quote_paragraph_after_someone_newly_introduced_is_not_the_last_speakers() -> None:
    quotes = extract(
        '"The roads are fine," said Omar Lind.',
        "Zorya Pell has driven the route for 20 years.",
        '"I have never seen it this bad in all that time."',
    )
    assert [q.speaker for q in quotes] == ["Omar Lind", "Zorya Pell"]


def test_asked_someone_whether() -> None:
    q = only(extract("Neva Tam asked former Attorney General Eric Hollis whether the case would be reopened."))
    assert (q.speaker, q.text) == ("Neva Tam", "whether the case would be reopened")

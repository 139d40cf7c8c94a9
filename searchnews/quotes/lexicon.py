"""Word lists the quote extractor reasons with: reporting verbs, titles, roles, speaker nouns.

General English news vocabulary only; nothing here names a particular article, person or outlet.
"""

from __future__ import annotations

import re

# The words of names have one home, searchnews.names (the engine reads names with them too); re-exported here.
from searchnews.names import (  # noqa: F401
    FEMALE_NAMES,
    FEMALE_TITLES,
    MALE_NAMES,
    MALE_TITLES,
    ORG_WORDS,
    TITLE_ABBREVIATIONS,
    TITLE_WORDS,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Reporting verbs that introduce reported speech, direct or indirect, in every inflection news uses.
SPEECH_VERBS = _words(
    """
    say says said saying
    tell tells told telling
    add adds added adding
    stresses stressed stressing
    emphasises emphasised emphasising emphasizes emphasized emphasizing
    explain explains explained explaining
    claimed claiming
    notes noted noting
    warn warns warned warning
    argue argues argued arguing
    insist insists insisted insisting
    write writes wrote writing
    announces announced announcing
    confirms confirmed confirming
    stated stating
    suggest suggests suggested suggesting
    acknowledge acknowledges acknowledged acknowledging
    admit admits admitted admitting
    concede concedes conceded conceding
    allege alleges alleged alleging
    maintains maintained maintaining
    reported
    reveals revealed revealing
    indicates indicated indicating
    predict predicts predicted predicting
    replies replied replying
    responded responding
    tweeted tweeting
    recalls recalled recalling
    complains complained complaining
    cautions cautioned cautioning
    reiterates reiterated reiterating
    contend contends contended contending
    asserts asserted asserting
    countered countering
    declares declared declaring
    testified testifying
    observed
    remarked
    underlined
    underscored
    clarified
    deny denies denied denying
    pledge pledges pledged pledging
    promise promises promised promising
    vow vows vowed vowing
    urge urges urged urging
    ask asks asked asking
    claim claims
    note
    announce
    confirm confirming
    report reports reporting
    respond responds
    mention mentions mentioned mentioning
    demand demands demanded demanding
    threaten threatens threatened threatening
    conclude concludes concluded concluding
    disclose discloses disclosed disclosing
    hint hints hinted hinting
    lament laments lamented lamenting
    proclaim proclaims proclaimed proclaiming
    assure assures assured assuring
    remind reminds reminded reminding
    inform informs informed informing
    boast boasts boasted boasting
    retort retorts retorted
    """
)

# Reporting verbs that govern a reported clause only when "that", a subject pronoun, a question word, a
# to-infinitive or a quotation follows them ("denied that he had met", not "denied the request").
STRICT_VERBS = _words(
    """
    deny denies denied denying pledge pledges pledged pledging promise promises promised promising vow vows
    vowed vowing urge urges urged urging ask asks asked asking claim claims note announce confirm confirming
    report reports reporting respond responds mention mentions mentioned mentioning demand demands demanded demanding
    threaten threatens threatened threatening conclude concludes concluded concluding disclose discloses
    disclosed disclosing hint hints hinted hinting lament laments lamented lamenting proclaim proclaims
    proclaimed proclaiming assure assures assured assuring remind reminds reminded reminding inform informs
    informed informing boast boasts boasted boasting retort retorts retorted
    """
)

# Reporting verbs whose report may be a to-infinitive, after an object for some ("urged voters to reject it",
# "pledged to cut taxes"): the report starts at "to".
TO_VERBS = _words(
    """
    promise promises promised promising pledge pledges pledged pledging vow vows vowed vowing
    urge urges urged urging ask asks asked asking tell tells told telling threaten threatens threatened
    threatening demand demands demanded demanding warn warns warned warning remind reminds reminded reminding
    """
)

# Reporting verbs that may report a question ("asked whether the deal was legal").
QUESTION_VERBS = _words("ask asks asked asking wonder wonders wondered wondering")
QUESTION_WORDS = _words("whether if how why what when where who which")

# Nouns naming a document or a message: a speaker phrase headed by one is said by whoever issued it.
DOCUMENT_NOUNS = _words(
    """
    statement statements release report reports study survey poll tweet tweets post posts letter memo
    document documents decision ruling filing complaint lawsuit data records figures numbers analysis email
    emails message notice website readout bulletin ad advertisement video review audit judgment
    """
)

# Nouns naming a message, after which "saying" reports its content ("issued a statement saying ...").
MESSAGE_NOUNS = _words(
    """
    statement statements release letter letters tweet tweets post posts message messages email emails video
    videos memo note report ad advertisement interview op-ed column filing motion complaint lawsuit document
    notice post text texts speech remarks comment comments editorial conference briefing interview hearing
    rally address appearance
    """
)

# Verbs that attribute a verbatim quote next to them but rarely govern an indirect clause.
QUOTE_ONLY_VERBS = _words(
    """
    continued
    answered whispered
    read reads
    chant chants chanted chanting yell yells yelled yelling shout shouts shouted shouting scream screams
    screamed screaming comment comments commented commenting
    joked quipped laughed shouted yelled exclaimed chanted wondered repeated pleaded sighed boasted
    describes described describing
    calls called
    """
)

# Verbs that may stand after their subject at the end of a sentence ("..., said Mr Smith").
INVERTIBLE_VERBS = _words("said says added adds wrote writes explained asked continued noted replied told tweeted")

# Participles and base forms: never the finite verb of "X said" on their own.
PARTICIPLE_SUFFIX = "ing"
# Forms that need a plural or first/second-person subject ("officials say"); singular subjects use "says".
BASE_FORMS = _words(
    "say tell add stress emphasise emphasize explain claim note warn argue insist write announce confirm state "
    "suggest acknowledge admit concede allege maintain report reveal indicate predict reply respond tweet recall "
    "complain caution reiterate contend assert counter declare testify observe remark underline underscore "
    "clarify ask continue joke quip laugh shout yell exclaim chant wonder repeat plead describe call read sigh "
    "boast begin vow promise"
)

# Auxiliaries and adverbs that may sit between a subject and its reporting verb ("he has also said").
VERB_PREFIX_WORDS = _words(
    "has have had also would will could may might later previously repeatedly then again further recently "
    "once earlier since just never often frequently separately subsequently initially originally last first "
    "told reportedly publicly privately quickly simply only still already openly bluntly flatly angrily "
    "calmly firmly both all too himself herself themselves itself"
)

# Words that make a preceding reporting verb passive ("is said to", "was told").
PASSIVE_MARKERS = _words("is was were are be been being am")


# Function words that start sentences and are capitalised only for that reason.
SENTENCE_STARTERS = _words(
    """
    the a an but and or so yet however meanwhile still also now then instead while when as after before
    in on at during for from with without by of to into about over under since until though although
    if because despite speaking referring asked according reading writing last this that these those
    earlier later separately elsewhere indeed moreover furthermore nonetheless nevertheless finally
    first second third today yesterday tonight here there his her their its our my your we they he she
    it i you one some many most all both each every no not only even just well what which who whom
    whose where why how other another such several few more many any either neither unlike like
    said says added adds wrote writes
    """
)

# Nouns that can head a speaker phrase without any capitalised name ("officials", "a spokesperson").
SPEAKER_NOUNS = _words(
    """
    spokesperson spokesman spokeswoman spokespeople official officials minister ministry department
    government police officer officers authorities authority agency statement statements release report
    reports study studies survey data website document documents source sources expert experts analyst
    analysts researcher researchers scientist scientists economist economists critic critics resident
    residents witness witnesses people person man woman men women teen teenager child children student
    students parent parents mother father son daughter wife husband brother sister family friend friends
    neighbour neighbor neighbours neighbors group groups organization organisation organizers organisers
    company firm spokesperson's lawyer lawyers attorney attorneys prosecutor prosecutors judge court
    union leader leaders chief chiefs president director manager owner owners employee employees worker
    workers staff member members representative representatives aide aides adviser advisers advisor
    advisors team coach player players board council committee commission office administration
    ministry's military army navy army's campaign party officials' investigators investigator detective
    detectives doctor doctors nurse nurses patient patients victim victims survivor survivors activist
    activists protester protesters protestors demonstrators voter voters citizen citizens customer
    customers user users fan fans observer observers insider insiders executive executives founder
    organizer organiser host hosts author authors writer letter email emails post tweet memo readout
    lawsuit complaint filing filings ruling decision announcement notice plan proposal poll polls
    agreement bulletin newspaper paper outlet broadcaster network channel agency's manufacturer
    regulator regulators economist chair chairman chairwoman mayor premier governor senator
    senators congressman congresswoman lawmaker lawmakers legislator legislators diplomat diplomats
    envoy ambassador ministers trustees teacher teachers principal spokesperson officials
    """
)

# Nouns naming one person by role: a speaker so named is who a later "he said" or "she said" may mean.
PERSON_NOUNS = _words(
    """
    spokesperson spokesman spokeswoman official officer professional man woman boy girl father mother son
    daughter wife husband brother sister friend neighbour neighbor resident witness lawyer attorney doctor
    nurse teacher student source aide adviser advisor director manager owner chief leader president
    minister mayor premier governor senator coach player executive analyst expert economist researcher
    scientist professor worker employee member driver victim survivor activist organizer organiser
    founder representative negotiator diplomat envoy ambassador lawmaker judge prosecutor investigator
    detective colleague partner person customer user fan observer insider chair chairman chairwoman
    agent guard soldier pilot passenger farmer owner operator host volunteer parent grandmother
    grandfather uncle aunt cousin niece nephew girlfriend boyfriend fiancé fiancee veteran official
    """
)

# Occupations and roles that, capitalised at a sentence start, stand before a full name ("Farmer Tom Baker").
ROLE_NOUNS = _words(
    """
    farmer grower rancher fisherman fisher miner logger trucker driver nurse doctor physician surgeon dentist
    paramedic firefighter teacher student pupil resident homeowner tenant landlord shopkeeper merchant
    vendor retailer entrepreneur businessman businesswoman developer builder contractor engineer architect
    scientist researcher historian biologist ecologist geologist artist painter sculptor musician poet
    novelist photographer filmmaker designer cartoonist activist organizer organiser volunteer veteran
    pilot sailor soldier worker labourer laborer electrician plumber carpenter mechanic technician
    pharmacist lawyer attorney accountant banker broker investor consultant planner manager supervisor
    owner operator founder co-founder spokesperson spokesman spokeswoman councillor councilor alderman
    trustee coach captain player skater skier athlete runner swimmer goalie curler pastor priest minister
    elder chief leader chair chairman chairwoman director principal superintendent inspector constable
    officer detective sergeant corporal commander general colonel major lieutenant senator mayor premier
    reeve warden president treasurer secretary economist analyst strategist expert advocate
    """
)

# Agent nouns of markets and trade that name people only in the plural in news ("Dealers said", "Traders said").
_MARKET_AGENTS = _words("dealer trader buyer exporter importer producer forecaster lender borrower insurer")


def _plurals(nouns: frozenset[str]) -> frozenset[str]:
    return frozenset(n + ("es" if n.endswith(("s", "sh", "ch", "x")) else "s") for n in nouns)


# Plural agent nouns ("Dealers", "Bond Dealers", "Merchant Bankers", "Analysts"): a group of people, never one
# person's name, even capitalised at a sentence start. Derived from the singular lists, so each noun added there
# is covered here; only agent endings, since "Reeves", "Cousins" and "Judges" are surnames as often as plurals,
# and words of organisations' names stay out ("Partners").
_AGENT_ENDINGS = ("ers", "ors", "ists", "ants", "ents", "ians", "eers")
PLURAL_AGENT_NOUNS = frozenset(
    w for w in _plurals(PERSON_NOUNS | ROLE_NOUNS | _MARKET_AGENTS) - ORG_WORDS if w.endswith(_AGENT_ENDINGS)
) | frozenset(w for w in SPEAKER_NOUNS if w.endswith("s") and w[:-1] in PERSON_NOUNS)  # "Officials", "Sources"

# Nouns heading an organisation: "the company said" refers back to the organisation last quoted.
ORG_HEADS = _words(
    """
    company firm agency group organization organisation union ministry department government board city
    station network party association council commission court team club league office service
    corporation bank university school hospital department institute foundation charity campaign
    """
)

# Personal pronouns as reporting subjects and the gender or number they carry.
PRONOUN_GENDER = {"he": "m", "she": "f", "they": "p", "it": "n"}


# Words ending in "." that do not end a sentence.
ABBREVIATIONS = _words(
    """
    mr mrs ms dr st jr sr gen lt col sgt capt cpl maj rep sen gov prof rev hon insp supt const det
    del adm cmdr cdr brig atty sec amb msgr fr pres supt assemb
    inc corp co ltd no nos vs etc jan feb mar apr jun jul aug sep sept oct nov dec mt ave approx dept est
    fig op vol pp ph e.g i.e a.m p.m u.s u.k u.n u.s.a d.c n.s b.c
    """
)

# Words that start an introductory phrase, never a speaker ("In a statement, ...", "Speaking today, ...").
INTRO_WORDS = _words(
    """
    in on at during after before since when while as speaking referring reading writing asked responding
    according however meanwhile but and so yet still also later earlier separately elsewhere instead
    indeed moreover furthermore nonetheless nevertheless finally today yesterday tonight last this
    despite although though if because until with without by for from through under over about
    unlike like besides beyond amid among against toward towards within across along behind beside between
    near outside inside upon via per except including following regarding concerning considering given
    down up back around nearby once late early
    """
)

# Relative words that open a clause inside a speaker phrase ("Ms Lee, who chairs the board, said").
RELATIVE_WORDS = _words("who whom whose which that where")

# Words a speaker phrase is never made of: they reveal a clause, not a noun phrase.
CLAUSE_WORDS = _words(
    "is was were are am be been being has have had do does did will would can could should must might "
    "shall not n't never if because although though since while when whether than"
)

# A word as the tokenizer sees it: letters with inner apostrophes, hyphens and dots (names, "U.S.").
WORD_RE = re.compile(r"[^\W\d_](?:[\w'’.\-]*\w)?|\d[\w.,]*")


def trie_pattern(words: frozenset[str] | set[str]) -> str:
    """A regex alternation of ``words`` folded into a prefix tree.

    Python's regex engine tries the branches of a flat alternation one by one at every position; sharing
    prefixes lets it reject a position after one character, which makes the cue search many times faster.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return build(trie)

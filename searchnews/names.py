"""The words of names: titles, given names by gender, the words of organisations' names.

One home for them: the quote extractor (``quotes.lexicon`` re-exports them) reads speakers with them, and the
engine uses them to tell that "Mr. Trump", "President Trump" and "Donald J. Trump" are one person across the
index (``speaker_identity``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from searchnews.model import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and roles that precede a name and are no part of it.
TITLE_WORDS = _words(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend hon father sister brother
    president vice prime minister premier mayor chief secretary senator sen rep representative gov governor
    general gen col colonel capt captain sgt sergeant lt lieutenant cpl corporal maj major det detective
    insp inspector supt superintendent const constable officer commissioner commander admiral marshal
    judge justice chancellor ambassador envoy spokesman spokeswoman spokesperson director manager
    chairman chairwoman chair ceo cfo coo founder co-founder president-elect leader deputy assistant
    associate executive head coach captain king queen prince princess pope cardinal bishop archbishop
    rabbi imam pastor councillor councilor alderman mp mla mpp trustee superintendent agent analyst
    economist professor lawyer attorney counsel solicitor barrister dean provost principal editor
    reporter correspondent columnist producer author writer actor actress singer star player striker
    defender goalkeeper forward guard centre center pitcher quarterback manager boss owner chef
    sheriff marshal warden speaker whip clerk registrar auditor controller treasurer economist
    minister-designate secretary-general director-general attorney-general general-secretary
    adm cmdr cdr brig atty sec amb msgr fr pres delegate congressman congresswoman assemblyman
    assemblywoman councilman councilwoman commissioner superintendent
    """
)

# Capitalised words that belong to organisations, places or offices rather than to a person's name.
ORG_WORDS = _words(
    """
    state department ministry minister affairs foreign defence defense police service services council union
    house senate party government news press agency office commission committee court university college
    school city county province provincial federal national international association federation assembly
    institute foundation society company corporation corp inc ltd group bank board authority authorities
    administration army navy force forces guard centre center hospital church organization organisation
    league club team network times post journal herald tribune daily weekly radio television tv channel
    network security health justice finance treasury interior energy environment education transport
    transportation labour labor commerce trade industry republic kingdom union states nations united
    european american canadian british chinese russian french german council's parliament congress
    republican republicans democrat democrats democratic liberal liberals conservative conservatives
    ndp tory tories green greens reform bloc coalition front movement campaign program programme project
    fund trust capital partners holdings industries airlines airways motors energy oil gas power hydro
    museum gallery library theatre theater festival awards ministry's department's agency's
    foods mining pharmaceuticals technologies technology systems solutions communications media entertainment
    labs resources logistics ventures brands products stores markets financial insurance realty properties
    construction telecom wireless software inc. corp. ltd. llc plc research music studios games cloud
    co co. cos llp lp l.p. pty bhd gmbh ag nv
    messenger
    monday tuesday wednesday thursday friday saturday sunday january february march july september october
    november december
    """
)

# Common given names that tell a person's gender, for "he"/"she" when no title or earlier pronoun does.
MALE_NAMES = _words(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony
    mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan
    jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander
    frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle
    walter ethan jeremy harold keith christian roger noah gerald carl terry sean austin arthur lawrence
    jesse dylan bryan joe jordan billy bruce albert willie gabriel logan alan juan wayne roy ralph randy
    eugene vincent russell elijah louis bobby philip johnny mike jim tom bob bill dave steve chris tony
    doug greg ken ted ian colin neil graham nigel simon martin hugh barry boris vladimir sergei sergey xi
    mohammed muhammad mohammad mohamed mohamad ahmed ali omar hassan ibrahim
    pierre jean jacques francois luc marc michel andre
    rob fred ben sam dan matt nick alex max luke tim jeff jon ron rick
    barack bernie mitt mitch newt rudy reince rand marco jeb ted lindsey chuck harry mike
    hugh hank herb howard isaac ivan jake jared jay jimmy joel jonah josh kurt lance leo leon lloyd lou
    marcus mario marvin maurice melvin miles mitchell murray nathaniel neal nelson norman oliver
    oscar owen percy perry phil quentin ralph reggie rex ricky rod rodney roland ross rudy rupert
    russ sal seth shane sheldon sid stan stanley stuart todd tommy travis trevor troy vernon victor vince
    wade wallace warren wes wesley wilbur will willard winston zach abdul abdullah ahmad amir bashar hamid
    hussein jamal karim khalid mahmoud mustafa nabil rashid salman tariq yusuf youssef
    raj rahul ravi sanjay vijay amit anil arjun deepak manish narendra rajesh suresh hiroshi kenji takeshi
    wei jun ming hao boris dmitry igor mikhail nikolai oleg pavel viktor yuri alexei andrei
    carlos diego eduardo emilio enrique fernando francisco guillermo javier jorge luis manuel miguel pablo
    pedro rafael ricardo roberto alejandro antonio sergio hector raul ramon
    francois-xavier guy yves denis gilles marcel normand rejean rene real gaetan benoit mathieu sylvain
    giuseppe giovanni luca marco paolo stefano hans jurgen klaus wolfgang dieter olaf lars sven nils
    rex elon eric kevin jared reince sean corey
    """
)

FEMALE_NAMES = _words(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret
    sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca
    sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma samantha
    katherine christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie joyce
    victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline
    frances gloria ann teresa kathryn sara janice alice madison doris abigail julia judy grace denise
    amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte rose
    alexis kayla katy kate katie jane jenny jill liz beth meg sue cindy wendy tina tracy anne annie
    claire caroline fiona louise sophie chloe lucy ella mia ava zoe angela nadia fatima aisha leila
    marine angela ursula hillary nancy kamala chrystia jody catherine michaela sheila yvonne monique
    melanie melania ivanka chelsea kellyanne huma hope loretta condoleezza madeleine nikki
    elizabeth elise alicia monica paula hilary janet betsy debbie dianne barbara tammy tulsi
    susan kirsten maxine michele jeanne shannon caroline sandra rachel
    adele agnes alison allison amelia andrea angelina anita annette antoinette april audrey bernadette
    bethany bonnie brianna bridget camille candace carla carmen cassandra cecilia celeste charlene
    christina clara claudia colleen connie constance crystal daisy darlene dawn deanna delia
    della dolores dora edith eileen elaine eleanor elena eliza ella ellen eloise elsa erica erin esther
    eva evangeline faith felicia flora florence francine freda gabrielle gail genevieve georgia geraldine
    gina ginger gladys glenda gwen harriet hazel heidi helena holly ida imogen irene iris isabel ivy
    jacqueline jan jeannette jenna jennie jessie joan joanna joanne jocelyn josephine juanita judith
    julianne june justine kara karin kathy katrina kay kristen kristin lana leah lena lillian
    lily linda lindsay lois lorraine louisa lucia lucille lydia lynn mabel madeline mae maggie mandy
    marcia margaret margo marguerite marian marianne marie marilyn marjorie marlene marsha martha
    maureen maxine meredith mildred millie miranda mona muriel myra nadine naomi natasha nellie nina
    nora norma olga olive paige pamela patsy pauline pearl peggy penny phyllis polly priscilla rebekah
    regina renee rita roberta robyn rosa rosalind rosemary roxanne ruby sabrina sally selena serena
    shelby shelley sherry shirley silvia simone sonia sonya stella sylvia tamara tanya tara tessa thelma
    tiffany valerie vanessa vera veronica vicki viola violet vivian wanda whitney wilma yolanda zoey
    aisha amina fatima layla mariam noor yasmin priya sunita anjali deepa lakshmi meera pooja yuki
    keiko mei ling xiu svetlana tatiana irina ludmila oksana natalia yulia lucia mercedes pilar rocio
    isabelle genevieve nathalie sylvie chantal josee manon francine ginette helene therese lise
    ana beatriz fernanda gabriela guadalupe juliana luisa marisol paola valentina ximena betty
    """
)

# Titles that tell a person's gender.
MALE_TITLES = _words("mr mr. sir lord father brother king prince")

FEMALE_TITLES = _words("mrs mrs. ms ms. miss dame lady sister queen princess")

# Titles news abbreviates before a name ("Sen. Ann Fox", "Del. Mary Plask"): never a name themselves.
TITLE_ABBREVIATIONS = _words(
    "mr mrs ms dr prof sen rep gov gen lt col sgt capt cpl maj adm cmdr cdr brig del atty sec supt insp det "
    "const rev fr msgr hon amb pres"
)


# -- one speaker across the index ------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TITLES = {fold(w).rstrip(".") for w in TITLE_WORDS | TITLE_ABBREVIATIONS}
_MALE_TITLES = {fold(w).rstrip(".") for w in MALE_TITLES}
_FEMALE_TITLES = {fold(w).rstrip(".") for w in FEMALE_TITLES}
_PRONOUNS = frozenset("he she it they we i you him her them his hers its their our".split())
_LONE = "\x00"  # marks the key of a surname alone
# A name whose quotes are at least this share of the full names a bare surname could mean takes that surname.
DOMINANT_SHARE = 2 / 3


@dataclass(frozen=True)
class NameParts:
    words: tuple[str, ...]  # folded, titles and initials dropped
    gender: str  # "m" | "f" | "" from a title or a known first name
    person: bool


def name_parts(name: str) -> NameParts:
    raw = _WORD.findall(name)
    folded = [fold(w) for w in raw]
    person = bool(raw) and all(w[:1].isupper() for w in raw) and not any(w in ORG_WORDS for w in folded)
    gender = ""
    i = 0
    while person and i < len(folded) - 1 and folded[i] in _TITLES:  # leading titles: "President", "Mr", "Del."
        gender = gender or ("m" if folded[i] in _MALE_TITLES else "f" if folded[i] in _FEMALE_TITLES else "")
        i += 1
    words = folded[i:]
    if not person and len(words) > 1 and words[0] == "the":  # "The Bank of Canada" is the "Bank of Canada"
        words = words[1:]
    if not person and len(words) == 1 and words[0] in ORG_WORDS:  # "the company", "Department": a description
        words = []
    if person:
        kept = [w for w in words if len(w) > 1]  # initials: "Donald J. Trump", "T. Tom Clarke"
        words = kept if kept else words
        if not gender and len(words) > 1:
            gender = "m" if words[0] in MALE_NAMES else "f" if words[0] in FEMALE_NAMES else ""
    return NameParts(tuple(words), gender, person and len(words) >= 1)


@dataclass(frozen=True)
class SpeakerGroup:
    name: str  # the most quoted form of two words or more (else the most quoted form)
    count: int
    names: tuple[str, ...]  # every form, most quoted first


def identity_key(parts: NameParts) -> tuple[str, ...]:
    """Forms with one key are one speaker: an organisation's words; a person's first and last name; a surname
    alone, apart by the gender its title gives ("Mr." / "Mrs. Obama")."""
    if not parts.person:
        return parts.words
    if len(parts.words) == 1:
        return (parts.words[0], _LONE + parts.gender)
    return (parts.words[0], parts.words[-1])


def find_speaker(groups: list[SpeakerGroup], name: str) -> SpeakerGroup | None:
    """The group a name typed by a user stands for: any form of it ("trump", "President Trump", "Donald J.
    Trump"), a surname by the same rules as the merge, or the family name written first ("wang" -> "Wang Yi")."""
    typed = name.strip()
    if not typed:
        return None
    tries = [name_parts(typed)]
    if typed == typed.lower():
        tries.append(name_parts(typed.title()))  # "donald trump" as a user types it
    by_key: dict[tuple[str, ...], SpeakerGroup] = {}
    for group in groups:
        for form in group.names:
            by_key.setdefault(identity_key(name_parts(form)), group)
    for parts in tries:
        key = identity_key(parts)
        if key in by_key:
            return by_key[key]
    parts = tries[-1]
    if not parts.person or len(parts.words) != 1:
        return None
    word = parts.words[0]
    full = [g for g in groups if _full_name_words(g) and _full_name_words(g)[-1] == word]
    chosen = _choose(full, parts.gender)
    if chosen is not None:
        return chosen
    first = [g for g in groups if _full_name_words(g) and _full_name_words(g)[0] == word]
    return first[0] if first else None  # groups are most quoted first


def _full_name_words(group: SpeakerGroup) -> tuple[str, ...]:
    parts = name_parts(group.name)
    return parts.words if parts.person and len(parts.words) > 1 else ()


def _choose(candidates: list[SpeakerGroup], gender: str) -> SpeakerGroup | None:
    if gender:
        candidates = [g for g in candidates if name_parts(g.name).gender in (gender, "")]
    if len(candidates) == 1:
        return candidates[0]
    if gender:
        same = [g for g in candidates if name_parts(g.name).gender == gender]
        if len(same) == 1:
            return same[0]
    if candidates and candidates[0].count >= DOMINANT_SHARE * sum(g.count for g in candidates):
        return candidates[0]
    return None


def merge_speaker_forms(counts: Mapping[str, int]) -> list[SpeakerGroup]:
    """One group per person or organisation, most quoted first.

    Forms with the same words once titles and initials are dropped are one ("Mr. Trump" and "President Trump";
    "Donald J. Trump" and "Donald Trump"); a person's full names with the same first and last word are one
    ("Hillary Rodham Clinton"); a surname alone (however titled) joins the full name ending with it when only
    one does, or only one of the gender its title gives, or one holds two thirds of their quotes.
    """
    groups: dict[tuple[str, ...], dict[str, int]] = {}
    parts: dict[tuple[str, ...], NameParts] = {}
    for name, n in counts.items():
        p = name_parts(name)
        if not p.words or (len(p.words) == 1 and p.words[0] in _PRONOUNS):
            continue
        key = identity_key(p)
        forms = groups.setdefault(key, {})
        forms[name] = forms.get(name, 0) + n
        parts.setdefault(key, p)
    full_by_last: dict[str, list[tuple[str, ...]]] = {}
    for key, p in parts.items():
        if p.person and len(key) == 2 and not key[1].startswith(_LONE):
            full_by_last.setdefault(key[1], []).append(key)
    for key in [k for k, p in parts.items() if p.person and len(k) == 2 and k[1].startswith(_LONE)]:
        target = _surname_target(key[0], {parts[key].gender}, full_by_last.get(key[0], []), groups, parts)
        if target is not None:
            for name, n in groups.pop(key).items():
                groups[target][name] = groups[target].get(name, 0) + n
    merged = [
        SpeakerGroup(
            # the most quoted full name ("Hillary Clinton", not the once-seen "Hillary Rodham Clinton")
            name=max(forms, key=lambda f: (len(name_parts(f).words) > 1, forms[f], len(f), f)),
            count=sum(forms.values()),
            names=tuple(sorted(forms, key=lambda f: (-forms[f], f))),
        )
        for forms in groups.values()
    ]
    merged.sort(key=lambda g: (-g.count, g.name))
    return merged


def _surname_target(
    surname: str,
    title_genders: set[str],
    candidates: list[tuple[str, ...]],
    groups: dict[tuple[str, ...], dict[str, int]],
    parts: dict[tuple[str, ...], NameParts],
) -> tuple[str, ...] | None:
    """The full name a lone surname stands for, or None when the index cannot tell."""
    gendered = {g for g in title_genders if g}
    if len(gendered) == 1:  # "Mrs Blair" is not Tony Blair; a full name of unknown gender may still be her
        (g,) = gendered
        candidates = [c for c in candidates if parts[c].gender in (g, "")]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    if len(gendered) == 1:
        same = [c for c in candidates if parts[c].gender in gendered]
        if len(same) == 1:
            return same[0]
    totals = {c: sum(groups[c].values()) for c in candidates}
    best = max(candidates, key=lambda c: (totals[c], c))
    if totals[best] >= DOMINANT_SHARE * sum(totals.values()):
        return best
    return None

"""Remove the web page furniture that scrapers leave in news text.

Scraped articles carry lines that belong to the page, not the story: consent and sign-up blurbs, teasers for
other stories ("JUST IN: ...", "... [LATEST]"), calls to action ("Share this article"), image credits and
"Source: Read Full Article" footers. They are recognised by their SHAPE, each line judged on its own:

- teaser: a short line opened by a navigation tag and a colon ("READ MORE:", "SEE ALSO:", "WATCH:"), or
  closed (or opened) by a bracketed upper-case tag ("... [UPDATE]", "[PICTURES] ...");
- site notice: the site speaking to its reader (you/your/we/our/us) about site mechanics (sign-up, newsletter,
  cookies, consent, privacy policy, comments on this article ...);
- call to action: an imperative aimed at the page or a social network ("Click here ...", "Follow us on X",
  "Share this article");
- credit: a short credit or attribution stub ("Image: Getty", "Source: Read Full Article", "© 2021 Publisher").

A line made only of such sentences (plus short or site-voiced filler like "More info") goes; in a line that
also holds story sentences, only the site-notice, call-to-action and copyright sentences go ("... The trial
continues. Sorry we are not currently accepting comments on this article.").

Precision matters more than recall: a dropped story paragraph is lost to search and quotes, a kept teaser only
adds a little noise. So every rule needs two signals (a tag AND shortness, a mechanic AND the site's voice),
and a sentence that quotes someone or reports speech is never dropped. Story lines that merely look terse —
wire tables ("Qtly div 10 cts vs 10 cts prior"), footnotes ("NOTE: ..."), crossheads — are left alone.
"""

from __future__ import annotations

import re

_MAX_TEASER_WORDS = 30
_MAX_EMBEDDED_TEASER_WORDS = 15
_MAX_CALL_TO_ACTION_WORDS = 25
_MAX_SITE_NOTICE_WORDS = 60
_MAX_CREDIT_WORDS = 8
_MAX_FILLER_WORDS = 2
_MAX_SUBHEADING_WORDS = 15
_TAG_ZONE = 40  # a leading navigation tag ends within the first characters of a line
_SHORT_LINE_CHARS = 80  # short enough to be a credit line ("AFP via Getty Images")

# Cheap pre-filter. Cleaning runs on every line of every article while indexing, and each scan of the text for
# one word costs about a millisecond per megabyte, so the list is short: words that site notices, calls to action
# and copyright lines nearly always contain, and story text seldom does. (Lines with a tag at either end or an
# opening imperative are caught by anchored tests instead.)
_SIGNALS = (
    "sign-up",
    "sign up",
    "newsletter",
    "subscribe",
    "consent",
    "cookie",
    "privacy",
    "comments",
    "reserved",
    "©",
    "copyright",
    "click",
    "tap here",
    "twitter",
    "facebook",
)

# Words that make a leading tag a pointer to other content. Multi-word phrases, and words that never open a
# story sentence with a colon, match in any case; the short ambiguous ones only as upper-case tags. Tags that
# label the story itself ("EXCLUSIVE:", "UPDATE:", "NOTE:", "LIVE:") are deliberately absent.
_NAV_TAG_ANY_CASE = re.compile(
    r"^\W{0,3}(?:read more|read also|also read|read next|see also|see more|more on this|more from"
    r"|related(?: articles?| stories| content)?|just in|don['’]?t miss|must (?:read|see|watch)|recommended"
    r"|trending(?: now)?|top stories|most read|most popular|watch(?: now| the video)?|listen(?: now)?"
    r"|in pictures|in pics)\s*[:：|]\s*\S",
    re.IGNORECASE,
)
_NAV_TAG_UPPER = re.compile(
    r"^\W{0,3}(?:[A-Z'’]+ ){0,2}(?:MORE|LATEST|READ|WATCH|VIDEO|VIDEOS|PICTURES|PICS|PHOTOS|GALLERY|POLL|QUIZ"
    r"|VOTE|TRENDING|RELATED|ALSO)(?: [A-Z'’]+){0,2}\s*[:：|]\s*\S"
)
# "... [LATEST]" / "[PICTURES] ...": an upper-case tag in square brackets, only punctuation beyond it.
_BRACKET_TAG_END = re.compile(r"\[\s*[A-Z][A-Z0-9'’!&/ -]{1,24}\]\W*$")
_BRACKET_TAG_START = re.compile(r"^\W{0,3}\[\s*[A-Z][A-Z0-9'’!&/ -]{1,24}\]")

# The site speaking: second person, or "we/our/us" (lower-case "us", so the country "US" does not count).
_SITE_VOICE = re.compile(r"\b(?:[Yy]ou(?:r|rs|['’]ve|['’]re|['’]ll)?|[Ww]e|[Oo]ur|us)\b")
_SITE_SELF = re.compile(r"\b(?:[Ww]e|[Oo]ur|us)\b")
# Site mechanics named the way sites name them: "cookies" alone may be biscuits, "comment" a reporter's
# request, "subscription" a business model.
_SITE_MECHANICS = re.compile(
    r"sign[- ]?up|newsletter|\b(?:un)?subscribe\b|consented to|your consent|consent (?:settings|prefer)"
    r"|(?:use|uses|accept|enable|allow|reject|manage|store|set) (?:all |some |these )?cookies"
    r"|cookie (?:policy|settings|pref|notice)|privacy (?:policy|notice|statement)"
    r"|terms (?:of|and) (?:use|service|conditions)|\binbox\b|push notifications|ad[- ]?block|javascript"
    r"|create an account|log ?in to (?:comment|continue|read)|rights reserved"
    r"|(?:on|of|to|in|share|read) this (?:article|story|page|post)"
    r"|(?:accepting|closed for|turned off|disabled) comments|comments (?:are|have been) (?:now )?(?:closed|off)"
    r"|comments? section|comment below|leave a comment|post a comment",
)
# Imperatives that address a reader of the page; "Share prices ..." or "Like our neighbours ..." are not.
_CALL_TO_ACTION = re.compile(
    r"^\W{0,3}(?:please\s+)?(?:click|tap|sign up|subscribe|download|register|scroll (?:down|up)|find out more"
    r"|let us know"
    r"|have your say|like us|follow (?:us|@|(?:\w+ ){1,3}on)|share (?:this|on|your|with)"
    r"|join (?:us|our|the conversation)"
    r"|visit (?:us|our|the)|(?:email|contact|tell|send) us|comment below|read (?:more|the full|our)"
    r"|watch (?:the|more|our|live|here|now)|listen (?:here|to the|live|now|to our)|get (?:the|our)"
    r"|see (?:more|our|below|all))\b",
)
_CALL_TO_ACTION_TARGET = re.compile(
    r"\b(?:here|below|above|us|our|inbox|alerts|this (?:article|story|page|post|video|gallery)|the link|link|app"
    r"|newsletter"
    r"|twitter|facebook|instagram|tiktok|youtube|whatsapp|telegram|linkedin|threads|bluesky|on x"
    r"|social media|full (?:story|article)|more stories)\b",
)
_CLICK_HERE = re.compile(r"\b(?:click|tap) (?:here|the link|on the link|below|above)\b")

# Page labels that stand alone on their line.
_PAGE_LABEL = re.compile(
    r"^\W{0,3}(?:advertisement|advert|sponsored(?: content)?|story continues below(?: advertisement)?"
    r"|continue reading(?: below)?|comments (?:are|have been) (?:now )?(?:closed|disabled|turned off))\W*$",
    re.IGNORECASE,
)
_CREDIT_TAG = re.compile(
    r"^\W{0,3}(?:source|via|credit|credits|image|images|image source|image credit|photo|photos|photograph"
    r"|photo credit|picture|pictures|video|video credit)\s*[:,]\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_PICTURE_AGENCY = re.compile(
    r"\b(?:Getty Images|Getty|Shutterstock|Alamy|AFP|AP Photo|Reuters|PA(?: Media| Wire| Images)?|EPA|iStock"
    r"|Rex Features|SWNS)\b"
)
# "© 2021 Publisher", "Copyright 2015 The Conversation": a story about copyright law has no year after the word.
_COPYRIGHT = re.compile(r"^\W{0,3}(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*\d{4}\b)|all rights reserved")
_READ_FULL_ARTICLE = re.compile(r"\bread (?:the )?full (?:article|story)\b")

# Quotes and reported speech are story, whatever else they look like (` and ' are quotes in tokenised feeds).
_QUOTE_OR_SPEECH = re.compile(
    r"[\"“”„«»`]|^\W{0,2}['‘]|\b(?:said|says|told|added|according to|explained|claimed|stressed)\b"
)
# A sentence ends at . ! or ? (perhaps followed by a closing quote, "` ... . '" in tokenised feeds). The
# expression starts with the rare punctuation, not with a look-behind, so the scan over long lines stays fast.
_SENTENCE_GAP = re.compile(r"[.!?](?P<close>\s?['’\"”]|)\s+(?=[\"“‘'`(\[]?[A-Z0-9])")
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’)\]]\s*$")


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """The paragraphs with boilerplate removed, in order; paragraphs left empty are dropped.

    Each line of a paragraph (text between single newlines) is judged on its own; surviving lines keep their
    newlines. The first paragraph is also dropped when it is a short headline-like line directly followed by a
    paragraph that was wholly boilerplate: scrapers leave a related story's headline above the consent box.
    """
    # Which signal words occur anywhere: one scan of the article instead of one per line.
    everything = "\n".join(paragraphs).lower()
    signals = tuple(signal for signal in _SIGNALS if signal in everything)
    cleaned: list[str] = []
    wholly_removed: list[bool] = []
    for paragraph in paragraphs:
        lines = (clean_line(line, signals) for line in paragraph.split("\n"))
        kept_lines = [line for line in lines if line.strip()]
        cleaned.append("\n".join(kept_lines))
        wholly_removed.append(bool(paragraph.strip()) and not kept_lines)
    if len(cleaned) > 1 and wholly_removed[1] and is_stray_headline(cleaned[0]):
        cleaned[0] = ""
    return [paragraph for paragraph in cleaned if paragraph]


def clean_line(line: str, signals: tuple[str, ...] = _SIGNALS) -> str:
    """``line`` without its boilerplate: unchanged when it has none, "" when it is nothing else.

    ``signals`` narrows the signal words to look for (to those present somewhere in the article).
    """
    text = line.strip()
    if not text:
        return line
    if len(text) <= _SHORT_LINE_CHARS:  # judged whole: too short to mix story and furniture
        furniture = _PAGE_LABEL.match(text) or _is_credit_line(text) or _is_chrome_sentence(text, signals)
        return "" if furniture else line
    if not _may_be_boilerplate(text, signals):
        return line
    sentences = split_sentences(text)
    # A tag inside a longer line may run on into story text ("READ MORE: Headline Every few years ..."): trust
    # it only for a headline-length sentence.
    teaser_words = _MAX_TEASER_WORDS if len(sentences) == 1 else _MAX_EMBEDDED_TEASER_WORDS
    chrome = [_is_chrome_sentence(sentence, signals, teaser_words) for sentence in sentences]
    if not any(chrome):
        return line
    if all(is_chrome or _is_site_filler(sentence) for is_chrome, sentence in zip(chrome, sentences, strict=True)):
        return ""
    return " ".join(sentence for is_chrome, sentence in zip(chrome, sentences, strict=True) if not is_chrome)


def split_sentences(text: str) -> list[str]:
    """``text`` cut after each . ! or ? (and any closing quote) that is followed by a capital or a digit."""
    sentences: list[str] = []
    start = 0
    for gap in _SENTENCE_GAP.finditer(text):
        end = gap.start() + 1 + len(gap["close"])
        sentences.append(text[start:end])
        start = gap.end()
    sentences.append(text[start:])
    return sentences


def is_boilerplate_line(line: str) -> bool:
    """True when one line of scraped text is nothing but page furniture."""
    return bool(line.strip()) and not clean_line(line).strip()


def is_stray_headline(paragraph: str) -> bool:
    """A single short line with no closing punctuation and no quote: the shape of a headline, not of prose."""
    text = paragraph.strip()
    return (
        bool(text)
        and "\n" not in text
        and len(text.split()) <= _MAX_SUBHEADING_WORDS
        and not _SENTENCE_END.search(text)
        and not _QUOTE_OR_SPEECH.search(text)
    )


def _may_be_boilerplate(text: str, signals: tuple[str, ...]) -> bool:
    """Whether a long line is worth cutting into sentences: a tag at either end, an imperative, a signal word."""
    if _has_teaser_tag(text) or _CALL_TO_ACTION.match(text):
        return True
    if not signals:
        return False
    low = text.lower()
    return any(signal in low for signal in signals)


def _has_teaser_tag(text: str) -> bool:
    """A navigation tag and colon at the start, or an upper-case [TAG] at either end."""
    head = text[:_TAG_ZONE]
    if (":" in head or "|" in head or "：" in head) and (_NAV_TAG_ANY_CASE.match(text) or _NAV_TAG_UPPER.match(text)):
        return True
    if "[" in head[:4] and _BRACKET_TAG_START.match(text):
        return True
    return text.rstrip(" .!?")[-1:] == "]" and _BRACKET_TAG_END.search(text) is not None


def _is_teaser(text: str, max_words: int = _MAX_TEASER_WORDS) -> bool:
    """A short line pointing at another story: a navigation tag at the start or a [TAG] at an end."""
    return (
        _has_teaser_tag(text)
        and len(text.split()) <= max_words
        and not (max_words < _MAX_TEASER_WORDS and _QUOTE_OR_SPEECH.search(text))
    )


def _is_credit_line(text: str) -> bool:
    """A whole short line crediting a picture or a source: "Image: Getty Images", "AFP via Getty Images"."""
    credit = _CREDIT_TAG.match(text)
    if credit:
        return len(text.split()) <= _MAX_CREDIT_WORDS and not re.search(r"[.!?]\W*$", credit["rest"])
    return (
        _PICTURE_AGENCY.search(text) is not None
        and len(text.split()) <= _MAX_CREDIT_WORDS
        and not _SENTENCE_END.search(text.rstrip(")"))
    )


def _is_chrome_sentence(
    sentence: str, signals: tuple[str, ...] = _SIGNALS, teaser_words: int = _MAX_TEASER_WORDS
) -> bool:
    """A teaser, site notice, call to action or copyright line; never a quote or reported speech.

    The cheap tests in front of the expressions matter: this runs on every sentence of a candidate line, and
    an alternation of phrases costs far more than an ``in`` test.
    """
    if _is_teaser(sentence, teaser_words):
        return True
    low = sentence.lower()
    call_to_action = _CALL_TO_ACTION.match(low)
    if not call_to_action and not any(signal in low for signal in signals):
        return False
    if _QUOTE_OR_SPEECH.search(sentence):
        return False
    words = len(sentence.split())
    if _CLICK_HERE.search(low) or _READ_FULL_ARTICLE.search(low):
        return True
    if words <= _MAX_TEASER_WORDS and _COPYRIGHT.search(low):
        return True
    if call_to_action and words <= _MAX_CALL_TO_ACTION_WORDS:
        return bool(_CALL_TO_ACTION_TARGET.search(low))
    # The site itself speaking ("we", "our"): "You can also sign up to ..." alone may be a travel tip.
    return words <= _MAX_SITE_NOTICE_WORDS and bool(_SITE_SELF.search(sentence) and _SITE_MECHANICS.search(low))


def _is_site_filler(sentence: str) -> bool:
    """Text that may sit inside a notice without being story: "More info", "This may include adverts from us"."""
    if _QUOTE_OR_SPEECH.search(sentence):
        return False
    return len(sentence.split()) <= _MAX_FILLER_WORDS or bool(_SITE_VOICE.search(sentence))

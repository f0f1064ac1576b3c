"""Redaction markers in the editors' text, their public rendering, and a detector.

Editors write a testimony's title, summary and body with inline markers around
what would identify someone::

    [[name:Somchai]]  [[venue:Golden Dragon karaoke]]  [[date:12 March 2010]]

The public only ever reads the rendering ("[name withheld]", ...). A body
paragraph that begins with ``[[excerpt]]`` is an excerpt: when the narrator's
consent allows only excerpts, every other paragraph is left out of the public
text altogether.

A paragraph whose markers are malformed (an unclosed ``[[``, a stray ``]]``, an
unknown kind) could leak the very words the editor meant to hide, so it is
rendered as "[passage withheld]" as a whole; the admin refuses to save such
text and says where the problem is.

Pure functions only: no database, so the rules are easy to test in both
languages.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from testimonies.vocabulary import Nationality, Province

WITHHELD = {
    "name": "[name withheld]",
    "venue": "[venue withheld]",
    "date": "[date withheld]",
}
PASSAGE_WITHHELD = "[passage withheld]"
EXCERPT_MARKER = "[[excerpt]]"

# Anything between double brackets on one line; what is inside is checked after.
_MARKER = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_KIND = re.compile(r"(?P<kind>[a-z]+):(?P<text>.*)", re.DOTALL)
# Paragraphs are separated by a blank line, as in Testimony.paragraphs; the
# separators are kept so text without markers renders to exactly itself.
_PARAGRAPH_BREAK = re.compile(r"(\r?\n[ \t\r]*\n\s*)")
_EXCERPT_START = re.compile(r"^\s*\[\[excerpt\]\][ \t]*\n?[ \t]*")

HELP_TEXT = gettext_lazy(
    "Mark what could identify someone: [[name:Somchai]], [[venue:Golden Dragon karaoke]], "
    "[[date:12 March 2010]]. The public sees only '[name withheld]', '[venue withheld]', "
    "'[date withheld]'. A marker stays on one line; text with a broken marker is not saved."
)
PARAGRAPHS_HELP_TEXT = gettext_lazy(
    "Separate paragraphs with a blank line: each gets its own citable anchor "
    "(#p1, #p2, ...). Begin a paragraph with [[excerpt]] to mark it as an excerpt: when "
    "consent covers excerpts only, only those paragraphs are published."
)


def _split(text: str) -> list[str]:
    """Paragraphs and the separators between them, alternating (paragraphs at even indexes)."""
    return _PARAGRAPH_BREAK.split(text)


def _without_excerpt_marker(paragraph: str) -> str:
    # The pattern is anchored at the start: only a marker that begins the paragraph goes.
    return _EXCERPT_START.sub("", paragraph)


def paragraph_errors(paragraph: str, *, excerpts_allowed: bool) -> list[str]:
    """What is wrong with the markers of one paragraph (empty if nothing)."""
    problems = []
    if excerpts_allowed:
        paragraph = _without_excerpt_marker(paragraph)
    for match in _MARKER.finditer(paragraph):
        inner = match.group(1)
        if inner == "excerpt":
            problems.append(
                _("[[excerpt]] must begin a body paragraph.")
                if excerpts_allowed
                else _("[[excerpt]] is only used in the body.")
            )
            continue
        kind = _KIND.fullmatch(inner)
        if kind is None or kind["kind"] not in WITHHELD:
            problems.append(
                _("Unknown marker [[%(marker)s]]: use [[name:...]], [[venue:...]] or [[date:...]].")
                % {"marker": inner}
            )
        elif not kind["text"].strip():
            problems.append(_("The marker [[%(marker)s]] is empty.") % {"marker": inner})
    rest = _MARKER.sub("", paragraph)
    if "[[" in rest:
        problems.append(_("A marker is opened with [[ but not closed with ]] on the same line."))
    if "]]" in rest:
        problems.append(_("A ]] closes a marker that was never opened with [[."))
    return problems


def errors(source: str, *, excerpts_allowed: bool = False) -> list[str]:
    """Every marker problem in a field, each naming its paragraph when there are several."""
    pieces = _split(source)
    paragraphs = pieces[0::2]
    found = []
    for number, paragraph in enumerate(paragraphs, start=1):
        for problem in paragraph_errors(paragraph, excerpts_allowed=excerpts_allowed):
            if len(paragraphs) > 1:
                problem = _("Paragraph %(number)s: %(problem)s") % {
                    "number": number,
                    "problem": problem,
                }
            found.append(problem)
    return found


def _render_paragraph(paragraph: str) -> str:
    if paragraph_errors(paragraph, excerpts_allowed=False):
        return PASSAGE_WITHHELD
    return _MARKER.sub(_withheld, paragraph)


def _withheld(marker: re.Match[str]) -> str:
    kind = _KIND.fullmatch(marker.group(1))
    assert kind is not None  # paragraph_errors has found every marker well formed
    return WITHHELD[kind["kind"]]


def render(source: str) -> str:
    """The public form of a title or summary: markers replaced, broken paragraphs withheld."""
    pieces = _split(source)
    pieces[0::2] = [_render_paragraph(p) for p in pieces[0::2]]
    return "".join(pieces)


def is_excerpt(paragraph: str) -> bool:
    return _EXCERPT_START.match(paragraph) is not None


def render_body(source: str, *, excerpts_only: bool) -> str:
    """The public body: markers replaced; with ``excerpts_only``, excerpt paragraphs alone."""
    pieces = _split(source)
    if excerpts_only:
        kept = [p for p in pieces[0::2] if p.strip() and is_excerpt(p)]
        return "\n\n".join(_render_paragraph(_without_excerpt_marker(p)) for p in kept)
    pieces[0::2] = [_render_paragraph(_without_excerpt_marker(p)) for p in pieces[0::2]]
    return "".join(pieces)


def excerpt_count(source: str) -> int:
    return sum(1 for p in _split(source)[0::2] if is_excerpt(p))


def paragraphs(text: str) -> list[str]:
    """Public text split on blank lines; paragraph n is cited as #p<n> on every page."""
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


# --- Markers added later, applied to text published before them -----------------------


def marked_texts(*sources: str) -> dict[str, str]:
    """Every text an editor marked in these fields, mapped to its kind ("name", ...).

    Only well-formed markers count: a broken one is withheld as a whole
    paragraph by ``render`` and names nothing that could be applied elsewhere.
    """
    found: dict[str, str] = {}
    for source in sources:
        for match in _MARKER.finditer(source):
            kind = _KIND.fullmatch(match.group(1))
            if kind is not None and kind["kind"] in WITHHELD and kind["text"].strip():
                found[kind["text"].strip()] = kind["kind"]
    return found


def _phrase_pattern(phrase: str) -> str:
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())
    # Latin words end at a non-letter; Thai is written without spaces, so a
    # Thai name is matched wherever it stands.
    if re.match(r"[A-Za-z0-9]", phrase):
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if re.search(r"[A-Za-z0-9]$", phrase):
        pattern += r"(?![A-Za-z0-9])"
    return pattern


def apply_marked(text: str, marked: dict[str, str]) -> str:
    """``text`` with every occurrence of a marked text replaced as its marker renders.

    For text rendered before the marker was written: a name published
    unmarked in version 1 and marked in version 3 is withheld in version 1 too.
    One pass over the text, longest phrase first, so that a replacement is
    never itself matched again ("name" inside "[name withheld]").
    """
    if not marked:
        return text
    phrases = sorted(marked, key=len, reverse=True)
    pattern = re.compile(
        "|".join(f"(?P<m{i}>{_phrase_pattern(phrase)})" for i, phrase in enumerate(phrases)),
        re.IGNORECASE,
    )

    def replacement(match: re.Match[str]) -> str:
        group = match.lastgroup
        assert group is not None  # the pattern is only named groups, one per phrase
        return WITHHELD[marked[phrases[int(group[1:])]]]

    return pattern.sub(replacement, text)


# --- The detector: text that looks identifying and is not inside a marker -------------


# What a reviewer is told each finding looks like; the kinds themselves stay codes.
FINDING_LABELS = {
    "name": pgettext_lazy("identifying text", "name"),
    "date": pgettext_lazy("identifying text", "date"),
    "venue": pgettext_lazy("identifying text", "venue"),
}


@dataclass(frozen=True)
class Finding:
    kind: str  # "name", "date" or "venue"
    text: str

    @property
    def label(self) -> str:
        return str(FINDING_LABELS.get(self.kind, self.kind))

    def __str__(self) -> str:
        return f"{self.label} '{self.text}'"


def _words(text: str) -> list[str]:
    return text.split()


_MONTHS = _words(
    """
    January February March April May June July August September October November December
    """
)
_MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Words that are capitalised in an account without naming a person: places,
# peoples and languages, institutions, the law. Compared in lower case.
_ALLOWED = set(
    _words(
        """
        thailand thai thais burma burmese myanmar burman bamar karen shan mon lao laos
        laotian cambodia cambodian khmer vietnam vietnamese china chinese yunnan malaysia
        malaysian singapore japan japanese english america american europe european
        australia australian asia asian german russian korean indian akha lahu hmong lisu
        tai yai isan isaan mae sot hat yai pattaya patpong phuket samui sungai kolok golok
        nana soi cowboy walking street sukhumvit silom khao san ranong tachileik myawaddy
        poipet moei friendship bridge mekong salween chao phraya songkhla narathiwat pakse
        vientiane yangon rangoon mandalay phnom penh koh kong savannakhet kunming kawthaung
        sangkhlaburi mandarin filipino philippines indonesia indonesian nepal india police
        immigration court shelter ngo un ilo unicef unodc dsi ministry department office
        centre center division bureau commission committee foundation home social
        development human security welfare protection royal thai government act code
        constitution protocol convention article section chapter clause law laws anti
        trafficking anti-trafficking prostitution penal criminal civil procedure immigration
        palermo cedaw suppression prevention rights universal declaration international
        covenant state god buddha buddhist christian muslim songkran christmas new year
        facebook line tv mr mrs ms miss dr sir madam persons person women children labour
        labor exploitation victims victim money laundering special investigation
        """
    )
)
# Places of several words whose parts could also be given names.
_PLACE_PHRASES = re.compile(
    r"\b(?:Mae Sai|Mae Sot|Mae Hong Son|Mae Sariang|Hat Yai|Koh Samui|Ko Samui|Sungai Kolok|"
    r"Nana Plaza|Soi Cowboy|Walking Street|Khao San|Three Pagodas Pass)\b"
)
_ALLOWED |= {m.lower() for m in _MONTHS + _MONTH_ABBR + _WEEKDAYS}
_ALLOWED |= {word.lower() for label in Province.labels for word in label.split()}
_ALLOWED |= {word.lower() for label in Nationality.labels for word in label.split()}

# Common words that are capitalised only because they begin a sentence (or a
# quotation). Only a sentence's first word is looked up here.
_COMMON = set(
    _words(
        """
        a about above after again against all almost also although always among an and
        another any anyone anything are around as at back be because been before behind
        being below beside besides between both but by can could did do does doing done down
        during each either enough even ever every everyone everything except few first for
        from had has have having he her here hers herself him himself his how however i if
        in inside instead into is it its itself just last later least less like many maybe
        me meanwhile might mine more most much must my myself neither never nevertheless
        next no nobody none nor not nothing now of off often on once one only or other
        others our ours ourselves out outside over own perhaps please rather same she should
        since so some somebody someone something sometimes soon still such than that the
        their theirs them themselves then there therefore these they this those though
        through thus till to today together tomorrow too toward towards under unless until
        up upon us very was we well were what whatever when whenever where wherever whether
        which while who whoever whom whose why will with within without would yes yesterday
        yet you your yours yourself again afterwards already anyway eventually finally first
        second third fourth fifth sixth seventh eighth ninth tenth one two three four five
        six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
        eighteen nineteen twenty thirty forty fifty sixty hundred thousand ask asked be call
        came come did do eat get give go going got had have hear heard help keep know knew
        leave left let look looked made make meet met need never nobody pay paid put read
        run said say see saw seen send sent sign signed sit stand stay stayed take taken
        tell think thought told took try tried wait waited walk want wanted was went were
        work worked write wrote bar beer boss brothel bus car child children customer
        customers day days debt doctor doctors door family father friend friends girl girls
        house husband job karaoke lawyer lady man massage men money month months mother
        night nights officer officers owner owners parents people room shelter sister
        sisters son daughter staff the time van village week weeks wife woman women work
        year years good bad big small old new young long short most many every each draft
        real ninety eighty seventy nowhere twice water health state outreach check record
        treat believe wake yes no okay ok thank thanks sorry please held kept sold bought
        brought caught fought found gave lost hid spent stood understood woke wore won drove
        flew grew threw fined filmed pushed registered freed classified carrying letters
        account story summary
        illustrative sample samples written note notes interview interviews report
        description described raid raids raided sweep blood task force registration
        temporary withheld phone phones passport passports wrist hand hands afternoon
        morning evening daytime several adult adults male female foreign assistance
        placement medical removal identifiable severe internal extension front page
        parlour spot venue venues
        """
    )
)

# Words that can precede a name in a run of capitals without being part of it
# ("the Golden Dragon", "the bar I knew", "Every karaoke"), wherever they stand.
_NOT_NAME_START = set(
    _words(
        """
        a an the this that these those my your his her its our their every each some any
        another no all both either neither which what whose i we you he she they it me us
        him them
        """
    )
)

_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:['’-][A-Za-z]+)*(?:[ \t]+[A-Z][a-z]+(?:['’-][A-Za-z]+)*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘'(\n]\s*|\s[-–—]\s*)$")

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS + _MONTH_ABBR), key=len, reverse=True))
_THAI_MONTHS = _words(
    """
    มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม
    พฤศจิกายน ธันวาคม
    """
)
_THAI_MONTH_ABBR = _words(
    """
    ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.
    """
)
_THAI_MONTH_RE = "|".join(
    re.escape(m) for m in sorted(_THAI_MONTHS + _THAI_MONTH_ABBR, key=len, reverse=True)
)
_DIGIT = "[0-9๐-๙]"
_DATES = [
    # 12 March 2010, 12th of March, 3 Sept. 2011
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{_MONTH_RE})\b\.?(?:,?\s+\d{{4}})?"),
    # March 12, 2010 / March 12th
    re.compile(rf"\b(?:{_MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"),
    # 12/03/2010, 12-3-53, 12.03.2010
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"),
    # 2010-03-12
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    # วันที่ 12 มีนาคม 2553, 12 มี.ค. 53, ๑๒ มีนาคม พ.ศ. ๒๕๕๓
    re.compile(
        rf"(?:วันที่\s*)?{_DIGIT}{{1,2}}\s*(?:{_THAI_MONTH_RE})(?:\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*{_DIGIT}{{2,4}})?"
    ),
]

_VENUE_WORDS = (
    "(?i:beer bar|bar|karaoke|massage parlou?r|massage|parlou?r|pub|nightclub|club|hotel|"
    "restaurant|spa|salon|lounge|disco|brothel|caf[eé]|guest ?house|a-go-go|go-go|sauna|"
    "inn|motel)"
)
# One or more capitalised words or numbers on one line: a venue's name.
_CAP_WORDS = r"(?:[A-Z][A-Za-z0-9'’&-]*|\d+)(?:[ \t]+(?:[A-Z][A-Za-z0-9'’&-]*|\d+))*"
_QUOTED = r"[\"“'‘](?P<name>[^\"”'’\n]{2,40})[\"”'’]"
_VENUES = [
    # Golden Dragon karaoke, the Rose Bar
    re.compile(rf"\b(?P<name>{_CAP_WORDS})[ \t]+{_VENUE_WORDS}\b"),
    # Bar 21, karaoke Sunshine, a bar called Sunshine
    re.compile(rf"\b{_VENUE_WORDS}[ \t]+(?:(?:called|named)[ \t]+)?(?P<name>{_CAP_WORDS})"),
    # the "Lucky" bar, a bar called 'Lucky'
    re.compile(rf"{_QUOTED}[ \t]+{_VENUE_WORDS}\b"),
    re.compile(rf"\b{_VENUE_WORDS}[ \t]+(?:(?:called|named)[ \t]+)?{_QUOTED}"),
]
# Thai venue words followed by a name: quoted, introduced by ชื่อ ("named"),
# or written in Latin letters or digits.
_THAI_VENUE_WORDS = (
    "ร้านนวด|ร้านคาราโอเกะ|ร้าน|บาร์เบียร์|บาร์|ผับ|คาราโอเกะ|โรงแรม|อาบอบนวด|สปา|คลับ|โรงน้ำชา"
)
_THAI_VENUES = [
    re.compile(rf"(?:{_THAI_VENUE_WORDS})\s*ชื่อ\s*[\"“'‘]?(?P<name>[^\s\"”'’]+)"),
    re.compile(rf"(?:{_THAI_VENUE_WORDS})\s*[\"“'‘«](?P<name>[^\"”'’»\n]+)[\"”'’»]"),
    re.compile(rf"(?:{_THAI_VENUE_WORDS})\s*(?P<name>[A-Za-z0-9][A-Za-z0-9 '&-]*[A-Za-z0-9])"),
]
# Thai titles before a given name. The formal ones are always followed by a
# name; the familiar ones (also ordinary words) only count before a known name.
_THAI_FORMAL_TITLES = {"นาย", "นาง", "นางสาว", "น.ส.", "ด.ญ.", "ด.ช.", "เด็กหญิง", "เด็กชาย"}
_THAI_FAMILIAR_TITLES = {"คุณ", "พี่", "น้อง", "ป้า", "ลุง", "เจ๊", "เฮีย", "น้า", "ยาย", "ตา"}
# Words the formal titles also begin in running text ("นายจ้าง" employer is one
# word to the segmenter, but a few pronoun uses remain).
_THAI_NOT_NAMES = {"ก็", "บอก", "ว่า", "ไม่", "ได้", "เป็น", "จะ", "มา", "ไป", "ที่", "และ"}
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f.]+")


@cache
def _thai_given_names() -> frozenset[str]:
    from pythainlp.corpus import thai_female_names, thai_male_names

    return frozenset(thai_female_names()) | frozenset(thai_male_names())


def _allowed(phrase: str, extra: frozenset[str]) -> bool:
    words = [w for w in re.split(r"[\s'’-]+", phrase.lower()) if w]
    return phrase.lower() in extra or all(w in _ALLOWED or w in extra for w in words)


def _ordinary_first_word(word: str) -> bool:
    """A sentence's first word that is likely an ordinary word, not a name.

    Without a dictionary this is a guess: the common words, and the endings
    of verbs, adverbs and plurals, which given names rarely have.
    """
    lower = word.lower()
    parts = re.split(r"[-'’]", lower)
    return all(p in _COMMON for p in parts) or lower.endswith(("ed", "ing", "ly", "s"))


def _english_names(text: str, extra: frozenset[str]) -> list[str]:
    found = []
    for match in _NAME_RUN.finditer(text):
        words = match.group().split()
        if _SENTENCE_START.search(text[: match.start()]) and _ordinary_first_word(words[0]):
            words = words[1:]
        # A run may mix allowed and unknown words ("Mae Sot Somchai"): keep unknown ones.
        unknown = [w for w in words if not _allowed(re.sub(r"['’]s$", "", w), extra)]
        if words and unknown and not _allowed(" ".join(words), extra):
            found.append(" ".join(unknown))
    return found


def _thai_names(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    found = []
    for run in _THAI_RUN.findall(text):
        words = [w for w in word_tokenize(run, engine="newmm", keep_whitespace=False) if w.strip()]
        for i, title in enumerate(words[:-1]):
            following = words[i + 1]
            # The segmenter splits many names in two (สมชาย -> สม ชาย): join them back.
            if i + 2 < len(words) and following + words[i + 2] in _thai_given_names():
                following += words[i + 2]
            if following in _THAI_NOT_NAMES:
                continue
            if title in _THAI_FORMAL_TITLES or (
                title in _THAI_FAMILIAR_TITLES and following in _thai_given_names()
            ):
                found.append(title + following)
    return found


def _venue_name(text: str, match: re.Match[str]) -> list[str]:
    """The words of a venue's name, without capitals that only begin a sentence or phrase.

    Only the sentence's first word is dropped for being common: inside a
    sentence "New Day" or "Good Girls" is capitalised because it is a name.
    """
    words = match.group("name").split()
    if (
        words
        and words[0].lower() in _COMMON
        and _SENTENCE_START.search(text[: match.start("name")])
    ):
        words = words[1:]
    while words and words[0].lower() in _NOT_NAME_START:
        words = words[1:]
    return words


def _venues(text: str, extra: frozenset[str]) -> list[re.Match[str]]:
    found = []
    for pattern in _VENUES:
        for match in pattern.finditer(text):
            words = _venue_name(text, match)
            if words and not _allowed(" ".join(words), extra):
                found.append(match)
    for pattern in _THAI_VENUES:
        found.extend(pattern.finditer(text))
    return found


def find_identifying(text: str, *, allowed: tuple[str, ...] = ()) -> list[Finding]:
    """Names, exact dates and venue names in public text that no marker covers.

    Run it on the rendered text (markers already replaced), so what editors
    redacted is never reported. ``allowed`` adds words not to report, such as
    the narrator's pseudonym. A heuristic: it warns, it does not decide.
    """
    extra = frozenset(word.lower() for phrase in allowed for word in [phrase, *phrase.split()])
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, found: str) -> None:
        if (kind, found) not in seen:
            seen.add((kind, found))
            findings.append(Finding(kind, found))

    date_spans = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            date_spans.append(match.span())
            add("date", match.group().strip())
    venue_spans = []
    for venue in _venues(text, extra):
        venue_spans.append(venue.span())
        add("venue", venue.group().strip())
    # Month names inside a date are not names, nor are venue names (already
    # reported) or place names of several words ("Mae Sai"); blank them out.
    undated = list(text)
    places = [m.span() for m in _PLACE_PHRASES.finditer(text)]
    for start, end in date_spans + venue_spans + places:
        undated[start:end] = " " * (end - start)
    for name in _english_names("".join(undated), extra):
        add("name", name)
    for name in _thai_names(text):
        add("name", name)
    return findings

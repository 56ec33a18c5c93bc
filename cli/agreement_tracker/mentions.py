"""What a text names: sentences, the clause about each document, and the phrases around it.

The proof reads a quote in its sentence. A press sentence about a signing
ceremony has one shape in every language this register reads:

    [shared: time, place, witnesses,] SUBJECT VERB DOCUMENT [between …][; SUBJECT VERB DOCUMENT …]

- A **document clause** is the part of a sentence that holds one kind term
  ("bản ghi nhớ", "letter of intent", "Absichtserklärung"…). Clauses are cut
  at semicolons, and at commas that stand outside an organisation's name. A
  piece without a kind term belongs to the clause before it ("… giữa A, B và
  C" continues its document), or, before the first document, to the sentence.
- **Shared** pieces are those before the first document clause, and a last
  piece that names no organisation: the time ("chiều 7/5"), the place ("tại
  Baku") and the witnesses ("… đã chứng kiến Lễ trao các văn kiện") apply to
  every document the sentence lists.
- A **witness phrase** names the witnesses: after "in the presence of",
  "witnessed by", "trước sự chứng kiến của", "im Beisein von", "en présence
  de", "в присутствии"; before "chứng kiến" or "witnessed".
- A **between phrase** ("between", "giữa", "zwischen", "entre", "между")
  names the parties of an arrangement; only a clause's subject (before its
  verb, or after "signed by") exchanges or signs it.
- A **dateline** (an article's first line holding only a date, or an opening
  "Place, date (Agency) –") dates the article, never a signing (`dates.py`).

Everything here works on text folded by `text.fold_keep_marks` (case and white
space folded, diacritics kept), and returns offsets into that folded text.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from agreement_tracker.text import whole_words

# --- the vocabulary -------------------------------------------------------------------------

# Verbs that exchange, sign or adopt a document, as word prefixes (folded).
SIGN_VERBS = (
    # en
    "sign", "exchang", "ink", "conclud", "adopt",
    # vi
    "ký", "kí", "trao", "thông qua", "ra tuyên bố",
    # de
    "unterzeichn", "unterschrieb", "unterschreib", "tauscht", "ausgetauscht", "verabschied",
    "schloss", "geschlossen",
    # fr
    "signé", "signè", "signent", "signèrent", "signa", "échang", "adopt", "conclu",
    # ru
    "подпис", "обменял", "приня", "принял", "заключ",
)  # fmt: skip
# Phrases after which the witnesses are named.
WITNESS_BEFORE = (
    "in the presence of", "in presence of", "witnessed by", "in the witness of",
    "trước sự chứng kiến của", "dưới sự chứng kiến của", "với sự chứng kiến của",
    "im beisein von", "im beisein des", "im beisein der", "im beisein", "in anwesenheit von",
    "in gegenwart von", "unter den augen von", "unter den augen des", "unter den augen der",
    "en présence de", "en présence du", "en présence des", "en présence d'", "en présence d’",
    "sous le regard de", "sous le regard du", "sous le regard des", "sous le regard d'",
    "sous les yeux de", "sous les yeux du", "sous les yeux des", "sous les yeux d'",
    "в присутствии",
)  # fmt: skip
# Witnesses named after a verb that closes a phrase opened before them: "Свидетелями
# обмена … стали X и Y" (the witnesses of the exchange were X and Y); and a subject that
# attends with a separable verb: "X und Y wohnten … dem Austausch … bei".
_WITNESSES_WERE = re.compile(r"(?<!\w)свидетел\w*(?!\w).*?(?<!\w)(?:стали|были)(?!\w)")
_ATTENDED = re.compile(r"(?<!\w)wohnte\w*(?!\w)(?=[^.;]*(?<!\w)bei(?!\w))")
# Verbs whose subject, named before them, witnesses.
WITNESS_AFTER = (
    "chứng kiến", "witnessed", "witness", "attended", "bezeugten", "assisté",
    "looking on", "looked on",  # "with To Lam and Ilham Aliyev looking on"
)  # fmt: skip
# Phrases after which a document's parties are named but not shown signing it.
BETWEEN = (
    "between", "giữa", "zwischen", "entre", "между", "among",
    # "… với sự tham gia của PVOIL": they take part, they do not sign.
    "với sự tham gia của", "with the participation of", "unter beteiligung von",
    "avec la participation de", "при участии",
)  # fmt: skip
# Words after which a document names whom it benefits ("cung cấp dầu thô cho Nhà máy …",
# "supply to the Dung Quat refinery", "für", "pour", "для").
FOR_WHOM_BEFORE = re.compile(
    r"(?:^|\s)(?:cho|for|to|für|an|pour|à|au|aux|для)\s+(?:(?:the|den|die|der|das|dem|la|le|"
    r"les)\s+|l'|l’)?$"
)
# Words that may follow a document's name in its clause: where the name ends (between
# whom, where, when, by whom, or what is done with it).
NAME_ENDS = (
    "giữa", "between", "zwischen", "entre", "между", "among", "tại", "ở", "in", "at", "à",
    "au", "en", "в", "во", "im", "am", "on", "ngày", "vào", "chiều", "sáng", "với", "with",
    "mit", "avec", "с", "со", "của", "by", "do", "được", "đã", "was", "were",
    "has", "have", "had", "wurde", "wurden", "a", "ont", "été", "был", "была", "было",
    "is", "are", "ist", "sind", "est", "sont", "that", "which", "mà", "nhằm",
    "sowie",
)  # fmt: skip
# Conjunctions end a name only where another name or document follows ("… văn hóa và Ý
# định thư …"); else the name goes on ("… dầu khí và đào tạo").
CONJUNCTIONS = ("và", "and", "und", "et", "и", "cùng")
# Words that make a sentence about the documents as a whole ("Lễ trao các văn kiện").
DOCUMENTS = (
    "văn kiện", "thỏa thuận", "thoả thuận", "documents", "document", "agreements",
    "dokumente", "vereinbarungen", "accords", "документ", "соглашени",
)  # fmt: skip
# Words that name both sides at once ("hai bên thông qua Tuyên bố chung").
BOTH_SIDES = (
    "hai bên", "both sides", "the two sides", "both leaders", "the two leaders",
    "hai nhà lãnh đạo", "lãnh đạo hai nước", "beide seiten", "beiden seiten",
    "les deux parties", "les deux dirigeants", "стороны", "обе стороны", "лидеры двух стран",
)  # fmt: skip
# Two ministries at once, without their field ("the two ministries", "hai bộ").
BOTH_MINISTRIES = (
    "the two ministries", "both ministries", "beide ministerien", "beiden ministerien",
    "les deux ministères", "оба министерства", "двух министерств",
)  # fmt: skip
# Leaders in the plural, after both countries: "the Vietnamese and Azerbaijani leaders".
PLURAL_LEADERS = (
    "leaders", "heads of state", "presidents", "nhà lãnh đạo", "lãnh đạo", "staatschefs",
    "spitzenpolitiker", "dirigeants", "chefs d'état", "лидеры", "руководители",
)  # fmt: skip
# Ministries in the plural: "the culture ministries of Viet Nam and Azerbaijan".
PLURAL_MINISTRIES = ("ministries", "ministerien", "ministères", "министерства", "министерств")
# The two countries at once, after a plural name: "Bộ Văn hóa hai nước", "the culture
# ministries of the two countries", "beider Länder", "des deux pays", "двух стран".
BOTH_COUNTRIES = (
    "hai nước", "the two countries", "both countries", "two countries", "beider länder",
    "beiden länder", "des deux pays", "двух стран", "обеих стран", "beider staaten",
    "beiden staaten", "the two states", "both states", "des deux états", "двух государств",
    "обоих государств",
)  # fmt: skip
# Words of an organisation's name that say what it is, not which one it is.
NAME_WORDS = frozenset(
    (
        "bộ", "ministry", "ministries", "of", "the", "and", "và", "for", "für", "des", "de",
        "la", "du", "le", "les", "et", "d", "l", "ministerium", "ministerien", "ministère",
        "ministères", "министерство", "министерства", "министерств", "министерством", "и",
        "по",
    )
)  # fmt: skip
# Weekdays (Monday = 0), as the press writes them: "on Wednesday", "thứ Tư", "am Mittwoch",
# "mercredi", "в среду".
WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "monday thứ hai montag lundi понедельник",
        "tuesday thứ ba dienstag mardi вторник",
        "wednesday thứ tư mittwoch mercredi среду среда",
        "thursday thứ năm donnerstag jeudi четверг",
        "friday thứ sáu freitag vendredi пятницу пятница",
        "saturday thứ bảy samstag samedi субботу суббота",
        "sunday chủ nhật sonntag dimanche воскресенье",
    )
):
    _words = _names.replace("thứ ", "thứ_").replace("chủ ", "chủ_").split()
    WEEKDAYS.update({w.replace("_", " "): _number for w in _words})


def weekdays_in(text: str) -> list[tuple[int, int]]:
    """(offset, weekday) of every weekday a folded text names."""
    if not _any_weekday().search(text):  # most quotes name none: one search, not one a word
        return []
    found: list[tuple[int, int]] = []
    for word, number in WEEKDAYS.items():
        found.extend((a, number) for a, _ in whole_words(text, word))
    return sorted(found)


@functools.cache
def _any_weekday() -> re.Pattern[str]:
    """Any weekday's word anywhere (inside another word too): where this finds nothing,
    `whole_words` finds none of them."""
    return re.compile("|".join(re.escape(w) for w in sorted(WEEKDAYS, key=len, reverse=True)))


# "Today": resolved against the article's dateline.
TODAY = ("today", "hôm nay", "heute", "aujourd'hui", "aujourd’hui", "сегодня")
# The day before the article's dateline, per language ("hier" is French "yesterday" but
# German "here").
YESTERDAY = {
    "en": ("yesterday",), "vi": ("hôm qua", "chiều qua", "sáng qua", "tối qua"),
    "de": ("gestern",), "fr": ("hier",), "ru": ("вчера", "накануне"),
}  # fmt: skip
# Where a source's language is not known, every language's but the word that is also
# German for "here".
_ANY_YESTERDAY = tuple(w for lang, words in YESTERDAY.items() if lang != "fr" for w in words)


def yesterday_words(lang: str | None) -> tuple[str, ...]:
    """The words for the day before the dateline in `lang` (every language's if unknown)."""
    return YESTERDAY.get(lang, ()) if lang else _ANY_YESTERDAY


_SENTENCE_END = re.compile(r"(?<![0-9])(?<!\b[a-zà-ỹ])[.!?](?=\s|$)")
_ABBREVIATIONS = ("mr", "mrs", "dr", "st", "no", "nr", "vs", "ms", "prof", "gen", "col")


@dataclass
class Clause:
    """A piece of a sentence: [start, end) in the folded sentence, and what it holds."""

    start: int
    end: int
    kinds: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind id)

    @property
    def is_document(self) -> bool:
        return bool(self.kinds)


@dataclass
class Sentence:
    """A folded sentence cut into document clauses and the shared rest."""

    text: str
    clauses: list[Clause]
    shared: list[tuple[int, int]]  # pieces that apply to every document the sentence names

    def documents(self) -> list[Clause]:
        return [c for c in self.clauses if c.is_document]

    def is_about_documents(self) -> bool:
        """A sentence about the documents as a whole, or about one of them."""
        return bool(self.documents()) or any(whole_words(self.text, w) for w in DOCUMENTS)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or sentences) of `text` (NFC, not folded) that hold [start, end)."""
    head = max(text.rfind("\n", 0, start) + 1, 0)
    for match in _SENTENCE_END.finditer(text, head, start):
        if not _abbreviation(text, match.start()):
            head = match.end()
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop
    for match in _SENTENCE_END.finditer(text, max(end - 1, start), stop):
        if not _abbreviation(text, match.start()):
            stop = match.end()
            break
    return head, stop


def _abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"(\w+)$", text[max(0, dot - 6) : dot])
    return word is not None and word.group(1).casefold() in _ABBREVIATIONS


def split_sentence(
    folded: str, kind_terms: dict[str, list[str]], names: list[tuple[int, int]]
) -> Sentence:
    """Cut a folded sentence into clauses. `kind_terms` maps kind ids to folded terms;
    `names` are the spans of organisation names found in it (commas inside them do not
    cut)."""
    kinds: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, terms in kind_terms.items():
        for term in sorted(terms, key=len, reverse=True):
            for a, b in term_spans(folded, term):
                if not any(a < y and x < b for x, y in taken):
                    kinds.append((a, b, kind))
                    taken.append((a, b))
    kinds.sort()
    cuts = [m.start() for m in re.finditer(r"[;,:—–]|\s-\s", folded)]
    # A quote that runs over a sentence's end: the next sentence is another clause.
    cuts += [m.start() for m in re.finditer(r"(?<=[^\W\d])[.!?](?=\s)", folded)
             if not _abbreviation(folded, m.start())]  # fmt: skip
    # "… giữa Bộ Tư pháp hai nước và Bản ghi nhớ về …", "… and a letter of intent …": a
    # conjunction before a kind term starts the next document's clause.
    for a, _, _ in kinds:
        joined = _JOINS_DOCUMENT.search(folded, max(0, a - 16), a)
        if joined:
            cuts.append(joined.start())
    cuts.sort()
    cuts = [c for c in cuts if not any(a < c < b for a, b in names)]
    cuts = [c for c in cuts if not _inside_date(folded, c)]
    pieces: list[tuple[int, int]] = []
    last = 0
    for cut in cuts:
        pieces.append((last, cut))
        last = cut + 1
    pieces.append((last, len(folded)))

    clauses: list[Clause] = []
    shared: list[tuple[int, int]] = []
    subject: tuple[int, int] | None = None  # names before the first document, cut by commas
    for i, (a, b) in enumerate(pieces):
        own = [k for k in kinds if a <= k[0] < b]
        aside = not own and subject is not None and i + 1 < len(pieces)
        if aside and _opens_with_verb(folded[slice(*pieces[i + 1])]):
            # "Bộ A và Bộ B, ở Hà Nội một tuần, đã trao đổi …": an aside between the
            # subject and its verb stays with the subject (its city places them).
            continue
        if own:
            # "The two leaders, To Lam and Ilham Aliyev, adopted …": an apposition that
            # names the subject belongs to the clause it is the subject of.
            start = subject[0] if subject is not None and not clauses else a
            clauses.append(Clause(start, b, own))
            subject = None
        elif not clauses:
            if _shared_piece(folded[a:b]) or not any(a < y and x < b for x, y in names):
                shared.append((a, b))
                subject = None
            else:
                subject = (subject[0], b) if subject is not None else (a, b)
        elif _shared_piece(folded[a:b]):
            shared.append((a, b))  # "…, in Baku on 7 May": time, place, witnesses
        else:
            clauses[-1].end = b  # "… giữa A, B và C", "…, dịch vụ kỹ thuật": it goes on
    if subject is not None:
        shared.append(subject)  # names in a sentence about no document
    return Sentence(folded, clauses, shared)


_TIME_OR_PLACE = re.compile(
    r"^\s*(?:and\s+|và\s+|und\s+|et\s+|и\s+)?(?:tại|ở|in|at|on|à|au|le|en|в|во|am|im|"
    r"ngày|chiều|sáng|tối|trưa|vào|hôm|today|heute|сегодня|aujourd)\b"
)


_JOINS_DOCUMENT = re.compile(
    r"\s(?:và|and|und|sowie|et|и|cùng)\s+(?:(?:a|an|the|một|ein|eine|einen|un|une|le|la|"
    r"les)\s+|l'|l’)?$"
)


def _shared_piece(text: str) -> bool:
    """A piece after a document's clause that gives time, place or witnesses (shared by
    the sentence), not more of the document's name or parties."""
    if _TIME_OR_PLACE.match(text) or re.search(r"[0-9]", text):
        return True
    return any(w in text and _prefix_words(text, w) for w in (*WITNESS_BEFORE, *WITNESS_AFTER))


# Words that may stand between a subject and its verb ("đã trao", "have signed", "then
# exchanged", "haben … unterzeichnet" is not read).
_AUXILIARIES = re.compile(
    r"^\s*(?:(?:đã|cùng|đã cùng|vừa|have|has|had|then|later|also|jointly|ont|a|avaient|"
    r"ensuite|hat|haben|dann|также|затем)\s+)*"
)


def _opens_with_verb(text: str) -> bool:
    """Whether a piece begins with a sign or exchange verb (after auxiliaries)."""
    rest = text[_AUXILIARIES.match(text).end() :]  # type: ignore[union-attr]
    return rest.startswith(SIGN_VERBS)


def _inside_date(text: str, at: int) -> bool:
    """A comma of a date ("Wednesday, May 7", "May 7, 2025") does not cut a clause."""
    before, after = text[max(0, at - 12) : at], text[at + 1 : at + 8]
    weekday = re.search(r"(day|thứ \w+|tag|di|воскресенье|понедельник|вторник|среда|четверг"
                        r"|пятница|суббота)$", before)  # fmt: skip
    return bool(weekday) or bool(re.match(r"\s*[0-9]{4}\b", after) and re.search(r"\d$", before))


def _prefix_words(text: str, term: str) -> list[tuple[int, int]]:
    """Where `term` stands starting at a word boundary (inflected endings allowed: "bản ghi
    nhớ", "меморандумом", "memoranda")."""
    found = []
    at = text.find(term)
    while at >= 0:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            end = at + len(term)
            while end < len(text) and text[end].isalnum() and end - at - len(term) < 4:
                end += 1
            found.append((at, end))
        at = text.find(term, at + 1)
    return found


@functools.lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    parts = []
    words = term.split()
    for n, word in enumerate(words):
        if len(word) >= 6 and word.isalpha():
            # Inflected inside a term too: "меморандумом о взаимопонимании", "memoranda of
            # understanding", "programmu sotrudnichestva".
            parts.append(re.escape(word[:-2]) + r"\w{0,4}")
        else:
            parts.append(re.escape(word) + (r"\w{0,4}" if n == len(words) - 1 else ""))
    return re.compile(r"(?<!\w)" + r"\s+".join(parts))


def term_spans(text: str, term: str) -> list[tuple[int, int]]:
    """Where a kind's term stands, its words inflected as the press inflects them."""
    head = term.split()[0][:4] if term else ""
    if not head or head not in text:
        return []
    return [m.span() for m in _term_pattern(term).finditer(text)]


def has_word(text: str, words: tuple[str, ...], start: int = 0, end: int | None = None) -> bool:
    """Whether one of `words` starts a word in text[start:end] (prefix match)."""
    part = text[start:end]
    # `in` first: most words are absent, and a call for each costs more than the test.
    return any(w in part and _prefix_words(part, w) for w in words)


def first_word(text: str, words: tuple[str, ...], start: int, end: int) -> int | None:
    """Offset of the first of `words` in text[start:end], or None."""
    best = None
    for w in words:
        for a, _ in _prefix_words(text[start:end], w):
            if best is None or start + a < best:
                best = start + a
    return best


@functools.lru_cache(maxsize=4096)
def witness_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The parts of a folded sentence that name its witnesses (cached: every name looked
    up in a sentence asks)."""
    return tuple(_witness_spans(text))


def _witness_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    phrases = []
    for phrase in WITNESS_BEFORE:
        if phrase not in text:  # most sentences have none: no call for each phrase
            continue
        for a, b in _prefix_words(text, phrase):
            phrases.append((a, b))
            spans.append((b, _piece_end(text, b)))
    for verb in WITNESS_AFTER:
        if verb not in text:
            continue
        for a, b in _prefix_words(text, verb):
            # "was witnessed by X" names its witnesses after it, not before.
            if any(x <= a < y for x, y in spans + phrases) or text.startswith(" by ", b):
                continue
            begin = _piece_start(text, a)
            spans.append((begin, a))
    for found in _WITNESSES_WERE.finditer(text):
        spans.append((found.end(), _piece_end(text, found.end())))
    for found in _ATTENDED.finditer(text):
        spans.append((_piece_start(text, found.start()), found.start()))
    return spans


def _piece_end(text: str, at: int) -> int:
    """The end of the phrase starting at `at`: the next comma, semicolon or verb."""
    match = re.compile(r"[;,:]").search(text, at)
    stop = match.start() if match else len(text)
    verb = first_word(text, SIGN_VERBS, at, stop)
    return verb if verb is not None else stop


def _piece_start(text: str, at: int) -> int:
    """The start of the subject before a verb at `at`: after the last comma or semicolon
    that stands outside a run of names (a simple rule: the last ';' or ',')."""
    cut = max(text.rfind(";", 0, at), text.rfind(",", 0, at))
    return cut + 1 if cut >= 0 else 0


# --- places ------------------------------------------------------------------------------

# A place stands right after a locative, or after one and a word for a capital or a city
# ("tại Baku", "ở thủ đô Baku", "in the capital Baku", "à Bakou", "в Москве"); never after
# other words between ("in the presence of Hanoi Party Secretary …").
LOCATED_BEFORE = re.compile(
    r"(?:^|[\s(])(?:tại|ở|in|at|à|en|в|во|im|in der|à la)\s+"
    r"(?:(?:thủ đô|thành phố|the capital|the city of|capital|der hauptstadt|hauptstadt|"
    r"la capitale|la ville de|столице|городе)\s+)?$"
)


# An embassy abroad placed by the locative ("the Lao embassy in Moscow said", "Đại sứ quán
# Việt Nam tại Nga"): the city is where the embassy is, not where a document was signed;
# unless the embassy is itself the venue ("signed at the embassy in Baku").
_EMBASSY_BEFORE = re.compile(
    r"(?P<office>embassy|embassies|consulate|đại sứ quán|tổng lãnh sự quán|lãnh sự quán|"
    r"botschaft|konsulat|ambassade|consulat|посольство|посольства|консульство)"
    r"(?:\s+(?:of\s+)?[^\s,;.]+){0,3}\s*$"
)
_VENUE_BEFORE = re.compile(
    r"(?:^|\s)(?:at|in|tại|ở|в|à|im|an)\s+(?:the\s+|der\s+|l'|la\s+|le\s+)?$"
)
# Words that report what a text says ("…, the embassy said"): a document's name never
# holds one, so a title that does has run past the name.
REPORTING = (
    "said", "says", "announced", "reported", "cho biết", "thông báo", "cho hay", "sagte",
    "teilte mit", "a déclaré", "a annoncé", "a indiqué", "сообщил", "сообщило", "сообщили",
    "заявил", "заявили",
)  # fmt: skip


def located_at(text: str, city: str) -> int | None:
    """Where `city` first stands in `text` as a place (after a locative, and not as the
    seat of an embassy that is not the venue), or None."""
    for start, _ in whole_words(text, city):
        before = text[max(0, start - 60) : start]
        found = LOCATED_BEFORE.search(before)
        if not found:
            continue
        embassy = _EMBASSY_BEFORE.search(before[: found.start() + 1])
        if embassy and not _VENUE_BEFORE.search(before[: embassy.start("office")]):
            continue
        if _subject_aside(text, start - len(before) + found.start(), start):
            continue
        return start
    return None


def _subject_aside(text: str, locative: int, city: int) -> bool:
    """ "The ministers, in Hanoi for a week, signed …": a locative set off by commas
    between a subject and its verb says where the subject was, not where the document
    was signed."""
    opening = text[:locative].rstrip()
    if not opening.endswith((",", "(", "—", "–")) or not opening[:-1].strip():
        return False
    close = re.compile(r"[,)—–]").search(text, city)
    return close is not None and _opens_with_verb(text[close.end() :])


# A ministry named by what it is, not by its registered name: "Azerbaijan's Economy
# Ministry", "le ministère azerbaïdjanais de l'Économie", "das Energieministerium
# Aserbaidschans", "Министерство экономики Азербайджана". The word for ministry may stand
# inside a compound ("Justizministerium"); a phrase runs between commas, conjunctions
# (but the "und" of "Industrie- und Handelsministerium") and verbs.
_MINISTRY_WORD = re.compile(
    r"\w*(?:ministry|ministère|ministerium|министерств)\w*|(?<!\w)bộ(?!\w)(?! trưởng)"
    # Russian short names: "Минкультуры", "Минобороны", "Минэкономики".
    r"|(?<!\w)мин(?:культуры|обороны|экономики|экономразвития|энерго|юст|промторг|цифры|"
    r"науки|обрнауки|транс|сельхоз|здрав|фин)\w*"
)
_PHRASE_EDGE = re.compile(
    r"[,;:()]|\s-\s|(?<!\w)(?:with|với|mit|sowie|avec|с|между|between|giữa|zwischen|entre|"
    r"haben|hat|have|has|had|ont|sont|đã)(?!\w)"
    # A conjunction ends a phrase only where another one begins (an article, a word for
    # ministry, a possessive): "Industry and Trade", "Industrie- und Handel", "de
    # l'Industrie et du Commerce", "промышленности и торговли" go on.
    r"|(?<![\w-])(?:and|và|cùng|und|et|и)(?=\s+(?:(?:the|das|die|der|dem|den|le|la|les|a|an|"
    r"ein|eine|einem|einer|un|une|bộ|vom|von|für|beim|for|by|pour|par|от|для)(?!\w)"
    r"|[\w-]*ministr|[\w-]*ministère|министерств|мин\w|\S+['’]s(?!\w)|l['’]))"
)
_VERB_START = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(v) for v in sorted(SIGN_VERBS, key=len, reverse=True)) + r")"
)


def ministry_phrases(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """The phrases of text[start:end] (folded) that each hold one word for a ministry:
    (where the phrase may start, where the word starts, where the phrase ends): from the
    edge before it (a comma, a conjunction, a verb) to the edge after it."""
    found_edges = {start, end}
    for m in _PHRASE_EDGE.finditer(text, start, end):  # one scan for both ends of each
        found_edges.add(m.start())
        found_edges.add(m.end())
    found_edges.update(m.start() for m in _VERB_START.finditer(text, start, end))
    edges = sorted(found_edges)
    phrases: list[tuple[int, int, int]] = []
    for found in _MINISTRY_WORD.finditer(text, start, end):
        # The nearest edges by bisection; `start` and `end` are edges, so both exist.
        lo = edges[bisect.bisect_right(edges, found.start()) - 1]
        hi = edges[bisect.bisect_left(edges, found.end())]
        # "Министерство культуры, спорта и туризма Вьетнама": a comma inside the name,
        # where the next piece is short and names no other ministry and no verb.
        for _ in range(3):
            if text[hi : hi + 1] != "," or hi + 1 >= end:
                break
            after = edges[bisect.bisect_right(edges, hi + 1)]  # `end` > hi + 1 is one
            piece = text[hi + 1 : after]
            if len(piece) > 40 or _MINISTRY_WORD.search(piece) or _VERB_START.search(piece):
                break
            hi = after
        if not phrases or phrases[-1][::2] != (lo, hi):
            phrases.append((lo, found.start(), hi))
    return phrases


def phrase_starts(text: str, lo: int, word: int) -> list[int]:
    """Where a ministry's phrase may begin, nearest first: at its word for ministry, or
    one, two or three words before it ("Azerbaijan's Economy | Ministry", "das
    vietnamesische | Justizministerium"), never before the phrase's edge `lo`."""
    starts = [word]
    for found in reversed(list(re.finditer(r"\S+", text[lo:word]))):
        if len(starts) > 3:
            break
        starts.append(lo + found.start())
    return starts

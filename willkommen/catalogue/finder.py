"""The Anliegen finder: everyday words in every language and common life situations lead to the Anliegen.

Pure functions over ``Entry`` rows (built from the catalogue by ``finder_page.py``): which life situation
an Anliegen belongs to (by slug pattern, residence kind granted and the paragraphs of its legal basis),
and a search over titles and summaries (client's language, English and German), the legal basis and a
synonym list per situation in eight languages. Matching ignores case, accents and diacritics (Arabic
harakat too) and folds Arabic/Persian letter variants. To add a synonym, add it to ``SYNONYMS`` below
(any language, any spelling: it is normalised the same way as the query).
"""

import os
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

OTHER = "other"


@dataclass(frozen=True)
class Situation:
    key: str
    label: str
    kinds: frozenset = frozenset()  # residence kinds granted (Anliegen.residence_kind)
    slug: str = ""  # regular expression searched in the slug
    paragraphs: frozenset = frozenset()  # paragraphs of the legal basis, e.g. {"16b", "17"}


def _numbers(first, last, *extra):
    return frozenset({str(n) for n in range(first, last + 1)} | set(extra))


SITUATIONS = (
    Situation("extend", _("Extend my residence permit"), frozenset({"title", "duldung"}), r"fiktion|verlaeng"),
    Situation("passport", _("I have a new passport"), slug=r"pass", paragraphs=frozenset({"78", "48"})),
    Situation("family", _("My family wants to join me"), slug=r"famil", paragraphs=_numbers(27, 36)),
    Situation(
        "work",
        _("Work in Germany"),
        slug=r"fachkraft|blaue|arbeit|beschaeftig",
        paragraphs=frozenset({"18a", "18b", "18g", "19", "19c", "20", "21"}),
    ),
    Situation("study", _("Study or training"), slug=r"studi|ausbild", paragraphs=frozenset({"16a", "16b", "17"})),
    Situation(
        "duldung",
        _("I have a Duldung (toleration)"),
        frozenset({"duldung"}),
        r"duldung|chancen|bleiberecht",
        frozenset({"60a", "104c", "25a", "25b"}),
    ),
)
OTHER_LABEL = _("Something else")

# Everyday words per situation and language. Short stems are fine: a word matches when it starts
# with a synonym or a synonym starts with it (at least three letters).
SYNONYMS = {
    "extend": {
        "de": ["verlängern", "verlängerung", "verlaengern", "abgelaufen", "läuft ab", "fiktion"],
        "en": ["extend", "extension", "renew", "renewal", "expire", "expiring", "expired", "prolong"],
        "ar": ["تمديد", "تجديد", "مدد", "انتهاء الإقامة"],
        "fa": ["تمدید", "تجدید", "انقضا"],
        "tr": ["uzatma", "uzatmak", "yenileme", "uzat"],
        "uk": ["продовжити", "продовження", "подовжити", "подовження"],
        "ru": ["продлить", "продление", "продлевать"],
        "fr": ["prolonger", "prolongation", "renouveler", "renouvellement"],
    },
    "passport": {
        "de": ["pass", "reisepass", "neuer pass", "passwechsel", "übertrag"],
        "en": ["passport", "new passport", "transfer"],
        "ar": ["جواز", "جواز سفر", "نقل"],
        "fa": ["پاسپورت", "گذرنامه"],
        "tr": ["pasaport"],
        "uk": ["паспорт", "перенес"],
        "ru": ["паспорт", "перенос"],
        "fr": ["passeport", "transfert"],
    },
    "family": {
        "de": ["familie", "familiennachzug", "ehefrau", "ehemann", "ehegatte", "kinder", "kind", "eltern"],
        "en": ["family", "reunification", "wife", "husband", "spouse", "children", "child", "parents", "join"],
        "ar": ["عائلة", "أسرة", "لم الشمل", "زوجة", "زوج", "أطفال", "أولاد"],
        "fa": ["خانواده", "همسر", "فرزند", "بچه"],
        "tr": ["aile", "eş", "çocuk", "birleşim"],
        "uk": ["сім'я", "сімя", "родина", "дружина", "чоловік", "діти", "возз'єднання"],
        "ru": ["семья", "жена", "муж", "дети", "воссоединение"],
        "fr": ["famille", "regroupement", "épouse", "époux", "enfants", "parents"],
    },
    "work": {
        "de": ["arbeit", "arbeiten", "job", "beruf", "fachkraft", "blaue karte", "beschäftigung", "stelle"],
        "en": ["work", "job", "employment", "employer", "skilled", "blue card"],
        "ar": ["عمل", "وظيفة", "شغل", "البطاقة الزرقاء"],
        "fa": ["کار", "شغل", "استخدام"],
        "tr": ["iş", "çalışma", "mavi kart"],
        "uk": ["робота", "працювати", "праця", "блакитна карта"],
        "ru": ["работа", "работать", "голубая карта"],
        "fr": ["travail", "travailler", "emploi", "carte bleue"],
    },
    "study": {
        "de": ["studium", "studieren", "universität", "hochschule", "ausbildung", "student"],
        "en": ["study", "studies", "student", "university", "training"],
        "ar": ["دراسة", "جامعة", "طالب"],
        "fa": ["تحصیل", "دانشگاه", "دانشجو"],
        "tr": ["öğrenim", "üniversite", "öğrenci", "eğitim"],
        "uk": ["навчання", "університет", "студент"],
        "ru": ["учёба", "учеба", "университет", "студент"],
        "fr": ["études", "étudier", "université", "étudiant"],
    },
    "duldung": {
        "de": ["duldung", "geduldet", "bleiberecht", "chancen", "abschiebung"],
        "en": ["duldung", "toleration", "tolerated", "deportation", "right to stay"],
        "ar": ["دولدونغ", "تسامح", "ترحيل", "حق البقاء"],
        "fa": ["دولدونگ", "اخراج", "تحمل"],
        "tr": ["duldung", "hoşgörü", "sınır dışı"],
        "uk": ["дульдунг", "толерування", "депортац"],
        "ru": ["дульдунг", "толерантн", "депортац"],
        "fr": ["duldung", "tolérance", "expulsion"],
    },
}

_FOLD = str.maketrans({"ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ـ": "", "’": "'", "ё": "е", "ß": "ss"})
_PARAGRAPH = re.compile(r"(\d+[a-z]?)(?:\s*-\s*(\d+))?")
_UMLAUT = re.compile(r"[aou]e")
_DETAIL = re.compile(r"(abs\.?|satz|nr\.?)\s*\d+(\s*-\s*\d+)?", re.IGNORECASE)


def normalize(text):
    """Lower case without accents, diacritics (Arabic harakat too) or letter variants; spaces collapsed."""
    text = unicodedata.normalize("NFKD", str(text or "").casefold().translate(_FOLD))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = " ".join(re.sub(r"[^\w§'\s]", " ", unicodedata.normalize("NFC", text)).split()).translate(_FOLD)
    return _UMLAUT.sub(lambda m: m.group(0)[0], text)  # "verlaengern" as "verlängern"


def paragraphs(legal_basis):
    """The paragraphs a legal basis names: '§§ 27-36 AufenthG' → 27..36; 'Abs.', 'Satz', 'Nr.' are skipped."""
    found = set()
    for start, end in _PARAGRAPH.findall(_DETAIL.sub(" ", (legal_basis or "").lower())):
        if end and start.isdigit() and int(end) - int(start) < 50:
            found |= {str(n) for n in range(int(start), int(end) + 1)}
        else:
            found.add(start)
    return found


@dataclass
class Entry:
    """One Anliegen as the finder sees it. ``texts``: language → (title, summary)."""

    slug: str
    legal_basis: str = ""
    residence_kind: str = ""
    order: int = 100
    texts: dict = field(default_factory=dict)
    ref: object = None  # the Anliegen itself, carried for the page

    def title(self, language):
        for lang in (language, "en", "de"):
            if self.texts.get(lang, ("", ""))[0]:
                return self.texts[lang][0]
        return self.slug


def situations_of(entry):
    """The keys of the life situations ``entry`` belongs to (``[OTHER]`` when none)."""
    numbers = paragraphs(entry.legal_basis)
    keys = [
        s.key
        for s in SITUATIONS
        if entry.residence_kind in s.kinds or (s.slug and re.search(s.slug, entry.slug)) or (s.paragraphs & numbers)
    ]
    return keys or [OTHER]


def by_situation(entries):
    """[(situation key, label, entries)] in the order of SITUATIONS, then OTHER; empty situations left out."""
    groups = [(s.key, s.label, [e for e in entries if s.key in situations_of(e)]) for s in SITUATIONS]
    groups.append((OTHER, OTHER_LABEL, [e for e in entries if situations_of(e) == [OTHER]]))
    return [group for group in groups if group[2]]


def by_legal_basis(entries):
    """Entries sorted by the first paragraph of their legal basis (numerically), then by title."""

    def key(entry):
        numbers = re.findall(r"\d+", entry.legal_basis or "")
        return (int(numbers[0]) if numbers else 10**6, entry.legal_basis, entry.slug)

    return sorted(entries, key=key)


def _words(query):
    return [w.strip("§'") for w in normalize(query).split() if len(w.strip("§'")) >= 3 or any(c.isdigit() for c in w)]


def _same_stem(word, other):
    """One starts with the other, or both share most of a long stem ('verlangerung', 'verlangern')."""
    if word.startswith(other) or other.startswith(word):
        return True
    common = len(os.path.commonprefix([word, other]))
    return common >= 6 and common >= 0.75 * min(len(word), len(other))


def _word_hits(word, phrases):
    return any(_same_stem(word, p) for phrase in phrases for p in [phrase] + phrase.split() if len(p) >= 3)


def matched_situations(query):
    """The situation keys whose synonyms (in any language) the query uses."""
    text = normalize(query)
    words = _words(query)
    keys = []
    for key, by_language in SYNONYMS.items():
        phrases = [normalize(s) for words_ in by_language.values() for s in words_]
        phrases = [p for p in phrases if len(p) >= 3]
        if any(" " in p and p in text for p in phrases) or any(_word_hits(w, phrases) for w in words if w):
            keys.append(key)
    return keys


def _score(entry, words, situations, language):
    score = 3 * len(set(situations) & set(situations_of(entry)))
    for lang in dict.fromkeys((language, "en", "de")):
        title, summary = entry.texts.get(lang, ("", ""))
        title, summary = normalize(title), normalize(summary)
        score += sum(2 for w in words if w in title) + sum(1 for w in words if w in summary)
    basis = normalize(entry.legal_basis)
    numbered = {w for w in words if any(c.isdigit() for c in w)}
    score += 2 * len(numbered & paragraphs(entry.legal_basis)) + sum(1 for w in words if w in basis.split())
    return score


def search(entries, query, language):
    """Entries matching ``query``, best first (situation synonyms, then title, summary, legal basis). When
    the query names a situation ('renew my permit'), only that situation's Anliegen are listed."""
    words = _words(query)
    situations = matched_situations(query)
    if not words and not situations:
        return []
    if situations:
        entries = [e for e in entries if set(situations) & set(situations_of(e))]
    scored = [(_score(e, words, situations, language), e) for e in entries]
    return [e for score, e in sorted(scored, key=lambda pair: (-pair[0], pair[1].order, pair[1].slug)) if score > 0]

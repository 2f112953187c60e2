"""Finding the same person entered twice.

Names are compared by a key that survives transliteration: diacritics folded, letters
after the first of each name without vowels and doubled letters (Mohammed, Muhammad and
Mohamed all give ``mhmd``), and the name parts as a set, so swapped given names or
given and family names the wrong way round still match. Candidates are narrowed in SQL
by authority and date of birth first.
"""

import re
import unicodedata

# Common transliteration variants folded before the key is built.
_FOLDS = [
    ("ph", "f"),
    ("dt", "t"),
    ("th", "t"),
    ("ou", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("kh", "h"),
    ("gh", "g"),
    ("dj", "j"),
    ("dsch", "j"),
    ("sch", "sh"),
    ("tsch", "ch"),
    ("w", "v"),
    ("y", "i"),
    ("q", "k"),
    ("c", "k"),
]
_VOWELS = set("aeiou")


def fold(text):
    text = unicodedata.normalize("NFKD", text or "").lower()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z\s-]", "", text)


def token_key(token):
    token = fold(token)
    for src, dst in _FOLDS:
        token = token.replace(src, dst)
    if not token:
        return ""
    head, tail = token[0], token[1:]
    tail = "".join(ch for ch in tail if ch not in _VOWELS and ch != "h")
    key = head + tail
    return re.sub(r"(.)\1+", r"\1", key)


def name_tokens(*parts):
    tokens = []
    for part in parts:
        tokens.extend(t for t in re.split(r"[\s-]+", fold(part)) if t)
    return tokens


def name_key(family_name, given_names):
    keys = sorted({token_key(t) for t in name_tokens(family_name, given_names)} - {""})
    return " ".join(keys)


def similarity(a_key, b_key):
    a, b = set(a_key.split()), set(b_key.split())
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def is_probable_duplicate(a, b, threshold=0.66):
    """Same birth date, a shared nationality (when both have one) and near-identical name keys."""
    if a.date_of_birth != b.date_of_birth:
        return False
    if a.nationalities and b.nationalities and not set(a.nationalities) & set(b.nationalities):
        return False
    return similarity(a.name_key, b.name_key) >= threshold

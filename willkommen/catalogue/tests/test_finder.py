"""The Anliegen finder: life situations and a search by everyday words in eight languages."""

import pytest

from willkommen.catalogue import demo_data, finder
from willkommen.catalogue.finder import Entry, by_legal_basis, by_situation, normalize, paragraphs, search

LANGUAGES = ("de", "en", "ar", "fa", "tr", "uk", "ru", "fr")


def demo_entries():
    return [
        Entry(
            slug=data["slug"],
            legal_basis=data["legal_basis"],
            residence_kind=data["residence_kind"],
            order=order,
            texts={lang: (data["title"][lang], data["summary"][lang]) for lang in data["title"]},
        )
        for order, data in enumerate(demo_data.ANLIEGEN)
    ]


def slugs(entries):
    return [e.slug for e in entries]


def test_normalize_ignores_case_accents_and_arabic_diacritics():
    assert normalize("VERLÄNGERN") == normalize("verlangern")
    assert normalize("Études") == "etudes"
    assert normalize("تَمْدِيد") == normalize("تمديد")
    assert normalize("أسرة") == normalize("اسره")
    assert normalize("Straße") == "strasse"
    assert normalize("  a,  b ") == "a b"


def test_paragraphs_of_a_legal_basis():
    assert paragraphs("§§ 27-36 AufenthG") == {str(n) for n in range(27, 37)}
    assert paragraphs("§§ 18a, 18b AufenthG") == {"18a", "18b"}
    assert paragraphs("§ 81 Abs. 3-5 AufenthG") == {"81"}
    assert paragraphs("") == set()


def test_every_situation_leads_to_at_least_one_demo_anliegen():
    groups = {key: rows for key, _label, rows in by_situation(demo_entries())}
    for situation in finder.SITUATIONS:
        assert groups.get(situation.key), situation.key
    assert slugs(groups["passport"]) == ["neuer-pass"]
    assert slugs(groups["family"]) == ["familiennachzug"]
    assert {"fachkraft", "blaue-karte"} <= set(slugs(groups["work"]))
    assert "duldung" in slugs(groups["duldung"]) and "studium" not in slugs(groups["duldung"])
    assert "verpflichtungserklaerung" in slugs(groups[finder.OTHER])


def test_every_demo_anliegen_is_reachable_by_a_situation_or_other():
    reached = {e.slug for _key, _label, rows in by_situation(demo_entries()) for e in rows}
    assert reached == {data["slug"] for data in demo_data.ANLIEGEN}


@pytest.mark.parametrize(
    "query,language",
    [
        ("verlängern", "de"),
        ("Verlaengerung", "de"),
        ("extend", "en"),
        ("I want to renew my permit", "en"),
        ("تمديد", "ar"),
        ("تَمْدِيد الإقامة", "ar"),
        ("تمدید", "fa"),
        ("uzatma", "tr"),
        ("продовжити", "uk"),
        ("продлить", "ru"),
        ("prolonger", "fr"),
    ],
)
def test_extension_words_find_the_extension_anliegen(query, language):
    found = slugs(search(demo_entries(), query, language))
    assert "studium" in found and "duldung" in found and "fiktionsbescheinigung" in found
    assert "neuer-pass" not in found and "verpflichtungserklaerung" not in found


@pytest.mark.parametrize(
    "query,slug",
    [
        ("neuer Pass", "neuer-pass"),
        ("passport", "neuer-pass"),
        ("جواز سفر", "neuer-pass"),
        ("my wife", "familiennachzug"),
        ("сім'я", "familiennachzug"),
        ("blue card", "blaue-karte"),
        ("université", "studium"),
        ("§ 16b", "studium"),
        ("60a", "duldung"),
    ],
)
def test_everyday_words_and_legal_basis_rank_the_right_anliegen_first(query, slug):
    assert slugs(search(demo_entries(), query, "en"))[0] == slug


def test_titles_in_the_clients_language_are_searched():
    # no synonym: only the Ukrainian title of the settlement permit has this word
    found = slugs(search(demo_entries(), demo_entries()[4].texts["uk"][0].split()[0], "uk"))
    assert found and found[0] in {"niederlassung", "daueraufenthalt-eu"}


def test_nonsense_and_empty_queries_find_nothing():
    assert search(demo_entries(), "", "de") == []
    assert search(demo_entries(), "xq", "de") == []
    assert search(demo_entries(), "zzzzqqq", "de") == []


def test_by_legal_basis_is_numeric():
    bases = [e.legal_basis for e in by_legal_basis(demo_entries())]
    assert bases[0].startswith("§ 9")
    assert bases.index("§ 16b AufenthG") < bases.index("§ 60a Abs. 4 AufenthG") < bases.index("§ 104c AufenthG")


def test_every_situation_has_synonyms_in_all_languages():
    for situation in finder.SITUATIONS:
        assert set(finder.SYNONYMS[situation.key]) == set(LANGUAGES)

"""The e-file search finds documents by their words, by the person's names (both scripts, aliases), by
case number and by document type (issue 10, item 12: it said it searched names and found none)."""

import datetime as dt

import pytest

from willkommen.clients.models import PersonAlias
from willkommen.clients.services import create_person
from willkommen.efile import services
from willkommen.efile.selectors import document_types_named, search

from .conftest import pdf_bytes, upload


def add(authority, person, name, text, document_type="other", case=None):
    return services.add_document(
        authority, person, upload(name, pdf_bytes(text)), document_type=document_type, source="upload", case=case
    )


@pytest.fixture
def files(authority, team):
    from willkommen.cases.services import open_case
    from willkommen.catalogue.testing import make_anliegen

    amira = create_person(
        authority,
        family_name="Haddad",
        given_names="Amira",
        family_name_native="حداد",
        given_names_native="أميرة",
        date_of_birth=dt.date(1995, 4, 2),
    )
    PersonAlias.objects.create(authority=authority, person=amira, family_name="Hadad", given_names="Amira")
    olena = create_person(authority, family_name="Kovalenko", given_names="Olena", date_of_birth=dt.date(1990, 1, 1))
    case, _code = open_case(authority, person=amira, anliegen=make_anliegen(authority), team=team)
    return {
        "amira": amira,
        "olena": olena,
        "case": case,
        "passport": add(authority, amira, "scan1.pdf", "Nummer C01X00T47", "passport"),
        "contract": add(authority, amira, "scan2.pdf", "Arbeitsvertrag Firma X", "employment_contract", case),
        "other_passport": add(authority, olena, "scan3.pdf", "Nummer FX1234567", "passport"),
    }


def found(authority, query, **kwargs):
    return {document.original_name for document in search(authority, query, **kwargs)}


def test_by_family_name_given_name_and_original_script(authority, files):
    assert found(authority, "Haddad") == {"scan1.pdf", "scan2.pdf"}
    assert found(authority, "haddad") == {"scan1.pdf", "scan2.pdf"}
    assert found(authority, "Amira") == {"scan1.pdf", "scan2.pdf"}
    assert found(authority, "حداد") == {"scan1.pdf", "scan2.pdf"}
    assert found(authority, "Kovalenko") == {"scan3.pdf"}


def test_by_alias(authority, files):
    assert found(authority, "Hadad") == {"scan1.pdf", "scan2.pdf"}


def test_by_case_number(authority, files):
    number = files["case"].number
    assert found(authority, number) == {"scan2.pdf"}
    assert found(authority, number.rsplit("-", 1)[-1]) == {"scan2.pdf"}


def test_by_document_type_in_german_english_or_as_slug(authority, files):
    assert found(authority, "Reisepass") == {"scan1.pdf", "scan3.pdf"}
    assert found(authority, "passport") == {"scan1.pdf", "scan3.pdf"}
    assert found(authority, "Arbeitsvertrag") == {"scan2.pdf"}  # the type's label and the document's word
    assert document_types_named("pass") == ["passport"]
    assert document_types_named("ab") == []


def test_every_term_must_match_something(authority, files):
    assert found(authority, "Haddad Reisepass") == {"scan1.pdf"}
    assert found(authority, "Kovalenko Reisepass") == {"scan3.pdf"}
    assert found(authority, "Haddad FX1234567") == set()
    assert found(authority, "Haddad C01X00T47") == {"scan1.pdf"}
    assert found(authority, "Zebrastreifen") == set()


def test_words_of_the_documents_still_count(authority, files):
    assert found(authority, "C01X00T47") == {"scan1.pdf"}


def test_names_are_searched_only_among_the_visible_files(authority, files):
    from willkommen.clients.models import Person

    only_olena = Person.objects.filter(pk=files["olena"].pk)
    assert found(authority, "Haddad", persons=only_olena) == set()
    assert found(authority, "Reisepass", persons=only_olena) == {"scan3.pdf"}


def test_another_authoritys_person_of_the_same_name_is_not_found(authority, other_authority, files):
    stranger = create_person(other_authority, family_name="Haddad", date_of_birth=dt.date(1980, 1, 1))
    add(other_authority, stranger, "fremd.pdf", "Reisepass", "passport")
    assert found(authority, "Haddad") == {"scan1.pdf", "scan2.pdf"}
    assert found(other_authority, "Haddad") == {"fremd.pdf"}


def test_the_desk_search_finds_by_name(staff_client, authority, files):
    page = staff_client.get("/a/alpha/desk/efile/?q=Haddad+Reisepass").content.decode()
    assert "scan1.pdf" in page and "scan2.pdf" not in page and "scan3.pdf" not in page


def test_a_renamed_person_is_found_by_the_new_name(authority, files):
    from willkommen.clients.models import Person

    amira = Person.objects.get(pk=files["amira"].pk)
    amira.family_name = "Nasser"
    amira.save()
    assert found(authority, "Nasser") == {"scan1.pdf", "scan2.pdf"}
    assert found(authority, "Haddad") == set()


def test_a_new_alias_is_found_and_a_deleted_one_no_more(authority, files):
    alias = PersonAlias.objects.create(authority=authority, person=files["olena"], family_name="Kowalenko")
    assert found(authority, "Kowalenko") == {"scan3.pdf"}
    alias.delete()
    assert found(authority, "Kowalenko") == set()


def test_after_a_merge_the_merged_name_finds_the_survivors_documents(authority, files):
    from willkommen.clients.services import merge

    # (two persons who both have an e-file cannot be merged today: efile_one_file_per_person)
    twin = create_person(authority, family_name="Haddat", given_names="Amira", date_of_birth=dt.date(1995, 4, 2))
    merge(files["amira"], twin)
    assert found(authority, "Haddat") == {"scan1.pdf", "scan2.pdf"}
    assert found(authority, "Haddat Reisepass") == {"scan1.pdf"}

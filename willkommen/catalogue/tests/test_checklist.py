import pytest

from willkommen.catalogue.checklist import InvalidAnswers, applies, build, fee, parse_answers
from willkommen.catalogue.models import AnliegenText, ChecklistItemText
from willkommen.catalogue.selectors import get_anliegen, title
from willkommen.catalogue.testing import make_anliegen


@pytest.fixture
def study(authority):
    make_anliegen(authority)
    return get_anliegen(authority, "study")


def keys(checklist):
    return [entry.key for entry in checklist.entries]


def test_condition_logic():
    assert applies({}, {})
    assert applies({"married": True}, {"married": True})
    assert not applies({"married": True}, {"married": False})
    assert not applies({"married": True}, {})
    assert applies({"purpose": ["first", "change"]}, {"purpose": "change"})
    assert not applies({"purpose": ["first", "change"]}, {"purpose": "extension"})


def test_two_answer_sets_give_two_lists(study):
    married_blocked = build(
        study, parse_answers(study.questions.all(), {"married": "yes", "blocked_account": "yes"}), "de"
    )
    single_scholar = build(
        study, parse_answers(study.questions.all(), {"married": "no", "blocked_account": "no"}), "de"
    )
    assert keys(married_blocked) == ["passport", "photo", "marriage_certificate", "blocked_account_proof"]
    assert keys(single_scholar) == ["passport", "photo", "scholarship"]


def test_texts_in_language_with_fallback(study):
    checklist = build(study, {}, "de")
    assert checklist.entries[0].title == "Reisepass"
    # Turkish has no text: English first, then German.
    assert build(study, {}, "tr").entries[0].title == "Passport"
    ChecklistItemText.objects.filter(language="en").delete()
    study = get_anliegen(study.authority, "study")
    assert build(study, {}, "tr").entries[0].title == "Reisepass"


def test_newest_public_version_wins(study, authority):
    AnliegenText.objects.create(
        authority=authority, anliegen=study, language="en", title="Study permit (new)", version=2
    )
    AnliegenText.objects.create(
        authority=authority, anliegen=study, language="en", title="Draft title", version=3, status="draft"
    )
    assert title(get_anliegen(authority, "study"), "en") == "Study permit (new)"


@pytest.mark.parametrize(
    "raw",
    [
        {"unknown": "yes"},
        {"married": "perhaps"},
        {"married": "y" * 500},
    ],
)
def test_tampered_answers_are_refused(study, raw):
    with pytest.raises(InvalidAnswers):
        parse_answers(study.questions.all(), raw)


def test_fee_reduction_for_minors(study):
    assert str(fee(study, {"minor": True})[0]) == "50.00"
    assert str(fee(study, {"minor": False})[0]) == "100.00"


def test_pages(client, study):
    assert client.get("/checklist/").status_code == 200
    page = client.get("/checklist/study/")
    assert "Sind Sie verheiratet?" in page.content.decode()
    result = client.get("/checklist/study/result/?married=yes&blocked_account=no")
    body = result.content.decode()
    assert result.status_code == 200
    assert "Heiratsurkunde" in body and "Stipendiennachweis" in body and "Nachweis Sperrkonto" not in body


def test_pdf_download(client, study):
    response = client.get("/checklist/study/checklist.pdf?married=yes")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "Heiratsurkunde" in text


@pytest.mark.parametrize(
    "url,status",
    [
        ("/checklist/nonexistent/", 404),
        ("/checklist/nonexistent/result/", 404),
        ("/checklist/study/result/?married=maybe", 400),
        ("/checklist/study/result/?evil=1", 400),
        ("/checklist/study/result/?married=" + "x" * 5000, 400),
        ("/checklist/study/checklist.pdf?married=maybe", 400),
    ],
)
def test_bad_input_gives_clear_4xx(client, study, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "<h1" in response.content.decode()


def test_other_authoritys_anliegen_is_not_found(client, study, other_authority):
    assert client.get(f"/a/{other_authority.slug}/checklist/study/").status_code == 404


def test_api_checklist(client, study):
    url = "/api/v1/catalogue/anliegen/study/checklist/?lang=en"
    response = client.post(url, {"answers": {"married": "yes"}}, content_type="application/json")
    assert response.status_code == 200
    assert [e["key"] for e in response.json()["entries"]] == ["passport", "photo", "marriage_certificate"]
    assert response.json()["entries"][0]["title"] == "Passport"
    bad = client.post(url, {"answers": {"married": "maybe"}}, content_type="application/json")
    assert bad.status_code == 400
    assert client.post(url.replace("lang=en", "lang=xx"), {}, content_type="application/json").status_code == 400
    assert client.get("/api/v1/catalogue/anliegen/nothing/").status_code == 404
    listing = client.get("/api/v1/catalogue/anliegen/?lang=ar").json()
    assert listing[0]["title"] == "تصريح إقامة للدراسة"

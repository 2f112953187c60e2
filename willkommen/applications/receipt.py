"""The receipt (Eingangsbestätigung) as PDF and e-mail, in German and the client's language."""

from django.utils import timezone

from willkommen.letters.pdf import render_pdf

from . import selectors


def receipt_context(case, application, *, access_code=None):
    languages = selectors.receipt_languages(application or "de")
    team = selectors.responsible_team(case)
    return {
        "authority": case.authority,
        "case": case,
        "access_code": access_code,
        "arrival": timezone.localtime(case.received_at),
        "counts_under_81": selectors.permit_counts_under_81(application),
        "sections": selectors.receipt_sections(case, application, languages),
        "team": team,
        "expected_decision": selectors.expected_decision_date(case),
        "target_days": selectors.target_days(case),
        "interim_days": case.anliegen.interim_answer_days,
        "anliegen": case.anliegen,
        "person": case.person,
    }


def render_receipt(case, application, *, access_code=None):
    """PDF bytes; without ``access_code`` the code line is left out (the copy for the e-file)."""
    return render_pdf("applications/receipt_pdf.html", receipt_context(case, application, access_code=access_code))


CACHE_SECONDS = 30 * 24 * 3600


def client_receipt(case, application, access_code):
    """The client's receipt (with the access code) as PDF bytes: rendered once, by the receipt job that mails
    it, and kept in the cache, so the client's download serves it instead of rendering in the request."""
    from django.core.cache import cache

    key = f"applications:receipt:{application.pk}:{case.pk}:{application.submitted_at:%Y%m%d%H%M%S%f}"
    content = cache.get(key)
    if content is None:
        content = render_receipt(case, application, access_code=access_code)
        cache.set(key, content, CACHE_SECONDS)
    return content


def receipt_file_name(case):
    return f"Eingangsbestaetigung-{case.number}.pdf"


def receipt_values(case, access_code, status_url):
    """The placeholder values of the receipt e-mail (template store key ``receipt``)."""
    from willkommen.catalogue.selectors import title

    person = case.person
    return {
        "name": f"{person.given_names} {person.family_name}".strip(),
        "authority": case.authority.name,
        "case_number": case.number,
        "anliegen": lambda language: title(case.anliegen, language),
        "date": timezone.localtime(case.received_at),
        "access_code": access_code,
        "status_url": status_url,
    }

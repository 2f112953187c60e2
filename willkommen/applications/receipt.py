"""The receipt (Eingangsbestätigung) as PDF and e-mail, in German and the client's language."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

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
        "target_days": case.anliegen.target_days,
        "interim_days": case.anliegen.interim_answer_days,
        "anliegen": case.anliegen,
        "person": case.person,
    }


def render_receipt(case, application, *, access_code=None):
    """PDF bytes; without ``access_code`` the code line is left out (the copy for the e-file)."""
    return render_pdf("applications/receipt_pdf.html", receipt_context(case, application, access_code=access_code))


def receipt_file_name(case):
    return f"Eingangsbestaetigung-{case.number}.pdf"


def mail_text(case, application, access_code, status_url):
    parts = []
    for language in selectors.receipt_languages(application)[::-1]:
        with translation.override(language):
            parts.append(
                "\n".join(
                    [
                        _("We have received your application."),
                        "",
                        _("Case number: %(number)s") % {"number": case.number},
                        _("Access code: %(code)s") % {"code": access_code or "–"},
                        _("Received on: %(when)s")
                        % {"when": timezone.localtime(case.received_at).strftime("%d.%m.%Y %H:%M")},
                        "",
                        _("The receipt is attached as a PDF. Keep it: it is your proof of the application."),
                        _("See the state of your case at any time: %(url)s") % {"url": status_url},
                    ]
                )
            )
    return "\n\n-----\n\n".join(parts)

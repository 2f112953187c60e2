"""The "case_code" way in: case number plus the one-time access code from the receipt."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from willkommen.accounts.client_identity import ClientIdentity, IdentityProvider, register, sign_in
from willkommen.core import ratelimit

# The session key under which a browser keeps the applications it started (drafts and receipts).
SESSION_APPS = "applications"

# Attempts per address per minute, and per case number per 15 minutes, whatever the outcome.
ATTEMPTS_PER_ADDRESS = 10
ATTEMPTS_PER_NUMBER = 5
NUMBER_WINDOW = 15 * 60


@register
class CaseCodeProvider(IdentityProvider):
    key = "case_code"
    label = _("Case number and access code")

    def start_url(self, request):
        return reverse("applications:status_login")


def attempt_allowed(request, number):
    address_ok = ratelimit.hit("case-code", ratelimit.client_address(request), ATTEMPTS_PER_ADDRESS)
    number_key = f"{request.authority.pk}:{(number or '').strip().upper()[:30]}"
    number_ok = ratelimit.hit("case-code-number", number_key, ATTEMPTS_PER_NUMBER, window=NUMBER_WINDOW)
    return address_ok and number_ok


def verify(request, number, code):
    """The case when number and code match at this authority and the code is still valid, else None.
    An unknown number costs the same keyed hash as a known one (a microsecond check, see
    ``cases.access_codes``)."""
    from willkommen.cases.selectors import case_by_number
    from willkommen.cases.services import check_access_code, check_no_access_code

    case = case_by_number(request.authority, number) if number else None
    if case is None:
        return check_no_access_code(code)
    return case if check_access_code(case, code) else None


def sign_in_with_case(request, case):
    sign_in(
        request,
        ClientIdentity(
            method=CaseCodeProvider.key,
            authority_id=request.authority.pk,
            case_id=case.pk,
            person_id=case.person_id,
            email=case.person.email or "",
        ),
    )

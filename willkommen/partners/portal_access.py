"""Who a partner is and what one request may reach: the signed-in account's organisation at this authority
and the valid consent for a person and scope (``consents.valid_consents``, SQL, this very request) – a 404
otherwise, the same answer as for a wrong number."""

from django.http import Http404

from . import consents


def organisation(request):
    found = consents.organisation_of(request.user)
    if found is None or found.authority_id != request.authority.pk:
        raise Http404
    return found


def consent_for(request, person_id, scope):
    """(organisation, consent) for ``scope``; Http404 without a valid consent."""
    found = organisation(request)
    consent = consents.valid_consents(found, scope).filter(person_id=person_id).select_related("person").first()
    if consent is None:
        raise Http404
    return found, consent

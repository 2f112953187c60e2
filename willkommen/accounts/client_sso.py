"""Clients sign in with a trusted identity over OpenID Connect (BundID-style, the eID card).

The flow is the staff one (``sso.start``/``sso.finish``: state, nonce, PKCE, signature, issuer, audience,
expiry). What differs is what the token means: the ``acr`` gives the trust level ("high" for the eID
card, as the authority configures), and the verified names, date and place of birth find the person's
record through a hook the clients room registers (:func:`register_person_matcher`). Only with trust
"substantial" or "high" and exactly one fitting record is the identity bound to a person; otherwise the
client is signed in without one (the desk's duplicate check decides, nobody is merged here).
"""

import datetime as dt

from .client_identity import ClientIdentity
from .models import ClientIdentityProvider

METHOD = "oidc"
_person_matchers = []


def register_person_matcher(match):
    """Hook: ``match(authority_id, family_name=, given_names=, date_of_birth=, place_of_birth=)`` returns
    the id of the one person these verified attributes fit, or None (none, or more than one)."""
    if match not in _person_matchers:
        _person_matchers.append(match)


def providers_for(authority):
    if authority is None:
        return ClientIdentityProvider.objects.none()
    return ClientIdentityProvider.objects.filter(authority=authority, enabled=True).order_by("name")


def get_provider(authority, pk):
    return providers_for(authority).filter(pk=pk).first()


def _text(claims, name):
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _birthdate(claims):
    try:
        return dt.date.fromisoformat(_text(claims, "birthdate"))
    except ValueError:
        return None


def person_for(provider, claims, trust):
    """The id of the person the verified attributes name, or None."""
    if trust not in ("substantial", "high"):
        return None
    attributes = {
        "family_name": _text(claims, "family_name"),
        "given_names": _text(claims, "given_name"),
        "date_of_birth": _birthdate(claims),
        "place_of_birth": _text(claims, provider.place_of_birth_claim),
    }
    if not (attributes["family_name"] and attributes["given_names"] and attributes["date_of_birth"]):
        return None
    for match in _person_matchers:
        person_id = match(provider.authority_id, **attributes)
        if person_id:
            return person_id
    return None


def identity_for(verified):
    provider, claims = verified.provider, verified.claims
    trust = provider.trust_level(claims.get("acr"))
    email = _text(claims, "email") if claims.get("email_verified") is True else ""
    return ClientIdentity(
        method=METHOD,
        authority_id=provider.authority_id,
        email=email,
        person_id=person_for(provider, claims, trust),
        assurance=trust,
        provider=provider.name,
    )

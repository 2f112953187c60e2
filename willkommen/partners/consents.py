"""Partner organisations and the client's consent (issue 18 items 1–2).

A partner organisation works for a client only with the client's recorded consent: a scope (see the state of
cases, see letters, upload documents, receive copies of notices, book appointments), a validity and a purpose.
Either side can revoke it; revocation and expiry cut access at once, because every partner query is filtered
in SQL by a valid consent (:func:`valid_consents`) – there is no cached permission. Every read by a partner is
written to the audit log with the consent's purpose (``views.py``).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit.services import Action, record

from .errors import ConsentError
from .models import Consent, ConsentSource, PartnerAccount, Scope


def organisation_of(user):
    """The organisation of a partner account, or None (also for staff and other authorities' users)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.can("partner.portal"):
        return None
    account = PartnerAccount.objects.filter(user=user, authority_id=user.authority_id).select_related("organisation")
    account = account.filter(organisation__active=True).first()
    return account.organisation if account else None


def valid_consents(organisation, scope, on=None):
    """The consents that let ``organisation`` act within ``scope`` today: one SQL filter (not revoked, within
    the validity, of the organisation's own authority)."""
    if scope not in Scope.values:
        raise ValueError(scope)
    return valid_consents_any(organisation, on).filter(scopes__contains=f",{scope},")


def valid_consents_any(organisation, on=None):
    """The consents that let ``organisation`` act today within any scope (:func:`valid_consents` adds the
    scope to this filter)."""
    on = on or timezone.localdate()
    return Consent.objects.filter(
        authority_id=organisation.authority_id,
        organisation=organisation,
        revoked_at__isnull=True,
        valid_from__lte=on,
        valid_until__gte=on,
    )


def any_valid_consent(organisation, person_id, on=None):
    """The first consent that lets ``organisation`` act for the person today, whatever its scope (the thread
    with the office needs one), or None."""
    return valid_consents_any(organisation, on).filter(person_id=person_id).select_related("person").first()


def consenting_persons(user, scope, on=None):
    """The persons whose valid consent lets ``user``'s organisation act within ``scope`` (a queryset of ids
    for SQL subqueries); empty for anyone without a partner account."""
    organisation = organisation_of(user)
    if organisation is None:
        return Consent.objects.none().values("person_id")
    return valid_consents(organisation, scope, on).values("person_id")


def record_consent(
    person, organisation, *, scopes, purpose, valid_until, source, actor=None, valid_from=None, document=None
):
    """Record a consent. ``actor`` is the staff member who records a signed form (``clients.edit``), or None
    when the client gives it in the portal. ConsentError with a message for a bad value; nothing is written."""
    if organisation.authority_id != person.authority_id or not organisation.active:
        raise ConsentError(_("Choose an organisation of this authority."))
    if actor is not None and (actor.authority_id != person.authority_id or not actor.can("clients.edit")):
        raise PermissionDenied
    scopes = [s for s in scopes or () if s in Scope.values]
    if not scopes:
        raise ConsentError(_("Choose at least one thing the organisation may do."))
    purpose = (purpose or "").strip()
    if not purpose:
        raise ConsentError(_("Write the purpose of the consent."))
    if source not in ConsentSource.values:
        raise ConsentError(_("Say how the consent was given."))
    valid_from = valid_from or timezone.localdate()
    if valid_until is None or valid_until < valid_from:
        raise ConsentError(_("The consent cannot end before it starts."))
    with transaction.atomic():
        consent = Consent.objects.create(
            authority_id=person.authority_id,
            person=person,
            organisation=organisation,
            scopes=Consent.encode_scopes(scopes),
            purpose=purpose[:300],
            valid_from=valid_from,
            valid_until=valid_until,
            source=source,
            document=document,
            given_at=timezone.now(),
            recorded_by=actor,
        )
        record(
            authority=consent.authority,
            action=Action.CREATE,
            person_id=person.pk,
            obj=consent,
            actor=actor,
            purpose="partner consent given",
            detail=f"{organisation.name}: {consent.scopes.strip(',')}",
        )
    return consent


def revoke_consent(consent, *, by_label, actor=None):
    """Revoke at once (client, staff or the organisation itself). Revoking twice changes nothing."""
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by_label=by_label[:300]
        )
        if updated:
            record(
                authority=consent.authority,
                action=Action.UPDATE,
                person_id=consent.person_id,
                obj=consent,
                actor=actor,
                purpose="partner consent revoked",
                detail=by_label[:300],
            )
    consent.refresh_from_db()
    return consent

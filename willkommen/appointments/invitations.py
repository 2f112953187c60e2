"""Invitations (Terminladung) and follow-up appointments: the office books for a client, from the
invitation-only places first, confirmed at once."""

import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from . import jobs
from .booking import Terms, hold
from .errors import BookingError, not_found
from .identity import Applicant, hash_token
from .models import Channel, Invitation


def invite(
    authority, *, anliegen, invitee, deadline, staff, location=None, slot_id=None, person=None, case=None, portal_url=""
):
    """Invite a client (``invitee``: an :class:`~.identity.Applicant`): to a fixed slot (booked and confirmed
    at once) or with a personal link that offers invitation-only places until ``deadline``.
    Returns ``(invitation, token, booking_or_None)``."""
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        authority=authority,
        token_hash=hash_token(token),
        anliegen=anliegen,
        location=location,
        family_name=invitee.family_name,
        given_names=invitee.given_names or "",
        date_of_birth=invitee.date_of_birth,
        email=invitee.email,
        language=invitee.language,
        deadline=deadline,
        person=person,
        case=case,
        created_by=staff,
    )
    booking = None
    if slot_id:
        booking = book_invitation(authority, invitation, slot_id, portal_url=portal_url, staff=staff)
    else:
        jobs.notify("invitation", invitation.pk, token=token, portal_url=portal_url)
    return invitation, token, booking


class InvitationRefused(ValueError):
    """Input the desk must correct (the message is for the user); nothing was stored."""


def invite_person(
    authority, *, person, anliegen, deadline, staff, channel="", case=None, location=None, batch="", portal_url=""
):
    """Invite a known person (from the person or case page, or in bulk from a list) with a personal link to
    invitation-only places until ``deadline``, through ``channel`` (e-mail, SMS, messenger or letter; empty:
    the person's own). ``batch`` is the form's one-time key: a repeated submit invites nobody twice (returns
    None for a person already invited with that key). Returns the invitation."""
    made = personal_link(
        authority,
        person=person,
        anliegen=anliegen,
        deadline=deadline,
        staff=staff,
        channel=channel,
        case=case,
        location=location,
        batch=batch,
    )
    if made is None:
        return None  # invited with this form before
    invitation, token = made
    jobs.notify("invitation", invitation.pk, token=token, portal_url=portal_url)
    return invitation


def personal_link(authority, *, person, anliegen, deadline, staff, channel="", case=None, location=None, batch=""):
    """The invitation of :func:`invite_person` without its message: ``(invitation, token)`` for another room
    that sends the booking link in its own letter (the rights room's invitation to apply), or None when
    ``batch`` was used for the person before. Raises InvitationRefused / not found like invite_person."""
    from django.db import IntegrityError, transaction

    from willkommen.messaging.services import reachable_channels

    if person.authority_id != authority.pk or anliegen.authority_id != authority.pk:
        raise not_found()
    if case is not None and (case.authority_id != authority.pk or case.person_id != person.pk):
        raise not_found()
    if deadline < timezone.localdate():
        raise InvitationRefused(_("The deadline lies in the past."))
    reachable = reachable_channels(person)
    if channel and channel not in reachable:
        raise InvitationRefused(_("The person cannot be reached on this channel."))
    if not reachable:
        raise InvitationRefused(_("The person has no e-mail address, phone number or postal address."))
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                authority=authority,
                token_hash=hash_token(token),
                anliegen=anliegen,
                location=location,
                family_name=person.family_name,
                given_names=person.given_names or "",
                date_of_birth=person.date_of_birth,
                email=person.email or "",
                language=person.preferred_language or "de",
                deadline=deadline,
                person=person,
                case=case,
                channel=channel,
                batch=batch,
                created_by=staff,
            )
    except IntegrityError:
        return None
    return invitation, token


def book_invitation(authority, invitation, slot_id, *, portal_url="", staff=None, now=None):
    """Book through an invitation (once): invitation-only places first, confirmed at once (the e-mail
    address is known to the office), the name from the invitation. The office may book another location
    than the one invited to on the client's behalf."""
    now = now or timezone.now()
    if invitation.deadline < timezone.localdate(now):
        raise BookingError(_("This invitation has been used or has expired."), code="expired", status=410)
    if not Invitation.objects.filter(pk=invitation.pk, authority=authority, used_at__isnull=True).update(used_at=now):
        raise BookingError(_("This invitation has been used or has expired."), code="used", status=410)
    applicant = Applicant(
        family_name=invitation.family_name,
        given_names=invitation.given_names,
        date_of_birth=invitation.date_of_birth,
        email=invitation.email,
        language=invitation.language,
    )
    terms = Terms(
        channel=Channel.INVITATION,
        invitation=invitation,
        person=invitation.person,
        case=invitation.case,
        confirmed=True,
        booked_by=staff,
        portal_url=portal_url,
    )
    try:
        booking, _token = hold(
            authority, slot_id=slot_id, anliegen=invitation.anliegen, applicant=applicant, terms=terms, now=now
        )
    except BookingError:
        Invitation.objects.filter(pk=invitation.pk).update(used_at=None)
        raise
    return booking


def follow_up(authority, booking, *, slot_id, staff, portal_url=""):
    """A follow-up appointment from an existing one (two clicks on the desk): same person and Anliegen,
    invitation-only places first, confirmed at once."""
    if booking.authority_id != authority.pk:
        raise not_found()
    applicant = Applicant(
        family_name=booking.family_name,
        given_names=booking.given_names,
        date_of_birth=booking.date_of_birth,
        email=booking.email,
        phone=booking.phone,
        language=booking.language,
        interpreter_needed=booking.interpreter_needed,
        interpreter_language=booking.interpreter_language,
        answers=booking.answers,
    )
    terms = Terms(
        channel=Channel.INVITATION,
        confirmed=True,
        booked_by=staff,
        person=booking.person,
        case=booking.case,
        follow_up_of=booking,
        portal_url=portal_url or booking.portal_url,
        identity_scope=f"follow-up-of-{booking.pk}",
    )
    new, _token = hold(authority, slot_id=slot_id, anliegen=booking.anliegen, applicant=applicant, terms=terms)
    return new

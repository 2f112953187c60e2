"""Renewal invitations: before a title runs out, the office invites its holder to renew it.

The rules are data per authority (:class:`~.models.RenewalRule`): which titles (kind of the residence
history, a piece of the legal basis), which Anliegen renews them, how many weeks before the end (default
12), when to follow up (default after 21 days), on or off. The nightly job :func:`run` does, per authority:

1. **answered**: an invitation whose holder has since opened a case (any way in) or booked through the
   invitation is done;
2. **invite**: titles that end within the rule's lead time, are the person's newest (nothing in the
   history reaches further), whose holder has no open case and that were never invited (one set-based
   query per rule) – each gets one :class:`~.models.Renewal` (unique per residence entry, so a repeated
   run invites nobody twice) and one message in the client's language through their channel: a link to
   the online application, or – where the catalogue says the Anliegen needs a visit (no online way in) –
   a personal link to invitation-only appointments until the title's end. Without e-mail (or by choice)
   the client gets a letter (PDF from the letters room with the link and its QR code) in the print queue;
3. **follow up** once, ``follow_up_days`` after the invitation, when nothing happened;
4. **list for the team** ``follow_up_days`` after the follow-up: "expires soon, not applied"
   (``/desk/appointments/renewals/``).

The personal link (``/appointments/renew/<token>/``) is derived from the secret key and the residence
entry (HMAC), so the follow-up repeats the same link while only its SHA-256 is stored; rotating
``SECRET_KEY`` invalidates links already sent.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from willkommen.catalogue import selectors as catalogue_selectors

from . import personal_letters
from .identity import hash_token
from .models import Invitation, Renewal, RenewalRule, RenewalState

SALT = "willkommen.appointments.renewal"
INVITE_KEY = "renewal_invitation"
INVITE_APPOINTMENT_KEY = "renewal_invitation_appointment"
FOLLOW_UP_KEY = "renewal_follow_up"
PENDING = (RenewalState.INVITED, RenewalState.FOLLOWED_UP, RenewalState.UNANSWERED)


def token_for(authority_id, entry_id):
    return salted_hmac(SALT, f"{authority_id}:{entry_id}").hexdigest()[:32]


def link_for(authority, token):
    from willkommen.messaging.services import portal_url

    return portal_url(authority, reverse("appointments:renew", args=[token]))


def by_token(authority, token):
    if not token or len(token) > 64:
        return None
    return (
        Renewal.objects.filter(authority=authority, token_hash=hash_token(token))
        .select_related("anliegen", "invitation")
        .first()
    )


# --- who is due ------------------------------------------------------------------------------------


def candidates(rule, on):
    """Residence entries ``rule`` invites on ``on``: one query (titles ending within the lead time, the
    person's newest – of two entries of one title with the same end the first –, no open case, not invited
    yet)."""
    from willkommen.cases.selectors import persons_in_progress
    from willkommen.clients.models import ResidenceEntry

    later = ResidenceEntry.objects.filter(
        authority_id=OuterRef("authority_id"), person_id=OuterRef("person_id")
    ).filter(Q(valid_to__gt=OuterRef("valid_to")) | Q(valid_to__isnull=True, valid_from__gt=OuterRef("valid_from")))
    invited = Renewal.objects.filter(authority_id=OuterRef("authority_id"), entry_id=OuterRef("pk"))
    matching = ResidenceEntry.objects.filter(authority_id=rule.authority_id, kind=rule.title_kind)
    if rule.legal_basis_contains:
        matching = matching.filter(legal_basis__icontains=rule.legal_basis_contains)
    # the same title on record twice (the office's entry and the client's declaration with the same end):
    # only the first of them is invited
    twin = matching.filter(person_id=OuterRef("person_id"), valid_to=OuterRef("valid_to"), pk__lt=OuterRef("pk"))
    qs = matching.filter(
        valid_to__gte=on,
        valid_to__lte=on + dt.timedelta(weeks=rule.lead_weeks),
        person__merged_into__isnull=True,
    )
    busy = persons_in_progress(rule.authority).values("pk")
    return (
        qs.filter(~Exists(later), ~Exists(twin), ~Exists(invited))
        .exclude(person_id__in=busy)
        .select_related("person")
        .order_by("valid_to", "pk")
    )


# --- what the client receives ------------------------------------------------------------------------


def _values(renewal, link):
    person = renewal.person
    anliegen = renewal.anliegen
    return {
        "name": f"{person.given_names} {person.family_name}".strip(),
        "anliegen": lambda language: catalogue_selectors.title(anliegen, language) or anliegen.slug,
        "date": renewal.expires_on,
        "deadline": renewal.expires_on,
        "link": link,
        "authority": renewal.authority.name,
    }


def _send(renewal, key, token, step):
    message = personal_letters.send(
        renewal.authority,
        key,
        person=renewal.person,
        values=_values(renewal, link_for(renewal.authority, token)),
        link=link_for(renewal.authority, token),
        idempotency_key=f"renewal:{renewal.pk}:{step}",
    )
    return message.channel


def invite(rule, entry, on, *, staff=None):
    """Invite the holder of ``entry`` under ``rule`` (once: None when already invited)."""
    authority = rule.authority
    anliegen = rule.anliegen
    person = entry.person
    token = token_for(authority.pk, entry.pk)
    by_appointment = not anliegen.allows_online
    try:
        with transaction.atomic():
            invitation = None
            if by_appointment:
                invitation = Invitation.objects.create(
                    authority=authority,
                    token_hash=hash_token(token),
                    anliegen=anliegen,
                    family_name=person.family_name,
                    given_names=person.given_names or "",
                    date_of_birth=person.date_of_birth,
                    email=person.email or "",
                    language=person.preferred_language or "de",
                    deadline=entry.valid_to,
                    person=person,
                    created_by=staff,
                )
            renewal = Renewal.objects.create(
                authority=authority,
                entry=entry,
                person=person,
                rule=rule,
                anliegen=anliegen,
                expires_on=entry.valid_to,
                by_appointment=by_appointment,
                invitation=invitation,
                token_hash=hash_token(token),
                invited_on=on,
            )
            renewal.channel = _send(renewal, INVITE_APPOINTMENT_KEY if by_appointment else INVITE_KEY, token, "invite")
            renewal.save(update_fields=["channel"])
            if invitation is not None:
                Invitation.objects.filter(pk=invitation.pk).update(channel=renewal.channel)
    except IntegrityError:  # invited meanwhile by another run: the unique constraint holds
        return None
    return renewal


# --- the nightly job -----------------------------------------------------------------------------------


def mark_answered(authority, on):
    """Pending invitations whose holder has since opened a case (any way in) or booked through the
    invitation: one statement."""
    from willkommen.cases.selectors import all_cases

    since = all_cases(authority).filter(person_id=OuterRef("person_id"), received_at__date__gte=OuterRef("invited_on"))
    return (
        Renewal.objects.filter(authority=authority, state__in=PENDING)
        .filter(Q(invitation__used_at__isnull=False) | Exists(since))
        .update(state=RenewalState.ANSWERED, answered_on=on)
    )


def follow_up(rule, on):
    """Invitations of ``rule`` sent ``follow_up_days`` ago or earlier with no answer: reminded once."""
    due = Renewal.objects.filter(
        rule=rule, state=RenewalState.INVITED, invited_on__lte=on - dt.timedelta(days=rule.follow_up_days)
    ).select_related("person", "anliegen", "authority")
    sent = 0
    for renewal in due.iterator():
        with transaction.atomic():
            if not Renewal.objects.filter(pk=renewal.pk, state=RenewalState.INVITED).update(
                state=RenewalState.FOLLOWED_UP, followed_up_on=on
            ):
                continue  # another run took it
            _send(renewal, FOLLOW_UP_KEY, token_for(rule.authority_id, renewal.entry_id), "follow-up")
        sent += 1
    return sent


def list_unanswered(rule, on):
    """Reminded ``follow_up_days`` ago or earlier and still nothing: on the team's list (one statement)."""
    return Renewal.objects.filter(
        rule=rule, state=RenewalState.FOLLOWED_UP, followed_up_on__lte=on - dt.timedelta(days=rule.follow_up_days)
    ).update(state=RenewalState.UNANSWERED, unanswered_on=on)


def run(on=None, *, authority=None):
    """The nightly job (idempotent): returns the counts per step."""
    from willkommen.tenancy.models import Authority

    on = on or timezone.localdate()
    counts = {"answered": 0, "invited": 0, "followed_up": 0, "unanswered": 0}
    authorities = [authority] if authority is not None else Authority.objects.all()
    for current in authorities:
        counts["answered"] += mark_answered(current, on)
        rules = RenewalRule.objects.filter(authority=current, active=True, anliegen__active=True).select_related(
            "authority", "anliegen"
        )
        for rule in rules:
            for entry in candidates(rule, on).iterator():
                if invite(rule, entry, on) is not None:
                    counts["invited"] += 1
            counts["followed_up"] += follow_up(rule, on)
            counts["unanswered"] += list_unanswered(rule, on)
    return counts


def opened(renewal, now=None):
    """The client followed the link (recorded once); where to send them next."""
    Renewal.objects.filter(pk=renewal.pk, opened_at__isnull=True).update(opened_at=now or timezone.now())

"""Invitations to apply (ex officio rights check): one or many candidates, by online application or an
appointment; the application that follows is routed to the check's team and linked to its invitation."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit import services as audit
from willkommen.audit.models import Action
from willkommen.catalogue import checklist as checklist_lib
from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.messaging import services as messaging_services
from willkommen.tenancy import selectors as tenancy_selectors

from . import evaluator, selectors
from .errors import RightsError
from .models import CheckOutcome, InvitationMode, RightsInvitation


def _checklist(anliegen):
    """The catalogue's checklist for the rule's Anliegen, per language (items without a condition)."""
    if anliegen is None:
        return []

    def titles(language):
        return [entry.title for entry in checklist_lib.build(anliegen, {}, language).entries]

    return titles


def _links(authority, actor, person, anliegen, mode, deadline, portal_url):
    """``(template key, link, extra values, appointment invitation)`` for the chosen way to apply: the online
    application for the Anliegen, or a personal link to book an appointment for it (appointments room)."""
    from willkommen.appointments import services as appointments

    base = (portal_url or settings.SITE_URL).rstrip("/")
    if mode == InvitationMode.ONLINE:
        link = f"{base}{reverse('applications:start', args=[anliegen.slug])}" if anliegen is not None else ""
        return "rights_invitation", link, {}, None
    if anliegen is None:
        raise RightsError(_("This rule has no Anliegen in the catalogue: no appointment can be offered."))
    if deadline is None or deadline < timezone.localdate():
        raise RightsError(_("Choose a booking deadline that does not lie in the past."), "deadline")
    try:
        made = appointments.personal_link(authority, person=person, anliegen=anliegen, deadline=deadline, staff=actor)
    except appointments.InvitationRefused as error:
        raise RightsError(f"{person.full_name}: {error}") from error
    booked, token = made
    return "rights_invitation_appointment", appointments.invitation_link(token, base), {"deadline": deadline}, booked


@transaction.atomic
def invite(authority, actor, outcome, *, mode=InvitationMode.ONLINE, deadline=None, portal_url="", request=None):
    """Send the person of ``outcome`` (likely or needs data) an invitation to apply: in their language and
    channel (by letter where that is their channel), the rule explained, the catalogue's checklist for the
    legal basis and either the link to the online application (``mode="online"``) or a personal link to
    book an appointment for the rule's Anliegen until ``deadline`` (``mode="appointment"``). Once per
    outcome: a second call returns the first invitation and sends nothing. Raises RightsError for an
    unlikely outcome or an appointment that cannot be offered."""
    outcome = CheckOutcome.objects.select_for_update().select_related("check_run__person", "rule").get(pk=outcome.pk)
    if outcome.authority_id != authority.pk:
        raise RightsError(_("This person is not of this authority."))
    existing = RightsInvitation.objects.filter(outcome=outcome).first()
    if existing is not None:
        return existing, False
    if outcome.result not in (evaluator.LIKELY, evaluator.NEEDS_DATA):
        raise RightsError(_("Only likely candidates and those with missing facts are invited."))
    if mode not in InvitationMode.values:
        raise RightsError(_("Choose how the person is to apply."), "mode")
    person, rule = outcome.check_run.person, outcome.rule
    anliegen = catalogue_selectors.anliegen_list(authority).filter(slug=rule.anliegen_slug).first()
    key, link, extra, booked = _links(authority, actor, person, anliegen, mode, deadline, portal_url)
    context = {
        "name": person.full_name,
        "rule": rule.legal_basis,
        "explanation": lambda language: selectors.explanation(rule, language),
        "checklist": _checklist(anliegen),
        "link": link,
        "authority": authority.name,
        **extra,
    }
    message = messaging_services.send_template(
        authority, key, person=person, context=context, idempotency_key=f"rights-invitation:{outcome.pk}"
    )
    invitation = RightsInvitation.objects.create(
        authority=authority,
        outcome=outcome,
        person=person,
        rule=rule,
        message=message,
        mode=mode,
        appointment=booked,
        language=getattr(message, "language", person.preferred_language),
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        authority=authority,
        action=Action.CREATE,
        person_id=person.pk,
        obj=invitation,
        actor=actor,
        request=request,
        purpose="rights.invitation",
        detail=f"{rule.key} {mode}",
    )
    return invitation, True


@transaction.atomic
def invite_many(authority, actor, outcomes, *, mode=InvitationMode.ONLINE, deadline=None, portal_url="", request=None):
    """Invite the persons of several outcomes in one go (the candidate list's selection): all or nothing –
    a RightsError for one rolls back every invitation of the call. Outcomes already invited are reported,
    not sent again. Returns ``(invited, already)``: the new invitations and the earlier ones."""
    invited, already = [], []
    for outcome in outcomes:
        invitation, sent = invite(
            authority, actor, outcome, mode=mode, deadline=deadline, portal_url=portal_url, request=request
        )
        (invited if sent else already).append(invitation)
    return invited, already


def _waiting_invitation(authority_id, person_id, slug):
    """The person's newest invitation to apply for the Anliegen ``slug`` that no case answered yet."""
    if not slug or person_id is None:
        return None
    return (
        RightsInvitation.objects.filter(
            authority_id=authority_id, person_id=person_id, rule__anliegen_slug=slug, case__isnull=True
        )
        .select_related("outcome__check_run")
        .order_by("-invited_at", "-id")
        .first()
    )


def route_application(authority, person, anliegen):
    """Hook of the cases room (``opening.register_router``): a case for the Anliegen of a rule the person was
    invited to apply under goes to the team of the check that invited (None: the routing rules decide)."""
    invitation = _waiting_invitation(authority.pk, getattr(person, "pk", None), getattr(anliegen, "slug", ""))
    if invitation is None or invitation.outcome.check_run.team_id is None:
        return None
    return tenancy_selectors.teams(authority).filter(pk=invitation.outcome.check_run.team_id).first()


def link_application(case):
    """Hook of the cases room (``opening.register_opened``): a case for the Anliegen of a rule the person was
    invited to apply under is linked to the newest such invitation not yet linked."""
    invitation = _waiting_invitation(case.authority_id, case.person_id, getattr(case.anliegen, "slug", ""))
    if invitation is not None:
        RightsInvitation.objects.filter(pk=invitation.pk).update(case=case)

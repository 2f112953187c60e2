"""The authority's teams and staff as the administrator's desk pages change them (``office.staff``): roles
only among ``GRANTABLE_ROLES``, never one's own role, never one's own account switched off, never deleted.
Every change is written to the change history (``audit/changes.py``)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from willkommen.audit import changes
from willkommen.audit.models import Action

from .models import Membership, User
from .roles import GRANTABLE_ROLES, Role

LABELS = {
    "role": gettext_lazy("Role"),
    "teams": gettext_lazy("Teams"),
    "leads": gettext_lazy("Leads"),
    "is_active": gettext_lazy("Active"),
}


class StaffError(Exception):
    pass


def staff(authority):
    """Staff of the authority (people, no integration accounts), filtered in SQL."""
    return (
        User.objects.filter(authority=authority)
        .exclude(role=Role.INTEGRATION)
        .prefetch_related("memberships__team")
        .order_by("last_name", "first_name", "username")
    )


def may_change(actor, member):
    """Whether ``actor`` may change ``member``'s role, teams or state at all."""
    return member.authority_id == actor.authority_id and member.role in GRANTABLE_ROLES


def snapshot(member):
    memberships = sorted(member.memberships.select_related("team"), key=lambda m: m.team.name)
    return {
        "role": str(member.get_role_display()),
        "teams": changes.value_text([m.team.name for m in memberships]),
        "leads": changes.value_text([m.team.name for m in memberships if m.is_lead]),
        "is_active": changes.value_text(member.is_active),
    }


def update(request, member, *, role=None, teams=(), leads=()):
    """Set ``member``'s role (unless None) and team memberships; audited. Raises StaffError when refused."""
    actor = request.user
    if not may_change(actor, member):
        raise StaffError(_("This staff member's role is not changed here."))
    if role is not None and role != member.role:
        if member.pk == actor.pk:
            raise StaffError(_("Nobody changes their own role."))
        if role not in GRANTABLE_ROLES:
            raise StaffError(_("This role is not given here."))
    before = snapshot(member)
    with transaction.atomic():
        if role is not None:
            member.role = role
            member.save(update_fields=["role"])
        lead_ids = {team.pk for team in leads}
        wanted = {team.pk: team.pk in lead_ids for team in teams}
        Membership.objects.filter(user=member).exclude(team_id__in=list(wanted)).delete()
        for team_id, is_lead in wanted.items():
            Membership.objects.update_or_create(
                user=member, team_id=team_id, defaults={"authority_id": member.authority_id, "is_lead": is_lead}
            )
        changes.record_change(request, member, Action.UPDATE, before=before, after=snapshot(member), labels=LABELS)
    return member


def set_active(request, member, active):
    """Switch a staff member's account off (or on again); never one's own, never deleted; audited."""
    if not may_change(request.user, member):
        raise StaffError(_("This staff member's account is not changed here."))
    if member.pk == request.user.pk:
        raise StaffError(_("Nobody switches off their own account."))
    before = snapshot(member)
    with transaction.atomic():
        member.is_active = bool(active)
        member.save(update_fields=["is_active"])
        changes.record_change(request, member, Action.UPDATE, before=before, after=snapshot(member), labels=LABELS)
    return member

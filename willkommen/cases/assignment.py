"""Assignment: a team lead gives a case (or many) to a caseworker of the same authority."""

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import CaseError
from .models import TimelineKind
from .permissions import require_capability
from .timeline import add_entry


def assign(case, *, actor, assignee=None, team=None):
    """A team lead assigns a case to a caseworker (and team) of the same authority."""
    require_capability(actor, "cases.assign", case)
    if assignee is not None and assignee.authority_id != case.authority_id:
        raise CaseError(_("This person does not work at this authority."))
    if team is not None and team.authority_id != case.authority_id:
        raise CaseError(_("Unknown team."))
    old = case.assignee
    if team is not None:
        case.team = team
    case.assignee = assignee
    case.save(update_fields=["assignee", "team", "updated_at"])
    add_entry(
        case,
        TimelineKind.ASSIGNMENT,
        actor=actor,
        text=f"{old.display_name if old else '–'} → {assignee.display_name if assignee else '–'}",
        data={"assignee": assignee.pk if assignee else None},
    )
    return case


def bulk_reassign(queryset, *, actor, assignee):
    """Reassign many cases at once (the queryset must already be limited to what the actor may see)."""
    count = 0
    with transaction.atomic():
        for case in queryset.select_related("assignee").select_for_update(of=("self",)):
            assign(case, actor=actor, assignee=assignee)
            count += 1
    return count

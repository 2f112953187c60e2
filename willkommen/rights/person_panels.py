"""The rights room's section of the person view (slot ``clients.person``, core/panels.py): the invitations
to apply sent after the ex officio rights check, each with its rule and the case it led to, linked to the
person's rights page. Only for staff with ``rights.view`` who may read the person's file (the rights page's
own rule: visibility policy ``FILE``), filtered in SQL."""

from django.template.loader import render_to_string

from willkommen.clients.visibility import Resource, visible

from .models import RightsInvitation

ORDER = 70


def person_invitations(request, person):
    user = getattr(request, "user", None)
    if person is None or user is None or not user.is_authenticated or not user.can("rights.view"):
        return ""
    rows = list(
        visible(RightsInvitation.objects.filter(person=person), user, request.authority, Resource.FILE)
        .select_related("rule", "case")
        .order_by("-invited_at", "-pk")[:10]
    )
    if not rows:
        return ""
    return render_to_string("rights/person/invitations.html", {"person": person, "invitations": rows}, request=request)


def register():
    from willkommen.core import panels

    panels.register("clients.person", person_invitations, order=ORDER)

"""The accommodation room's section of the person view (slot ``clients.person``, core/panels.py): the
person's placements, current first, each linked to its page. Only for staff who may see accommodation
(``accommodation.view``); one query, filtered by authority and person in SQL."""

from django.template.loader import render_to_string

from .models import Placement

ORDER = 80
LAST = 10


def person_placements(request, person):
    user = getattr(request, "user", None)
    if person is None or user is None or not user.is_authenticated or not user.can("accommodation.view"):
        return ""
    if getattr(user, "authority_id", None) != request.authority.pk:
        return ""
    rows = list(
        Placement.objects.filter(authority=request.authority, person=person)
        .select_related("accommodation", "bed")
        .order_by("-moved_in", "-pk")[:LAST]
    )
    if not rows:
        return ""
    return render_to_string("accommodation/person/placements.html", {"placements": rows}, request=request)


def register():
    from willkommen.core import panels

    panels.register("clients.person", person_placements, order=ORDER)

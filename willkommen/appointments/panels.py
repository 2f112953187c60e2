"""The appointments room's panels on lower rooms' pages (``core/panels.py``): "Invite to an appointment"
on the case page (``cases.case``) and on the person page (``clients.person``)."""

from django.template.loader import render_to_string

from .renewal_desk import CAPABILITY


def _link(request, person_id, case_id=None):
    if not request.user.is_authenticated or not request.user.can(CAPABILITY):
        return ""
    return render_to_string(
        "appointments/desk/_invite_link.html", {"person_id": person_id, "case_id": case_id}, request=request
    )


def case_invite(request, case):
    return _link(request, case.person_id, case.pk) if case is not None else ""


def person_invite(request, person):
    return _link(request, person.pk) if person is not None else ""


def register():
    from willkommen.core import panels

    panels.register("cases.case", case_invite)
    panels.register("clients.person", person_invite)

"""What the partners room adds to the case page (core/panels.py, slot ``cases.case``): the case's requests
to other authorities and the link to write one."""

from django.template.loader import render_to_string

from . import selectors


def case_requests(request, case):
    user = getattr(request, "user", None)
    if case is None or user is None or not user.is_authenticated:
        return ""
    rows = list(selectors.of_case(user, case).order_by("-sent_at", "-pk"))
    can_send = user.can("cases.work") and case.status in ("received", "in_review", "waiting_other_authority")
    if not rows and not can_send:
        return ""
    return render_to_string(
        "partners/_case_requests.html", {"case": case, "rows": rows, "can_send": can_send}, request=request
    )

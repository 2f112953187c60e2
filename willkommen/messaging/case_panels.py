"""The messaging room's section of the case page (slot ``cases.case``, core/panels.py): the messages filed
under the case, newest first, the client's unread ones marked, each a link into the conversation. Only for
staff who may read the person's messages (visibility policy ``MESSAGES``), filtered in SQL. Showing them
here does not mark them read: that happens when the thread is opened."""

from django.template.loader import render_to_string

from willkommen.clients.visibility import Resource, may_read, visible

from .models import Direction, Message

ORDER = 5  # before the other rooms' sections: the client's voice first
LAST = 5


def case_messages(request, case):
    user = getattr(request, "user", None)
    if case is None or user is None or not user.is_authenticated or not may_read(user, Resource.MESSAGES):
        return ""
    qs = visible(
        Message.objects.filter(case_id=case.pk, fallback_of__isnull=True),
        user,
        request.authority,
        Resource.MESSAGES,
    )
    rows = list(qs.order_by("-created_at", "-pk")[:LAST])
    for m in rows:
        m.unread = m.direction == Direction.IN and m.read_at is None
    unread = qs.filter(direction=Direction.IN, read_at__isnull=True).count() if rows else 0
    return render_to_string(
        "messaging/case/messages.html",
        {"case": case, "person_id": case.person_id, "last": rows, "unread": unread},
        request=request,
    )


def register():
    from willkommen.core import panels

    panels.register("cases.case", case_messages, order=ORDER)

"""The messaging room's section of the person view (slot ``clients.person``, core/panels.py): the last
messages of the conversation, unread messages from the client marked, a link to the thread; and the
action "Write a message" (slot ``clients.person.actions``). Only for staff who may read the person's
messages (visibility policy ``MESSAGES``), filtered in SQL. Showing them here does not mark them read:
that happens when the thread is opened."""

from django.template.loader import render_to_string

from willkommen.clients.visibility import Resource, may_read, visible, visible_persons

from .models import Direction, Message

ORDER = 30
LAST = 5


def _staff(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not may_read(user, Resource.MESSAGES):
        return None
    return user


def person_messages(request, person):
    user = _staff(request)
    if person is None or user is None:
        return ""
    rows = list(
        visible(
            Message.objects.filter(person=person, fallback_of__isnull=True),
            user,
            request.authority,
            Resource.MESSAGES,
        )
        .select_related("case")
        .order_by("-created_at", "-pk")[:LAST]
    )
    if not rows and not visible_persons(user, request.authority, Resource.MESSAGES).filter(pk=person.pk).exists():
        return ""  # a person outside the user's work: no section (an empty thread of one inside it shows)
    request._person_view_messages = person.pk
    for m in rows:
        m.unread = m.direction == Direction.IN and m.read_at is None
    return render_to_string(
        "messaging/person/messages.html",
        {"person": person, "last": rows, "unread": sum(m.unread for m in rows)},
        request=request,
    )


def person_actions(request, person):
    user = _staff(request)
    if person is None or user is None or not user.can("messaging.send"):
        return ""
    if getattr(request, "_person_view_messages", None) != person.pk:
        if not visible_persons(user, request.authority, Resource.MESSAGES).filter(pk=person.pk).exists():
            return ""
    return render_to_string("messaging/person/actions.html", {"person": person}, request=request)


def register():
    from willkommen.core import panels

    panels.register("clients.person", person_messages, order=ORDER)
    panels.register("clients.person.actions", person_actions, order=10)

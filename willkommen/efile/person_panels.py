"""The e-file's section of the person view (slot ``clients.person``, core/panels.py): the person's current
documents, newest first, each linked to the viewer; a link to the whole e-file. Only for staff who may
read the person's file (the ``file`` rule, ``permissions.visible_persons``), filtered in SQL."""

from django.template.loader import render_to_string

from .models import Document
from .permissions import may_read_files, visible_persons

ORDER = 20
MAX_DOCUMENTS = 10


def person_documents(request, person):
    user = getattr(request, "user", None)
    if person is None or user is None or not user.is_authenticated or not may_read_files(user):
        return ""
    rows = list(
        Document.objects.filter(
            authority=request.authority,
            person=person,
            is_current=True,
            person__in=visible_persons(user, request.authority).filter(pk=person.pk),
        )
        .select_related("case")
        .order_by("-uploaded_at", "-pk")[: MAX_DOCUMENTS + 1]
    )
    if not rows and not visible_persons(user, request.authority).filter(pk=person.pk).exists():
        return ""  # a person outside the user's work: no section (an empty file of one inside it shows)
    return render_to_string(
        "efile/person/documents.html",
        {"person": person, "documents": rows[:MAX_DOCUMENTS], "more": len(rows) > MAX_DOCUMENTS},
        request=request,
    )


def register():
    from willkommen.core import panels

    panels.register("clients.person", person_documents, order=ORDER)

"""'Open case' from a ServicePoint drop-off (the documents a client handed in at the counter, with its ticket):
the prefilled desk intake link and the link back (hook of the cases room, ``cases.intake.register_origin``)."""

from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

ORIGIN = "dropoff"


def open_case_url(drop_off):
    """``/desk/cases/new/`` prefilled from ``drop_off``: its person, way in ``servicepoint`` and the day the
    documents were handed in (the Anliegen is chosen at the desk: a drop-off names none)."""
    params = {
        "person": drop_off.person_id,
        "source": "servicepoint",
        "received_on": timezone.localdate(drop_off.received_at).isoformat(),
        "origin": f"{ORIGIN}:{drop_off.pk}",
    }
    return f"{reverse('cases:open')}?{urlencode(params)}"


def link(authority, actor, object_id, case):
    """Link the drop-off to the case just opened and file its documents (the e-file documents recorded for
    it) under the case, so they are on the case's timeline; the label names its ticket when there is one."""
    from willkommen.cases.intake import IntakeRefused
    from willkommen.efile.services import file_under_case

    from .models import DropOff

    with transaction.atomic():
        found = (
            DropOff.objects.select_for_update(of=("self",))
            .select_related("ticket")
            .filter(authority=authority, pk=object_id)
            .first()
        )
        if found is None:
            raise IntakeRefused(_("This drop-off does not exist."))
        if found.case_id and found.case_id != case.pk:
            raise IntakeRefused(_("This drop-off is already linked to another case."))
        if found.person_id != case.person_id:
            raise IntakeRefused(_("This drop-off belongs to another person."))
        found.case = case
        found.save(update_fields=["case"])
        ids = [item["document_id"] for item in found.items if item.get("document_id")]
        file_under_case(authority, case.person, ids, case)
    if found.ticket:
        return _("ServicePoint drop-off %(number)s (ticket %(ticket)s)") % {
            "number": found.pk,
            "ticket": found.ticket.code,
        }
    return _("ServicePoint drop-off %(number)s") % {"number": found.pk}

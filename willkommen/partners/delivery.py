"""Delivery of requests to other authorities: handing a request to its connector after the commit that
wrote it, and the daily reminders – each at most once per request (the claim is a conditional update).
Called by the jobs in ``tasks.py``."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.cases import services as cases

from . import connectors
from .models import AuthorityRequest, RequestStatus

log = logging.getLogger(__name__)


def send_due_reminders(on=None):
    """Every open request whose answer is due (on or before ``on``) gets one reminder – exactly once: the
    claim is a conditional update, so a retried or parallel run finds nothing left to claim. Returns the
    requests reminded."""
    on = on or timezone.localdate()
    due = AuthorityRequest.objects.filter(status=RequestStatus.OPEN, reminded_on__isnull=True, due_on__lte=on)
    reminded = []
    for request in due.select_related("case", "authority", "to_authority").order_by("due_on", "pk"):
        with transaction.atomic():
            claimed = AuthorityRequest.objects.filter(
                pk=request.pk, status=RequestStatus.OPEN, reminded_on__isnull=True
            ).update(reminded_on=on)
            if not claimed:
                continue
            cases.add_note(
                request.case,
                None,
                _("Reminder for request %(reference)s: the answer was due %(due)s.")
                % {"reference": request.reference, "due": request.due_on.isoformat()},
            )
        try:
            connectors.get(request.connector).remind(request)
        except Exception:  # the reminder did not leave: release the claim so the next run tries again
            log.exception("reminder for request %s failed", request.pk)
            AuthorityRequest.objects.filter(pk=request.pk).update(reminded_on=None)
            continue
        request.reminded_on = on
        reminded.append(request)
    return reminded


def dispatch(pk):
    """Hand the request to its connector, once (the claim is a conditional update)."""
    claimed = AuthorityRequest.objects.filter(pk=pk, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    if not claimed:
        return None
    request = AuthorityRequest.objects.select_related("case__person", "authority", "to_authority").get(pk=pk)
    try:
        detail, payload = connectors.get(request.connector).send(request)
    except Exception:
        AuthorityRequest.objects.filter(pk=pk).update(dispatched_at=None)  # the retry sends it
        raise
    AuthorityRequest.objects.filter(pk=pk).update(dispatch_detail=str(detail)[:300], payload=payload or {})
    return detail

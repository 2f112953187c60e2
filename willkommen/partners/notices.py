"""Group notices of the office to partner organisations (e.g. a change in the law to all counselling
services): staff with ``partners.notify`` (team leads, head of office) write one notice to all active
organisations of a kind; the organisations see it in their portal and get it by e-mail at their contact
address. Sending is written to the audit log.
"""

from django.contrib import messages
from django.core.mail import EmailMessage
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit.services import Action, record
from willkommen.core.desk import desk_view

from .models import PartnerNotice, PartnerOrganisation
from .portal_forms import NoticeForm


def send_notice(authority, *, kind, subject, body, actor):
    """Store the notice for every active organisation of ``kind`` and mail their contacts after commit."""
    with transaction.atomic():
        recipients = list(PartnerOrganisation.objects.filter(authority=authority, kind=kind, active=True))
        notice = PartnerNotice.objects.create(
            authority=authority, kind=kind, subject=subject, body=body, sent_by=actor, sent_at=timezone.now()
        )
        notice.recipients.set(recipients)
        record(
            authority=authority,
            action=Action.CREATE,
            obj=notice,
            actor=actor,
            purpose="partner group notice",
            detail=f"{kind}: {len(recipients)} organisations: {subject}"[:300],
        )
        addresses = [o.contact_email for o in recipients if o.contact_email]
        transaction.on_commit(lambda: _mail(authority, subject, body, addresses))
    return notice


def _mail(authority, subject, body, addresses):
    for address in addresses:  # one mail each: organisations do not see each other's addresses
        EmailMessage(subject=f"{authority.name}: {subject}", body=body, to=[address]).send(fail_silently=True)


def notices_for(organisation, limit=20):
    return PartnerNotice.objects.filter(authority_id=organisation.authority_id, recipients=organisation)[:limit]


@desk_view("partners.notify")
def notices(request):
    form = NoticeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            notice = send_notice(request.authority, **form.cleaned_data, actor=request.user)
            messages.success(
                request,
                _("The notice was sent to %(count)s organisations.") % {"count": notice.recipients.count()},
            )
            return redirect("partners:notices")
        status = 400
    rows = PartnerNotice.objects.filter(authority=request.authority).prefetch_related("recipients")[:50]
    return render(request, "partners/notices.html", {"form": form, "rows": rows}, status=status)

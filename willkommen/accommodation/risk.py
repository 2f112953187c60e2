"""People at risk in shared accommodation (issue 19 item 4). A risk flag is a special category of personal
data (Art. 9 GDPR): it is recorded only with its legal basis, seen only by those holding
``accommodation.risk`` (the accommodation role), and every read and change is audited. An open flag makes
the bed proposals prefer a room nobody else lives in (``allocation.fit``); the reason never leaves this room."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit.services import record

from .errors import AccommodationError, same_authority
from .models import RiskBasis, RiskCategory, RiskFlag


def flag(authority, person, *, category, basis, note="", actor=None, request=None):
    """Record an open flag; the same category again while open is refused (it is there already)."""
    same_authority(authority, person)
    if category not in RiskCategory.values or basis not in RiskBasis.values:
        raise ValueError("unknown category or basis")
    try:
        with transaction.atomic():
            created = RiskFlag.objects.create(
                authority=authority,
                person=person,
                category=category,
                basis=basis,
                note=note.strip()[:300],
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            record(
                authority=authority,
                action="create",
                person_id=person.pk,
                obj=created,
                actor=actor,
                request=request,
                purpose="accommodation: need for protection recorded",
                detail=f"{category}, basis {basis}",
            )
    except IntegrityError:
        raise AccommodationError(_("This need for protection is already recorded."), code="duplicate") from None
    return created


def end(authority, risk_flag, *, actor=None, request=None):
    """The need has ended: the flag stays in the history, no longer steering the proposals."""
    same_authority(authority, risk_flag)
    with transaction.atomic():
        updated = RiskFlag.objects.filter(authority=authority, pk=risk_flag.pk, ended_on__isnull=True).update(
            ended_on=timezone.localdate()
        )
        if updated:
            record(
                authority=authority,
                action="update",
                person_id=risk_flag.person_id,
                obj=risk_flag,
                actor=actor,
                request=request,
                purpose="accommodation: need for protection ended",
            )
    return bool(updated)

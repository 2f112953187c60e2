"""Recording reads and changes of client data; purging old entries."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import AuditEntry


def _actor_label(actor, request):
    if actor is not None and getattr(actor, "is_authenticated", False):
        return f"{actor.get_username()} ({getattr(actor, 'role', '')})"
    if request is not None:
        from willkommen.accounts.client_identity import current_identity

        identity = current_identity(request)
        if identity:
            return f"client via {identity.method}"
    return "system"


def record(*, authority, action, person_id=None, obj=None, actor=None, request=None, purpose="", detail=""):
    """Write one audit entry. ``actor`` defaults to the request's user."""
    if actor is None and request is not None and getattr(request.user, "is_authenticated", False):
        actor = request.user
    return AuditEntry.objects.create(
        authority=authority,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor, request)[:200],
        action=action,
        person_id=person_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        purpose=purpose[:200],
        detail=detail[:500],
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
        path=request.get_full_path()[:300] if request is not None else "",
    )


def purge(now=None, *, dry_run=False):
    """Delete entries older than AUDIT_RETENTION_DAYS. Returns the number (that would be) deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    old = AuditEntry.objects.filter(at__lt=cutoff)
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted

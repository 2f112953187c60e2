"""Recording reads and changes of client data; purging old entries."""

import contextvars
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from willkommen.core.ratelimit import client_ip

from .models import Action, AuditEntry

_requesters = []

# Where a staff member signed in through the authority's identity provider, the accounts room keeps the
# provider's name in the session under this key (``accounts/sso_views.py``); every entry that member writes
# in that session names it: "tom (team_lead) via Keycloak". The audit room reads only this one key.
SIGNED_IN_VIA_SESSION_KEY = "audit_signed_in_via"

# The request being answered (``RequestMiddleware``), for entries written without ``request=`` (a service
# called with ``actor=`` only) while a signed-in staff member's request is answered.
_current_request = contextvars.ContextVar("audit_current_request", default=None)


class RequestMiddleware:
    """Keeps the request at hand for :func:`record` while it is answered (after the authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def _signed_in_via(actor, request):
    """The identity provider ``actor`` signed in through in ``request``'s session, or ""."""
    request = request if request is not None else _current_request.get()
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if session is None or getattr(user, "pk", None) != actor.pk or not getattr(user, "is_authenticated", False):
        return ""
    via = session.get(SIGNED_IN_VIA_SESSION_KEY)
    return via if isinstance(via, str) else ""


def register_requester(describe):
    """Hook: ``describe(request)`` names who is behind a request without a signed-in staff member (e.g.
    ``client via magic_link``), or returns None. The accounts room registers its client identities in
    ``AccountsConfig.ready()`` (the audit room sits below it and imports no accounts)."""
    if describe not in _requesters:
        _requesters.append(describe)


def _actor_label(actor, request):
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = f"{actor.get_username()} ({getattr(actor, 'role', '')})"
        via = _signed_in_via(actor, request)
        return f"{label} via {via}" if via else label
    if request is not None:
        for describe in _requesters:
            label = describe(request)
            if label:
                return label
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
        ip_address=client_ip(request) if request is not None else None,
        path=request.get_full_path()[:300] if request is not None else "",
    )


def _person_id_of(obj):
    if obj._meta.label_lower == "clients.person":  # a reference by name: the audit room knows no clients room
        return obj.pk
    return getattr(obj, "person_id", None)


def record_read(request, *objects, purpose, detail="", action=Action.READ, person_id=None, authority=None):
    """The one way to log a read of client data shown to ``request``'s user: every page and API response
    that shows a person calls it once, with what it shows.

    One entry per object (a person, or any row with a ``person_id``; ``person_id`` overrides it, e.g. for
    an attachment whose person is its message's); a list page passes all its rows and gets them written
    in one query. Without objects a search still writes one entry (the query is kept in ``detail``); an
    empty list writes nothing. ``action`` is ``read``, ``download`` or ``search``; ``authority`` defaults to
    the request's."""
    authority = authority or request.authority
    if not objects:
        if action != Action.SEARCH and person_id is None:
            return []
        return [
            record(
                authority=authority,
                action=action,
                person_id=person_id,
                request=request,
                purpose=purpose,
                detail=detail,
            )
        ]
    first = record(
        authority=authority,
        action=action,
        person_id=person_id if person_id is not None else _person_id_of(objects[0]),
        obj=objects[0],
        request=request,
        purpose=purpose,
        detail=detail,
    )
    if len(objects) == 1:
        return [first]
    rest = [
        _entry_like(first, obj, person_id=person_id if person_id is not None else _person_id_of(obj))
        for obj in objects[1:]
    ]
    return [first, *AuditEntry.objects.bulk_create(rest)]


def _entry_like(first, obj, *, person_id, purpose=None):
    """An entry for ``obj`` written by the same request as ``first`` (actor, action, address, path, detail),
    for the bulk insert of a list's further rows."""
    return AuditEntry(
        authority_id=first.authority_id,
        actor_id=first.actor_id,
        actor_label=first.actor_label,
        action=first.action,
        person_id=person_id,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        purpose=first.purpose if purpose is None else purpose,
        detail=first.detail,
        ip_address=first.ip_address,
        path=first.path,
    )


def record_reads(request, pairs, *, detail="", action=Action.READ, authority=None):
    """Like :func:`record_read` for a list whose rows are shown each for its own purpose (e.g. each client
    under the consent they gave): ``pairs`` of (object, purpose), one entry each, written in two queries
    however many rows there are."""
    pairs = list(pairs)
    if not pairs:
        return []
    (obj, purpose), rest = pairs[0], pairs[1:]
    [first] = record_read(request, obj, purpose=purpose, detail=detail, action=action, authority=authority)
    entries = [_entry_like(first, obj, person_id=_person_id_of(obj), purpose=purpose[:200]) for obj, purpose in rest]
    return [first, *AuditEntry.objects.bulk_create(entries)]


def purge(now=None, *, dry_run=False):
    """Delete entries older than AUDIT_RETENTION_DAYS. Returns the number (that would be) deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    old = AuditEntry.objects.filter(at__lt=cutoff)
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted

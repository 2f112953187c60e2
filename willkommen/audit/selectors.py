from .models import AuditEntry


def entries(authority, *, person_id=None, actor=None, action=None, date_from=None, date_to=None):
    qs = AuditEntry.objects.filter(authority=authority)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def retention_runs(authority, *, room=None):
    from .models import RetentionRun

    qs = RetentionRun.objects.filter(authority=authority)
    return qs.filter(room=room) if room else qs

"""The audit room's share of data protection: its retention job (audit entries after
AUDIT_RETENTION_DAYS, retention-run records after RETENTION_RUNS_KEEP_DAYS) and what the Art. 15
copy shows of who read a person's file. The export is registered by the clients room (the audit
room knows no domain room); it gives time, action, purpose and the reader's role – the CJEU
(C-579/21, 22 June 2023) requires the dates and purposes of consultations, not the staff members'
names."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import retention
from .models import AuditEntry, RetentionRun, RunStatus


def apply_retention(authority, now, tally):
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    retention.delete_in_batches(AuditEntry.objects.filter(authority=authority, at__lt=cutoff), tally)
    runs_cutoff = now - timedelta(days=settings.RETENTION_RUNS_KEEP_DAYS)
    old_runs = RetentionRun.objects.filter(authority=authority, as_of__lt=runs_cutoff).exclude(status=RunStatus.RUNNING)
    retention.delete_in_batches(old_runs, tally)


JOB = retention.Job(
    room="audit",
    label=_("Audit log"),
    apply=apply_retention,
    order=80,
    periods=(
        retention.Period(
            "AUDIT_RETENTION_DAYS",
            "days",
            _("Entries of the audit log (who read or changed a client's data)"),
            _("6 months, as long as the Central Register of Foreigners (AZR) keeps its access logs."),
        ),
        retention.Period(
            "RETENTION_RUNS_KEEP_DAYS",
            "days",
            _("Records of retention runs (counts only, no personal data)"),
            _("Proof of deletion (GDPR Art. 5 (2)); 3 years, the regular limitation period (§ 195 BGB)."),
        ),
    ),
)


def register():
    retention.register(JOB)


def export(authority, person):
    """Who read or changed the person's data: time, action, object, purpose and the reader's role."""
    rows = []
    entries = AuditEntry.objects.filter(authority=authority, person_id=person.pk).select_related("actor")
    for entry in entries.order_by("at", "id").iterator(chunk_size=500):
        if entry.actor is not None:
            who = str(entry.actor.get_role_display() or _("staff of the authority"))
        elif entry.actor_label.startswith("client"):
            who = str(_("you (signed in as client)"))
        else:
            who = str(_("the system (automatic)"))
        rows.append(
            {
                "at": entry.at,
                "action": entry.action,
                "action_display": str(entry.get_action_display()),
                "who": who,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "purpose": entry.purpose,
                "detail": entry.detail,
            }
        )
    return {"audit_entries": rows}

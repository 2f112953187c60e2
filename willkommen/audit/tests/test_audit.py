import datetime as dt

from django.utils import timezone

from willkommen.audit import services
from willkommen.audit.models import AuditEntry
from willkommen.audit.tasks import purge_audit_log


def make_entry(authority, days_ago):
    entry = services.record(authority=authority, action="read", person_id=1, purpose="test")
    AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - dt.timedelta(days=days_ago))
    return entry


def test_purge_keeps_six_months(authority, settings):
    settings.AUDIT_RETENTION_DAYS = 183
    old = make_entry(authority, 200)
    recent = make_entry(authority, 10)
    assert services.purge(dry_run=True) == 1
    assert AuditEntry.objects.count() == 2
    assert services.purge() == 1
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_purge_job_runs_through_the_tasks_backend(authority, django_capture_on_commit_callbacks):
    make_entry(authority, 400)
    with django_capture_on_commit_callbacks(execute=True):
        result = purge_audit_log.enqueue()
    assert AuditEntry.objects.count() == 0
    refreshed = purge_audit_log.get_backend().get_result(result.id)
    assert refreshed.status.value == "SUCCESSFUL" and refreshed.return_value == 1


def test_audit_page_filters_and_is_scoped(client, authority, other_authority):
    from willkommen.core.testing import make_staff, verified_login

    services.record(authority=authority, action="read", person_id=7, purpose="mine")
    services.record(authority=other_authority, action="read", person_id=7, purpose="theirs")
    verified_login(client, make_staff(authority, "chief", role="head_of_office"))
    body = client.get("/desk/audit/?person=7").content.decode()
    assert "mine" in body and "theirs" not in body
    assert client.get("/desk/audit/?date_from=garbage").status_code == 400

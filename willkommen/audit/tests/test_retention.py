"""Retention runs: recorded per authority with counts per kind, failures recorded, periods documented in
settings.py, and the desk page for the authority's administrator (once per role)."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.accounts.roles import Role, capabilities
from willkommen.audit import retention
from willkommen.audit.models import AuditEntry, RetentionRun
from willkommen.audit.services import record
from willkommen.core.testing import make_staff, verified_login


def test_every_period_is_a_documented_setting():
    periods = [p.setting for job in retention.jobs() for p in job.periods]
    assert {
        "AUDIT_RETENTION_DAYS",
        "APPLICATION_DRAFT_RETENTION_DAYS",
        "APPOINTMENTS_RETENTION_DAYS",
        "MESSAGING_RETENTION_DAYS",
        "SERVICEPOINT_TICKET_RETENTION_DAYS",
        "PERSON_RETENTION_DAYS",
        "EFILE_RETENTION_YEARS_DEATH",
    } <= set(periods)
    assert retention.settings_documented() == []
    for job in retention.jobs():
        for period in job.periods:
            assert isinstance(period.value, int) and period.value > 0 and str(period.source)


def test_an_undocumented_setting_is_found(tmp_path):
    settings_file = tmp_path / "settings.py"
    settings_file.write_text("AUDIT_RETENTION_DAYS = 183\n")
    assert "AUDIT_RETENTION_DAYS" in retention.settings_documented(settings_file)


@pytest.mark.django_db
def test_audit_purge_is_recorded_per_authority(authority, other_authority, settings):
    settings.AUDIT_RETENTION_DAYS = 183
    record(authority=authority, action="read", person_id=1, purpose="a")
    record(authority=other_authority, action="read", person_id=1, purpose="b")
    runs = retention.run_job("audit", now=timezone.now() + dt.timedelta(days=182))
    assert [r.deleted for r in runs] == [{}, {}] and AuditEntry.objects.count() == 2
    runs = retention.run_job("audit", now=timezone.now() + dt.timedelta(days=184), authorities=[authority])
    assert [r.deleted for r in runs] == [{"audit.auditentry": 1}]
    assert list(AuditEntry.objects.values_list("purpose", flat=True)) == ["b"]
    stored = RetentionRun.objects.filter(authority=authority, room="audit").order_by("started_at", "id")
    assert [r.status for r in stored] == ["done", "done"] and stored.last().deleted == {"audit.auditentry": 1}


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_other_authorities_still_run(authority, other_authority):
    calls = []

    def apply(auth, now, tally):
        calls.append(auth.slug)
        if auth.slug == "alpha":
            raise RuntimeError("storage unreachable")

    retention.register(retention.Job(room="probe", label="probe", apply=apply))
    try:
        with pytest.raises(RuntimeError):
            retention.run_job("probe")
    finally:
        retention._jobs.pop("probe")
    assert calls == ["alpha", "beta"]
    failed = RetentionRun.objects.get(room="probe", authority=authority)
    assert failed.status == "failed" and "storage unreachable" in failed.error and failed.finished_at
    assert RetentionRun.objects.get(room="probe", authority=other_authority).status == "done"


@pytest.mark.django_db
def test_batches_count_cascades_per_kind(authority):
    from willkommen.clients.models import Person, PersonAlias
    from willkommen.clients.testing import make_client

    people = [make_client(authority, family_name=f"P{i}", email=f"p{i}@example.org") for i in range(5)]
    for p in people:
        PersonAlias.objects.create(authority=authority, person=p, family_name="Alias")
    run = RetentionRun.objects.create(
        authority=authority, room="probe", as_of=timezone.now(), started_at=timezone.now()
    )
    deleted = retention.delete_in_batches(
        Person.objects.filter(authority=authority), retention.Tally(run), batch_size=2
    )
    assert deleted == 5
    run.refresh_from_db()
    assert run.deleted == {"clients.person": 5, "clients.personalias": 5}


AUDIT_ROLES = {role for role in Role.values if "audit.view" in capabilities(role)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_retention_page_once_per_role(client, authority, other_authority, role):
    retention.run_job("audit", now=timezone.now())
    RetentionRun.objects.filter(authority=other_authority).update(deleted={"audit.auditentry": 777})
    RetentionRun.objects.filter(authority=authority).update(deleted={"audit.auditentry": 4321})
    verified_login(client, make_staff(authority, f"r-{role}", role=role))
    response = client.get("/a/alpha/desk/audit/retention/")
    if role not in AUDIT_ROLES:
        assert response.status_code in (403, 302)
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert "AUDIT_RETENTION_DAYS" in body and "PERSON_RETENTION_DAYS" in body
    assert "4321" in body and "777" not in body  # only this authority's runs
    assert client.get("/a/alpha/desk/audit/retention/?room=audit").status_code == 200
    assert client.get("/a/alpha/desk/audit/retention/?room=nonsense").status_code == 400


@pytest.mark.django_db
def test_admin_lists_runs_of_the_own_authority_read_only(client, authority, other_authority):
    retention.run_job("audit", now=timezone.now())
    admin = make_staff(authority, "admin-a", role="administrator", is_staff=True)
    verified_login(client, admin)
    response = client.get("/admin/audit/retentionrun/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    run = RetentionRun.objects.get(authority=authority)
    assert client.post(f"/admin/audit/retentionrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "room,periodic",
    [
        ("applications", "schedule_draft_cleanup"),
        ("appointments", "schedule_retention"),
        ("messaging", "schedule_retention"),
        ("servicepoint", "schedule_retention"),
        ("audit", "schedule_audit_purge"),
        ("efile", "schedule_retention"),
        ("clients", "schedule_retention"),
    ],
)
def test_every_job_is_a_huey_periodic_task(room, periodic, authority, django_capture_on_commit_callbacks):
    """The nightly schedule runs each room's job through the Tasks API, and the run is recorded."""
    import importlib

    from huey.api import PeriodicTask

    task = getattr(importlib.import_module(f"willkommen.{room}.tasks"), periodic)
    assert issubclass(task.task_class, PeriodicTask)
    with django_capture_on_commit_callbacks(execute=True):
        task.call_local()
    assert RetentionRun.objects.filter(room=room, authority=authority, status="done").exists()
    assert {job.room for job in retention.jobs()} == {
        "applications",
        "appointments",
        "messaging",
        "servicepoint",
        "audit",
        "efile",
        "clients",
    }

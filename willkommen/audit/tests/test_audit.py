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


def test_record_read_writes_one_entry_per_object_shown_in_one_query(
    rf, authority, caseworker, django_assert_num_queries
):
    from willkommen.clients.services import create_person

    people = [create_person(authority, family_name=f"Name{n}", date_of_birth=dt.date(1990, 1, n + 1)) for n in range(3)]
    request = rf.get("/desk/clients/?q=Name", REMOTE_ADDR="10.0.0.7")
    request.user, request.authority = caseworker, authority
    with django_assert_num_queries(2):  # the first entry, then the others in one insert
        entries = services.record_read(request, *people, action="search", purpose="person search", detail="Name")
    assert len(entries) == 3
    rows = AuditEntry.objects.order_by("id")
    assert [e.person_id for e in rows] == [p.pk for p in people]
    assert {(e.action, e.actor_id, e.ip_address, e.path, e.detail) for e in rows} == {
        ("search", caseworker.pk, "10.0.0.7", "/desk/clients/?q=Name", "Name")
    }
    assert {e.object_type for e in rows} == {"clients.person"}


def test_record_read_keeps_a_search_without_results_and_skips_an_empty_list(rf, authority, caseworker):
    request = rf.get("/desk/efile/?q=nobody")
    request.user, request.authority = caseworker, authority
    services.record_read(request, action="search", purpose="file search", detail="nobody")
    services.record_read(request, purpose="work queue")  # an empty list shows nobody
    assert list(AuditEntry.objects.values_list("action", "person_id", "detail")) == [("search", None, "nobody")]


def test_record_read_takes_the_person_of_an_object_or_the_one_given(rf, authority, caseworker):
    from willkommen.clients.services import create_person

    person = create_person(authority, family_name="Haddad", date_of_birth=dt.date(1990, 1, 1))
    request = rf.get("/desk/x/")
    request.user, request.authority = caseworker, authority
    services.record_read(request, person, purpose="p")
    entry = services.record_read(request, caseworker, person_id=person.pk, action="download", purpose="a")[0]
    assert entry.person_id == person.pk and entry.action == "download"
    assert AuditEntry.objects.filter(person_id=person.pk).count() == 2

def test_demo_load_is_idempotent(authority, team, caseworker, outbox, settings, tmp_path):
    from willkommen.cases import demo
    from willkommen.cases.models import Case
    from willkommen.cases.workflow import Status
    from willkommen.clients.models import ResidenceEntry

    from .conftest import make_anliegen, make_person

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    make_anliegen(authority, "studium")
    make_anliegen(authority, "familiennachzug", complexity="complex", not_beyond_sponsor=True)
    make_anliegen(authority, "duldung", legal_basis="§ 60a Abs. 4 AufenthG", residence_kind="duldung")
    for i in range(len(demo.PLAN)):
        make_person(authority, f"Demo{i}")
    demo.load(authority)
    first = set(Case.objects.filter(authority=authority).values_list("number", "status"))
    assert len(first) == len(demo.PLAN) and (first & {(n, Status.DOCUMENTS_REQUESTED) for n, _s in first})
    entries = set(ResidenceEntry.objects.filter(authority=authority).values_list("kind", "source", "verified"))
    assert {("duldung", "decision", True), ("fiction", "certificate", True), ("title", "declared", False)} <= entries
    count = ResidenceEntry.objects.filter(authority=authority).count()
    expiring = Case.objects.get(authority=authority, residence_entries__source="declared")
    assert expiring.permit_expires_on is not None
    demo.load(authority)
    assert set(Case.objects.filter(authority=authority).values_list("number", "status")) == first
    assert ResidenceEntry.objects.filter(authority=authority).count() == count

def test_demo_load_is_idempotent(authority, team, caseworker, outbox):
    from willkommen.cases import demo
    from willkommen.cases.models import Case
    from willkommen.cases.workflow import Status

    from .conftest import make_anliegen, make_person

    make_anliegen(authority, "studium")
    make_anliegen(authority, "familiennachzug", complexity="complex")
    for i in range(4):
        make_person(authority, f"Demo{i}")
    demo.load(authority)
    first = set(Case.objects.filter(authority=authority).values_list("number", "status"))
    assert len(first) == 4 and (first & {(n, Status.DOCUMENTS_REQUESTED) for n, _s in first})
    demo.load(authority)
    assert set(Case.objects.filter(authority=authority).values_list("number", "status")) == first

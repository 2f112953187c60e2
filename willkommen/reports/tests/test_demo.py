import datetime as dt

from willkommen.cases.models import Case
from willkommen.cases.selectors import casework_figures
from willkommen.catalogue.testing import make_anliegen
from willkommen.clients.testing import make_client
from willkommen.core.testing import make_staff
from willkommen.reports import demo


def test_demo_history_is_idempotent_and_shows_figures(authority, team, caseworker):
    make_anliegen(authority, "studium")
    make_anliegen(authority, "fachkraft", complexity="complex")
    make_staff(authority, "lena", role="team_lead", teams=[team])
    for i in range(4):
        make_client(authority, family_name=f"Demo{i}", email=f"demo{i}@example.org")
    demo.load(authority)
    count = Case.objects.filter(authority=authority).count()
    demo.load(authority)
    assert Case.objects.filter(authority=authority).count() == count == 48
    head = make_staff(authority, "hanna", role="head_of_office")
    today = dt.date.today()
    result = casework_figures(head, authority, today - dt.timedelta(days=200), today)
    assert result["flow"]["in"] == 48 and result["processing"]["overall"]["n"] > 20
    assert result["four_eyes"]["needing"] > 0 and result["processing"]["by_class"].keys() == {"simple", "complex"}

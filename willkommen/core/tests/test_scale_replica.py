"""The read replica, for real: a streaming standby of the test PostgreSQL made with ``pg_basebackup -R`` on
another port (willkommen/core/scale/replica.py). Heavy reads go to it, everything else to the primary; a
browser that just wrote reads its own writes; a replica that lags too far is not used.

Replay on the replica is paused to make it lag on purpose: the primary has a row the replica has not."""

import csv
import datetime as dt
import io
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from willkommen.core import replica as router
from willkommen.core.scale.processes import free_port
from willkommen.core.testing import make_location, make_staff, verified_login

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:Overriding setting DATABASES"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

PORTS = range(55433, 55440)


def _port():
    import socket

    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return free_port()


@pytest.fixture(scope="session")
def replica_cluster(django_db_setup, django_db_blocker):
    """The standby, and the database alias ``replica`` pointing at it (registered before the tests' database
    set-up, so that they may use it; a mirror in Django's terms, so it is never flushed)."""
    from willkommen.core.scale.replica import ReplicaCluster, Unavailable, primary_params

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    cluster = ReplicaCluster(primary_params(connection.settings_dict), _port())
    try:
        cluster.start()
    except Unavailable as exc:
        pytest.skip(f"this machine cannot run a PostgreSQL replica: {exc}")
    config = {**connections.settings["default"], "HOST": "127.0.0.1", "PORT": cluster.port}
    config["TEST"] = {**config["TEST"], "MIRROR": "default"}
    connections.settings["replica"] = config
    cluster.config = config
    yield cluster
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]
    cluster.stop()


@pytest.fixture
def replica(replica_cluster, settings):
    settings.DATABASES = {**settings.DATABASES, "replica": replica_cluster.config}
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0  # measure the lag at every heavy read
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3600
    router.forget_health()
    yield replica_cluster
    replica_cluster.resume_replay()
    router.forget_health()


def open_location(authority):
    from willkommen.tenancy.models import OpeningHours

    location = make_location(authority, "Hauptstelle", cap=100)
    OpeningHours.objects.filter(location=location).delete()
    for weekday in range(7):
        OpeningHours.objects.create(
            authority=authority, location=location, weekday=weekday, opens=dt.time(0), closes=dt.time(23, 59, 59)
        )
    return location


def add_ticket(location, number):
    from willkommen.servicepoint.models import Ticket

    now = timezone.now()
    return Ticket.objects.create(
        authority=location.authority,
        location=location,
        day=timezone.localdate(),
        number=number,
        category="quick_info",
        status="done",
        outcome="solved",
        issued_at=now,
        queued_at=now,
    )


def unpin():
    """The test process itself wrote (fixtures): forget that, as a new request would."""
    router._pin.set(None)


def visits_in_export(client):
    response = client.get(reverse("reports:servicepoint_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return sum(int(row[1]) for row in rows[1:])


def test_heavy_reads_go_to_the_replica_everything_else_to_the_primary(replica, authority):
    from willkommen.servicepoint.models import Ticket
    from willkommen.servicepoint.selectors import visit_rows

    location = open_location(authority)
    for number in range(1, 4):
        add_ticket(location, number)
    replica.wait_caught_up()
    replica.pause_replay()
    add_ticket(location, 4)  # on the primary only, for now
    unpin()
    today = timezone.localdate()

    assert len(visit_rows(authority, today, today)) == 3  # heavy read: the (lagging) replica
    assert Ticket.objects.filter(authority=authority).count() == 4  # any other read: the primary
    with transaction.atomic():
        assert len(visit_rows(authority, today, today)) == 4  # inside a transaction: the primary
    add_ticket(location, 5)  # this thread wrote: its heavy reads stay on the primary for a while
    assert len(visit_rows(authority, today, today)) == 5
    unpin()
    assert len(visit_rows(authority, today, today)) == 3

    replica.resume_replay()
    replica.wait_caught_up()
    assert len(visit_rows(authority, today, today)) == 5

    # A replica that does not answer is not used: heavy reads fall back to the primary, no error.
    add_ticket(location, 6)
    unpin()
    connections["replica"].close()
    connections["replica"].settings_dict["PORT"] = free_port()  # nobody listens there
    router.forget_health()
    try:
        assert len(visit_rows(authority, today, today)) == 6
        with router.heavy_reads():
            assert router.read_alias() == "default"
    finally:
        connections["replica"].close()
        connections["replica"].settings_dict["PORT"] = replica.port


def test_the_figures_of_every_report_come_from_the_replica(replica, authority, team):
    """Casework, appointment, voice, renewal and rights-check figures are heavy reads (issue 20)."""
    from willkommen.appointments.figures import renewal_figures
    from willkommen.appointments.selectors import appointment_figures
    from willkommen.cases.opening import open_case
    from willkommen.cases.selectors import casework_figures
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.clients.testing import make_client
    from willkommen.contact import feedback
    from willkommen.contact.selectors import voice_figures
    from willkommen.rights.selectors import invitation_figures

    head = make_staff(authority, "hanna", role="head_of_office")
    anliegen = make_anliegen(authority)
    for n in range(2):
        open_case(authority, person=make_client(authority, family_name=f"Replica{n}"), anliegen=anliegen, team=team)
    feedback.give_feedback(authority, kind="complaint", category="waiting", text="Long wait.")
    replica.wait_caught_up()
    replica.pause_replay()
    open_case(authority, person=make_client(authority, family_name="Late"), anliegen=anliegen, team=team)
    feedback.give_feedback(authority, kind="complaint", category="waiting", text="Again.")
    unpin()
    today = timezone.localdate()
    seen = []
    original = router.read_alias

    def recorded():
        seen.append(original())
        return seen[-1]

    router.read_alias, restore = recorded, original
    try:
        assert casework_figures(head, authority, today, today)["flow"]["in"] == 2  # the lagging replica
        assert voice_figures(authority, today, today)["feedback"] == 1
        appointment_figures(authority, today, today)
        renewal_figures(authority, today, today)
        invitation_figures(authority, today, today)
    finally:
        router.read_alias = restore
    assert seen and set(seen) == {"replica"}
    with transaction.atomic():  # inside a transaction: the primary
        assert casework_figures(head, authority, today, today)["flow"]["in"] == 3


def test_lag_read_your_own_writes_and_fallback_to_the_primary(replica, authority, settings, client, monkeypatch):
    from django.test import Client

    from willkommen.servicepoint import opening
    from willkommen.servicepoint.services import station_for

    monkeypatch.setattr(opening, "public_holidays", lambda authority, start, end: {})
    location = open_location(authority)
    station = station_for(location)
    for number in range(101, 104):  # the kiosk counts from 1
        add_ticket(location, number)
    browser = verified_login(client, make_staff(authority, "lena", role="team_lead"))
    other = verified_login(Client(), make_staff(authority, "otto", role="team_lead"))
    replica.wait_caught_up()
    unpin()
    assert visits_in_export(browser) == visits_in_export(other) == 3

    replica.pause_replay()
    # The browser writes: a ticket from the kiosk (a public form) ...
    response = browser.post(reverse("servicepoint:kiosk_ticket", args=[station.kiosk_key]), {"category": "forms"})
    assert response.status_code == 302
    assert router.COOKIE in response.cookies
    # ... and reads its own write at once, from the primary, though the replica lags.
    assert visits_in_export(browser) == 4
    # Another browser's heavy read comes from the lagging replica and does not see it yet.
    assert visits_in_export(other) == 3
    # The pin lasts DATABASE_REPLICA_PIN_SECONDS: afterwards the browser is back on the replica.
    browser.cookies[router.COOKIE] = f"{time.time() - 1:.1f}"
    assert visits_in_export(browser) == 3
    # A forged pin far in the future is cut to DATABASE_REPLICA_PIN_SECONDS (still only a short pin).
    browser.cookies[router.COOKIE] = f"{time.time() + 10**9:.1f}"
    assert visits_in_export(browser) == 4

    # The lag case: a replica further behind than DATABASE_REPLICA_MAX_LAG_SECONDS is not used.
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0.5
    deadline = time.monotonic() + 30
    while (router.replica_lag() or 0) <= 0.5 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert router.replica_lag() > 0.5
    assert visits_in_export(other) == 4

    # Caught up again: the replica serves the heavy reads, now with the new ticket.
    replica.resume_replay()
    replica.wait_caught_up()
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 3600
    assert router.read_alias() == "default"  # outside heavy_reads()
    with router.heavy_reads():
        assert router.read_alias() == "replica"
    assert visits_in_export(other) == 4

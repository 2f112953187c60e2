"""The monthly screening over the demo authorities: the demo persons who qualify come out likely with their
reasons, the one with a missing fact as needs data, the one with identity deception as unlikely; one check
per person per run, kept, and a change is visible in the next run."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.clients.models import Person
from willkommen.rights import demo, selectors, services, tasks
from willkommen.rights.models import Check, CheckOutcome, ScreeningRun
from willkommen.tenancy import demo as tenancy_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_authorities():
    authorities = tenancy_demo.create_authorities()
    for authority in authorities:
        demo.load(authority)
    return authorities


def outcome(authority, family, key, on=None):
    run = ScreeningRun.objects.get(authority=authority, on=on or timezone.localdate())
    return CheckOutcome.objects.get(check_run__run=run, check_run__person__family_name=family, rule_key=key)


def test_the_demo_screening_finds_the_candidates_of_each_demo_authority(demo_authorities):
    for authority in demo_authorities:
        amal = outcome(authority, "Yousef", "25a")
        assert amal.result == "likely"
        assert {"duldung_12_months", "stay_3_years", "schooling_or_qualification"} <= set(amal.met)
        assert outcome(authority, "Tesfaye", "25b").result == "likely"
        assert outcome(authority, "Tesfaye", "60d").result == "likely"
        samira = outcome(authority, "Karimi", "25b")  # a § 104c holder: still a § 25b candidate
        assert samira.result == "likely"
        assert outcome(authority, "Karimi", "104c").unmet[0] in ("applications_open", "status_duldung")
        ilir = outcome(authority, "Berisha", "25b")
        assert (ilir.result, ilir.missing) == ("needs_data", ["german_a2"])
        jamal = Check.objects.get(run__authority=authority, person__family_name="Nouri")
        assert jamal.best == "unlikely"
        assert "no_obstruction_of_removal" in outcome(authority, "Nouri", "25b").unmet


def test_the_monthly_job_writes_one_check_per_person_per_run_and_keeps_them(demo_authorities):
    bergstadt = demo_authorities[0]
    today = timezone.localdate()
    assert Check.objects.filter(run__authority=bergstadt, run__on=today).count() == 5
    services.screen(bergstadt, today)  # a retried run adds nothing
    assert Check.objects.filter(run__authority=bergstadt, run__on=today).count() == 5
    next_month = today + dt.timedelta(days=31)
    ilir = Person.objects.get(authority=bergstadt, family_name="Berisha")
    services.record_fact(
        bergstadt, None, ilir, kind="german_level", value="A2", source="document", established_on=today
    )
    runs = [run.pk for run in services.screen_all(next_month)]
    later = ScreeningRun.objects.get(authority=bergstadt, on=next_month)
    assert later.pk in runs and later.persons == 5 and later.finished_at is not None
    assert Check.objects.filter(person=ilir).count() == 2  # kept
    assert outcome(bergstadt, "Berisha", "25b", next_month).result == "likely"
    changed = dict(Check.objects.filter(run=later).values_list("person__family_name", "changed"))
    assert changed["Berisha"] is True
    assert changed["Nouri"] is False


def test_only_tolerated_persons_and_104c_holders_are_screened(demo_authorities):
    bergstadt = demo_authorities[0]
    screened = set(services.screened_persons(bergstadt, timezone.localdate()).values_list("family_name", flat=True))
    assert screened == {"Yousef", "Tesfaye", "Karimi", "Berisha", "Nouri"}


def test_the_periodic_job_enqueues_the_monthly_screening():
    assert tasks.screen_month.priority < 0  # bulk: after the mail
    assert tasks.schedule_screening.task_class().validate_datetime(dt.datetime(2026, 4, 1, 2, 20))
    assert not tasks.schedule_screening.task_class().validate_datetime(dt.datetime(2026, 4, 2, 2, 20))


def test_the_job_screens_every_authority(demo_authorities):
    runs = tasks.screen_month.func()
    assert len(runs) == len(demo_authorities)
    assert selectors.latest_run(demo_authorities[1]).on == timezone.localdate()

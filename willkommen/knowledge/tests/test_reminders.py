"""Training reminders by e-mail: one when a mandatory course becomes due within 30 days, one more when it
is overdue, never twice, in the staff member's language; a retake or a voluntary course sends nothing."""

import datetime as dt

import pytest
from django.core import mail

from willkommen.core.testing import make_staff
from willkommen.knowledge import learning, reminders, tasks
from willkommen.knowledge.models import ReminderKind, TrainingReminder

pytestmark = pytest.mark.django_db


def course(authority, user, completed_on, name="Datenschutz", **extra):
    extra.setdefault("mandatory", True)
    extra.setdefault("renew_months", 12)
    return learning.save_training(authority, None, staff_member=user, course=name, completed_on=completed_on, **extra)


def test_one_mail_when_due_and_one_when_overdue(authority):
    anna = make_staff(authority, "anna", email="anna@example.org")
    record = course(authority, anna, dt.date(2025, 12, 20))  # due 2026-12-20
    course(authority, anna, dt.date(2025, 1, 1), name="Erste Hilfe", mandatory=False, renew_months=None)
    mail.outbox.clear()
    assert reminders.send_training_reminders(today=dt.date(2026, 11, 1)) == 0  # not yet within 30 days
    assert reminders.send_training_reminders(today=dt.date(2026, 11, 25)) == 1
    assert reminders.send_training_reminders(today=dt.date(2026, 11, 26)) == 0  # idempotent
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    assert "Datenschutz" in mail.outbox[0].subject and "20.12.2026" in mail.outbox[0].body
    assert reminders.send_training_reminders(today=dt.date(2026, 12, 21)) == 1
    assert reminders.send_training_reminders(today=dt.date(2027, 1, 21)) == 0
    assert len(mail.outbox) == 2
    assert set(TrainingReminder.objects.filter(record=record).values_list("kind", flat=True)) == {
        ReminderKind.DUE_SOON,
        ReminderKind.OVERDUE,
    }
    # German is the default language (no language of hers the platform offers)
    assert mail.outbox[1].subject.startswith("Pflichtfortbildung überfällig")


def test_mail_in_the_staff_members_language_and_retake_clears(authority):
    omar = make_staff(authority, "omar", email="omar@example.org", languages=["ku", "en", "de"])
    course(authority, omar, dt.date(2025, 12, 1))
    course(authority, make_staff(authority, "nomail"), dt.date(2025, 12, 1))  # no address: nothing sent
    gone = make_staff(authority, "gone", email="gone@example.org", is_active=False)
    course(authority, gone, dt.date(2025, 12, 1))
    retaken = make_staff(authority, "retaken", email="r@example.org")
    course(authority, retaken, dt.date(2025, 12, 1))
    course(authority, retaken, dt.date(2026, 11, 30))
    mail.outbox.clear()
    assert reminders.send_training_reminders(today=dt.date(2026, 11, 20)) == 1
    assert mail.outbox[0].to == ["omar@example.org"]
    assert mail.outbox[0].subject.startswith("Mandatory training due")
    assert reminders.language_of(omar) == "en"


def test_a_failed_send_is_not_recorded(authority, monkeypatch):
    anna = make_staff(authority, "anna", email="anna@example.org")
    course(authority, anna, dt.date(2025, 12, 1))

    def broken(self, *args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    assert reminders.send_training_reminders(today=dt.date(2026, 11, 20)) == 0
    assert not TrainingReminder.objects.exists()
    monkeypatch.undo()
    mail.outbox.clear()
    # the periodic job runs the same body (today: the course is overdue since 2026-12-01)
    assert tasks.send_training_reminders.call_local() == 1
    assert tasks.send_training_reminders.call_local() == 0
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]

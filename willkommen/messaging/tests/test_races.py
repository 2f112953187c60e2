import threading

import pytest
from django.db import connection

from willkommen.messaging import services
from willkommen.messaging.models import Channel, Direction, Message, Status

from .conftest import make_person


@pytest.mark.postgres
def test_two_workers_delivering_the_same_message_send_it_once(transactional_db, authority, gateway):
    person = make_person(authority, preferred_channel="sms", phone="+49 151 3333333")
    message = Message.objects.create(
        authority=authority, person=person, direction=Direction.OUT, channel=Channel.SMS, subject="S", body="B"
    )
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            services.deliver(message.pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1
    assert len(gateway.delivered) == 1 and message.delivery_attempts.count() == 1


@pytest.mark.postgres
def test_two_administrators_saving_the_same_text_at_once_get_two_versions(transactional_db, authority):
    from willkommen.messaging import texts

    barrier = threading.Barrier(4)
    errors, saved = [], []

    def worker(n):
        try:
            barrier.wait()
            saved.append(
                texts.save_version(
                    authority, "reminder", "de", subject="T", body=f"Version {n}: {{date}} {{time}} {{place}}"
                ).version
            )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(saved) == [1, 2, 3, 4]

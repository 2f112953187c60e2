"""Messaging jobs: delivery after commit, retries with backoff, fetching mail by IMAP."""

from django.conf import settings
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import inbound, services


@task()
def deliver_message(message_id):
    return services.deliver(message_id).status


@task()
def notify_interpreter(booking_id):
    services.notify_interpreter(booking_id)


@db_periodic_task(crontab(minute="*"))
def retry_due_messages():
    return services.retry_due()


@db_periodic_task(crontab(minute="*/5"))
def fetch_incoming_mail():
    if getattr(settings, "MESSAGING_IMAP_HOST", ""):
        return inbound.fetch_imap()
    return 0

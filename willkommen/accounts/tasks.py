"""Account jobs: the login records of django-axes (who signed in or failed, from which address) are
personal data and are kept as long as the audit log (AUDIT_RETENTION_DAYS), then deleted daily; used and
expired sign-in links of clients are deleted daily too."""

from django.conf import settings
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import sign_in_links


@task()
def purge_login_records():
    from axes.handlers.proxy import AxesProxyHandler

    age = settings.AUDIT_RETENTION_DAYS
    return AxesProxyHandler.reset_logs(age_days=age) + AxesProxyHandler.reset_failure_logs(age_days=age)


@db_periodic_task(crontab(hour="3", minute="25"))
def schedule_login_record_purge():
    purge_login_records.enqueue()


@task()
def purge_sign_in_links():
    return sign_in_links.purge()


@db_periodic_task(crontab(hour="3", minute="35"))
def schedule_sign_in_link_purge():
    purge_sign_in_links.enqueue()

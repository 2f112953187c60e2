from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from willkommen.tenancy.models import Authority


class Action(models.TextChoices):
    READ = "read", _("read")
    DOWNLOAD = "download", _("download")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    MERGE = "merge", _("merge")
    EXPORT = "export", _("export")
    SEARCH = "search", _("search")


class AuditEntry(models.Model):
    """Who read or changed which client's data, when, from where and why. Kept AUDIT_RETENTION_DAYS."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(_("who"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    person_id = models.BigIntegerField(_("person"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=50, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["authority", "person_id", "at"]),
            models.Index(fields=["authority", "at"]),
            models.Index(fields=["authority", "actor", "at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class RetentionRun(models.Model):
    """One run of one room's retention job for one authority: when, as of which moment, and how many rows
    of each kind it deleted (never what they contained). Kept RETENTION_RUNS_KEEP_DAYS as proof of deletion."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE)
    room = models.CharField(pgettext_lazy("part of the software", "room"), max_length=40)
    as_of = models.DateTimeField(_("periods measured from"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    deleted = models.JSONField(_("rows deleted per kind"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["authority", "started_at"]),
            models.Index(fields=["authority", "room", "started_at"]),
        ]

    def __str__(self):
        return f"{self.room} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def total_deleted(self):
        return sum(self.deleted.values())

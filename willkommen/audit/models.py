from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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

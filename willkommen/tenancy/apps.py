from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "willkommen.tenancy"
    label = "tenancy"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Authority
        from .selectors import forget_authorities

        post_save.connect(forget_authorities, sender=Authority, dispatch_uid="tenancy-forget-authorities")
        post_delete.connect(forget_authorities, sender=Authority, dispatch_uid="tenancy-forget-authorities-delete")

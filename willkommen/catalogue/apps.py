from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "willkommen.catalogue"
    label = "catalogue"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from willkommen.audit.office_views import register_link

        register_link(_("Routing rules"), "catalogue:routing", "office.setup", order=40)

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "willkommen.catalogue"
    label = "catalogue"

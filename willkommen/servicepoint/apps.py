from django.apps import AppConfig


class ServicepointConfig(AppConfig):
    name = "willkommen.servicepoint"
    label = "servicepoint"

from django.apps import AppConfig


class ServicepointConfig(AppConfig):
    name = "willkommen.servicepoint"
    label = "servicepoint"

    def ready(self):
        from .sms import register_channel

        register_channel()  # the ticket SMS in the messaging room's channel registry

from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "willkommen.appointments"
    label = "appointments"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)

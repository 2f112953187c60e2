from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "willkommen.appointments"
    label = "appointments"

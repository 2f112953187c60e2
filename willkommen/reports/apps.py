from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "willkommen.reports"
    label = "reports"

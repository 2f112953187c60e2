from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "willkommen.cases"
    label = "cases"

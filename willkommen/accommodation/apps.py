from django.apps import AppConfig


class AccommodationConfig(AppConfig):
    name = "willkommen.accommodation"
    label = "accommodation"

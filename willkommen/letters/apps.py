from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "willkommen.letters"
    label = "letters"

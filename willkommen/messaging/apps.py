from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "willkommen.messaging"
    label = "messaging"

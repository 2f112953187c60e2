from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "willkommen.accounts"
    label = "accounts"

from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "willkommen.contact"
    label = "contact"

    def ready(self):
        from . import privacy

        privacy.register()  # survey invitations and answers in the Art. 15 copy and in erasure

from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "willkommen.clients"
    label = "clients"

    def ready(self):
        from . import privacy

        privacy.register()  # the person, audit and letters in the Art. 15 copy; the retention job for persons
        from . import audit_objects

        audit_objects.register()  # how the audit log names this room's objects

        from willkommen.accounts.client_sso import register_person_matcher

        from .selectors import person_matching_verified

        register_person_matcher(person_matching_verified)  # a trusted sign-in (eID) finds the person's record

from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "willkommen.applications"
    label = "applications"

    def ready(self):
        # Registers the "case_code" way in (case number + access code) in the client identity registry.
        from willkommen.accounts.client_identity import register_session_key

        from . import identity, privacy

        # Drafts and receipts this browser may open end with the client's sign-out.
        register_session_key(identity.SESSION_APPS)
        from willkommen.catalogue import next_steps

        from . import next_step

        next_steps.register(next_step.offer)  # the checklist result links to applying online
        privacy.register()  # applications and drafts in the Art. 15 copy and in erasure; draft retention

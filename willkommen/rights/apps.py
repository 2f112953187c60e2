from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "willkommen.rights"
    label = "rights"

    def ready(self):
        # The person's rows of this room in the Art. 15 copy and in erasure (clients/personal_data.py).
        from willkommen.cases import opening

        from . import privacy, services

        privacy.register()
        from . import person_panels

        person_panels.register()  # the invitations to apply on the person view (clients.person)

        from . import audit_objects

        audit_objects.register()  # how the audit log names this room's objects
        # The application an invitation asked for, when it opens a case, is linked to the invitation.
        # It goes to the team of the check that invited (before the routing rules), and is linked to the invitation.
        opening.register_router(services.route_application)
        opening.register_opened(services.link_application)

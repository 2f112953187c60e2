from django.apps import AppConfig


class ServicepointConfig(AppConfig):
    name = "willkommen.servicepoint"
    label = "servicepoint"

    def ready(self):
        from willkommen.cases import intake

        from . import case_intake, privacy
        from .sms import register_channel

        register_channel()  # the ticket SMS in the messaging room's channel registry
        intake.register_origin(case_intake.ORIGIN, case_intake.link)  # "Open case" from a drop-off links it
        intake.register_origin(case_intake.TICKET_ORIGIN, case_intake.link_ticket)  # ... from a walk-in ticket
        privacy.register()  # drop-offs and tickets in the Art. 15 copy; ticket retention
        from . import person_panels

        person_panels.register()  # tickets and drop-offs on the person view (clients.person)

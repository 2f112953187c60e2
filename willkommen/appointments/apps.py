from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "willkommen.appointments"
    label = "appointments"

    def ready(self):
        from willkommen.cases import intake
        from willkommen.catalogue import next_steps

        from . import case_intake, next_step, panels, privacy, signals  # noqa: F401 (signals connects the receivers)

        next_steps.register(next_step.offer)  # the checklist result links to booking
        panels.register()  # "Invite to an appointment" on the case and person pages
        intake.register_origin(case_intake.ORIGIN, case_intake.link)  # "Open case" from a booking links it
        privacy.register()  # bookings in the Art. 15 copy and in erasure; booking retention
        from . import audit_objects

        audit_objects.register()  # how the audit log names this room's objects
        from . import survey

        survey.register()  # attended appointments invite to the contact room's satisfaction survey

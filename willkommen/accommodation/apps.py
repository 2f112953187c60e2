from django.apps import AppConfig


def _active_accommodations(authority):
    from .selectors import accommodations

    return accommodations(authority, active_only=True)


class AccommodationConfig(AppConfig):
    name = "willkommen.accommodation"
    label = "accommodation"

    def ready(self):
        # The hooks of lower rooms (docs/architecture.md, "Hooks"): notices to all residents of a house.
        from willkommen.messaging import recipients

        from .selectors import residents_group

        recipients.register("accommodation", residents_group, choices=_active_accommodations)
        from . import privacy

        privacy.register()  # placements in the Art. 15 copy and in erasure
        from . import person_panels

        person_panels.register()  # placements on the person view (clients.person)

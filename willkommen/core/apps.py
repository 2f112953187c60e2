from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "willkommen.core"
    label = "core"

    def ready(self):
        from huey.contrib.djhuey import HUEY

        from . import choices, recycle

        choices.install()  # get_<field>_display without rebuilding the choices per call (core/choices.py)
        recycle.install(HUEY)  # consumers restart after HUEY_RECYCLE_JOBS jobs or HUEY_RECYCLE_MB (core/recycle.py)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "willkommen.core"
    label = "core"

    def ready(self):
        from huey.contrib.djhuey import HUEY

        from . import recycle

        recycle.install(HUEY)  # consumers restart after HUEY_RECYCLE_JOBS jobs or HUEY_RECYCLE_MB (core/recycle.py)

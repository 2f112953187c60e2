from django.apps import AppConfig


def file_letter(authority, person, content, *, file_name, case, title, text):
    """The letters room's filer: every letter it produces becomes a document of the person's file."""
    from .services import add_generated_document

    document = add_generated_document(
        authority, person, content, file_name=file_name, document_type="letter", case=case, title=title, text=text
    )
    return document.pk


class EfileConfig(AppConfig):
    name = "willkommen.efile"
    label = "efile"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from willkommen.clients.models import Person, PersonAlias
        from willkommen.letters.services import register_filer

        from . import privacy, signals

        post_save.connect(signals.person_changed, sender=Person, dispatch_uid="efile-search-person")
        post_save.connect(signals.alias_changed, sender=PersonAlias, dispatch_uid="efile-search-alias-saved")
        post_delete.connect(signals.alias_changed, sender=PersonAlias, dispatch_uid="efile-search-alias-deleted")
        # The hooks of lower rooms (docs/architecture.md, "Hooks").
        register_filer(file_letter)
        privacy.register()  # documents in the Art. 15 copy and in erasure; retention of archived files
        from . import person_panels

        person_panels.register()  # the documents on the person view (clients.person)

        from . import audit_objects

        audit_objects.register()  # how the audit log names this room's objects

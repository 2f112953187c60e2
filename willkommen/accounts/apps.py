from django.apps import AppConfig


def _client_behind(request):
    """For the audit log: the signed-in client behind a request, by the way they signed in."""
    from .client_identity import current_identity

    identity = current_identity(request)
    if identity is None:
        return None
    return (
        f"client via {identity.method} ({identity.provider})" if identity.provider else f"client via {identity.method}"
    )


class AccountsConfig(AppConfig):
    name = "willkommen.accounts"
    label = "accounts"

    def ready(self):
        # The hooks of lower rooms (docs/architecture.md, "Hooks").
        from willkommen.audit.services import register_requester

        register_requester(_client_behind)
        from django.utils.translation import gettext_lazy as _

        from willkommen.audit import objects
        from willkommen.audit.office_views import register_link

        from .office_views import staff_names

        objects.register("accounts.user", staff_names)  # how the change history names a staff member
        register_link(_("Teams and staff"), "accounts:office_staff", "office.staff", order=20)

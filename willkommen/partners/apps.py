from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "willkommen.partners"
    label = "partners"

    def ready(self):
        # The hooks of lower rooms (docs/architecture.md, "Hooks"): the requests of a case on the case page,
        # their clock pauses in the case's deadlines, their rows in the Art. 15 copy.
        from willkommen.cases import services as cases
        from willkommen.core import desk
        from willkommen.core import panels as core_panels

        from . import panels, privacy
        from .requests import pauses_of

        cases.register_pauses(pauses_of)
        desk.register_home("partner.portal", _partner_home)  # a partner's desk is their portal
        core_panels.register("cases.case", panels.case_requests)
        from .portal_messages import case_panel

        core_panels.register("cases.case", case_panel, order=110)  # partners' deliveries and messages
        from .partner_views import person_panel
        from .portal_views import my_consents

        core_panels.register("clients.person", person_panel)
        core_panels.register("portal.my", my_consents, order=30)  # the client's overview (applications room)
        privacy.register()


def _partner_home(request):
    from django.shortcuts import redirect

    return redirect("partners:portal")

from django.apps import AppConfig


def _work_queue_home(request):
    from .views import render_queue

    return render_queue(request)


class CasesConfig(AppConfig):
    name = "willkommen.cases"
    label = "cases"

    def ready(self):
        # The hooks of lower rooms (docs/architecture.md, "Hooks"): what only the cases room knows.
        from willkommen.clients import case_refs, residence, visibility
        from willkommen.core import desk
        from willkommen.messaging import recipients

        from . import selectors
        from .permissions import persons_of_my_work, persons_with_my_cases

        visibility.register_team_scope(persons_of_my_work)
        visibility.register_case_scope(persons_with_my_cases)  # drop-offs: persons the user's teams handle
        desk.register_home("cases.work", _work_queue_home)
        case_refs.register(
            by_number=selectors.case_by_number,
            by_id=selectors.case_by_id,
            of_person=selectors.cases_of_person,
            latest_of_person=selectors.latest_case_of_person,
        )
        from .residence import sync_permit_expiry

        residence.register_listener(sync_permit_expiry)  # the permit expiry of open cases follows the history
        recipients.register("in_progress", selectors.persons_in_progress)
        recipients.register("team", selectors.persons_of_team)
        from . import privacy

        privacy.register()  # cases in the Art. 15 copy and in erasure
        from . import person_panels

        person_panels.register()  # cases, requests and deadlines, letters on the person view (clients.person)

        from . import audit_objects

        audit_objects.register()  # how the audit log names this room's objects
        from django.utils.translation import gettext_lazy as _

        from willkommen.audit.office_views import register_link

        register_link(_("Changes in the law"), "cases:law_changes", "office.setup", order=30)

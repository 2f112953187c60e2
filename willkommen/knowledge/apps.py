from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "willkommen.knowledge"
    label = "knowledge"

    def ready(self):
        # The hooks of lower rooms (docs/architecture.md, "Hooks"): the current news on the portal home,
        # the country notes of a person's nationalities on the desk's person page, instructions, country
        # notes and text blocks beside the case and in the decision form, and the block versions a draft
        # used (cases/drafting.py). A recorded change in the law marks instructions and blocks for review.
        from django.db.models.signals import post_save

        from willkommen.cases import drafting as case_drafting
        from willkommen.cases.models import LegalChange
        from willkommen.core import panels

        from . import drafting, versions
        from . import panels as ours

        panels.register("portal.home", ours.portal_home_news)
        panels.register("clients.person", ours.person_country_notes)
        panels.register("cases.detail", drafting.case_panel)
        panels.register("cases.decision", drafting.decision_panel)
        case_drafting.register(drafting.record_blocks)
        post_save.connect(versions.on_legal_change, sender=LegalChange, dispatch_uid="knowledge_legal_change")

from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Work instructions"), "knowledge:instructions", "knowledge.view"),
    (_("Text blocks"), "knowledge:blocks", "knowledge.view"),
    (_("Shared by other authorities"), "knowledge:shared", "knowledge.view"),
    (_("Country notes"), "knowledge:countries", "knowledge.view"),
    (_("Forms for clients"), "knowledge:desk_forms", "knowledge.edit"),
    (_("News on the portal"), "knowledge:desk_news", "knowledge.edit"),
    (_("Training and staff languages"), "knowledge:training", "knowledge.edit"),
    (_("Induction checklists"), "knowledge:induction", "knowledge.edit"),
    (_("My induction"), "knowledge:my_induction", "desk"),
]
PORTAL = [
    (_("Forms"), "knowledge:forms", _("Official forms to download, with what each is for.")),
    (_("News"), "knowledge:news", _("Closures, changes in the law and new services.")),
]

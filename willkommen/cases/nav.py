from django.utils.translation import gettext_lazy as _

DESK = [
    (_("Work queue"), "cases:queue", "cases.work"),
    (_("Open a case"), "cases:open", "cases.open"),
    (_("Decisions awaiting approval"), "cases:approvals", "cases.approve"),
    (_("Team queue and workload"), "cases:team", "cases.assign"),
]
PORTAL = []

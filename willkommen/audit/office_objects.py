"""How the change history names the tenancy room's objects (the tenancy room sits below the audit room, so
the audit room registers them: ``audit/objects.py``)."""

from django.utils.translation import gettext as _

from willkommen.tenancy.models import RoutingRule, Team

from . import objects


def teams(authority, ids):
    rows = Team.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list("pk", "name")
    return {str(pk): _("Team %(name)s") % {"name": name} for pk, name in rows}


def routing_rules(authority, ids):
    rows = RoutingRule.objects.filter(authority=authority, pk__in=objects.int_ids(ids)).values_list(
        "pk", "priority", "team__name"
    )
    return {
        str(pk): _("Routing rule %(priority)s → %(team)s") % {"priority": priority, "team": team}
        for pk, priority, team in rows
    }


def register():
    objects.register("tenancy.team", teams)
    objects.register("tenancy.routingrule", routing_rules)

"""The accommodation room's share of data protection: a person's placements, isolation/quarantine episodes,
supplies checks and needs for protection in the Art. 15 copy, erasing them with the person, and keeping a person who lives in an accommodation (an open placement)."""

from django.utils.translation import gettext_lazy as _

from willkommen.clients import personal_data
from willkommen.clients.personal_data import Section, rows

from .models import IsolationEpisode, Placement, RiskFlag, SupplyCheck


def export(authority, person):
    placements = Placement.objects.filter(authority=authority, person=person).select_related("accommodation")
    table = rows(placements.order_by("moved_in", "id"))
    names = dict(placements.values_list("pk", "accommodation__name"))
    for row in table:
        row["accommodation_name"] = names.get(row["id"], "")
    episodes = IsolationEpisode.objects.filter(authority=authority, person=person).order_by("starts_on", "id")
    checks = SupplyCheck.objects.filter(authority=authority, episode__person=person).order_by("day", "id")
    flags = RiskFlag.objects.filter(authority=authority, person=person).order_by("created_at", "id")
    return Section(
        tables={
            "placements": table,
            "isolation_episodes": rows(episodes),
            "supply_checks": rows(checks),
            "needs_for_protection": rows(flags),
        },
        restricted={"needs_for_protection": "accommodation.risk"},
    )


def erase(authority, person_ids):
    counts = {}
    for qs in (
        SupplyCheck.objects.filter(authority=authority, episode__person_id__in=person_ids),
        RiskFlag.objects.filter(authority=authority, person_id__in=person_ids),
        IsolationEpisode.objects.filter(authority=authority, person_id__in=person_ids),
        Placement.objects.filter(authority=authority, person_id__in=person_ids),
    ):
        _n, deleted = qs.delete()
        counts.update({label: n for label, n in deleted.items() if n})
    return counts


def keeps(authority, person_ids, now):
    open_stays = Placement.objects.filter(authority=authority, person_id__in=person_ids, moved_out__isnull=True)
    return set(open_stays.values_list("person_id", flat=True))


CONTRIBUTOR = personal_data.Contributor(
    key="accommodation",
    label=_("Accommodation"),
    models=(
        "accommodation.Placement",
        "accommodation.IsolationEpisode",
        "accommodation.SupplyCheck",
        "accommodation.RiskFlag",
    ),
    export=export,
    erase=erase,
    keeps=keeps,
)


def register():
    personal_data.register(CONTRIBUTOR)

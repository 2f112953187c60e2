"""Demo hours and one callback request per authority. Idempotent (matched by team, weekday and time)."""

import datetime as dt

from willkommen.tenancy.models import Location, Team

from .models import CallbackRequest, ContactHour

# (weekday, from, to, kind, languages); the last team of each authority gets only the first line, so the
# warning "fewer than two a week" shows for its team lead.
HOURS = [
    (1, dt.time(8), dt.time(12), "consultation", ["de", "en", "ar"]),
    (3, dt.time(14), dt.time(16), "phone", ["de", "en", "tr"]),
    (4, dt.time(9), dt.time(11), "phone", ["de", "uk", "ru"]),
]


def load(authority):
    from willkommen.accounts.models import Membership

    teams = list(Team.objects.filter(authority=authority).order_by("name"))
    location = Location.objects.filter(authority=authority).order_by("id").first()
    for index, team in enumerate(teams):
        lines = HOURS[:1] if index == len(teams) - 1 else HOURS
        for weekday, starts, ends, kind, languages in lines:
            ContactHour.objects.get_or_create(
                authority=authority,
                team=team,
                staff=None,
                weekday=weekday,
                starts=starts,
                defaults={
                    "ends": ends,
                    "kind": kind,
                    "location": location if kind == "consultation" else None,
                    "place": f"Zimmer 1.0{index + 1}" if kind == "consultation" else team.phone,
                    "languages": languages,
                },
            )
        member = Membership.objects.filter(authority=authority, team=team, user__role="caseworker").first()
        if member is not None and index == 0:
            ContactHour.objects.get_or_create(
                authority=authority,
                team=team,
                staff=member.user,
                weekday=0,
                starts=dt.time(10),
                defaults={"ends": dt.time(11), "kind": "phone", "place": team.phone, "languages": ["de", "en"]},
            )
    _callback(authority)


def _callback(authority):
    from willkommen.cases.models import Case

    from . import services

    if CallbackRequest.objects.filter(authority=authority).exists():
        return
    case = Case.objects.filter(authority=authority, status="in_review", team__isnull=False).order_by("id").first()
    if case is not None:
        services.request_callback(
            case, topic="Frage zur Fiktionsbescheinigung", window="morning", phone="+49 171 5550123", language="ar"
        )

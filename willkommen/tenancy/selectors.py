from .models import Authority, Location, Team


def authority_for_slug(slug):
    return Authority.objects.filter(slug=slug).first()


def authority_for_host(host):
    host = (host or "").lower()
    if not host:
        return None
    for authority in Authority.objects.exclude(hostnames="").only("id", "hostnames", "slug"):
        if host in authority.host_list():
            return Authority.objects.get(pk=authority.pk)
    return None


def default_authority(slug=""):
    if slug:
        found = authority_for_slug(slug)
        if found:
            return found
    return Authority.objects.order_by("id").first()


def locations(authority, active_only=True):
    qs = Location.objects.filter(authority=authority)
    if active_only:
        qs = qs.filter(active=True)
    return qs.prefetch_related("opening_hours")


def teams(authority):
    return Team.objects.filter(authority=authority)


def public_holidays(authority, start, end):
    """Dates of public holidays in the authority's state between start and end (inclusive)."""
    calendar = authority.holidays(range(start.year, end.year + 1))
    return {day: name for day, name in calendar.items() if start <= day <= end}

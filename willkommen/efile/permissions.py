"""Who may see whose file, as one SQL filter (never per object in Python).

- staff of another authority: nothing (404);
- ``cases.view_all`` (head of office): every file of the authority;
- caseworkers (``cases.work``/``cases.approve``): files of persons with a case of one of their teams or
  assigned to them, and files of persons who have no case yet;
- everyone else (e.g. the ServicePoint, which only drops documents off): no file.
"""

from django.db.models import Q

from willkommen.clients.selectors import persons

FILE_CAPABILITIES = ("cases.work", "cases.approve", "cases.view_all")


def may_read_files(user):
    return any(user.can(c) for c in FILE_CAPABILITIES)


def visible_persons(user, authority):
    from willkommen.cases.models import Case

    qs = persons(authority)
    if authority is None or user.authority_id != authority.pk or not may_read_files(user):
        return qs.none()
    if user.can("cases.view_all"):
        return qs
    team_ids = user.memberships.filter(authority=authority).values("team_id")
    all_cases = Case.objects.filter(authority=authority)
    own_cases = all_cases.filter(Q(team_id__in=team_ids) | Q(assignee_id=user.pk))
    return qs.filter(Q(pk__in=own_cases.values("person_id")) | ~Q(pk__in=all_cases.values("person_id")))

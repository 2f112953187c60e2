"""Who may see whose file: the ``file`` rule of the one visibility policy (``clients/visibility.py``).

- staff of another authority: nothing (404);
- ``cases.view_all`` (head of office): every file of the authority;
- caseworkers (``cases.work``/``cases.approve``): files of the persons of their work (the cases room
  registers the rule: a case of one of their teams or assigned to them, or no case yet);
- everyone else (e.g. the ServicePoint, which only drops documents off): no file.
"""

from willkommen.clients.visibility import Resource, may_read
from willkommen.clients.visibility import visible_persons as _visible_persons


def may_read_files(user):
    return may_read(user, Resource.FILE)


def visible_persons(user, authority):
    return _visible_persons(user, authority, Resource.FILE)

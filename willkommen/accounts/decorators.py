"""The guard of staff pages lives with the desk in ``core/desk.py`` (the ground room every room may use);
it is named here too because staff sign-in is this room's."""

from willkommen.core.desk import desk_view

__all__ = ["desk_view"]

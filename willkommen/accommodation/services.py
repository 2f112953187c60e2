"""Commands of the accommodation room. Other rooms (and this room's views) use it through this module
(and ``selectors.py``).

By topic:

* ``errors.py``: :class:`AccommodationError` (translated ``message``, machine ``code``) and the checks every
  command makes first (the authority of each object, dates);
* ``allocation.py``: the accommodation's row lock and the choice of free beds under it (room rules, a room
  alone for a person at risk), shared by the commands below;
* ``houses.py``: set up accommodations, add rooms with beds, block and unblock beds;
* ``placements.py``: place a person or a household, move them, move them out;
* ``isolation.py``: isolation and quarantine episodes with their daily supplies checklist;
* ``usage_times.py``: shared rooms, their weekly usage times and the notice to the residents concerned
  (its words come from the messaging room's template store, key ``accommodation_usage_times``).
"""

from .errors import AccommodationError
from .houses import add_room, block_bed, save_accommodation, unblock_bed
from .isolation import end_due_episodes, end_episode, extend_episode, isolate, record_supplies
from .placements import move, move_out, place, place_household
from .usage_times import (
    add_shared_room,
    add_slot,
    publish_usage_changes,
    remove_shared_room,
    remove_slot,
    usage_notice_text,
)

__all__ = [
    "AccommodationError",
    "add_room",
    "add_shared_room",
    "add_slot",
    "block_bed",
    "end_due_episodes",
    "end_episode",
    "extend_episode",
    "isolate",
    "move",
    "move_out",
    "place",
    "place_household",
    "publish_usage_changes",
    "record_supplies",
    "remove_shared_room",
    "remove_slot",
    "save_accommodation",
    "unblock_bed",
    "usage_notice_text",
]

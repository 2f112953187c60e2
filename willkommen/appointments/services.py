"""Commands on appointments. Other rooms (and this room's pages and API) use only these (and ``selectors``).

The commands live by topic: :mod:`.ledger` (places: the no-overbooking guarantee and how it holds),
:mod:`.booking` (hold, confirm, cancel, move, expiry, reminders), :mod:`.invitations` (invitations and
follow-ups), :mod:`.checkin` (ServicePoint check-in, attended / no-show), :mod:`.identity` (who books,
references, tokens, the passport's keyed hash), :mod:`.errors`. This module only gathers them; nothing in
the room imports it, so it can never close an import circle.
"""

from .booking import (
    PUBLIC,
    Terms,
    cancel,
    confirm,
    count_blocked,
    expire_holds,
    get_booking,
    hold,
    hold_expired,
    move,
    send_reminders,
)
from .checkin import check_in, mark
from .errors import PASSPORT_NUMBER_INVALID, BookingError, CheckInError, SlotGone
from .identity import (
    Applicant,
    email_key,
    hash_token,
    identity_key,
    in_language,
    language_of,
    normalise_passport_number,
    passport_keys,
    qr_payload,
    token_matches,
)
from .invitations import InvitationRefused, book_invitation, follow_up, invite, invite_person, personal_link
from .ledger import channels_for, has_place
from .notifications import invitation_link

__all__ = [
    "PASSPORT_NUMBER_INVALID",
    "PUBLIC",
    "Applicant",
    "BookingError",
    "CheckInError",
    "SlotGone",
    "Terms",
    "book_invitation",
    "cancel",
    "channels_for",
    "check_in",
    "confirm",
    "count_blocked",
    "email_key",
    "expire_holds",
    "follow_up",
    "get_booking",
    "has_place",
    "hash_token",
    "hold",
    "hold_expired",
    "identity_key",
    "in_language",
    "invite",
    "invite_person",
    "personal_link",
    "invitation_link",
    "InvitationRefused",
    "language_of",
    "mark",
    "move",
    "normalise_passport_number",
    "passport_keys",
    "qr_payload",
    "send_reminders",
    "token_matches",
]

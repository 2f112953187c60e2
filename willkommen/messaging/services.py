"""Commands of the messaging room, by topic; other rooms import them from here.

* ``sending.py``: :func:`send_to_client` (a text the caller wrote), :func:`send_template` (an
  automatic message from the template store), :func:`send_message`;
* ``texts.py``: the template store – :func:`render_text` fills a text for a client,
  :func:`save_template_version` stores an administrator's change, :func:`text_fingerprint` changes with
  any text in force (for cache keys of rendered documents);
* ``delivery.py``: delivering, retries with backoff, fallback to the next channel;
* ``conversation.py``: what clients and staff write, phone notes, assigning incoming mail;
* ``notices.py``: group notices and their figures;
* ``interpreters.py``: interpreter bookings and costs.

Sending stores the message in the person's conversation first, then delivers it after commit
(a job); see ``delivery.py`` for the exactly-once rules.
"""

from .channels import PERSON_CHANNEL, channel_order, choose_channel, max_body_chars, portal_url, reachable_channels
from .conversation import assign, client_writes, mark_read, phone_note, staff_reply
from .delivery import FINISHED, backoff, deliver, mark_printed, retry_due, retry_now
from .interpreters import BookingConflict, book_interpreter, booking_cost, monthly_costs
from .notices import group_recipients, notice_figures, notice_text, send_group_notice
from .sending import queue_delivery, send_message, send_template, send_to_client
from .texts import TemplateError
from .texts import fingerprint as text_fingerprint
from .texts import problems as template_problems
from .texts import render as render_text
from .texts import save_version as save_template_version


def render_template(authority, key, language, context):
    """(subject, body, language used) of an automatic message (see ``texts.render``)."""
    rendered = render_text(authority, key, language, context)
    return rendered.subject, rendered.body, rendered.language


__all__ = [
    "FINISHED",
    "PERSON_CHANNEL",
    "BookingConflict",
    "TemplateError",
    "assign",
    "backoff",
    "book_interpreter",
    "booking_cost",
    "channel_order",
    "choose_channel",
    "client_writes",
    "deliver",
    "group_recipients",
    "mark_printed",
    "mark_read",
    "max_body_chars",
    "monthly_costs",
    "notice_figures",
    "notice_text",
    "phone_note",
    "portal_url",
    "queue_delivery",
    "reachable_channels",
    "render_template",
    "render_text",
    "retry_due",
    "retry_now",
    "save_template_version",
    "send_group_notice",
    "send_message",
    "send_template",
    "send_to_client",
    "staff_reply",
    "template_problems",
    "text_fingerprint",
]

"""Automatic transparency: the interim answer and the four-weekly status message nobody had to write.

One rule decides which message comes next (:func:`next_auto_message`); the periodic job
(:func:`send_due_auto_messages`) and the caseworker's preview (:func:`preview`) both read it. The
texts are the template store's ``interim_answer`` and ``status_message`` (for clients who read post,
a letter of the same text). Each message is unique per (case, kind, due date) in ``AutoMessage``, so a
retried or parallel job never sends twice.
"""

from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.messaging import services as messaging

from . import workflow
from .clock import set_deadlines
from .communication import case_values, channel_of, client_language, make_letter, send_notice
from .models import AutoMessage, AutoMessageKind, Case

# kind -> (template store key, letter kind for clients who read post)
TEXTS = {
    AutoMessageKind.INTERIM: ("interim_answer", "interim_answer"),
    AutoMessageKind.STATUS: ("status_message", "status_message"),
}


def candidates(case):
    """The automatic messages that apply to the case, interim answer first: [(kind, due date)]."""
    if case.status not in workflow.OPEN:
        return []
    found = []
    if case.interim_due_on and case.last_client_message_at is None:
        found.append((AutoMessageKind.INTERIM, case.interim_due_on))
    if case.status_message_due_on:
        found.append((AutoMessageKind.STATUS, case.status_message_due_on))
    return found


def next_auto_message(case, on):
    """(kind, due date) of the next automatic message: the first one due by ``on`` (the interim answer
    before the status message), else the one that falls due first; None when none applies."""
    found = candidates(case)
    if not found:
        return None
    due = [c for c in found if c[1] <= on]
    return due[0] if due else min(found, key=lambda c: c[1])


def auto_message_due(case, on):
    """Which automatic message is due for ``case`` on ``on``: "interim", "status" or None."""
    found = next_auto_message(case, on)
    return found[0] if found and found[1] <= on else None


def auto_message_text(case, kind, language):
    """Subject and body of the automatic message in ``language`` (from the template store)."""
    rendered = messaging.render_text(case.authority, TEXTS[kind][0], language, case_values(case))
    return rendered.subject, rendered.body


# How an automatic message reaches the client (``communication.channel_of``), in the reader's language.
CHANNEL_LABELS = {"email": _("by e-mail"), "post": _("by post")}


def preview(case, on=None):
    """What will go out automatically and when, for the caseworker's case page."""
    found = next_auto_message(case, on or timezone.localdate())
    if found is None:
        return None
    kind, due = found
    language = client_language(case.person)
    subject, body = auto_message_text(case, kind, language)
    return {
        "kind": kind,
        "due_on": due,
        "language": language,
        "channel": channel_of(case.person),
        "channel_label": CHANNEL_LABELS.get(channel_of(case.person), channel_of(case.person)),
        "subject": subject,
        "body": body,
    }


def _moment(on):
    """Now, or 06:00 local time on ``on`` when the job runs for another day (tests, catch-up runs)."""
    if on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time(6)))


def _claim(case, kind, due):
    """Record the message once; False when another run already did."""
    try:
        with transaction.atomic():
            AutoMessage.objects.create(
                authority_id=case.authority_id,
                case=case,
                kind=kind,
                due_on=due,
                sent_at=timezone.now(),
                language=client_language(case.person),
                channel=channel_of(case.person),
            )
    except IntegrityError:
        return False
    return True


def send_auto_message(case, on=None):
    """Send the due automatic message for one case, exactly once (unique row per case, kind and due date)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("person", "anliegen", "authority")
            .get(pk=case.pk)
        )
        found = next_auto_message(case, on)
        if found is None or found[1] > on or not _claim(case, *found):
            return None
        kind = found[0]
        key, letter_kind = TEXTS[kind]
        letter = make_letter(case, letter_kind) if channel_of(case.person) == "post" else None
        send_notice(case, key, letter=letter, at=_moment(on))
        set_deadlines(case, on=on)
    return kind


def send_due_auto_messages(on=None, authority=None):
    """The periodic job's body: every open case whose interim answer or status message is due."""
    on = on or timezone.localdate()
    qs = Case.objects.filter(status__in=workflow.OPEN).filter(
        Q(interim_due_on__lte=on, last_client_message_at__isnull=True) | Q(status_message_due_on__lte=on)
    )
    if authority is not None:
        qs = qs.filter(authority=authority)
    sent = {}
    for case in qs.only("pk").iterator():
        kind = send_auto_message(case, on)
        if kind:
            sent[kind] = sent.get(kind, 0) + 1
    return sent

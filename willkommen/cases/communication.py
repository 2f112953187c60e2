"""Messages and letters to the client about a case, and the automatic transparency messages.

Everything goes out in the client's language, through their channel (e-mail when we have an
address and they did not choose post; otherwise the letter is marked for printing), and lands
on the timeline.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from willkommen.catalogue.selectors import title as anliegen_title

from . import workflow
from .models import AutoMessage, AutoMessageKind, Case, TimelineKind
from .workflow import Status


def channel_of(person):
    if person.email and person.preferred_channel != "post":
        return "email"
    return "post"


def client_language(person):
    return (person.preferred_language or "de").split("-")[0]


def next_step_text(case):
    """What happens next, for the client (in the active language)."""
    status = case.status
    if status == Status.DOCUMENTS_REQUESTED:
        return _("We are waiting for the documents we asked you for. Once they arrive, we continue at once.")
    if status == Status.WAITING_OTHER_AUTHORITY:
        return _("We have asked another authority for its part and are waiting for the answer.")
    if status in (Status.DECISION_DRAFTED, Status.AWAITING_APPROVAL):
        return _("A decision is being prepared and checked.")
    if status == Status.SUSPENDED:
        return _("The case is paused for the moment; we will write to you when it continues.")
    return _("Your caseworker is checking your application and documents.")


def _send(case, *, subject, body, letter=None, template_key, actor=None, at=None):
    """Send through the client's channel and write the timeline. Returns the channel used."""
    from willkommen.messaging.services import send_to_client

    person = case.person
    language = client_language(person)
    channel = channel_of(person)
    if channel == "email":
        attachments = []
        if letter is not None:
            from willkommen.letters.services import letter_content

            attachments.append((letter.file.name.rsplit("/", 1)[-1], letter_content(letter), "application/pdf"))
        send_to_client(
            case.authority,
            email=person.email,
            subject=subject,
            body=body,
            language=language,
            person=person,
            case=case,
            attachments=attachments,
            template_key=template_key,
        )
    elif letter is not None and not letter.for_post:
        letter.for_post = True
        letter.save(update_fields=["for_post"])
    from .services import add_entry

    now = at or timezone.now()
    add_entry(
        case,
        TimelineKind.MESSAGE,
        actor=actor,
        text=str(subject),
        data={
            "channel": channel,
            "language": language,
            "template": template_key,
            "letter": getattr(letter, "pk", None),
        },
        at=now,
    )
    Case.objects.filter(pk=case.pk).update(last_client_message_at=now)
    case.last_client_message_at = now
    return channel


def _letter(case, kind, context, actor=None):
    from willkommen.letters.services import create_letter

    from .services import add_entry

    letter = create_letter(case.authority, person=case.person, case=case, kind=kind, context=context, actor=actor)
    add_entry(case, TimelineKind.LETTER, actor=actor, text=letter.title, data={"letter": letter.pk})
    return letter


def _items_for(case, keys, language):
    from willkommen.catalogue.checklist import build

    checklist = build(case.anliegen, {k: True for k in []} | (case.answers or {}), language)
    titles = {e.key: e.title for e in checklist.entries}
    for item in case.anliegen.checklist_items.all():
        titles.setdefault(item.key, item.key)
    return [titles.get(k, k) for k in keys]


def upload_link(case):
    from django.urls import NoReverseMatch, reverse

    for name in ("applications:upload", "applications:status"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def send_document_request(case, doc_request, actor=None):
    from willkommen.letters.models import LetterKind

    language = client_language(case.person)
    letter = _letter(
        case,
        LetterKind.REQUEST_DOCUMENTS,
        {
            "doc_request": doc_request,
            "items_by_language": {
                "de": _items_for(case, doc_request.items, "de"),
                language: _items_for(case, doc_request.items, language),
            },
            "upload_link": upload_link(case),
        },
        actor,
    )
    with translation.override(language):
        subject = _("Case %(number)s: we need documents from you") % {"number": case.number}
        body = _(
            "Please send us the documents listed in the attached letter by %(deadline)s. "
            "You can upload them online with your case number and access code."
        ) % {"deadline": doc_request.deadline.isoformat()}
    return _send(case, subject=subject, body=body, letter=letter, template_key="cases.request_documents", actor=actor)


def send_decision(case, decision, actor=None):
    from willkommen.letters.models import LetterKind

    letter = _letter(case, LetterKind.DECISION, {"decision": decision}, actor)
    language = client_language(case.person)
    with translation.override(language):
        subject = _("Case %(number)s: decision") % {"number": case.number}
        body = _("The decision on your application is attached. Please read it carefully.")
    _send(case, subject=subject, body=body, letter=letter, template_key="cases.decision", actor=actor)
    return letter


def send_message(case, actor, *, subject, body):
    """A caseworker writes to the client (this also resets the four-weekly status message)."""
    from .services import CaseError, set_deadlines

    if not (subject or "").strip() or not (body or "").strip():
        raise CaseError(_("Write a subject and a message."))
    channel = _send(
        case, subject=subject.strip()[:200], body=body.strip()[:5000], template_key="cases.personal", actor=actor
    )
    set_deadlines(case)
    return channel


# --- automatic transparency --------------------------------------------------------------------


def auto_message_due(case, on):
    """Which automatic message is due for ``case`` on ``on``: "interim", "status" or None."""
    if case.status not in workflow.OPEN:
        return None
    if case.interim_due_on and case.interim_due_on <= on and case.last_client_message_at is None:
        return AutoMessageKind.INTERIM
    if case.status_message_due_on and case.status_message_due_on <= on:
        return AutoMessageKind.STATUS
    return None


def auto_message_text(case, kind, language):
    """Subject and body of the automatic message, short and honest, in ``language``."""
    with translation.override(language):
        title = anliegen_title(case.anliegen, language)
        stand = case.get_status_display()
        expected = case.due_on.isoformat() if case.due_on else "–"
        if kind == AutoMessageKind.INTERIM:
            subject = _("Case %(number)s: interim answer") % {"number": case.number}
            intro = _("We have received your application (%(title)s) and are working on it.") % {"title": title}
        else:
            subject = _("Case %(number)s: where your case stands") % {"number": case.number}
            intro = _("This is your regular update on your application (%(title)s).") % {"title": title}
        body = "\n\n".join(
            [
                intro,
                _("Where it stands: %(status)s.") % {"status": stand},
                _("What is next: %(next)s") % {"next": next_step_text(case)},
                _("We expect to decide by: %(date)s.") % {"date": expected},
                _("You do not need to do anything unless we ask you to."),
            ]
        )
    return str(subject), str(body)


def preview(case, on=None):
    """What will go out automatically and when, for the caseworker's case page."""
    on = on or timezone.localdate()
    language = client_language(case.person)
    if case.status not in workflow.OPEN:
        return None
    if case.interim_due_on and case.last_client_message_at is None:
        kind, due = AutoMessageKind.INTERIM, case.interim_due_on
    elif case.status_message_due_on:
        kind, due = AutoMessageKind.STATUS, case.status_message_due_on
    else:
        return None
    subject, body = auto_message_text(case, kind, language)
    return {
        "kind": kind,
        "due_on": due,
        "language": language,
        "channel": channel_of(case.person),
        "subject": subject,
        "body": body,
    }


def _moment(on):
    """Now, or 06:00 local time on ``on`` when the job runs for another day (tests, catch-up runs)."""
    from datetime import datetime, time

    if on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(on, time(6)))


def send_auto_message(case, on=None):
    """Send the due automatic message for one case, exactly once (unique row per case, kind and due date)."""
    from willkommen.letters.models import LetterKind

    from .services import set_deadlines

    on = on or timezone.localdate()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("person", "anliegen", "authority")
            .get(pk=case.pk)
        )
        kind = auto_message_due(case, on)
        if kind is None:
            return None
        due = case.interim_due_on if kind == AutoMessageKind.INTERIM else case.status_message_due_on
        language = client_language(case.person)
        try:
            with transaction.atomic():
                AutoMessage.objects.create(
                    authority_id=case.authority_id,
                    case=case,
                    kind=kind,
                    due_on=due,
                    sent_at=timezone.now(),
                    language=language,
                    channel=channel_of(case.person),
                )
        except IntegrityError:
            return None
        subject, body = auto_message_text(case, kind, language)
        letter = None
        if channel_of(case.person) == "post":
            letter_kind = LetterKind.INTERIM_ANSWER if kind == AutoMessageKind.INTERIM else LetterKind.STATUS_MESSAGE
            letter = _letter(case, letter_kind, {"message_body": body, "message_subject": subject})
        _send(case, subject=subject, body=body, letter=letter, template_key=f"cases.auto.{kind}", at=_moment(on))
        set_deadlines(case, on=on)
    return kind


def send_due_auto_messages(on=None, authority=None):
    """The periodic job's body: every open case whose interim answer or status message is due."""
    from django.db.models import Q

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

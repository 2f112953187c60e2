"""What the client receives about a case: notices and letters, and what a caseworker writes.

Every text comes from messaging's template store (the keys are listed in
``messaging/template_texts.py``); this module only supplies the placeholder values
(:func:`case_values`). A notice goes out in the client's language (German with a translation note
where the store has no text in it), through their channel – e-mail when we have an address and they
did not choose post, otherwise the letter is marked for printing – and lands on the timeline.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from willkommen.catalogue.selectors import title as anliegen_title
from willkommen.messaging import services as messaging

from .clock import set_deadlines
from .errors import CaseError
from .models import Case, TimelineKind
from .timeline import add_entry
from .workflow import Status

# Which text block says what happens next, by status (default: the case is being checked).
NEXT_STEP = {
    Status.DOCUMENTS_REQUESTED: "next_step_documents",
    Status.WAITING_OTHER_AUTHORITY: "next_step_other_authority",
    Status.DECISION_DRAFTED: "next_step_decision",
    Status.AWAITING_APPROVAL: "next_step_decision",
    Status.SUSPENDED: "next_step_paused",
}


def channel_of(person):
    if person.email and person.preferred_channel != "post":
        return "email"
    return "post"


def client_language(person):
    return (person.preferred_language or "de").split("-")[0]


def status_link(authority):
    """Absolute link to the portal's status page of ``authority`` ("" when the portal has none)."""
    try:
        path = reverse("applications:status_login")
    except NoReverseMatch:
        return ""
    return messaging.portal_url(authority, path)


def next_step(case, language):
    key = NEXT_STEP.get(case.status, "next_step_review")
    return messaging.render_text(case.authority, key, language).body


def _status_label(case, language):
    with translation.override(language):
        return str(case.get_status_display())


def case_values(case):
    """The placeholder values every case text may use; language-dependent ones are functions of the language."""
    person = case.person
    return {
        "name": f"{person.given_names} {person.family_name}".strip(),
        "authority": case.authority.name,
        "case_number": case.number,
        "anliegen": lambda language: anliegen_title(case.anliegen, language),
        "status": lambda language: _status_label(case, language),
        "next_step": lambda language: next_step(case, language),
        "expected_date": case.due_on,
        "received_on": timezone.localtime(case.received_at).date(),
        "link": status_link(case.authority),
    }


def document_titles(case, keys, language):
    """The names of checklist items (by key) in ``language`` – also of items the answers alone did not call
    for; never a bare key (``requesting.titles``)."""
    from .requesting import titles

    return titles(case, keys, language)


def make_letter(case, kind, *, context=None, values=None, actor=None):
    """A letter of ``kind`` (German and the client's language), its text blocks filled with the case's
    values and ``values``; filed and written on the timeline."""
    from willkommen.letters.services import create_letter

    context = {**(context or {}), "text_values": {**case_values(case), **(values or {})}}
    letter = create_letter(case.authority, person=case.person, case=case, kind=kind, context=context, actor=actor)
    add_entry(case, TimelineKind.LETTER, actor=actor, text=letter.title, data={"letter": letter.pk})
    return letter


def decision_notice_preview(case, decision):
    """The decision notice ``decision`` would send, as PDF bytes marked as a draft: the same template, text
    blocks and values as the ``letter:decision`` effect, nothing stored or sent (for the approver)."""
    from willkommen.letters.services import preview_letter

    context = {"decision": decision, "text_values": case_values(case)}
    return preview_letter(case.authority, person=case.person, kind="decision", context=context, case=case)


def _deliver(case, *, subject, body, language, letter, template_key, actor, at):
    """Hand the text to the client's channel and write the timeline. Returns the channel used."""
    person = case.person
    channel = channel_of(person)
    if channel == "email":
        attachments = []
        if letter is not None:
            from willkommen.letters.services import letter_content

            attachments.append((letter.file.name.rsplit("/", 1)[-1], letter_content(letter), "application/pdf"))
        messaging.send_to_client(
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


def send_notice(case, key, values=None, *, letter=None, actor=None, at=None):
    """Send the template store's text ``key`` about ``case`` to the client, with ``letter`` attached.
    A client who reads post gets the letter printed; without a letter, the notice itself becomes one."""
    values = {**case_values(case), **(values or {})}
    rendered = messaging.render_text(case.authority, key, client_language(case.person), values)
    if letter is None and channel_of(case.person) == "post":
        letter = make_letter(case, "notice", context={"notice_key": key}, values=values, actor=actor)
    return _deliver(
        case,
        subject=rendered.subject,
        body=rendered.body,
        language=rendered.language,
        letter=letter,
        template_key=key,
        actor=actor,
        at=at,
    )


def send_message(case, actor, *, subject, body):
    """A caseworker writes to the client (this also resets the four-weekly status message)."""
    if not (subject or "").strip() or not (body or "").strip():
        raise CaseError(_("Write a subject and a message."))
    channel = _deliver(
        case,
        subject=subject.strip()[:200],
        body=body.strip()[:5000],
        language=client_language(case.person),
        letter=None,
        template_key="cases.personal",
        actor=actor,
        at=None,
    )
    set_deadlines(case)
    return channel

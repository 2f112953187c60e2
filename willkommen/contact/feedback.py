"""Feedback and complaints from the portal: received (anonymous or with a case number), answered by the
head of office within ten working days, the reply sent through the messaging room. Bad input raises
``ContactError``; nothing is stored then."""

from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from willkommen.audit.services import record
from willkommen.cases import selectors as cases
from willkommen.messaging import services as messaging

from .models import Feedback, FeedbackCategory, FeedbackKind, FeedbackState
from .services import LANGUAGE_CODES, ContactError, working_days_after

REPLY_WORKING_DAYS = 10
MAX_TEXT = 5000


def _clean(kind, category, text, email):
    if kind not in FeedbackKind.values:
        raise ContactError(_("Please choose whether this is a complaint, praise or a suggestion."))
    if category not in FeedbackCategory.values:
        raise ContactError(_("Please choose what it is about."))
    text = (text or "").strip()
    if not text:
        raise ContactError(_("Please write what you want to tell us."))
    if len(text) > MAX_TEXT:
        raise ContactError(_("Please keep it shorter (at most 5,000 characters)."))
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except Exception as exc:
            raise ContactError(_("Please enter a valid e-mail address, or leave it empty.")) from exc
    return text, email


def reply_due(authority, day):
    holidays = frozenset(authority.holidays(range(day.year, day.year + 2)).keys())
    return working_days_after(day, REPLY_WORKING_DAYS, holidays)


def give_feedback(authority, *, kind, category, text, case_number="", email="", language="", now=None):
    """Store feedback. A case number is matched to a case of this authority; whether it exists is never
    told (the answer is the same either way)."""
    text, email = _clean(kind, category, text, email)
    now = now or timezone.now()
    case = cases.case_by_number(authority, case_number) if (case_number or "").strip() else None
    return Feedback.objects.create(
        authority=authority,
        kind=kind,
        category=category,
        text=text,
        case=case,
        email=email[:254],
        language=language if language in LANGUAGE_CODES else "",
        received_at=now,
        reply_due=reply_due(authority, timezone.localtime(now).date()),
    )


def may_answer(user, feedback):
    return user.can("contact.feedback") and user.authority_id == feedback.authority_id


def _reply_values(feedback, person):
    return {
        "name": person.full_name if person is not None else "",
        "authority": feedback.authority.name,
        "note": feedback.reply,
        "date": timezone.localtime(feedback.received_at).strftime("%d.%m.%Y"),
    }


def _reply_letter(feedback, actor):
    """The reply as a letter in German and the client's language, filed in the person's e-file (through the
    letters room). Only for feedback with a case: anonymous feedback has no one to write to."""
    if not feedback.case_id:
        return None
    from willkommen.letters.models import LetterKind
    from willkommen.letters.services import create_letter

    person = feedback.case.person
    with translation.override("de"):
        title = _("Reply to your feedback")
    return create_letter(
        feedback.authority,
        person=person,
        case=feedback.case,
        kind=LetterKind.NOTICE,
        context={"notice_key": "feedback_reply", "text_values": _reply_values(feedback, person)},
        actor=actor,
        title=str(title),
    )


def _send_reply(feedback):
    person = feedback.case.person if feedback.case_id else None
    if person is None and not feedback.email:
        return None
    context = _reply_values(feedback, person)
    return messaging.send_template(
        feedback.authority,
        "feedback_reply",
        context=context,
        person=person,
        email=feedback.email,
        case=feedback.case,
        language=feedback.language or (person.preferred_language if person else "de"),
        idempotency_key=f"feedback-reply-{feedback.pk}",
    )


def answer_feedback(feedback, actor, reply, request=None):
    """The head of office answers: done once (row lock); the reply goes to the client when there is a way
    to reach them (the e-mail given, or the person of the case), and with a case it is also kept as a letter
    in the person's e-file. Returns (feedback, message or None)."""
    if not may_answer(actor, feedback):
        raise PermissionDenied
    reply = (reply or "").strip()
    if not reply:
        raise ContactError(_("Please write the reply."))
    if len(reply) > MAX_TEXT:
        raise ContactError(_("The reply is too long (at most 5,000 characters)."))
    with transaction.atomic():
        # lock the row alone (PostgreSQL refuses FOR UPDATE on the nullable side of the case join)
        locked = (
            Feedback.objects.select_for_update(of=("self",))
            .select_related("authority", "case__person")
            .get(pk=feedback.pk)
        )
        if locked.state != FeedbackState.OPEN:
            raise ContactError(_("This feedback has already been answered."))
        locked.state = FeedbackState.ANSWERED
        locked.answered_at = timezone.now()
        locked.answered_by = actor
        locked.reply = reply
        locked.reply_letter = _reply_letter(locked, actor)
        locked.save(update_fields=["state", "answered_at", "answered_by", "reply", "reply_letter"])
        message = _send_reply(locked)
        record(
            authority=locked.authority,
            action="update",
            person_id=locked.case.person_id if locked.case_id else None,
            obj=locked,
            actor=actor,
            request=request,
            purpose="feedback answered",
            detail=f"feedback {locked.pk}, reply {'sent' if message else 'not sent (no address)'}",
        )
    return locked, message

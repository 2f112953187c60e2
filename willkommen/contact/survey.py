"""The short satisfaction survey: after a decided case or an attended appointment, at most one invitation
per person and calendar quarter (a unique constraint on person and quarter), answered once through a link
without an account.

Which persons are due is asked of the rooms that know: the cases decided on a day (this room may read
cases) and the sources registered by higher rooms (appointments: attended appointments) through
:func:`register_source`. The nightly task (``tasks.py``) invites those of the day before."""

import datetime as dt
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.messaging import services as messaging

from .models import SurveyInvitation, SurveyReason
from .services import LANGUAGE_CODES, ContactError

QUESTIONS = ("overall", "understood", "reachable")
_SOURCES = []


def register_source(source):
    """``source(day)`` yields (person, reason) of the persons to invite for ``day``."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def quarter_of(moment):
    day = timezone.localtime(moment).date() if isinstance(moment, dt.datetime) else moment
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invite_to_survey(person, reason, now=None):
    """Invite ``person`` to the survey unless they had an invitation this quarter. Returns the invitation
    or None (already invited this quarter)."""
    if reason not in SurveyReason.values:
        raise ValueError(reason)
    now = now or timezone.now()
    quarter = quarter_of(now)
    if SurveyInvitation.objects.filter(person=person, quarter=quarter).exists():
        return None
    token = secrets.token_urlsafe(24)
    language = person.preferred_language if person.preferred_language in LANGUAGE_CODES else "de"
    try:
        with transaction.atomic():
            invitation = SurveyInvitation.objects.create(
                authority_id=person.authority_id,
                person=person,
                token_hash=token_hash(token),
                reason=reason,
                quarter=quarter,
                language=language,
                sent_at=now,
            )
            link = messaging.portal_url(person.authority, reverse("contact:survey", args=[token]))
            messaging.send_template(
                person.authority,
                "survey_invitation",
                context={"name": person.full_name, "authority": person.authority.name, "link": link},
                person=person,
                language=language,
                idempotency_key=f"survey-{person.pk}-{quarter}",
            )
    except IntegrityError:  # a parallel invitation of the same quarter won
        return None
    return invitation


def invitation_for(token):
    if not token or len(token) > 100:
        return None
    return SurveyInvitation.objects.filter(token_hash=token_hash(token)).select_related("authority").first()


def answer_survey(invitation, answers, comment=""):
    """Store the answers once (row lock); a second answer raises ``ContactError``."""
    values = {}
    for name in QUESTIONS:
        try:
            values[name] = int(answers.get(name))
        except (TypeError, ValueError):
            values[name] = 0
        if not 1 <= values[name] <= 5:
            raise ContactError(_("Please answer each of the three questions."))
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ContactError(_("Please keep the comment short (at most 1,000 characters)."))
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.answered_at is not None:
            raise ContactError(_("You have already answered this survey. Thank you!"))
        for name, value in values.items():
            setattr(locked, name, value)
        locked.comment = comment
        locked.answered_at = timezone.now()
        locked.save(update_fields=[*QUESTIONS, "comment", "answered_at"])
    return locked


def decided_on(day):
    from willkommen.cases import selectors as cases

    for person in cases.persons_decided_on(day):
        yield person, SurveyReason.DECIDED_CASE


def invite_for_day(day, now=None):
    """Invite everyone whose case was decided or who attended an appointment on ``day``. Returns the
    number of invitations sent (persons already invited this quarter are skipped)."""
    sent = 0
    seen = set()
    for source in (decided_on, *_SOURCES):
        for person, reason in source(day):
            if person is None or person.pk in seen:
                continue
            seen.add(person.pk)
            sent += invite_to_survey(person, reason, now=now) is not None
    return sent

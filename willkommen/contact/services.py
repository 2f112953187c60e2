"""Commands on contact hours and callback requests. Bad input raises ``ContactError`` with a message
for the user; nothing is changed then."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from willkommen.cases import services as cases

from .models import CallbackRequest, CallbackStatus, CallbackWindow, ContactHour

CALLBACK_WORKING_DAYS = 2
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class ContactError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def may_manage_hours(user, team):
    """The head of office edits every team's hours, a team lead those of the teams they lead."""
    if not user.can("contact.hours") or user.authority_id != team.authority_id:
        return False
    if user.can("cases.view_all"):
        return True
    return user.memberships.filter(team=team, is_lead=True).exists()


def add_hour(actor, team, *, kind, weekday, starts, ends, staff=None, location=None, place="", languages=()):
    if not may_manage_hours(actor, team):
        raise PermissionDenied
    if starts >= ends:
        raise ContactError(_("The hour must end after it starts."))
    if staff is not None and not staff.memberships.filter(team=team).exists():
        raise ContactError(_("This caseworker is not a member of the team."))
    if location is not None and location.authority_id != team.authority_id:
        raise ContactError(_("Choose a location of this authority."))
    unknown = set(languages) - LANGUAGE_CODES
    if unknown:
        raise ContactError(_("Unknown language."))
    return ContactHour.objects.create(
        authority_id=team.authority_id,
        team=team,
        staff=staff,
        kind=kind,
        weekday=weekday,
        starts=starts,
        ends=ends,
        location=location,
        place=(place or "").strip()[:200],
        languages=sorted(set(languages)),
    )


def delete_hour(actor, hour):
    if not may_manage_hours(actor, hour.team):
        raise PermissionDenied
    hour.delete()


def working_days_after(day, count, holidays=frozenset()):
    """The ``count``-th working day after ``day`` (weekends and the authority's holidays skipped)."""
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count -= 1
    return day


def _clean_phone(phone):
    phone = " ".join((phone or "").split())
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 6 or len(phone) > 40 or any(not (c.isdigit() or c in "+ ()-/") for c in phone):
        raise ContactError(_("Please enter a phone number we can call (digits, spaces, + and - only)."))
    return phone


def request_callback(case, *, topic, window, phone, language="", now=None):
    """The client asks to be called back: a request in the team's list, due in two working days, and a
    line on the case's timeline."""
    topic = " ".join((topic or "").split())
    if not topic:
        raise ContactError(_("Please tell us briefly what the call is about."))
    if len(topic) > 300:
        raise ContactError(_("Please keep the topic short (at most 300 characters)."))
    if window not in CallbackWindow.values:
        raise ContactError(_("Please choose when we may call you."))
    phone = _clean_phone(phone)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if (
        CallbackRequest.objects.filter(authority_id=case.authority_id, case=case, status=CallbackStatus.OPEN).count()
        >= 3
    ):
        raise ContactError(_("You have already asked for a callback. We will call you."))
    holidays = frozenset(case.authority.holidays(range(today.year, today.year + 2)).keys())
    with transaction.atomic():
        callback = CallbackRequest.objects.create(
            authority_id=case.authority_id,
            case=case,
            team_id=case.team_id,
            topic=topic,
            window=window,
            phone=phone,
            language=language[:8],
            requested_at=now,
            due_on=working_days_after(today, CALLBACK_WORKING_DAYS, holidays),
        )
        with translation.override(settings.LANGUAGE_CODE):  # the desk's language, not the client's
            line = _("The client asked for a callback (%(window)s): %(topic)s") % {
                "window": callback.get_window_display(),
                "topic": topic,
            }
        cases.add_entry(
            case,
            "note",
            text=line,
            data={"callback": callback.pk},
            at=now,
        )
    return callback


def close_callback(callback, actor, note):
    """The caseworker called back: the request is done and the phone note goes on the timeline."""
    from willkommen.cases.permissions import visible_cases

    if (
        not actor.can("cases.work")
        or not visible_cases(actor, callback.case.authority).filter(pk=callback.case_id).exists()
    ):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ContactError(_("Please write down what was said on the phone."))
    if len(note) > 5000:
        raise ContactError(_("The note is too long (at most 5,000 characters)."))
    with transaction.atomic():
        locked = CallbackRequest.objects.select_for_update().get(pk=callback.pk)
        if locked.status != CallbackStatus.OPEN:
            raise ContactError(_("This callback has already been closed."))
        locked.status = CallbackStatus.DONE
        locked.done_at = timezone.now()
        locked.done_by = actor
        locked.save(update_fields=["status", "done_at", "done_by"])
        cases.add_entry(
            locked.case,
            "note",
            actor=actor,
            text=_("Phone call (callback): %(note)s") % {"note": note},
            data={"callback": locked.pk, "phone_note": True},
        )
    return locked

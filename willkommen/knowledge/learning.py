"""Staff learning: training records with the date a mandatory course is due again, and the staff's
languages, used to pair a client who needs a language with a caseworker who speaks it."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.accounts.roles import roles_with
from willkommen.audit.services import record

from .models import TrainingRecord
from .services import KnowledgeError

DUE_SOON_DAYS = 30


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def staff(authority):
    return get_user_model().objects.filter(authority=authority, is_active=True).order_by("last_name", "first_name")


def save_training(
    authority, actor, *, staff_member, course, completed_on, mandatory=False, intercultural=False, renew_months=None
):
    if staff_member is None or staff_member.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown staff member."), "staff")
    if not (course or "").strip():
        raise KnowledgeError(_("Name the course."), "course")
    if completed_on > timezone.localdate():
        raise KnowledgeError(_("The course cannot be completed in the future."), "completed_on")
    due = add_months(completed_on, renew_months) if mandatory and renew_months else None
    with transaction.atomic():
        item = TrainingRecord.objects.create(
            authority=authority,
            staff=staff_member,
            course=course.strip(),
            completed_on=completed_on,
            mandatory=mandatory,
            intercultural=intercultural,
            renew_months=renew_months if mandatory else None,
            due_on=due,
        )
        record(authority=authority, action="create", obj=item, actor=actor)
    return item


def training(authority):
    return TrainingRecord.objects.filter(authority=authority).select_related("staff")


def due(authority, *, today=None, within_days=DUE_SOON_DAYS):
    """The mandatory courses due again within ``within_days`` (or overdue), the latest completion per
    staff member and course only (a course taken again is no longer due). Each with ``overdue``."""
    today = today or timezone.localdate()
    latest = {}
    for item in training(authority).filter(mandatory=True).order_by("completed_on", "pk"):
        latest[(item.staff_id, item.course.casefold())] = item
    found = []
    for item in latest.values():
        if item.due_on and item.due_on <= today + timedelta(days=within_days):
            item.overdue = item.due_on < today
            found.append(item)
    return sorted(found, key=lambda item: item.due_on)


def speakers(authority, language):
    """Caseworkers of the authority who speak ``language`` (a code like "ar" or a name as typed)."""
    wanted = (language or "").strip().casefold()
    if not wanted:
        return []
    workers = staff(authority).filter(role__in=roles_with("cases.work"))
    return [user for user in workers if wanted in {str(lang).strip().casefold() for lang in user.languages or []}]

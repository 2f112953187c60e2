"""Group notices: one text (German required, other languages optional) to every person of a group,
each in their language through their channel; and the delivery figures of a notice."""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from . import channels
from .delivery import FINISHED
from .models import GroupNotice, Status
from .sending import send_message


def group_recipients(authority, group, team=None, accommodation=None):
    """The persons of a recipient group, as the room that knows the group registered it (``recipients.py``)."""
    from . import recipients

    return recipients.members(authority, group, team=team, accommodation=accommodation)


def notice_text(notice, language):
    for candidate in [language, *settings.TEXT_FALLBACK_LANGUAGES]:
        text = notice.texts.get(candidate)
        if text and text.get("body"):
            return text.get("subject", ""), text["body"], candidate
    raise KeyError("notice without German text")


def send_group_notice(authority, *, group, texts, author=None, team=None, accommodation=None):
    """Send one notice to every person of the group, each in their language (fallback en, de)."""
    if not (texts.get("de") or {}).get("body"):
        raise ValueError("German text required")
    if group == GroupNotice.Group.ACCOMMODATION and (
        accommodation is None or accommodation.authority_id != authority.id
    ):
        raise ValueError("accommodation of this authority required")
    with transaction.atomic():
        notice = GroupNotice.objects.create(
            authority=authority, group=group, team=team, accommodation=accommodation, texts=texts, author=author
        )
        for person in group_recipients(authority, group, team, accommodation):
            subject, body, language = notice_text(notice, person.preferred_language)
            send_message(
                authority,
                person=person,
                subject=subject,
                body=body,
                language=language,
                author=author,
                notice=notice,
                idempotency_key=f"notice-{notice.pk}-{person.pk}",
            )
    return notice


def notice_figures(notice):
    """Delivery figures of a notice: recipients, delivered, waiting, failed, per channel."""
    rows = notice.messages.filter(fallback_of__isnull=True)
    figures = rows.aggregate(
        recipients=Count("id"),
        delivered=Count("id", filter=Q(status__in=FINISHED) | Q(fallbacks__status__in=FINISHED)),
        failed=Count("id", filter=Q(status=Status.FAILED) & ~Q(fallbacks__status__in=FINISHED)),
    )
    figures["by_channel"] = dict(
        notice.messages.filter(status__in=FINISHED).values_list("channel").annotate(n=Count("id")).order_by()
    )
    figures["by_language"] = dict(rows.values_list("language").annotate(n=Count("id")).order_by())
    figures["portal_only"] = rows.filter(status=Status.SENT, provider_id=channels.PORTAL_ONLY).count()
    figures["delivered"] -= figures["portal_only"]
    figures["waiting"] = figures["recipients"] - figures["delivered"] - figures["failed"] - figures["portal_only"]
    return figures

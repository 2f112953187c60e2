"""What the knowledge room adds to lower rooms' pages (core/panels.py): the current news on the portal
home, the country notes of a person's nationalities on the desk's person page (staff with
``knowledge.view`` only)."""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from . import selectors

HOME_NEWS = 3


def _language():
    return (get_language() or "de").split("-")[0]


def portal_home_news(request, obj=None):
    authority = getattr(request, "authority", None)
    if authority is None:
        return ""
    news = selectors.current_news(authority, _language(), limit=HOME_NEWS)
    if not news:
        return ""
    return render_to_string("knowledge/_home_news.html", {"news": news}, request=request)


def person_country_notes(request, person):
    user = getattr(request, "user", None)
    if person is None or user is None or not user.is_authenticated or not user.can("knowledge.view"):
        return ""
    notes = selectors.notes_for_countries(request.authority, person.nationalities)
    if not notes:
        return ""
    return render_to_string("knowledge/_person_notes.html", {"notes": notes}, request=request)

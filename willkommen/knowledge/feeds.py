"""The news as feeds for integration apps and partner websites: Atom (Django's syndication framework) and
JSON Feed 1.1. One feed per authority (the request's, by host or ``/a/<slug>/``) and language (``?lang=``,
default the page language); only items visible today and written in that language."""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from . import selectors

FEED_ITEMS = 50


def feed_language(request):
    code = request.GET.get("lang") or (get_language() or "de").split("-")[0]
    if code not in dict(settings.LANGUAGES):
        raise Http404
    return code


def _public(request, response):
    """Feeds are public and embeddable; without ``?lang=`` the language came from the request."""
    response["Access-Control-Allow-Origin"] = "*"  # partner websites fetch them from the browser
    response["Cache-Control"] = "public, max-age=300"
    if "lang" not in request.GET:
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _authority(request):
    if request.authority is None:
        raise Http404
    return request.authority


def _news_url(request, language):
    return request.build_absolute_uri(reverse("knowledge:news")) + f"?lang={language}"


def _entry_url(request, language, shown):
    return f"{_news_url(request, language)}#news-{shown.obj.pk}"


def _published(item):
    return timezone.make_aware(dt.datetime.combine(item.visible_from, dt.time()))


class NewsAtomFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        # A new instance per request (atom_feed below), so these attributes are never shared.
        self.request = request
        self.language = feed_language(request)  # read as an attribute by Django's Feed
        return _authority(request), self.language

    def __call__(self, request, *args, **kwargs):
        return _public(request, super().__call__(request, *args, **kwargs))

    def title(self, obj):
        authority, language = obj
        with override(language):
            return _("News from %(authority)s") % {"authority": authority.name}

    def subtitle(self, obj):
        authority, language = obj
        with override(language):
            return _("Closures, changes in the law and new services.")

    def link(self, obj):
        return _news_url(self.request, obj[1])

    def feed_url(self, obj):
        return self.request.build_absolute_uri()

    def author_name(self, obj):
        # RFC 4287 4.1.1: a feed whose entries name no author must name one itself: the authority.
        return obj[0].name

    def feed_guid(self, obj):
        return _news_url(self.request, obj[1])

    def items(self, obj):
        authority, language = obj
        return selectors.current_news(authority, language, strict=True, limit=FEED_ITEMS)

    def item_title(self, item):
        return item.text.title

    def item_description(self, item):
        return item.text.body

    def item_link(self, item):
        return _entry_url(self.request, item.text.language, item)

    def item_guid(self, item):
        return f"urn:willkommen:news:{item.obj.authority_id}:{item.obj.pk}:{item.text.language}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return _published(item.obj)

    def item_updateddate(self, item):
        return item.obj.updated_at  # saving a text saves its item too (services.save_news)

    def item_categories(self, item):
        return [item.obj.kind]


def atom_feed(request):
    return NewsAtomFeed()(request)


def json_feed(request):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    authority = _authority(request)
    language = feed_language(request)
    items = selectors.current_news(authority, language, strict=True, limit=FEED_ITEMS)
    with override(language):
        title = _("News from %(authority)s") % {"authority": authority.name}
        description = _("Closures, changes in the law and new services.")
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "description": description,
        "home_page_url": _news_url(request, language),
        "feed_url": request.build_absolute_uri(),
        "language": language,
        "items": [
            {
                "id": f"urn:willkommen:news:{shown.obj.authority_id}:{shown.obj.pk}:{language}",
                "url": _entry_url(request, language, shown),
                "title": shown.text.title,
                "content_text": shown.text.body,
                "date_published": _published(shown.obj).isoformat(),
                "date_modified": shown.obj.updated_at.isoformat(),
                "tags": [shown.obj.kind],
                "language": language,
                **({"_visible_until": shown.obj.visible_until.isoformat()} if shown.obj.visible_until else {}),
            }
            for shown in items
        ],
    }
    response = JsonResponse(
        data, content_type="application/feed+json; charset=utf-8", json_dumps_params={"ensure_ascii": False}
    )
    return _public(request, response)

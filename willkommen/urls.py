"""Root URLs.

Every room (app) contributes its own pages through ``<app>/urls.py`` (portal pages at
``/``, staff pages under ``/desk/<app>/``) and its REST endpoints through
``<app>/api.py`` (mounted under ``/api/v1/``). Adding a room never touches this file
beyond the list below.
"""

from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from willkommen.core import views as core_views
from willkommen.rooms import ROOMS


def _room_patterns(module_suffix):
    patterns = []
    for room in ROOMS:
        dotted = f"willkommen.{room}.{module_suffix}"
        if find_spec(dotted) is None:
            continue
        module = import_module(dotted)
        if getattr(module, "urlpatterns", None):
            namespace = room if module_suffix == "urls" else f"api-{room}"
            patterns.append(path("", include((module.urlpatterns, namespace), namespace=namespace)))
    return patterns


# The admin (reference data for administrators) needs the second factor too.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Willkommen"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include(_room_patterns("api"))),
    *_room_patterns("urls"),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error

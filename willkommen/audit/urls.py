from django.urls import path

from . import office_views, views

urlpatterns = [
    path("desk/audit/", views.audit_log, name="log"),
    path("desk/audit/retention/", views.retention_runs, name="retention"),
    path("desk/office/", office_views.hub, name="office"),
    path("desk/office/history/", office_views.history, name="office_history"),
]

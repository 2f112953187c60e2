from django.urls import path

from . import views

urlpatterns = [
    path("desk/audit/", views.audit_log, name="log"),
    path("desk/audit/retention/", views.retention_runs, name="retention"),
]

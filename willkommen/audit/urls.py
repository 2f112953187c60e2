from django.urls import path

from . import views

urlpatterns = [path("desk/audit/", views.audit_log, name="log")]

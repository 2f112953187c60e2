from django.urls import path

from . import routing_views, views

urlpatterns = [
    path("checklist/", views.index, name="index"),
    path("checklist/<slug:slug>/", views.questions, name="questions"),
    path("checklist/<slug:slug>/result/", views.result, name="result"),
    path("checklist/<slug:slug>/checklist.pdf", views.pdf, name="pdf"),
    path("desk/office/routing/", routing_views.rule_list, name="routing"),
    path("desk/office/routing/new/", routing_views.rule_new, name="routing_new"),
    path("desk/office/routing/<int:pk>/", routing_views.rule_edit, name="routing_edit"),
    path("desk/office/routing/<int:pk>/delete/", routing_views.rule_delete, name="routing_delete"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("desk/clients/", views.person_list, name="list"),
    path("desk/clients/new/", views.person_create, name="create"),
    path("desk/clients/<int:pk>/", views.person_detail, name="detail"),
    path("desk/clients/<int:pk>/edit/", views.person_edit, name="edit"),
    path("desk/clients/<int:pk>/residence/", views.residence_add, name="residence_add"),
    path("desk/clients/<int:pk>/residence/<int:entry_id>/confirm/", views.residence_confirm, name="residence_confirm"),
    path("desk/clients/<int:pk>/duplicates/", views.duplicates, name="duplicates"),
    path("desk/clients/<int:pk>/merge/", views.merge, name="merge"),
]

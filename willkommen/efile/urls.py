from django.urls import path

from . import views

urlpatterns = [
    path("desk/efile/", views.search, name="search"),
    path("desk/efile/person/<int:person_id>/", views.person_file, name="file"),
    path("desk/efile/person/<int:person_id>/export.zip", views.export, name="export"),
    path("desk/efile/document/<int:pk>/", views.document, name="document"),
    path("desk/efile/document/<int:pk>/content/", views.content, name="content"),
    path("desk/efile/document/<int:pk>/preview/", views.preview, name="preview"),
    path("desk/efile/document/<int:pk>/verify/", views.verify, name="verify"),
]

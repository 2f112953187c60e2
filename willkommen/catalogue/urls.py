from django.urls import path

from . import views

urlpatterns = [
    path("checklist/", views.index, name="index"),
    path("checklist/<slug:slug>/", views.questions, name="questions"),
    path("checklist/<slug:slug>/result/", views.result, name="result"),
    path("checklist/<slug:slug>/checklist.pdf", views.pdf, name="pdf"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/<str:code>/", views.language, name="language"),
    path("privacy/", views.privacy, name="privacy"),
    path("desk/", views.desk_home, name="desk_home"),
]

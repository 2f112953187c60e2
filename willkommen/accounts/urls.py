from django.urls import path

from . import views

urlpatterns = [
    path("desk/login/", views.login, name="login"),
    path("desk/login/verify/", views.verify, name="verify"),
    path("desk/login/setup/", views.setup, name="setup"),
    path("desk/logout/", views.logout, name="logout"),
    path("signin/", views.magic_link, name="magic_link"),
    path("signin/<str:token>/", views.magic_link_enter, name="magic_link_enter"),
    path("signout/", views.client_sign_out, name="client_sign_out"),
]

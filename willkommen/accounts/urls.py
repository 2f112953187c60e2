from django.urls import path

from . import integration_views, office_views, sso_views, views

urlpatterns = [
    path("desk/login/", views.login, name="login"),
    path("desk/login/verify/", views.verify, name="verify"),
    path("desk/login/setup/", views.setup, name="setup"),
    path("desk/login/sso/<int:pk>/", sso_views.sso_start, name="sso_start"),
    path("desk/login/sso/<int:pk>/callback/", sso_views.sso_callback, name="sso_callback"),
    path("desk/logout/", views.logout, name="logout"),
    path("signin/", views.magic_link, name="magic_link"),
    path("signin/oidc/<int:pk>/", sso_views.client_start, name="client_sso_start"),
    path("signin/oidc/<int:pk>/callback/", sso_views.client_callback, name="client_sso_callback"),
    path("signin/<str:token>/", views.magic_link_enter, name="magic_link_enter"),
    path("signout/", views.client_sign_out, name="client_sign_out"),
    path("desk/office/staff/", office_views.teams_and_staff, name="office_staff"),
    path("desk/office/staff/<int:pk>/", office_views.staff_edit, name="office_staff_edit"),
    path("desk/office/staff/<int:pk>/active/", office_views.staff_active, name="office_staff_active"),
    path("desk/office/teams/new/", office_views.team_new, name="office_team_new"),
    path("desk/office/teams/<int:pk>/", office_views.team_edit, name="office_team_edit"),
    path("desk/integrations/", integration_views.integration_list, name="integrations"),
    path("desk/integrations/new/", integration_views.integration_new, name="integration_new"),
    path("desk/integrations/<int:pk>/", integration_views.integration_detail, name="integration"),
    path("desk/integrations/<int:pk>/edit/", integration_views.integration_edit, name="integration_edit"),
    path("desk/integrations/<int:pk>/active/", integration_views.integration_active, name="integration_active"),
    path("desk/integrations/<int:pk>/tokens/", integration_views.token_new, name="token_new"),
    path(
        "desk/integrations/<int:pk>/tokens/<int:token_id>/rotate/",
        integration_views.token_rotate,
        name="token_rotate",
    ),
    path(
        "desk/integrations/<int:pk>/tokens/<int:token_id>/revoke/",
        integration_views.token_revoke,
        name="token_revoke",
    ),
]

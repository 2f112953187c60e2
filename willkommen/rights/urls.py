from django.urls import path

from . import views

urlpatterns = [
    path("desk/rights/", views.candidates, name="candidates"),
    path("desk/rights/person/<int:pk>/", views.person, name="person"),
    path("desk/rights/outcome/<int:pk>/invite/", views.invite, name="invite"),
    path("desk/rights/invite/", views.invite_selected, name="invite_selected"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("desk/accommodation/", views.accommodation_list, name="list"),
    path("desk/accommodation/new/", views.accommodation_create, name="create"),
    path("desk/accommodation/<int:pk>/", views.accommodation_detail, name="detail"),
    path("desk/accommodation/<int:pk>/edit/", views.accommodation_edit, name="edit"),
    path("desk/accommodation/<int:pk>/place/", views.place, name="place"),
    path("desk/accommodation/placement/<int:pk>/", views.placement_detail, name="placement"),
    path("desk/accommodation/placement/<int:pk>/move/", views.placement_move, name="move"),
    path("desk/accommodation/placement/<int:pk>/move-out/", views.placement_move_out, name="move_out"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("desk/contact/hours/", views.hours, name="hours"),
    path("desk/contact/hours/<int:pk>/delete/", views.delete_hour, name="delete_hour"),
    path("desk/contact/callbacks/", views.callbacks, name="callbacks"),
    path("desk/contact/callbacks/<int:pk>/close/", views.close_callback, name="close_callback"),
]

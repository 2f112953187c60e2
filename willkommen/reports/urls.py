from django.urls import path

from . import views

urlpatterns = [
    path("desk/reports/servicepoint/", views.servicepoint_figures, name="servicepoint"),
    path("desk/reports/servicepoint/export.csv", views.servicepoint_csv, name="servicepoint_csv"),
    path("desk/reports/servicepoint/export.xlsx", views.servicepoint_xlsx, name="servicepoint_xlsx"),
]

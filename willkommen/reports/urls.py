from django.urls import path

from . import appointment_views, casework_views, views

urlpatterns = [
    path("desk/reports/servicepoint/", views.servicepoint_figures, name="servicepoint"),
    path("desk/reports/servicepoint/export.csv", views.servicepoint_csv, name="servicepoint_csv"),
    path("desk/reports/servicepoint/export.xlsx", views.servicepoint_xlsx, name="servicepoint_xlsx"),
    path("desk/reports/cases/", casework_views.casework_figures, name="casework"),
    path("desk/reports/cases/export.csv", casework_views.casework_csv, name="casework_csv"),
    path("desk/reports/cases/export.xlsx", casework_views.casework_xlsx, name="casework_xlsx"),
    path("desk/reports/appointments/", appointment_views.appointment_figures, name="appointments"),
    path("desk/reports/appointments/export.csv", appointment_views.appointment_csv, name="appointments_csv"),
    path("desk/reports/appointments/export.xlsx", appointment_views.appointment_xlsx, name="appointments_xlsx"),
    path("desk/reports/cases/monthly.pdf", casework_views.casework_pdf, name="casework_pdf"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("servicepoint/kiosk/<str:key>/", views.kiosk, name="kiosk"),
    path("servicepoint/kiosk/<str:key>/ticket/", views.kiosk_ticket, name="kiosk_ticket"),
    path("servicepoint/kiosk/<str:key>/check-in/", views.kiosk_check_in, name="kiosk_check_in"),
    path("servicepoint/ticket/<uuid:public_id>/", views.ticket_page, name="ticket"),
    path("servicepoint/ticket/<uuid:public_id>/sms/", views.ticket_sms, name="ticket_sms"),
    path("servicepoint/display/<str:key>/", views.display, name="display"),
    path("servicepoint/display/<str:key>/board/", views.display_board, name="display_board"),
    path("desk/servicepoint/", views.desk, name="desk"),
    path("desk/servicepoint/issue/", views.desk_issue, name="desk_issue"),
    path("desk/servicepoint/check-in/", views.desk_check_in, name="desk_check_in"),
    path("desk/servicepoint/call/", views.desk_call, name="desk_call"),
    path("desk/servicepoint/ticket/<int:pk>/<str:action>/", views.desk_ticket_action, name="ticket_action"),
    path("desk/servicepoint/drop-off/", views.drop_off, name="drop_off"),
    path("desk/servicepoint/drop-off/<int:pk>/", views.drop_off_detail, name="drop_off_detail"),
    path("desk/servicepoint/drop-off/<int:pk>/receipt.pdf", views.drop_off_receipt, name="drop_off_receipt"),
    path("desk/servicepoint/drop-off/<int:pk>/email/", views.drop_off_email, name="drop_off_email"),
]

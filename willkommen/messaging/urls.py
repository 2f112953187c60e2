from django.urls import path

from . import phone_views, template_views, views

urlpatterns = [
    path("messages/", views.portal_thread, name="portal_thread"),
    path("messages/attachments/<uuid:key>/", views.portal_attachment, name="portal_attachment"),
    path("messages/number/", phone_views.portal_number, name="portal_number"),
    path("messaging/sms/incoming/", phone_views.sms_webhook, name="sms_webhook"),
    path("desk/messaging/person/<int:pk>/number/", phone_views.desk_add_number, name="desk_add_number"),
    path("desk/messaging/", views.desk_overview, name="desk_overview"),
    path("desk/messaging/person/<int:pk>/", views.desk_thread, name="desk_thread"),
    path("desk/messaging/person/<int:pk>/reply/", views.desk_reply, name="desk_reply"),
    path("desk/messaging/person/<int:pk>/phone-note/", views.desk_phone_note, name="desk_phone_note"),
    path("desk/messaging/attachments/<uuid:key>/", views.desk_attachment, name="desk_attachment"),
    path("desk/messaging/inbox/", views.desk_inbox, name="desk_inbox"),
    path("desk/messaging/inbox/<int:pk>/assign/", views.desk_assign, name="desk_assign"),
    path("desk/messaging/failures/", views.desk_failures, name="desk_failures"),
    path("desk/messaging/failures/<int:pk>/retry/", views.desk_retry, name="desk_retry"),
    path("desk/messaging/print/", views.desk_print_queue, name="desk_print_queue"),
    path("desk/messaging/print/<int:pk>/printed/", views.desk_printed, name="desk_printed"),
    path("desk/messaging/notices/", views.desk_notices, name="desk_notices"),
    path("desk/messaging/notices/<int:pk>/", views.desk_notice, name="desk_notice"),
    path("desk/messaging/templates/", template_views.overview, name="desk_templates"),
    path("desk/messaging/templates/<slug:key>/", template_views.detail, name="desk_template"),
    path("desk/messaging/templates/<slug:key>/<slug:language>/", template_views.edit, name="desk_template_edit"),
    path("desk/messaging/interpreters/", views.desk_interpreters, name="desk_interpreters"),
    path("desk/messaging/interpreters/book/", views.desk_book_interpreter, name="desk_book_interpreter"),
]

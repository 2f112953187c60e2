from django.urls import path

from . import notices, partner_views, portal_appointments, portal_documents, portal_messages, portal_views, views

urlpatterns = [
    path("consents/", portal_views.client_consents, name="client_consents"),
    path("consents/<int:pk>/revoke/", portal_views.client_revoke, name="client_revoke"),
    path("desk/partners/requests/", views.requests_list, name="requests"),
    path("desk/partners/requests/<int:pk>/", views.request_detail, name="request"),
    path("desk/partners/requests/<int:pk>/answer/", views.answer, name="answer"),
    path("desk/partners/cases/<int:case_id>/request/", views.new_request, name="new_request"),
    path("desk/partners/incoming/", views.incoming, name="incoming"),
    path("desk/partners/figures/", views.figures, name="figures"),
    path("desk/partners/types/", views.types, name="types"),
    path("desk/partners/types/<slug:recipient_type>/", views.type_edit, name="type_edit"),
    path("desk/partners/portal/", partner_views.portal, name="portal"),
    path("desk/partners/portal/clients/<int:person_id>/", partner_views.portal_client, name="portal_client"),
    path("desk/partners/portal/clients/<int:person_id>/upload/", partner_views.portal_upload, name="portal_upload"),
    path(
        "desk/partners/portal/clients/<int:person_id>/missing/",
        portal_documents.answer_missing,
        name="answer_missing",
    ),
    path(
        "desk/partners/portal/clients/<int:person_id>/letters/<int:pk>/",
        portal_documents.letter_download,
        name="letter",
    ),
    path("desk/partners/portal/clients/<int:person_id>/messages/", portal_messages.partner_write, name="partner_write"),
    path("desk/partners/portal/clients/<int:person_id>/book/", portal_appointments.book, name="book"),
    path(
        "desk/partners/portal/clients/<int:person_id>/appointments/<int:pk>/cancel/",
        portal_appointments.cancel,
        name="booking_cancel",
    ),
    path(
        "desk/partners/portal/consents/<int:pk>/revoke/",
        partner_views.organisation_revoke,
        name="organisation_revoke",
    ),
    path(
        "desk/partners/cases/<int:case_id>/messages/<int:organisation_id>/",
        portal_messages.staff_reply,
        name="staff_reply",
    ),
    path("desk/partners/notices/", notices.notices, name="notices"),
    path("desk/partners/persons/<int:person_id>/consents/", partner_views.record, name="consent_record"),
    path("desk/partners/consents/<int:pk>/revoke/", partner_views.revoke, name="consent_revoke"),
]

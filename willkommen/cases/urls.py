from django.urls import path

from . import law_views, output_views, views

urlpatterns = [
    path("desk/cases/", views.queue, name="queue"),
    path("desk/cases/approvals/", views.approvals, name="approvals"),
    path("desk/cases/team/", views.team, name="team"),
    path("desk/cases/new/", views.open_new, name="open"),
    path("desk/cases/law-changes/", law_views.law_change_list, name="law_changes"),
    path("desk/cases/law-changes/new/", law_views.law_change_new, name="law_change_new"),
    path("desk/cases/law-changes/<int:pk>/", law_views.law_change_edit, name="law_change"),
    path("desk/cases/<int:pk>/", views.detail, name="detail"),
    path("desk/cases/<int:pk>/do/<slug:name>/", views.take_transition, name="transition"),
    path("desk/cases/<int:pk>/note/", views.add_note, name="note"),
    path("desk/cases/<int:pk>/message/", views.write_message, name="message"),
    path("desk/cases/<int:pk>/priorities/", views.set_flags, name="flags"),
    path("desk/cases/<int:pk>/request-documents/", views.request_documents, name="request_documents"),
    path("desk/cases/<int:pk>/decision/", views.decision, name="decision"),
    path("desk/cases/<int:pk>/decision/review/", views.review, name="review"),
    path("desk/cases/<int:pk>/decision/preview.pdf", views.decision_preview, name="decision_preview"),
    path("desk/cases/<int:pk>/fiktion/", output_views.fiktion, name="fiktion"),
    path(
        "desk/cases/<int:pk>/fiktion/<int:certificate_id>/extend/", output_views.extend_fiktion, name="extend_fiktion"
    ),
    path("desk/cases/<int:pk>/letters/<int:letter_id>/", output_views.letter_pdf, name="letter"),
    path("desk/cases/<int:pk>/transfer/", output_views.transfer, name="transfer"),
    path("desk/cases/<int:pk>/export.json", output_views.export, name="export"),
]

from django.urls import path

from . import my_matters, views

urlpatterns = [
    path("apply/", views.index, name="index"),
    path("apply/start/<slug:slug>/", views.start, name="start"),
    path("apply/resume/", views.resume, name="resume"),
    path("apply/mine/", views.mine, name="mine"),
    path("apply/<uuid:public_id>/personal/", views.personal, name="personal"),
    path("apply/<uuid:public_id>/questions/", views.questions, name="questions"),
    path("apply/<uuid:public_id>/documents/", views.documents, name="documents"),
    path("apply/<uuid:public_id>/review/", views.review, name="review"),
    path("apply/<uuid:public_id>/save/", views.save_for_later, name="save"),
    path("apply/<uuid:public_id>/receipt/", views.receipt, name="receipt"),
    path("apply/<uuid:public_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("my/", my_matters.my_matters, name="my_matters"),
    path("status/", views.status_login, name="status_login"),
    path("status/case/", views.status, name="status"),
    path("status/upload/", views.status_upload, name="status_upload"),
    path("status/callback/", views.status_callback, name="status_callback"),
    path("status/letter/<int:pk>.pdf", views.status_letter, name="status_letter"),
    path("status/my-data.zip", views.status_export, name="status_export"),
]

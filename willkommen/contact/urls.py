from django.urls import path

from . import views, voice_views

urlpatterns = [
    path("desk/contact/hours/", views.hours, name="hours"),
    path("desk/contact/hours/<int:pk>/delete/", views.delete_hour, name="delete_hour"),
    path("desk/contact/callbacks/", views.callbacks, name="callbacks"),
    path("desk/contact/callbacks/<int:pk>/close/", views.close_callback, name="close_callback"),
    path("desk/contact/feedback/", voice_views.feedback_queue, name="feedback_queue"),
    path("desk/contact/feedback/<int:pk>/answer/", voice_views.answer_feedback, name="answer_feedback"),
    path("desk/contact/feedback/<int:pk>/reply.pdf", voice_views.reply_letter, name="reply_letter"),
    path("feedback/", voice_views.feedback_form, name="feedback"),
    path("survey/<str:token>/", voice_views.survey_answer, name="survey"),
]

from django.urls import path

from . import desk, renewal_desk, views

urlpatterns = [
    # Portal (clients)
    path("appointments/", views.index, name="index"),
    path("appointments/challenge/", views.challenge, name="challenge"),
    path("appointments/held/<str:reference>/", views.held, name="held"),
    path("appointments/invitation/<str:token>/", views.invitation, name="invitation"),
    path("appointments/renew/<str:token>/", views.renew, name="renew"),
    path("appointments/booking/<str:reference>/<str:token>/", views.detail, name="detail"),
    path("appointments/booking/<str:reference>/<str:token>/confirm/", views.confirm, name="confirm"),
    path("appointments/booking/<str:reference>/<str:token>/cancel/", views.cancel, name="cancel"),
    path("appointments/booking/<str:reference>/<str:token>/move/", views.move, name="move"),
    path("appointments/booking/<str:reference>/<str:token>/appointment.ics", views.ics, name="ics"),
    path("appointments/booking/<str:reference>/<str:token>/appointment.pdf", views.pdf, name="pdf"),
    path("appointments/<slug:slug>/", views.questions, name="questions"),
    path("appointments/<slug:slug>/times/", views.times, name="times"),
    path("appointments/<slug:slug>/book/<int:slot_id>/", views.book, name="book"),
    path("appointments/<slug:slug>/request/", views.allocation_request, name="request"),
    # Desk (staff)
    path("desk/appointments/", desk.calendar, name="desk"),
    path("desk/appointments/week/", desk.week, name="desk-week"),
    path("desk/appointments/day-list/", desk.day_list, name="desk-day-list"),
    path("desk/appointments/book/<int:slot_id>/", desk.book_on_behalf, name="desk-book"),
    path("desk/appointments/invite/", desk.invite, name="desk-invite"),
    path("desk/appointments/invite/person/<int:pk>/", renewal_desk.invite_person, name="desk-invite-person"),
    path("desk/appointments/renewals/", renewal_desk.renewal_list, name="desk-renewals"),
    path("desk/appointments/renewals/invite/", renewal_desk.renewal_invite, name="desk-renewals-invite"),
    path("desk/appointments/bookings/<int:pk>/", desk.booking_detail, name="desk-booking"),
    path("desk/appointments/bookings/<int:pk>/mark/", desk.mark, name="desk-mark"),
    path("desk/appointments/bookings/<int:pk>/cancel/", desk.cancel, name="desk-cancel"),
    path("desk/appointments/bookings/<int:pk>/move/", desk.move, name="desk-move"),
    path("desk/appointments/bookings/<int:pk>/follow-up/", desk.follow_up, name="desk-follow-up"),
]

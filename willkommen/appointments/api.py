"""Public appointment API: free slots and days (compact, cached for a few seconds, with ETags), booking
(201 / 409 gone / 400 field errors / 429, on the lean path of :mod:`.public_booking`), confirm, cancel and
move with the booking's secret token (sent only by e-mail), allocation-mode requests. Every limit is a
setting (:mod:`.limits`)."""

import datetime as dt
import hashlib

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from willkommen.catalogue.models import Anliegen
from willkommen.core import ratelimit, serializers
from willkommen.core.replica import heavy_reads
from willkommen.tenancy.models import Location

from . import allocation, availability, intake, limits, protection, public_booking, selectors, services, summary
from .forms import AllocationRequestForm
from .views import portal_url

MAX_DAYS = 92


class PublicThrottle(BaseThrottle):
    """``APPOINTMENTS_READ_RATE_LIMIT`` requests per minute and address (challenge, free slots and days)."""

    def allow_request(self, request, view):
        return limits.hit("appointments-read", ratelimit.client_address(request), limits.read_limit())

    def wait(self):
        return limits.WINDOW


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicThrottle]


class SlotLocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SlotDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    location = serializers.IntegerField()
    slots = serializers.ListField(
        child=serializers.ListField(),
        help_text='Each time as [slot id, "HH:MM" (local time), free places], in time order.',
    )


class SlotsSerializer(serializers.Serializer):
    anliegen = serializers.SlugField()
    time_zone = serializers.CharField(help_text="The times of day are local times in this time zone.")
    minutes = serializers.IntegerField(help_text="Length of an appointment.")
    locations = SlotLocationSerializer(many=True)
    days = SlotDaySerializer(many=True, help_text="Days with at least one free place, by day and location.")


class DaySerializer(serializers.Serializer):
    location = serializers.IntegerField()
    day = serializers.DateField()
    slots = serializers.IntegerField(help_text="Times with at least one free place.")
    places = serializers.IntegerField(help_text="Free places over those times.")


class BookingRequestSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
    anliegen = serializers.SlugField()
    family_name = serializers.CharField(max_length=150)
    given_names = serializers.CharField(max_length=150, required=False, allow_blank=True)
    date_of_birth = serializers.DateField()
    email = serializers.EmailField()
    passport_number = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="Optional. Stored only as a keyed hash; one active booking per passport and Anliegen.",
    )
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    language = serializers.CharField(max_length=8, required=False)
    interpreter_needed = serializers.BooleanField(required=False)
    interpreter_language = serializers.CharField(max_length=50, required=False, allow_blank=True)
    answers = serializers.DictField(child=serializers.CharField(max_length=40), required=False)
    altcha = serializers.CharField(required=False, allow_blank=True, help_text="ALTCHA v2 payload (base64).")


class BookingSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    starts_at = serializers.DateTimeField()
    location = serializers.IntegerField(source="location_id")
    hold_expires_at = serializers.DateTimeField(allow_null=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100)


class MoveSerializer(TokenSerializer):
    slot = serializers.IntegerField()


class AllocationRequestSerializer(serializers.Serializer):
    family_name = serializers.CharField(max_length=150)
    given_names = serializers.CharField(max_length=150, required=False, allow_blank=True)
    date_of_birth = serializers.DateField()
    email = serializers.EmailField()
    language = serializers.CharField(max_length=8, required=False)
    earliest = serializers.DateField()
    latest = serializers.DateField()
    permit_expires = serializers.DateField(required=False, allow_null=True)


ERROR = inline_serializer("AppointmentError", {"detail": serializers.CharField(), "code": serializers.CharField()})


def _error(exc):
    return Response(
        {"detail": exc.message, "code": exc.code, **({"errors": exc.errors} if exc.errors else {})}, status=exc.status
    )


def _anliegen(request, slug):
    anliegen = Anliegen.objects.filter(authority=request.authority, slug=slug or "", active=True).first()
    if request.authority is None or anliegen is None:
        raise NotFound(_("Unknown Anliegen."))
    return anliegen


def _date(value, name):
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError({name: [_("Use the format YYYY-MM-DD.")]}) from None


def _form_errors(form):
    return Response({"detail": _("Please check your entries."), "code": "invalid", "errors": form.errors}, status=400)


def _search_parameters(request):
    """Anliegen, location (or None), first and last day of a free-slot search; 400/404 for bad values."""
    anliegen = _anliegen(request, request.query_params.get("anliegen"))
    today = timezone.localdate()
    date_from = _date(request.query_params.get("date_from"), "date_from") or today
    date_to = _date(request.query_params.get("date_to"), "date_to") or date_from + dt.timedelta(days=30)
    if date_to < date_from or (date_to - date_from).days > MAX_DAYS:
        raise serializers.ValidationError({"date_to": [_("At most 92 days, not before date_from.")]})
    location = None
    if request.query_params.get("location"):
        try:
            location_id = int(request.query_params["location"])
        except ValueError:
            raise serializers.ValidationError({"location": [_("Unknown location.")]}) from None
        location = Location.objects.filter(authority=request.authority, pk=location_id).first()
        if location is None:
            raise NotFound(_("Unknown location."))
    return anliegen, location, date_from, date_to


def _cached(request, kind, build):
    """The answer ``build()`` (JSON bytes) for this request, cached for ``APPOINTMENTS_FREE_CACHE_SECONDS``
    under the authority's free-places version (a booking, cancellation or move makes a new version) and sent
    with an ETag: a client that has it gets 304."""
    seconds = limits.free_cache_seconds()
    version = summary.version(request.authority.pk)
    key = f"appointments:{kind}:{request.authority.pk}:{version}:{request.GET.urlencode()}"
    hit = cache.get(key) if seconds else None
    if hit is None:
        with heavy_reads():  # from the read replica when there is one
            body = build()
        hit = (f'"{hashlib.sha256(body).hexdigest()[:24]}"', body)
        if seconds:
            cache.set(key, hit, seconds)
    etag, body = hit
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={seconds}"
    return response


SEARCH_PARAMETERS = [
    OpenApiParameter("anliegen", OpenApiTypes.STR, required=True),
    OpenApiParameter("location", OpenApiTypes.INT),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
]


class Slots(PublicView):
    @extend_schema(parameters=SEARCH_PARAMETERS, responses={200: SlotsSerializer, 304: None, 400: ERROR, 404: ERROR})
    def get(self, request):
        """Free public places per location and day, each time with its slot id and free places (the urgent
        reserve once released; the waiting-room cap decided). Read from the maintained free-places summary;
        cached for a few seconds, with an ETag."""

        def build():
            anliegen, location, date_from, date_to = _search_parameters(request)
            days, locations = availability.public_days(
                request.authority, anliegen, location=location, date_from=date_from, date_to=date_to
            )
            return availability.slots_json(days, locations, anliegen)

        return _cached(request, "slots", build)


class Days(PublicView):
    @extend_schema(
        parameters=SEARCH_PARAMETERS, responses={200: DaySerializer(many=True), 304: None, 400: ERROR, 404: ERROR}
    )
    def get(self, request):
        """Per location and day: how many times have a free place and how many places (from the maintained
        summary; for an overview of many days and locations). Cached for a few seconds, with an ETag."""

        def build():
            anliegen, location, date_from, date_to = _search_parameters(request)
            days, _locations = availability.public_days(
                request.authority, anliegen, location=location, date_from=date_from, date_to=date_to, entries=False
            )
            return availability.days_json(days)

        return _cached(request, "days", build)


class Challenge(PublicView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """An ALTCHA v2 proof-of-work challenge; difficulty rises with the request rate of the address."""
        return Response(protection.new_challenge(ratelimit.client_address(request)))


@method_decorator(sensitive_post_parameters("passport_number"), name="dispatch")
class Bookings(PublicView):
    """The schema of the booking POST; the request itself is handled on the lean path
    (:func:`.public_booking.post`: no serializer, one round trip to the cache, one read for a place that is
    gone, one short transaction for one that is free), which :mod:`.booking_route` calls before the rest of the
    middleware. This view answers what reaches it: a POST without the route (tests of the view, a stack
    without the middleware), another method, a body that is not a JSON object."""

    throttle_classes = []  # limited per address, person and e-mail in public_booking (stricter without proof)

    def dispatch(self, request, *args, **kwargs):
        data = intake.body(request) if request.method == "POST" else None
        if data is not None:
            return public_booking.post(request, portal_url, data)
        # Not a POST, or a body that is not an object: DRF answers (405, or 400 with the parser's message).
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        request=BookingRequestSerializer,
        responses={
            201: BookingSerializer,
            400: OpenApiResponse(ERROR, description="Field errors, bad proof of work, past or unknown slot"),
            409: OpenApiResponse(ERROR, description="The place is gone, an active booking exists, or the e-mail limit"),
            429: OpenApiResponse(ERROR, description="Too many attempts from this address, person or e-mail"),
        },
    )
    def post(self, request):
        """Hold a place; the client confirms with the link sent by e-mail (the token is never in this answer)."""
        return public_booking.post(request._request, portal_url, request.data)


class TokenView(PublicView):
    def _limited(self, request):
        return not limits.hit("appointments-token", ratelimit.client_address(request), limits.token_limit())


class Confirm(TokenView):
    @extend_schema(request=TokenSerializer, responses={200: BookingSerializer, 404: ERROR, 409: ERROR, 410: ERROR})
    def post(self, request, reference):
        if self._limited(request):
            return Response({"detail": _("Too many attempts."), "code": "rate_limit"}, status=429)
        body = TokenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            booking = services.confirm(request.authority, reference, body.validated_data["token"])
        except services.BookingError as exc:
            return _error(exc)
        return Response(BookingSerializer(booking).data)


class Cancel(TokenView):
    @extend_schema(request=TokenSerializer, responses={200: BookingSerializer, 404: ERROR, 409: ERROR})
    def post(self, request, reference):
        if self._limited(request):
            return Response({"detail": _("Too many attempts."), "code": "rate_limit"}, status=429)
        body = TokenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            booking = services.cancel(request.authority, reference, body.validated_data["token"])
        except services.BookingError as exc:
            return _error(exc)
        return Response(BookingSerializer(booking).data)


class Move(TokenView):
    @extend_schema(request=MoveSerializer, responses={200: BookingSerializer, 400: ERROR, 404: ERROR, 409: ERROR})
    def post(self, request, reference):
        if self._limited(request):
            return Response({"detail": _("Too many attempts."), "code": "rate_limit"}, status=429)
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            booking = services.move(
                request.authority, reference, body.validated_data["token"], slot_id=body.validated_data["slot"]
            )
        except services.BookingError as exc:
            return _error(exc)
        return Response(BookingSerializer(booking).data)


class AllocationRequests(PublicView):
    @extend_schema(
        request=AllocationRequestSerializer,
        responses={201: OpenApiResponse(description="Request filed"), 400: ERROR, 404: ERROR, 409: ERROR},
    )
    def post(self, request, slug):
        """File a request in the open allocation round of an Anliegen (fair allocation mode)."""
        if not limits.hit("appointments-request", ratelimit.client_address(request), limits.request_limit()):
            return Response({"detail": _("Too many attempts."), "code": "rate_limit"}, status=429)
        anliegen = _anliegen(request, slug)
        current = selectors.open_round(request.authority, anliegen)
        if current is None:
            return Response({"detail": _("No request window is open."), "code": "closed"}, status=409)
        form = AllocationRequestForm(
            {k: v for k, v in request.data.items() if isinstance(v, str)}, authority=request.authority
        )
        if not form.is_valid():
            return _form_errors(form)
        try:
            allocation.file_request(request.authority, current, **form.cleaned_data)
        except services.BookingError as exc:
            return _error(exc)
        return Response({"detail": _("Request filed."), "closes_at": current.closes_at}, status=201)


urlpatterns = [
    path("appointments/slots/", Slots.as_view(), name="slots"),
    path("appointments/days/", Days.as_view(), name="days"),
    path("appointments/challenge/", Challenge.as_view(), name="challenge"),
    path("appointments/bookings/", Bookings.as_view(), name="bookings"),
    path("appointments/bookings/<str:reference>/confirm/", Confirm.as_view(), name="confirm"),
    path("appointments/bookings/<str:reference>/cancel/", Cancel.as_view(), name="cancel"),
    path("appointments/bookings/<str:reference>/move/", Move.as_view(), name="move"),
    path("appointments/allocation/<slug:slug>/requests/", AllocationRequests.as_view(), name="allocation-request"),
]

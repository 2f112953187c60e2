"""Public appointment API: free slots, booking (201 / 409 gone / 400 field errors / 429), confirm,
cancel and move with the booking's secret token (sent only by e-mail), allocation-mode requests."""

import datetime as dt

from django.urls import path
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from willkommen.catalogue.checklist import InvalidAnswers, parse_answers
from willkommen.catalogue.models import Anliegen
from willkommen.core import ratelimit
from willkommen.tenancy.models import Location

from . import allocation, protection, selectors, services
from .forms import AllocationRequestForm, DetailsForm
from .views import portal_url

MAX_DAYS = 92


class PublicThrottle(AnonRateThrottle):
    rate = "120/min"


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicThrottle]


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.IntegerField()
    location_name = serializers.CharField()
    free = serializers.IntegerField()


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


class Slots(PublicView):
    @extend_schema(
        parameters=[
            OpenApiParameter("anliegen", OpenApiTypes.STR, required=True),
            OpenApiParameter("location", OpenApiTypes.INT),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
        ],
        responses={200: SlotSerializer(many=True), 400: ERROR, 404: ERROR},
    )
    def get(self, request):
        """Free places per slot (public channel, including the released urgent reserve)."""
        anliegen, location, date_from, date_to = _search_parameters(request)
        slots = selectors.free_slots(
            request.authority, anliegen, location=location, date_from=date_from, date_to=date_to
        )
        data = [
            {
                "id": s.pk,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "location": s.location_id,
                "location_name": s.location_name,
                "free": s.free_places,
            }
            for s in slots
        ]
        return Response(SlotSerializer(data, many=True).data)


class Days(PublicView):
    @extend_schema(
        parameters=[
            OpenApiParameter("anliegen", OpenApiTypes.STR, required=True),
            OpenApiParameter("location", OpenApiTypes.INT),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
        ],
        responses={200: DaySerializer(many=True), 400: ERROR, 404: ERROR},
    )
    def get(self, request):
        """Per location and day: how many times have a free place and how many places (counted in the
        database; for an overview of many days and locations without listing every time)."""
        anliegen, location, date_from, date_to = _search_parameters(request)
        days = selectors.free_days(request.authority, anliegen, location=location, date_from=date_from, date_to=date_to)
        return Response(DaySerializer(days, many=True).data)


class Challenge(PublicView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """An ALTCHA v2 proof-of-work challenge; difficulty rises with the request rate of the address."""
        return Response(protection.new_challenge(ratelimit.client_address(request)))


@method_decorator(sensitive_post_parameters("passport_number"), name="dispatch")
class Bookings(PublicView):
    throttle_classes = []  # limited by protection.allow_booking_attempt (stricter without proof of work)

    @extend_schema(
        request=BookingRequestSerializer,
        responses={
            201: BookingSerializer,
            400: OpenApiResponse(ERROR, description="Field errors, bad proof of work, past or unknown slot"),
            409: OpenApiResponse(ERROR, description="The place is gone, or an active booking exists"),
            429: OpenApiResponse(ERROR, description="Too many attempts from this address"),
        },
    )
    def post(self, request):
        """Hold a place; the client confirms with the link sent by e-mail (the token is never in this answer)."""
        if request.authority is None:
            raise NotFound()
        address = ratelimit.client_address(request)
        payload = str(request.data.get("altcha") or "")
        proof = protection.verify(payload) if payload else False
        if payload and not proof:
            services.count_blocked(request.authority, "bad_proof_of_work")
            return Response({"detail": _("The proof of work is not valid."), "code": "proof_of_work"}, status=400)
        if not protection.allow_booking_attempt(address, proof):
            services.count_blocked(request.authority, "rate_limit")
            return Response({"detail": _("Too many attempts. Please wait a minute."), "code": "rate_limit"}, status=429)
        body = BookingRequestSerializer(data=request.data)
        if not body.is_valid():
            return Response(
                {"detail": _("Please check your entries."), "code": "invalid", "errors": body.errors}, status=400
            )
        data = body.validated_data
        anliegen = Anliegen.objects.filter(authority=request.authority, slug=data["anliegen"], active=True).first()
        if anliegen is None:
            return Response(
                {"detail": _("Unknown Anliegen."), "code": "invalid", "errors": {"anliegen": ["unknown"]}}, status=400
            )
        form = DetailsForm(
            {
                **{
                    k: data.get(k, "")
                    for k in ("family_name", "given_names", "email", "phone", "interpreter_language", "passport_number")
                },
                "date_of_birth": data["date_of_birth"].isoformat(),
                "language": data.get("language") or translation.get_language(),
                "interpreter_needed": data.get("interpreter_needed") or "",
            },
            authority=request.authority,
        )
        if not form.is_valid():
            return _form_errors(form)
        try:
            raw_answers = data.get("answers") or {}
            answers = parse_answers(anliegen.questions.all(), raw_answers) if raw_answers else {}
        except InvalidAnswers as exc:
            return Response(
                {"detail": _("Some answers are not valid."), "code": "invalid", "errors": {"answers": exc.errors}},
                status=400,
            )
        try:
            booking, _token = services.hold(
                request.authority,
                slot_id=data["slot"],
                anliegen=anliegen,
                answers=answers,
                proof_of_work=proof,
                portal_url=portal_url(request),
                **form.cleaned_data,
            )
        except services.BookingError as exc:
            return _error(exc)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class TokenView(PublicView):
    def _limited(self, request):
        return not ratelimit.hit("appointments-token", ratelimit.client_address(request), 30)


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
        if not ratelimit.hit("appointments-request", ratelimit.client_address(request), 5):
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

"""REST API of the ServicePoint.

Staff (token, or a session that passed the second factor; capability ``servicepoint.work``, as the
desk page): today's tickets of a location, issue a ticket, call the next one, finish one with an
outcome. Everything is filtered by the request's authority in SQL; another authority's location or
ticket is a 404. Refusals of the ServicePoint (closed, waiting room full, ticket changed) are 409
with the reason; bad input is 400 with field errors; nothing is changed either way.

Public (no sign-in, rate-limited like the other public endpoints): the call display state of a
location, addressed by its display key, and the estimated wait per category. No personal data.
"""

from django.conf import settings
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from willkommen.audit.services import record_read
from willkommen.core import serializers
from willkommen.core.drf import AddressRateThrottle

from . import selectors, services, sms
from .models import CATEGORY_LETTERS, WALK_IN_CATEGORIES, Category, Outcome, Priority, Status

TAGS = ["servicepoint"]

# --- serializers ------------------------------------------------------------------------------------


def choice(choices, **kwargs):
    """A ChoiceField whose values stay inline in the schema. drf-spectacular would otherwise turn
    them into named enum components, and our ``status``, ``outcome`` and ``category`` would collide
    with other rooms' enums of the same field name and rename theirs (``StatusA41Enum``). The
    ``allOf`` wrapper (with a description beside it, or drf-spectacular unwraps it again) is plain
    OpenAPI 3.0 and keeps the enum machine-readable."""
    values = [value for value, _label in choices]
    schema = {"allOf": [{"type": "string", "enum": values}], "description": "One of: " + ", ".join(values) + "."}
    field_class = extend_schema_field(schema)(type("ChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


class TicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(source="code", help_text="Shown on the ticket and the display, e.g. A007.")
    public_id = serializers.UUIDField(help_text="Address of the client's ticket page: /servicepoint/ticket/<id>/.")
    category = choice(Category.choices)
    priority = choice(Priority.choices)
    status = choice(Status.choices)
    language = serializers.CharField()
    appointment_at = serializers.DateTimeField(allow_null=True)
    booking_reference = serializers.CharField()
    issued_at = serializers.DateTimeField()
    called_at = serializers.DateTimeField(allow_null=True)
    served_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    counter = serializers.CharField()
    outcome = serializers.CharField()
    sms = serializers.SerializerMethodField(help_text="Whether the client left a mobile number (never shown).")
    ahead = serializers.SerializerMethodField(help_text="Waiting tickets: how many are called before this one.")
    estimated_wait_minutes = serializers.SerializerMethodField()

    def get_sms(self, ticket) -> bool:
        return bool(ticket.phone)

    def _position(self, ticket):
        return (self.context.get("positions") or {}).get(ticket.pk)

    def get_ahead(self, ticket) -> int | None:
        found = self._position(ticket)
        return found[0] if found else None

    def get_estimated_wait_minutes(self, ticket) -> int | None:
        found = self._position(ticket)
        return found[1] if found else None


class PhoneField(serializers.CharField):
    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        value = super().to_internal_value(data)
        try:
            return sms.normalise_phone(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class IssueSerializer(serializers.Serializer):
    category = choice([c for c in Category.choices if c[0] in WALK_IN_CATEGORIES])
    language = choice(settings.LANGUAGES, default="de", help_text="The client's language (ticket page, SMS).")
    urgent = serializers.BooleanField(default=False)
    phone = PhoneField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional mobile number for the SMS when the turn is near (E.164, e.g. +4915123456789).",
    )


class CallSerializer(serializers.Serializer):
    counter = serializers.CharField(max_length=30, help_text="The counter the client is called to.")


class FinishSerializer(serializers.Serializer):
    outcome = choice([c for c in Outcome.choices if c[0] != Outcome.NO_SHOW])


class CallRowSerializer(serializers.Serializer):
    number = serializers.CharField()
    counter = serializers.CharField()
    called_at = serializers.DateTimeField()


class CategoryWaitSerializer(serializers.Serializer):
    category = choice(Category.choices)
    letter = serializers.CharField()
    label = serializers.CharField()
    waiting = serializers.IntegerField()
    estimated_minutes = serializers.IntegerField(
        allow_null=True, help_text="For a ticket taken now; null for check-ins (called by appointment time)."
    )


class DisplaySerializer(serializers.Serializer):
    location = serializers.CharField()
    open = serializers.BooleanField()
    latest = CallRowSerializer(allow_null=True)
    calls = CallRowSerializer(many=True)
    waiting = CategoryWaitSerializer(many=True)


ERROR = inline_serializer(
    "ServicePointError",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "errors": serializers.DictField(required=False),
    },
)


def _invalid(serializer):
    return Response(
        {"detail": _("Please check your entries."), "code": "invalid", "errors": serializer.errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _refused(error):
    body = {"detail": error.message, "code": "refused"}
    if error.come_back_at:
        body["come_back_at"] = error.come_back_at
    return Response(body, status=status.HTTP_409_CONFLICT)


# --- staff --------------------------------------------------------------------------------------------


class StaffView(APIView):
    required_capability = "servicepoint.work"

    def location(self, request, location_id):
        found = selectors.location_of(request.authority, location_id)
        if found is None:
            raise NotFound(_("Unknown location."))
        return found

    def ticket_data(self, ticket, location, now=None):
        positions = services.waiting_positions(location, now)
        return TicketSerializer(ticket, context={"positions": positions}).data


class LocationTickets(StaffView):
    @extend_schema(
        tags=TAGS,
        summary="Today's tickets of a location",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values)],
        responses={200: TicketSerializer(many=True), 400: ERROR, 404: ERROR},
    )
    def get(self, request, location_id):
        location = self.location(request, location_id)
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in Status.values:
            return Response(
                {
                    "detail": _("Please check your entries."),
                    "code": "invalid",
                    "errors": {"status": [_("Unknown status.")]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        now = timezone.now()
        tickets = selectors.with_persons(request.authority, selectors.tickets_today(location, now, wanted))
        record_read(request, *tickets, purpose="ServicePoint tickets (API)")
        positions = services.waiting_positions(location, now)
        return Response(TicketSerializer(tickets, many=True, context={"positions": positions}).data)

    @extend_schema(
        tags=TAGS,
        summary="Issue a walk-in ticket",
        request=IssueSerializer,
        responses={
            201: TicketSerializer,
            400: OpenApiResponse(ERROR, description="Field errors (unknown category or language, bad mobile number)"),
            404: ERROR,
            409: OpenApiResponse(ERROR, description="Closed now, or the waiting room is full (with come_back_at)"),
        },
    )
    def post(self, request, location_id):
        location = self.location(request, location_id)
        body = IssueSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        data = body.validated_data
        try:
            ticket = services.issue_ticket(
                request.authority,
                location,
                data["category"],
                language=data["language"],
                urgent=data["urgent"],
                issued_by=request.user,
                phone=data["phone"],
            )
        except services.ServicePointError as error:
            return _refused(error)
        return Response(self.ticket_data(ticket, location), status=status.HTTP_201_CREATED)


class CallNext(StaffView):
    @extend_schema(
        tags=TAGS,
        summary="Call the next ticket to a counter",
        request=CallSerializer,
        responses={
            200: TicketSerializer,
            204: OpenApiResponse(description="Nobody is waiting"),
            400: ERROR,
            404: ERROR,
        },
    )
    def post(self, request, location_id):
        location = self.location(request, location_id)
        body = CallSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        try:
            ticket = services.call_next(
                request.authority, location, counter=body.validated_data["counter"], staff=request.user
            )
        except services.ServicePointError as error:
            return Response(
                {"detail": error.message, "code": "invalid", "errors": {"counter": [error.message]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.ticket_data(ticket, location))


class Finish(StaffView):
    @extend_schema(
        tags=TAGS,
        summary="Finish a called or served ticket with its outcome",
        request=FinishSerializer,
        responses={
            200: TicketSerializer,
            400: ERROR,
            404: ERROR,
            409: OpenApiResponse(ERROR, description="The ticket is not called or being served (any more)"),
        },
    )
    def post(self, request, pk):
        ticket = selectors.ticket(request.authority, pk)
        if ticket is None:
            raise NotFound(_("Unknown ticket."))
        body = FinishSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        try:
            ticket = services.finish(ticket, body.validated_data["outcome"], staff=request.user)
        except services.ServicePointError as error:
            return _refused(error)
        return Response(self.ticket_data(ticket, ticket.location))


# --- public ---------------------------------------------------------------------------------------------


class PublicThrottle(AddressRateThrottle):
    rate = "120/min"


class Display(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicThrottle]

    @extend_schema(
        tags=TAGS,
        summary="Call display state and estimated waits (public)",
        description="The numbers called now with their counters, newest first, and per category how many wait "
        "and how long a ticket taken now would wait. Addressed by the display key of the location's "
        "waiting-room screen. No personal data.",
        parameters=[OpenApiParameter("lang", OpenApiTypes.STR, description="Language of the category labels")],
        responses={200: DisplaySerializer, 400: ERROR, 404: ERROR, 429: ERROR},
        auth=[],
    )
    def get(self, request, key):
        station = selectors.station_by_display_key(request.authority, key) if request.authority else None
        if station is None:
            raise NotFound()
        language = request.query_params.get("lang") or translation.get_language() or "de"
        if language not in dict(settings.LANGUAGES):
            return Response(
                {
                    "detail": _("Please check your entries."),
                    "code": "invalid",
                    "errors": {"lang": [_("Unknown language.")]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        location = station.location
        now = timezone.now()
        calls = [
            {"number": t.code, "counter": t.counter, "called_at": t.called_at}
            for t in selectors.recent_calls(location, now)
        ]
        with translation.override(language):
            waiting = [
                {**row, "label": str(row["label"]), "letter": CATEGORY_LETTERS[row["category"]]}
                for row in services.waiting_by_category(location, now)
            ]
        data = {
            "location": location.name,
            "open": services.is_open(location, now),
            "latest": calls[0] if calls else None,
            "calls": calls,
            "waiting": waiting,
        }
        return Response(DisplaySerializer(data).data)


urlpatterns = [
    path("servicepoint/locations/<int:location_id>/tickets/", LocationTickets.as_view(), name="tickets"),
    path("servicepoint/locations/<int:location_id>/call-next/", CallNext.as_view(), name="call-next"),
    path("servicepoint/tickets/<int:pk>/finish/", Finish.as_view(), name="finish"),
    path("servicepoint/display/<str:key>/", Display.as_view(), name="display"),
]

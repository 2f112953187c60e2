"""API of the accommodation room. Arrivals (below) are announced here by the central reception authority
(scope ``accommodation`` write, acting as accommodation management) and read with their proposals.

The occupancy of the authority's accommodations, for the city's
crisis staff (an integration account acting as accommodation management, scope ``accommodation``
read, or a verified staff session holding ``accommodation.view``). Figures only, no person: nothing to
audit per person (each token use is audited by the authentication). Scoped to the request's authority
in SQL; another authority's accommodation is 404. One query whatever the number of accommodations."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from willkommen.core import serializers

from . import arrivals, selectors
from .services import AccommodationError


class OccupancySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    active = serializers.BooleanField(read_only=True, help_text="Inactive accommodations take no new residents.")
    beds = serializers.IntegerField(read_only=True, help_text="All beds, of every kind, blocked included.")
    occupied = serializers.IntegerField(read_only=True, help_text="Beds with a current resident.")
    normal_free = serializers.IntegerField(read_only=True, help_text="Free normal beds (for ordinary placements).")
    reserve_free = serializers.IntegerField(
        read_only=True, help_text="Free emergency reserve beds: free only for isolation and quarantine."
    )
    isolation_free = serializers.IntegerField(read_only=True, help_text="Free isolation and quarantine beds.")
    blocked = serializers.IntegerField(read_only=True, help_text="Blocked beds (neither free nor occupied).")


def _data(accommodation):
    return {
        "id": accommodation.pk,
        "name": accommodation.name,
        "address": accommodation.address,
        "active": accommodation.active,
        **selectors.occupancy_row(accommodation),
    }


class OccupancyView(APIView):
    required_capability = "accommodation.view"
    pagination_class = None


class OccupancyList(OccupancyView):
    @extend_schema(
        responses=OccupancySerializer(many=True),
        summary="Occupancy of every accommodation of the authority",
        description="Beds by state per accommodation, ordered by name (not paginated: one row per house).",
    )
    def get(self, request):
        rows = selectors.with_occupancy(request.authority)
        return Response(OccupancySerializer([_data(a) for a in rows], many=True).data)


class OccupancyDetail(OccupancyView):
    @extend_schema(responses=OccupancySerializer, summary="Occupancy of one accommodation")
    def get(self, request, pk):
        found = selectors.with_occupancy(request.authority, pk=pk).first() if pk < 2**63 else None
        if found is None:
            raise NotFound()
        return Response(OccupancySerializer(_data(found)).data)


# --- arrivals (issue 19 item 6): the central reception authority announces, the crisis staff reads ---


class ProposalSerializer(serializers.Serializer):
    accommodation_id = serializers.IntegerField(read_only=True)
    accommodation_name = serializers.CharField(read_only=True)
    rooms = serializers.ListField(child=serializers.CharField(), read_only=True)
    together = serializers.BooleanField(read_only=True, help_text="The whole household in one room.")


class ArrivalSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(max_length=50, help_text="The central reception authority's allocation number.")
    household_size = serializers.IntegerField(min_value=1, max_value=30)
    women = serializers.IntegerField(min_value=0, max_value=30, default=0, help_text="Of whom women and girls.")
    children = serializers.IntegerField(min_value=0, max_value=30, default=0, help_text="Of whom minors.")
    needs = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    expected_on = serializers.DateField()
    origin = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    state = serializers.CharField(read_only=True)
    accommodation_id = serializers.IntegerField(read_only=True, allow_null=True)
    proposal = ProposalSerializer(read_only=True, allow_null=True)

    def validate(self, attrs):
        for field in ("women", "children"):
            if attrs.get(field, 0) > attrs["household_size"]:
                raise serializers.ValidationError({field: _("This cannot be more than the household size.")})
        return attrs


def _arrival_data(arrival, proposal=None):
    return {
        **{f: getattr(arrival, f) for f in ("id", "reference", "household_size", "women", "children", "needs")},
        "expected_on": arrival.expected_on,
        "origin": arrival.origin,
        "state": arrival.state,
        "accommodation_id": arrival.accommodation_id,
        "proposal": vars(proposal) if proposal else None,
    }


class ArrivalList(APIView):
    """Announced arrivals with their proposals (GET); announce one (POST, idempotent by ``reference``)."""

    pagination_class = None

    @property
    def required_capability(self):
        request = getattr(self, "request", None)
        return "accommodation.view" if request is None or request.method in SAFE_METHODS else "accommodation.manage"

    @extend_schema(
        responses=ArrivalSerializer(many=True),
        summary="Announced arrivals, by expected day, with the fitting free beds",
    )
    def get(self, request):
        announced = list(selectors.arrivals(request.authority))
        proposals = selectors.proposals(request.authority, announced)
        data = [_arrival_data(a, proposals.get(a.pk)) for a in announced]
        return Response(ArrivalSerializer(data, many=True).data)

    @extend_schema(
        request=ArrivalSerializer,
        responses={201: ArrivalSerializer, 200: ArrivalSerializer, 409: None},
        summary="Announce an arrival (the same allocation number again changes it while it is open)",
    )
    def post(self, request):
        serializer = ArrivalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            arrival, created = arrivals.announce(request.authority, actor=request.user, **serializer.validated_data)
        except AccommodationError as error:
            return Response({"detail": error.message, "code": error.code}, status=409)
        return Response(ArrivalSerializer(_arrival_data(arrival)).data, status=201 if created else 200)


class ArrivalDetail(APIView):
    required_capability = "accommodation.view"
    pagination_class = None

    @extend_schema(responses=ArrivalSerializer, summary="One arrival")
    def get(self, request, pk):
        found = selectors.get_arrival(request.authority, pk) if pk < 2**63 else None
        if found is None:
            raise NotFound()
        return Response(ArrivalSerializer(_arrival_data(found)).data)


urlpatterns = [
    path("accommodation/occupancy/", OccupancyList.as_view(), name="occupancy"),
    path("accommodation/occupancy/<int:pk>/", OccupancyDetail.as_view(), name="occupancy-detail"),
    path("accommodation/arrivals/", ArrivalList.as_view(), name="arrivals"),
    path("accommodation/arrivals/<int:pk>/", ArrivalDetail.as_view(), name="arrival-detail"),
]

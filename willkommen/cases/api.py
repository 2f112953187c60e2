"""REST API for cases, timelines, decisions and letters: the same permissions and services as the pages."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from willkommen.audit.services import record_read
from willkommen.clients.visibility import Resource, visible

from . import selectors, services, workflow
from .permissions import get_case_for, get_case_to_review, may_see_cases
from .serializers import (
    CaseDetailSerializer,
    CaseListSerializer,
    CommentSerializer,
    DecisionSerializer,
    DraftDecisionSerializer,
    IntakeErrorSerializer,
    LetterSerializer,
    OpenCaseRequestSerializer,
    OpenedCaseSerializer,
    TimelineSerializer,
    TransitionSerializer,
)
from .services import CaseError


def _conflict(exc):
    return Response({"detail": exc.message, "errors": exc.errors}, status=status.HTTP_409_CONFLICT)


class CaseMixin:
    required_capability = "desk"

    def case(self):
        return get_case_for(self.request.user, self.request.authority, self.kwargs["pk"])

    def case_to_review(self):
        """The case also when the user sees it only as an approver of another team (four eyes)."""
        return get_case_to_review(self.request.user, self.request.authority, self.kwargs["pk"])

    def letters(self, case):
        """The case's letters within the visibility policy (``clients/visibility.py``)."""
        return visible(case.letters.all(), self.request.user, self.request.authority, Resource.LETTERS)

    def require(self, capability):
        if not self.request.user.can(capability):
            raise DRFPermissionDenied


class CaseList(CaseMixin, generics.ListAPIView):
    """The work queue (``scope``: mine, team, approval)."""

    serializer_class = CaseListSerializer

    def get_queryset(self):
        if not may_see_cases(self.request.user):
            raise DRFPermissionDenied
        scope = self.request.query_params.get("scope", "mine")
        if scope not in ("mine", "team", "approval"):
            scope = "mine"
        status_filter = self.request.query_params.get("status", "")
        if status_filter and status_filter not in workflow.Status.values:
            status_filter = ""
        return selectors.queue(self.request.user, self.request.authority, scope=scope, status=status_filter)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        record_read(self.request, *(page if page is not None else queryset), purpose="api work queue")
        return page

    @extend_schema(
        request=OpenCaseRequestSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="8 to 60 of A-Z a-z 0-9 . _ : - ; a retried request with the same key returns the "
                "case the first one opened (200) and creates nothing; the same key with a different body is "
                "refused (422) and opens nothing.",
            )
        ],
        responses={
            201: OpenedCaseSerializer,
            200: OpenedCaseSerializer,
            400: IntakeErrorSerializer,
            409: IntakeErrorSerializer,
            422: IntakeErrorSerializer,
        },
    )
    def post(self, request):
        """Open a case (letter, counter, ServicePoint, appointment) as the desk does: the client gets the
        receipt with the access code through their channel; the response never carries the code."""
        from . import api_intake, intake

        self.require("cases.open")
        data = OpenCaseRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "")
        try:
            case, created = api_intake.open_by_api(request.authority, request.user, data.validated_data, key)
        except api_intake.PossibleDuplicates as exc:
            body = {"detail": str(exc), "code": "possible_duplicate", "duplicates": exc.ids}
            return Response(body, status=status.HTTP_409_CONFLICT)
        except api_intake.KeyReused as exc:
            body = {"detail": str(exc), "code": "idempotency_key_reused"}
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        except intake.IntakeRefused as exc:
            return Response({"detail": str(exc), "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            OpenedCaseSerializer(case).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class CaseDetail(CaseMixin, APIView):
    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request, pk):
        case = self.case()
        record_read(request, case, purpose="api")
        return Response(CaseDetailSerializer(case, context={"request": request}).data)


class Timeline(CaseMixin, APIView):
    @extend_schema(responses=TimelineSerializer(many=True))
    def get(self, request, pk):
        case = self.case()
        record_read(request, case, purpose="api timeline")
        return Response(TimelineSerializer(selectors.full_timeline(case), many=True).data)


class Transitions(CaseMixin, APIView):
    @extend_schema(request=TransitionSerializer, responses=CaseDetailSerializer)
    def post(self, request, pk):
        case = self.case()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name = data.validated_data["name"]
        t = workflow.get(name)
        if t is None or t.needs_form:
            return Response({"detail": "Unknown or form-only transition."}, status=status.HTTP_400_BAD_REQUEST)
        self.require(t.capability)
        try:
            services.take(case, name, request.user, note=data.validated_data.get("note", ""))
        except CaseError as exc:
            return _conflict(exc)
        case.refresh_from_db()
        return Response(CaseDetailSerializer(case, context={"request": request}).data)


class Decisions(CaseMixin, APIView):
    @extend_schema(responses=DecisionSerializer(many=True))
    def get(self, request, pk):
        case = self.case_to_review()
        decisions = list(case.decisions.all())
        record_read(request, case, purpose="api decisions")
        return Response(DecisionSerializer(decisions, many=True).data)

    @extend_schema(request=DraftDecisionSerializer, responses=DecisionSerializer)
    def post(self, request, pk):
        case = self.case()
        self.require("cases.work")
        data = DraftDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            decision = services.draft_decision(case, request.user, **data.validated_data)
        except CaseError as exc:
            return _conflict(exc)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class Approve(CaseMixin, APIView):
    """Approve the decision awaiting approval; never by its drafter."""

    @extend_schema(request=CommentSerializer, responses=DecisionSerializer)
    def post(self, request, pk):
        case = self.case_to_review()
        self.require("cases.approve")
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            taken = services.take(case, "approve", request.user, note=data.validated_data.get("comment", ""))
        except CaseError as exc:
            return _conflict(exc)
        return Response(DecisionSerializer(taken.products["decision"]).data)


class ReturnDraft(CaseMixin, APIView):
    @extend_schema(request=CommentSerializer, responses=DecisionSerializer)
    def post(self, request, pk):
        case = self.case_to_review()
        self.require("cases.approve")
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            taken = services.take(case, "return_draft", request.user, note=data.validated_data.get("comment", ""))
        except CaseError as exc:
            return _conflict(exc)
        return Response(DecisionSerializer(taken.products["decision"]).data)


class Letters(CaseMixin, APIView):
    @extend_schema(responses=LetterSerializer(many=True))
    def get(self, request, pk):
        case = self.case()
        letters = list(self.letters(case))
        record_read(request, *letters, purpose="api letters")
        return Response(LetterSerializer(letters, many=True).data)


class LetterPdf(CaseMixin, APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, pk, letter_id):
        case = self.case()
        letter = self.letters(case).filter(pk=letter_id).first()
        if letter is None:
            raise Http404
        record_read(request, letter, purpose="api letter")
        from willkommen.letters.services import letter_download

        return letter_download(letter, f"{letter.kind}-{case.number}.pdf")


from django.urls import path  # noqa: E402

urlpatterns = [
    path("cases/", CaseList.as_view(), name="cases"),
    path("cases/<int:pk>/", CaseDetail.as_view(), name="case"),
    path("cases/<int:pk>/timeline/", Timeline.as_view(), name="timeline"),
    path("cases/<int:pk>/transitions/", Transitions.as_view(), name="transitions"),
    path("cases/<int:pk>/decisions/", Decisions.as_view(), name="decisions"),
    path("cases/<int:pk>/decisions/approve/", Approve.as_view(), name="approve"),
    path("cases/<int:pk>/decisions/return/", ReturnDraft.as_view(), name="return"),
    path("cases/<int:pk>/letters/", Letters.as_view(), name="letters"),
    path("cases/<int:pk>/letters/<int:letter_id>/pdf/", LetterPdf.as_view(), name="letter-pdf"),
]

"""REST API for online applications: create, upload, submit (Idempotency-Key header), status by code.

Public endpoints (no staff login). An application is addressed by its id plus the token returned on
creation (header ``X-Application-Token``); the status by case number plus access code.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.catalogue.checklist import InvalidAnswers, parse_answers
from willkommen.catalogue.models import Anliegen
from willkommen.core import ratelimit, serializers
from willkommen.core.drf import ObjectJSONParser
from willkommen.efile.uploads import UploadRejected

from . import identity, selectors, services
from .forms import PersonalForm
from .models import Application

TOKEN_SALT = "willkommen.application-api"


def make_token(application):
    return signing.dumps(str(application.public_id), salt=TOKEN_SALT)


def _too_many():
    return Response({"detail": _("Too many requests. Please wait a minute and try again.")}, status=429)


class PublicAPIView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.authority is None:
            raise NotFound()

    def limited(self, request, scope="applications-api", limit=None):
        return not ratelimit.hit(scope, ratelimit.client_address(request), limit or settings.PUBLIC_RATE_LIMIT)

    def application(self, request, public_id):
        token = request.headers.get("X-Application-Token", "")
        try:
            value = signing.loads(
                token, salt=TOKEN_SALT, max_age=dt.timedelta(days=settings.APPLICATION_DRAFT_RETENTION_DAYS)
            )
        except signing.BadSignature:
            raise NotFound() from None
        if value != str(public_id):
            raise NotFound()
        try:
            return selectors.get_application(request.authority, public_id)
        except Application.DoesNotExist:
            raise NotFound() from None


def _entries(application, language):
    return [
        {"key": e.key, "title": e.title, "required": e.required, "document_type": services.entry_type(e)}
        for e in services.checklist_entries(application, language)
    ]


class CreateRequest(serializers.Serializer):
    anliegen = serializers.SlugField()
    language = serializers.ChoiceField(choices=[c for c, _n in settings.LANGUAGES], default="de")
    personal = serializers.DictField()
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    acknowledge_information = serializers.BooleanField(
        help_text="The client has read the information on data processing (Art. 13 GDPR)."
    )


class ApplicationCreate(PublicAPIView):
    parser_classes = [ObjectJSONParser]

    @extend_schema(request=CreateRequest, responses={201: dict}, summary="Create an online application (draft)")
    def post(self, request):
        if self.limited(request):
            return _too_many()
        data = CreateRequest(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            anliegen = catalogue_selectors.get_anliegen(request.authority, values["anliegen"])
        except Anliegen.DoesNotExist:
            raise ValidationError({"anliegen": [_("Unknown matter")]}) from None
        if not anliegen.allows_online:
            raise ValidationError({"anliegen": [_("This matter cannot be applied for online.")]})
        language = values["language"]
        with translation.override(language):
            personal = {k: v for k, v in values["personal"].items() if isinstance(v, str | list)}
            if isinstance(personal.get("nationalities"), list):
                personal["nationalities"] = ", ".join(str(c) for c in personal["nationalities"])
            personal.setdefault("preferred_language", language)
            personal.setdefault("preferred_channel", "email")
            form = PersonalForm(personal)
            if not form.is_valid():
                raise ValidationError({"personal": form.errors})
            try:
                answers = parse_answers(anliegen.questions.all(), values.get("answers") or {})
            except InvalidAnswers as exc:
                raise ValidationError({"answers": exc.errors}) from None
            if not values["acknowledge_information"]:
                raise ValidationError(
                    {"acknowledge_information": [_("Please confirm that you have read how we use your data.")]}
                )
            application = services.start_draft(request.authority, anliegen, language)
            services.save_personal(application, form.cleaned_data)
            services.save_answers(application, answers)
            services.acknowledge_information(application)
            body = {
                "id": str(application.public_id),
                "token": make_token(application),
                "checklist": _entries(application, language),
                "missing": [e.key for e in services.missing_entries(application, language)],
            }
        return Response(body, status=status.HTTP_201_CREATED)


class UploadRequest(serializers.Serializer):
    checklist_key = serializers.SlugField()
    file = serializers.FileField(allow_empty_file=True)


class ApplicationUpload(PublicAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=UploadRequest, responses={201: dict}, summary="Upload a document for a checklist item")
    def post(self, request, public_id):
        if self.limited(request):
            return _too_many()
        application = self.application(request, public_id)
        data = UploadRequest(data=request.data)
        data.is_valid(raise_exception=True)
        with translation.override(application.language):
            try:
                upload = services.add_upload(
                    application, data.validated_data["checklist_key"], data.validated_data["file"]
                )
            except UploadRejected as exc:
                raise ValidationError({"file": [exc.message]}) from None
            missing = [e.key for e in services.missing_entries(application, application.language)]
        return Response(
            {
                "checklist_key": upload.checklist_key,
                "file_name": upload.original_name,
                "content_type": upload.content_type,
                "size": upload.size,
                "sha256": upload.sha256,
                "missing": missing,
            },
            status=status.HTTP_201_CREATED,
        )


class ApplicationSubmit(PublicAPIView):
    @extend_schema(request=None, responses={201: dict, 200: dict}, summary="Submit once (header Idempotency-Key)")
    def post(self, request, public_id):
        if self.limited(request):
            return _too_many()
        application = self.application(request, public_id)
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 80:
            raise ValidationError({"Idempotency-Key": [_("The request is missing its idempotency key.")]})
        with translation.override(application.language):
            try:
                result = services.submit(
                    application,
                    idempotency_key=key,
                    status_url=request.build_absolute_uri(reverse("applications:status_login")),
                )
            except services.SubmitRefused as exc:
                raise ValidationError({"detail": exc.problems}) from None
        return Response(
            {
                "case_number": result.case.number,
                "access_code": result.access_code,
                "received_at": result.case.received_at,
            },
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class StatusRequest(serializers.Serializer):
    case_number = serializers.CharField(max_length=30)
    access_code = serializers.CharField(max_length=20)


class CaseStatus(PublicAPIView):
    parser_classes = [ObjectJSONParser, FormParser]

    @extend_schema(request=StatusRequest, responses={200: dict}, summary="State of a case (case number + access code)")
    def post(self, request):
        data = StatusRequest(data=request.data)
        number = str(request.data.get("case_number", ""))[:30] if hasattr(request.data, "get") else ""
        if not identity.attempt_allowed(request, number):
            return _too_many()
        data.is_valid(raise_exception=True)
        case = identity.verify(request, data.validated_data["case_number"], data.validated_data["access_code"])
        if case is None:
            raise NotFound(_("The case number or the access code is not correct."))
        language = translation.get_language()
        context = selectors.status_context(case, language)
        return Response(
            {
                "case_number": case.number,
                "status": case.status,
                "state": context["state"],
                "next_step": context["next_step"],
                "received_at": case.received_at,
                "team": context["team"].name if context["team"] else "",
                "caseworker": context["caseworker"],
                "phone": context["phone"],
                "phone_hours": context["phone_hours"],
                "consultation_hours": context["consultation_hours"],
                "expected_decision": context["expected_decision"],
                "documents": [
                    {"type": d.document_type, "file_name": d.original_name, "received": d.uploaded_at}
                    for d in context["documents"]
                ],
                "missing": [{"key": e.key, "title": e.title} for e in context["missing"]],
            }
        )


urlpatterns = [
    path("applications/", ApplicationCreate.as_view(), name="create"),
    path("applications/<uuid:public_id>/documents/", ApplicationUpload.as_view(), name="upload"),
    path("applications/<uuid:public_id>/submit/", ApplicationSubmit.as_view(), name="submit"),
    path("applications/status/", CaseStatus.as_view(), name="status"),
]

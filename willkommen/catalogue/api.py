"""Public read API of the catalogue and the personalised checklist."""

from django.conf import settings
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from willkommen.core.drf import AddressRateThrottle

from . import selectors
from .checklist import InvalidAnswers, build, fee, parse_answers, question_rows
from .models import Anliegen
from .serializers import AnliegenSerializer, ChecklistRequestSerializer, ChecklistSerializer, QuestionSerializer

LANG_PARAM = OpenApiParameter("lang", OpenApiTypes.STR, description="Language code (de, en, ar, fa, tr, uk, ru, fr)")


class PublicThrottle(AddressRateThrottle):
    rate = "120/min"


def _language(request):
    code = request.query_params.get("lang") or translation.get_language() or "de"
    if code not in dict(settings.LANGUAGES):
        raise ValidationError({"lang": [_("Unknown language '%(code)s'.") % {"code": code[:10]}]})
    return code


def _anliegen(request, slug):
    if request.authority is None:
        raise NotFound()
    try:
        return selectors.get_anliegen(request.authority, slug)
    except Anliegen.DoesNotExist:
        raise NotFound(_("Unknown Anliegen."))


def _anliegen_data(anliegen, language):
    return {
        "slug": anliegen.slug,
        "title": selectors.title(anliegen, language),
        "summary": selectors.summary(anliegen, language),
        "legal_basis": anliegen.legal_basis,
        "fee_eur": anliegen.fee_eur,
        "complexity": anliegen.complexity,
        "target_days": anliegen.target_days,
        "interim_answer_days": anliegen.interim_answer_days,
        "longest_validity_months": anliegen.longest_validity_months,
        "discretionary": anliegen.discretionary,
        "way_in": anliegen.way_in,
    }


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicThrottle]


class AnliegenList(PublicView):
    @extend_schema(parameters=[LANG_PARAM], responses=AnliegenSerializer(many=True))
    def get(self, request):
        language = _language(request)
        items = selectors.anliegen_list(request.authority) if request.authority else []
        return Response(AnliegenSerializer([_anliegen_data(a, language) for a in items], many=True).data)


class AnliegenDetail(PublicView):
    @extend_schema(parameters=[LANG_PARAM], responses=AnliegenSerializer)
    def get(self, request, slug):
        language = _language(request)
        anliegen = _anliegen(request, slug)
        # through the serializer, as the list: the fee is a string ("100.00"), as the schema says
        data = dict(AnliegenSerializer(_anliegen_data(anliegen, language)).data)
        data["questions"] = QuestionSerializer(question_rows(anliegen, language), many=True).data
        return Response(data)


class Checklist(PublicView):
    @extend_schema(parameters=[LANG_PARAM], request=ChecklistRequestSerializer, responses=ChecklistSerializer)
    def post(self, request, slug):
        language = _language(request)
        anliegen = _anliegen(request, slug)
        payload = ChecklistRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            answers = parse_answers(anliegen.questions.all(), payload.validated_data.get("answers", {}))
        except InvalidAnswers as exc:
            return Response({"answers": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        checklist = build(anliegen, answers, language)
        amount, _note = fee(anliegen, answers)
        data = {
            "anliegen": anliegen.slug,
            "language": language,
            "answers": answers,
            "fee_eur": amount,
            "entries": [entry.__dict__ for entry in checklist.entries],
        }
        return Response(ChecklistSerializer(data).data)


urlpatterns = [
    path("catalogue/anliegen/", AnliegenList.as_view(), name="anliegen-list"),
    path("catalogue/anliegen/<slug:slug>/", AnliegenDetail.as_view(), name="anliegen-detail"),
    path("catalogue/anliegen/<slug:slug>/checklist/", Checklist.as_view(), name="checklist"),
]

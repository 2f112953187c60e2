"""Staff REST endpoints of the e-file: a person's documents, one document's content, search.
Every read is audited; other authorities' objects are 404."""

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from willkommen.audit.services import record_read
from willkommen.core import serializers
from willkommen.core.replica import heavy_reads
from willkommen.core.storage import DamagedFile

from . import selectors, services
from .models import Document
from .permissions import visible_persons


class DocumentSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(read_only=True)
    verified_by = serializers.CharField(source="verified_by.username", default=None, read_only=True, allow_null=True)
    case_number = serializers.CharField(source="case.number", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "person",
            "case_number",
            "document_type",
            "type_label",
            "title",
            "source",
            "version",
            "is_current",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "scan_status",
            "valid_from",
            "valid_until",
            "verified_by",
            "verified_at",
            "uploaded_at",
        ]


class StaffView(APIView):
    required_capability = "clients.view"

    def persons(self, request):
        return visible_persons(request.user, request.authority)


class PersonDocuments(StaffView):
    @extend_schema(responses=DocumentSerializer(many=True), summary="Every document of a person's file")
    def get(self, request, person_id):
        person = self.persons(request).filter(pk=person_id).first()
        if person is None:
            raise NotFound()
        documents = selectors.all_documents_for_person(request.authority, person).select_related("verified_by", "case")
        record_read(request, person, purpose="case work (API)", detail="file overview")
        return Response(DocumentSerializer(documents, many=True).data)


class DocumentContent(StaffView):
    @extend_schema(
        responses={(200, "application/octet-stream"): bytes, (200, "application/pdf"): bytes, (200, "image/*"): bytes},
        summary="Download a document (its own content type: PDF or an image)",
    )
    def get(self, request, pk):
        document = Document.objects.filter(authority=request.authority, pk=pk, person__in=self.persons(request)).first()
        if document is None:
            raise NotFound()
        try:
            data = services.read_content(document)
        except DamagedFile:
            return Response(
                {"detail": _("The stored file does not match its checksum and is not handed out.")}, status=409
            )
        except OSError:
            raise NotFound() from None
        record_read(request, document, action="download", purpose="case work (API)")
        response = HttpResponse(data, content_type=document.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{document.pk}.{document.original_name.rsplit(".", 1)[-1]}"'
        )
        response["X-Checksum-SHA256"] = document.sha256
        return response


class Search(StaffView):
    @extend_schema(responses=DocumentSerializer(many=True), summary="Full-text search over documents")
    def get(self, request):
        query = (request.query_params.get("q") or "").strip()[:200]
        with heavy_reads():
            results = list(selectors.search(request.authority, query, persons=self.persons(request))) if query else []
        if query:
            record_read(request, *results, action="search", purpose="file search (API)", detail=query)
        return Response(DocumentSerializer(results, many=True).data)


urlpatterns = [
    path("efile/persons/<int:person_id>/documents/", PersonDocuments.as_view(), name="person-documents"),
    path("efile/documents/<int:pk>/content/", DocumentContent.as_view(), name="content"),
    path("efile/search/", Search.as_view(), name="search"),
]

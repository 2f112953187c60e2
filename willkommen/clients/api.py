"""Staff API of the person record (token or session with second factor; scoped to the authority)."""

from django.urls import path
from rest_framework import generics

from willkommen.audit.services import record

from . import selectors
from .serializers import PersonSerializer


class PersonList(generics.ListAPIView):
    serializer_class = PersonSerializer
    required_capability = "clients.view"

    def get_queryset(self):
        query = self.request.query_params.get("q", "")[:100]
        qs = selectors.search(self.request.authority, query) if query else selectors.persons(self.request.authority)
        return qs.prefetch_related("aliases", "residence_entries").order_by("id")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        record(authority=request.authority, action="search", request=request, purpose="api person list")
        return response


class PersonDetail(generics.RetrieveAPIView):
    serializer_class = PersonSerializer
    required_capability = "clients.view"

    def get_queryset(self):
        return selectors.persons(self.request.authority).prefetch_related("aliases", "residence_entries")

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        record(
            authority=request.authority, action="read", person_id=person.pk, obj=person, request=request, purpose="api"
        )
        return super().retrieve(request, *args, **kwargs)


urlpatterns = [
    path("clients/persons/", PersonList.as_view(), name="person-list"),
    path("clients/persons/<int:pk>/", PersonDetail.as_view(), name="person-detail"),
]

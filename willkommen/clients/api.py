"""Staff API of the person record (token or session with second factor; scoped to the authority)."""

from django.urls import path
from rest_framework import generics

from willkommen.audit.services import record_read

from . import selectors
from .serializers import PersonSerializer


class PersonList(generics.ListAPIView):
    serializer_class = PersonSerializer
    required_capability = "clients.view"

    def get_queryset(self):
        query = self.request.query_params.get("q", "")[:100]
        qs = selectors.search(self.request.authority, query) if query else selectors.persons(self.request.authority)
        return qs.prefetch_related("aliases", "residence_entries").order_by("id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        query = self.request.query_params.get("q", "")[:100]
        record_read(
            self.request,
            *(page if page is not None else queryset),
            action="search" if query else "read",
            purpose="api person list",
            detail=query,
        )
        return page


class PersonDetail(generics.RetrieveAPIView):
    serializer_class = PersonSerializer
    required_capability = "clients.view"

    def get_queryset(self):
        return selectors.persons(self.request.authority).prefetch_related("aliases", "residence_entries")

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        record_read(request, person, purpose="api")
        return super().retrieve(request, *args, **kwargs)


urlpatterns = [
    path("clients/persons/", PersonList.as_view(), name="person-list"),
    path("clients/persons/<int:pk>/", PersonDetail.as_view(), name="person-detail"),
]

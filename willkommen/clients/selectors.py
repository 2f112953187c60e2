from django.db.models import Q

from .models import Person


def persons(authority):
    """Active (not merged) persons of one authority."""
    return Person.objects.filter(authority=authority, merged_into__isnull=True)


def search(authority, query):
    qs = persons(authority)
    for term in (query or "").split()[:5]:
        qs = qs.filter(
            Q(family_name__icontains=term)
            | Q(given_names__icontains=term)
            | Q(family_name_native__icontains=term)
            | Q(email__iexact=term)
        )
    return qs


def get_person(authority, pk):
    """One person of this authority or Person.DoesNotExist (shown as 404, never as 403)."""
    return persons(authority).prefetch_related("aliases", "residence_entries").get(pk=pk)


def persons_with_email(authority, email):
    return persons(authority).filter(email__iexact=(email or "").strip())

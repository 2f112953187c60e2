from .models import Case


def case_by_number(authority, number):
    return Case.objects.filter(authority=authority, number=(number or "").strip().upper()).first()


def cases_of_person(authority, person):
    return Case.objects.filter(authority=authority, person=person)

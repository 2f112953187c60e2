import datetime as dt

import pytest


def make_person(authority, family_name="Ahmadi", given_names="Reza", **extra):
    from willkommen.clients.models import Person

    values = {
        "date_of_birth": dt.date(1995, 5, 17),
        "email": f"{family_name.lower()}.{given_names.lower()}@example.org",
        "preferred_language": "fa",
        "preferred_channel": "email",
        **extra,
    }
    return Person.objects.create(authority=authority, family_name=family_name, given_names=given_names, **values)


def make_accommodation(authority, name="GU Am Fuchsbau", capacity=3, **extra):
    from willkommen.accommodation.models import Accommodation

    return Accommodation.objects.create(authority=authority, name=name, capacity=capacity, **extra)


@pytest.fixture
def accommodation(authority):
    return make_accommodation(authority)


@pytest.fixture
def person(authority):
    return make_person(authority)


@pytest.fixture
def acc_staff(authority):
    from willkommen.core.testing import make_staff

    return make_staff(authority, "hanna", role="accommodation")


@pytest.fixture
def acc_client(client, acc_staff):
    from willkommen.core.testing import verified_login

    client.cookies["willkommen_language"] = "en"  # the messages asserted below are the English ones
    return verified_login(client, acc_staff)

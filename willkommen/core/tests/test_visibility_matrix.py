"""Role × resource × team: every page and API that reads something of a person stays inside one policy.

``SPEC`` is the policy written out by hand (independent of ``clients/visibility.py``): for each role, which
targets' data of each resource it may read (targets and data: ``world.py``). The test reads every target
through every page and API of the resource as every role and counts the reads outside ``SPEC`` (must be 0),
and checks that each allowed cell is actually served somewhere (so the policy is not met by refusing all).
A second test asks the policy module itself, in SQL, for the same table.
"""

import pytest

from willkommen.core.testing import verified_login

from .world import TARGETS, TICKET_NUMBERS, build

A = {"own", "other", "new"}
WORK = {"own", "new"}  # the team scope of a member of team t1: own team's persons and persons without a case
HANDLED = {"own"}  # the cases scope: only persons with a case of the user's team (drop-offs)
NOTHING = {
    "person": set(),
    "file": set(),
    "letters": set(),
    "messages": set(),
    "attachments": set(),
    "bookings": set(),
    "tickets": set(),
    "drop_offs": set(),
}
CASEWORK = {
    **NOTHING,
    "person": A,
    "file": WORK,
    "letters": WORK,
    "messages": WORK,
    "attachments": WORK,
    "bookings": A,
    "drop_offs": HANDLED,
}
SPEC = {
    "caseworker": CASEWORK,
    "team_lead": CASEWORK,
    "servicepoint": {**NOTHING, "person": A, "bookings": A, "tickets": A, "drop_offs": A},
    "accommodation": NOTHING,
    "head_of_office": {**NOTHING, "person": A, "file": A, "letters": A, "drop_offs": A},
    "administrator": {**NOTHING, "person": A},
    "partner": NOTHING,
    # a caseworker of the other authority (of the team of ``foreign``'s case) reads only there
    "foreign": {
        **NOTHING,
        **{k: {"foreign"} for k in ("person", "file", "letters", "messages", "attachments", "bookings", "drop_offs")},
    },
}
# Allowed by the policy, but no page shows it by GET: the administrator merges records (POST only).
NOT_SERVED = {("administrator", "person")}
# The caseworkers of both authorities ask every path at both authorities' addresses as well (staff are
# signed in only at their own); the other roles at their own.
PREFIXES = {"caseworker": ("", "/a/beta"), "foreign": ("", "/a/beta")}


def _q(value):
    """A search for the start of ``value``: the page echoes the query, so the marker must be longer."""
    return f"?q={value[:-2]}"


# (resource, label, url(world, target) or None, marker(world, target) for list pages or None)
PATHS = [
    ("person", "desk person", lambda w, t: f"/desk/clients/{t.person.pk}/", None),
    ("person", "desk edit form", lambda w, t: f"/desk/clients/{t.person.pk}/edit/", None),
    ("person", "desk duplicates", lambda w, t: f"/desk/clients/{t.person.pk}/duplicates/", None),
    ("person", "desk search", lambda w, t: "/desk/clients/" + _q(t.person.family_name), "family"),
    ("person", "api person", lambda w, t: f"/api/v1/clients/persons/{t.person.pk}/", None),
    ("person", "api search", lambda w, t: "/api/v1/clients/persons/" + _q(t.person.family_name), "family"),
    ("file", "desk file", lambda w, t: f"/desk/efile/person/{t.person.pk}/", None),
    ("file", "desk export", lambda w, t: f"/desk/efile/person/{t.person.pk}/export.zip", None),
    ("file", "desk document", lambda w, t: f"/desk/efile/document/{t.document.pk}/", None),
    ("file", "desk content", lambda w, t: f"/desk/efile/document/{t.document.pk}/content/", None),
    ("file", "desk search", lambda w, t: "/desk/efile/?q=" + t.document.title.split()[0], "document"),
    ("file", "api documents", lambda w, t: f"/api/v1/efile/persons/{t.person.pk}/documents/", None),
    ("file", "api content", lambda w, t: f"/api/v1/efile/documents/{t.document.pk}/content/", None),
    ("file", "api search", lambda w, t: "/api/v1/efile/search/?q=" + t.document.title.split()[0], "document"),
    ("letters", "desk case", lambda w, t: t.case and f"/desk/cases/{t.case.pk}/", "letter"),
    ("letters", "desk pdf", lambda w, t: t.case and f"/desk/cases/{t.case.pk}/letters/{t.letter.pk}/", None),
    ("letters", "api list", lambda w, t: t.case and f"/api/v1/cases/{t.case.pk}/letters/", "letter"),
    ("letters", "api pdf", lambda w, t: t.case and f"/api/v1/cases/{t.case.pk}/letters/{t.letter.pk}/pdf/", None),
    ("messages", "desk thread", lambda w, t: f"/desk/messaging/person/{t.person.pk}/", None),
    ("messages", "desk overview", lambda w, t: "/desk/messaging/", "incoming"),
    ("messages", "desk failures", lambda w, t: "/desk/messaging/failures/", "failed"),
    ("messages", "desk print queue", lambda w, t: "/desk/messaging/print/", "post"),
    ("attachments", "desk download", lambda w, t: f"/desk/messaging/attachments/{t.attachment.key}/", None),
    ("attachments", "desk thread", lambda w, t: f"/desk/messaging/person/{t.person.pk}/", "attachment"),
    ("bookings", "desk booking", lambda w, t: f"/desk/appointments/bookings/{t.booking.pk}/", None),
    ("bookings", "desk calendar", lambda w, t: f"/desk/appointments/?location={t.location.pk}", "family"),
    ("bookings", "desk day list", lambda w, t: f"/desk/appointments/day-list/?location={t.location.pk}", "family"),
    ("tickets", "desk queue", lambda w, t: f"/desk/servicepoint/?location={t.location.pk}", "ticket"),
    (
        "tickets",
        "api tickets",
        lambda w, t: f"/api/v1/servicepoint/locations/{t.location.pk}/tickets/",
        "ticket_id",
    ),
    ("drop_offs", "desk receipt", lambda w, t: f"/desk/servicepoint/drop-off/{t.drop_off.pk}/", None),
    ("drop_offs", "desk receipt pdf", lambda w, t: f"/desk/servicepoint/drop-off/{t.drop_off.pk}/receipt.pdf", None),
    ("drop_offs", "desk person", lambda w, t: f"/desk/clients/{t.person.pk}/", "drop_off"),
    ("drop_offs", "desk case", lambda w, t: t.case and f"/desk/cases/{t.case.pk}/", "drop_off"),
]


def _marker(kind, target, key):
    return {
        "family": target.person.family_name,
        "document": f"Akte-{key} Dokument",
        "letter": f"Brief-{key}",
        "incoming": f"Eingang-{key}",
        "failed": f"Fehler-{key}",
        "post": f"Post-{key}",
        "attachment": f"anhang-{key}.pdf",
        "ticket": f"T{TICKET_NUMBERS.get(key, 0):03d}",
        "ticket_id": str(target.ticket.public_id) if target.ticket else "-",
        "drop_off": f'data-drop-off="{target.drop_off.pk}"',
    }[kind]


def _reads(client, url, marker):
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    if response.status_code != 200:
        return False
    if marker is None:
        return True
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return marker.encode() in body


@pytest.fixture
def world(authority, other_authority, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    return build(authority, other_authority)


def _relevant(resource, key, target):
    if resource == "tickets":
        return target.ticket is not None
    return True


@pytest.mark.parametrize("role", list(SPEC))
def test_no_read_outside_the_policy(client, world, role):
    user = world.staff[role]
    verified_login(client, user)
    outside, served = [], set()
    for resource, label, url_of, marker_kind in PATHS:
        for key in TARGETS:
            target = world[key]
            url = url_of(world, target)
            if not url or not _relevant(resource, key, target):
                continue
            marker = _marker(marker_kind, target, key) if marker_kind else None
            for prefix in PREFIXES.get(role, ("",)):
                if _reads(client, prefix + url, marker):
                    served.add(resource)
                    if key not in SPEC[role][resource]:
                        outside.append(f"{role} read {resource} of {key} through {label} ({prefix}{url})")
    assert outside == [], outside
    unserved = [r for r, keys in SPEC[role].items() if keys and r not in served and (role, r) not in NOT_SERVED]
    assert unserved == [], f"{role} may read {unserved} but no page served it"


MODELS = {
    "person": ("clients.Person", "pk", "person"),
    "file": ("efile.Document", "person", "document"),
    "letters": ("letters.Letter", "person", "letter"),
    "messages": ("messaging.Message", "person", "message"),
    "attachments": ("messaging.Attachment", "message__person", "attachment"),
    "bookings": ("appointments.Booking", "person", "booking"),
    "tickets": ("servicepoint.Ticket", None, "ticket"),
    "drop_offs": ("servicepoint.DropOff", "person", "drop_off"),
}


@pytest.mark.parametrize("role", list(SPEC))
def test_the_policy_in_sql_is_the_table(world, role, django_assert_max_num_queries):
    from django.apps import apps

    from willkommen.clients import visibility

    user = world.staff[role]
    here = world.other_authority if role == "foreign" else world.authority
    for resource, (label, person_field, attribute) in MODELS.items():
        model = apps.get_model(label)
        if resource == "person":
            with django_assert_max_num_queries(1):
                seen = set(visibility.visible_persons(user, here, resource).values_list("pk", flat=True))
        else:
            with django_assert_max_num_queries(1):
                seen = set(
                    visibility.visible(
                        model.objects.all(), user, here, resource, person_field=person_field
                    ).values_list("pk", flat=True)
                )
        for key in TARGETS:
            obj = getattr(world[key], attribute)
            if obj is None:
                continue
            expected = key in SPEC[role][resource]
            assert (obj.pk in seen) == expected, f"{role} / {resource} / {key}: policy says {not expected}"

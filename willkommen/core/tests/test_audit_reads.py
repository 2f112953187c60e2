"""Every desk page and API read that shows a person leaves an audit entry for that person.

The routes are discovered from the URL configuration. A route with parameters must be listed in ``ROUTES``
(which object of ``world.py`` it shows) or in ``NOT_READS`` (with the reason), so a new page cannot
escape the walk. Each route is read by the first role that may read it. A response shows a person when it
is about one of the person's objects (the route's parameter; files included) or when it contains one
of a person's markers (family name, case number, booking reference); for each person shown, an entry
with that person must have been written by that very request.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from willkommen.audit.models import AuditEntry
from willkommen.core.testing import verified_login

from .world import build

OWN = "own"
# url name -> (kwargs from the world, whose data the route shows by its parameter: OWN or None)
ROUTES = {
    "api-clients:person-detail": (lambda w: {"pk": w[OWN].person.pk}, OWN),
    "api-efile:person-documents": (lambda w: {"person_id": w[OWN].person.pk}, OWN),
    "api-efile:content": (lambda w: {"pk": w[OWN].document.pk}, OWN),
    "efile:preview": (lambda w: {"pk": w[OWN].document.pk}, OWN),
    "api-cases:case": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "api-cases:timeline": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "api-cases:decisions": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "api-cases:letters": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "api-cases:letter-pdf": (lambda w: {"pk": w[OWN].case.pk, "letter_id": w[OWN].letter.pk}, OWN),
    "api-servicepoint:tickets": (lambda w: {"location_id": w.location.pk}, None),
    "clients:detail": (lambda w: {"pk": w[OWN].person.pk}, OWN),
    "clients:edit": (lambda w: {"pk": w[OWN].person.pk}, OWN),
    "clients:duplicates": (lambda w: {"pk": w[OWN].person.pk}, OWN),
    "accommodation:detail": (lambda w: {"pk": w.accommodation.pk}, None),
    "accommodation:edit": (lambda w: {"pk": w.accommodation.pk}, None),
    "accommodation:place": (lambda w: {"pk": w.accommodation.pk}, None),
    "accommodation:usage": (lambda w: {"pk": w.accommodation.pk}, None),
    "accommodation:usage_plan": (lambda w: {"pk": w.accommodation.pk}, None),
    "accommodation:poster": (lambda w: {"pk": w.accommodation.pk}, None),
    "accommodation:placement": (lambda w: {"pk": w[OWN].placement.pk}, OWN),
    "accommodation:episode": (lambda w: {"pk": w[OWN].episode.pk}, OWN),
    "messaging:desk_thread": (lambda w: {"pk": w[OWN].person.pk}, OWN),
    "messaging:desk_attachment": (lambda w: {"key": w[OWN].attachment.key}, OWN),
    "efile:file": (lambda w: {"person_id": w[OWN].person.pk}, OWN),
    "efile:export": (lambda w: {"person_id": w[OWN].person.pk}, OWN),
    "efile:document": (lambda w: {"pk": w[OWN].document.pk}, OWN),
    "efile:content": (lambda w: {"pk": w[OWN].document.pk}, OWN),
    "cases:detail": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "cases:request_documents": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "cases:decision": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "cases:fiktion": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "cases:letter": (lambda w: {"pk": w[OWN].case.pk, "letter_id": w[OWN].letter.pk}, OWN),
    "cases:transfer": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "cases:export": (lambda w: {"pk": w[OWN].case.pk}, OWN),
    "appointments:desk-book": (lambda w: {"slot_id": w[OWN].booking.slot_id}, None),
    "appointments:desk-booking": (lambda w: {"pk": w[OWN].booking.pk}, OWN),
    "appointments:desk-invite-person": (lambda w: {"pk": w[OWN].person.pk}, OWN),
    "servicepoint:drop_off_detail": (lambda w: {"pk": w[OWN].drop_off.pk}, OWN),
    "servicepoint:drop_off_receipt": (lambda w: {"pk": w[OWN].drop_off.pk}, OWN),
    "rights:person": (lambda w: {"pk": w[OWN].person.pk}, OWN),
    "partners:request": (lambda w: {"pk": w[OWN].authority_request.pk}, OWN),
    "partners:new_request": (lambda w: {"case_id": w[OWN].case.pk}, OWN),
}
NOT_READS = {
    # changes (POST only); what they change is audited by their services
    "api-cases:transitions",
    "api-cases:approve",
    "api-cases:return",
    "api-servicepoint:call-next",
    "api-servicepoint:finish",
    "clients:residence_add",
    "clients:residence_confirm",
    "accommodation:move",
    "accommodation:move_out",
    "accommodation:add_room",
    "accommodation:bed_block",
    "accommodation:bed_unblock",
    "accommodation:isolate",
    "accommodation:supplies",
    "accommodation:extend",
    "accommodation:end",
    "accommodation:add_shared_room",
    "rights:invite",
    "accommodation:remove_shared_room",
    "accommodation:add_slot",
    "accommodation:remove_slot",
    "accommodation:publish_usage",
    "clients:merge",
    "messaging:desk_reply",
    "messaging:desk_phone_note",
    "messaging:desk_assign",
    "messaging:desk_retry",
    "messaging:desk_add_number",  # POST only: adds a number to confirm (audited as a change), shows nothing
    "messaging:desk_printed",
    "efile:verify",
    "cases:transition",
    "cases:note",
    "cases:message",
    "cases:flags",
    "cases:review",
    "cases:extend_fiktion",
    "appointments:desk-mark",
    "appointments:desk-cancel",
    "appointments:desk-move",
    "appointments:desk-follow-up",
    "servicepoint:ticket_action",
    "servicepoint:drop_off_email",
    "partners:answer",
    "partners:consent_record",
    "partners:consent_revoke",
    "partners:portal_upload",
    "contact:close_callback",
    "contact:delete_hour",
    "contact:answer_feedback",  # the reply is audited by contact.feedback.answer_feedback
    "contact:reply_letter",  # its read is audited: contact/tests/test_voice.py (purpose "feedback reply letter")
    "accommodation:arrival_place",
    "accommodation:arrival_cancel",
    "accommodation:risk_add",
    "accommodation:risk_end",
    "knowledge:adopt",
    "knowledge:take_over",
    "knowledge:block_reviewed",
    "knowledge:instruction_reviewed",
    "knowledge:country_publish",
    # no person: integration accounts and their tokens (another system, not a client), figures of a group
    # notice; public catalogue and client (not staff) endpoints
    "accounts:integration",
    "accounts:integration_active",
    "accounts:integration_edit",
    "accounts:token_new",
    "accounts:token_revoke",
    "accounts:token_rotate",
    "messaging:desk_notice",
    "messaging:desk_template",  # the authority's text templates, previews with sample data
    "messaging:desk_template_edit",
    "api-catalogue:anliegen-detail",
    "api-catalogue:checklist",
    "api-applications:upload",
    "api-applications:submit",
    "api-appointments:confirm",
    "api-appointments:cancel",
    "api-appointments:move",
    "api-appointments:allocation-request",
    "api-servicepoint:display",
    "api-accommodation:occupancy-detail",  # figures of one accommodation, no person
    # an announced arrival is a household's size and needs, no person; once placed, its page lists the
    # residents and audits that read (accommodation/tests/test_arrivals.py)
    "accommodation:arrival",
    "api-accommodation:arrival-detail",
    # no person: the knowledge room's forms, news and country notes (public or reference texts)
    "knowledge:country",
    "knowledge:country_edit",
    "knowledge:desk_form_edit",
    "knowledge:desk_form_delete",
    "knowledge:desk_news_edit",
    "knowledge:desk_news_delete",
    "knowledge:instruction",  # work instructions and text blocks: reference texts, no person
    "knowledge:instruction_edit",
    "knowledge:block",
    "knowledge:block_edit",
    # induction checklists: the authority's items and a staff member's marks, no person
    "knowledge:induction_item",
    "knowledge:induction_item_delete",
    "knowledge:induction_mark",
    "knowledge:induction_staff",
    # no person: the authority's settings per kind of request to another authority
    "partners:type_edit",
    # read by partner accounts only (no staff role of the walk may): audited with the consent's purpose,
    # tested in partners/tests/test_consents.py
    "partners:portal_client",
    # the rest of the partner portal, for partner accounts only: every read and download audited with the
    # consent's purpose, tested in partners/tests/test_portal_scopes.py; POSTs audited by their services
    "partners:answer_missing",
    "partners:letter",
    "partners:partner_write",
    "partners:book",
    "partners:booking_cancel",
    "partners:organisation_revoke",
    # the caseworker's answer to an organisation's thread (POST only; the message is audited on creation)
    "partners:staff_reply",
    # the notice preview of a decision draft (the walk's case has none: 404); its read is audited per
    # view and tested per role in cases/tests/test_pages.py
    "cases:decision_preview",
    # the office's set-up (issue 15 item 8): teams, staff accounts, offers, hours, closures, allocation
    # rounds, changes in the law, routing rules – no person; every change is in the change history
    "accounts:office_staff_active",
    "accounts:office_staff_edit",
    "accounts:office_team_edit",
    "appointments:setup-closure",
    "appointments:setup-closure-delete",
    "appointments:setup-hours-delete",
    "appointments:setup-hours-edit",
    "appointments:setup-offer",
    "appointments:setup-round-run",
    "cases:law_change",
    "catalogue:routing_delete",
    "catalogue:routing_edit",
}
QUERIES = {
    "clients:list": "?q=Eigenma",
    "api-clients:person-list": "?q=Eigenma",
    "efile:search": "?q=Akte-own",
    "api-efile:search": "?q=Akte-own",
    "api-cases:cases": "?scope=team",
    "cases:queue": "?scope=team",
}
ROLES = ("team_lead", "caseworker", "servicepoint", "head_of_office", "accommodation", "administrator")
SHOWN = ("own", "other", "new")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}:{pattern.name}"


def staff_routes():
    found = []
    for route, name in _walk(get_resolver().url_patterns):
        if not (route.startswith("desk/") or route.startswith("api/v1/")) or route.startswith("desk/log"):
            continue
        found.append((name, "<" in route))
    return sorted(set(found))


def test_every_route_with_parameters_is_walked_or_named_as_no_read():
    unknown = [name for name, has_parameters in staff_routes() if has_parameters and name not in ROUTES]
    assert sorted(set(unknown) - NOT_READS) == [], "add the new routes to ROUTES (or NOT_READS with a reason)"
    assert set(ROUTES) <= {name for name, _ in staff_routes()}, "ROUTES names a route that no longer exists"


@pytest.fixture
def world(authority, other_authority, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    world = build(authority, other_authority)
    ticket = world[OWN].ticket  # called to counter 1, so the ServicePoint desk shows its booking reference
    ticket.status, ticket.counter, ticket.called_at = "called", "1", timezone.now()
    ticket.save()
    world[OWN].case.__class__.objects.filter(pk=world[OWN].case.pk).update(status="in_review")  # decision page
    return world


def _markers(world, key):
    target = world[key]
    markers = [target.person.family_name, target.booking.reference]
    if target.case is not None:
        markers.append(target.case.number)
    return [m.encode() for m in markers]


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _clients(world):
    from django.test import Client

    clients = []
    for role in ROLES:
        client = verified_login(Client(), world.staff[role])
        session = client.session
        session["sp_counter"] = "1"
        session.save()
        clients.append((role, client))
    return clients


def test_every_staff_read_of_a_person_is_audited(world):
    clients = _clients(world)
    problems, walked = [], []
    for name, has_parameters in staff_routes():
        if name in NOT_READS or (has_parameters and name not in ROUTES):
            continue
        kwargs, about = ROUTES.get(name, (lambda w: {}, None))
        url = reverse(name, kwargs=kwargs(world)) + QUERIES.get(name, "")
        for role, client in clients:
            before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = client.get(url)
            assert response.status_code < 500, (url, role, response.status_code)
            if response.status_code != 200:
                continue
            body = _body(response)
            shown = {key for key in SHOWN if any(m in body for m in _markers(world, key))}
            if about:
                shown.add(about)
            written = set(AuditEntry.objects.filter(id__gt=before).values_list("person_id", flat=True))
            missing = sorted(key for key in shown if world[key].person.pk not in written)
            if missing:
                problems.append(f"{url} as {role} shows {missing} without an audit entry")
            walked.append((name, bool(shown)))
            break
    assert problems == [], "\n".join(problems)
    shown_pages = {name for name, shown in walked if shown}
    # the reads issue 10 named, and one page per room that shows persons, were really walked
    for name in ("clients:edit", "servicepoint:desk", "api-cases:timeline", "messaging:desk_thread", "cases:queue"):
        assert name in shown_pages, f"{name} was not walked as a page that shows a person"


NAMED_IN_ISSUE_10 = [
    ("clients:edit", lambda w: {"pk": w[OWN].person.pk}, "team_lead"),
    ("servicepoint:desk", lambda w: {}, "servicepoint"),
    ("api-cases:timeline", lambda w: {"pk": w[OWN].case.pk}, "caseworker"),
]


@pytest.mark.parametrize("name,kwargs,role", NAMED_IN_ISSUE_10, ids=[n for n, _k, _r in NAMED_IN_ISSUE_10])
def test_the_reads_that_left_no_entry(client, world, name, kwargs, role):
    """The three reads issue 10 found without an audit entry (client edit form, ServicePoint desk list,
    API case timeline) now write one for the person they show."""
    user = world.staff[role]
    verified_login(client, user)
    session = client.session
    session["sp_counter"] = "1"
    session.save()
    response = client.get(reverse(name, kwargs=kwargs(world)))
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(person_id=world[OWN].person.pk, actor=user).get()
    assert entry.action == "read" and entry.path == reverse(name, kwargs=kwargs(world))

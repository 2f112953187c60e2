"""Demo requests to other authorities for `manage.py load_demo`: per authority an open request to the Federal
Employment Agency, an overdue one to the police (reminded), answered ones for the figures, and – from the
first authority to the next one on the platform – a request that arrives in that authority's incoming desk.
Also one counselling service per authority with the demo partner account and consents of three clients (one
revoked). Idempotent: an authority that already has requests (or consents) gets none."""

from datetime import timedelta

from django.utils import timezone

from willkommen.cases.models import Case
from willkommen.tenancy.models import Authority

from . import services
from .models import AuthorityRequest, RecipientType, RequestStatus

# (recipient type, days from sending to the answer) of answered requests, for the figures
ANSWERED = [
    (RecipientType.EMPLOYMENT_AGENCY, 9),
    (RecipientType.EMPLOYMENT_AGENCY, 12),
    (RecipientType.EMPLOYMENT_AGENCY, 15),
    (RecipientType.BAMF, 21),
    (RecipientType.BAMF, 34),
    (RecipientType.REGISTRY_OFFICE, 18),
    (RecipientType.POLICE, 6),
]


def _worker(authority, case):
    from willkommen.accounts.models import User

    return case.assignee or User.objects.filter(authority=authority, role="caseworker").order_by("id").first()


def _send(case, worker, recipient_type, **fields):
    type_settings = services.settings_for(case.authority, recipient_type)
    values = {
        "name": f"{case.person.given_names} {case.person.family_name}",
        "date_of_birth": case.person.date_of_birth.strftime("%d.%m.%Y") if case.person.date_of_birth else "–",
        "case_number": case.number,
        "anliegen": case.anliegen.slug,
        "authority": case.authority.name,
    }
    return services.send_request(
        case, worker, recipient_type=recipient_type, question=services.fill(type_settings.question, values), **fields
    )


def load(authority):
    _partners(authority)
    if AuthorityRequest.objects.filter(authority=authority).exists():
        return
    in_review = list(
        Case.objects.filter(authority=authority, status="in_review")
        .select_related("person", "anliegen", "assignee", "authority")
        .order_by("pk")[:4]
    )
    if len(in_review) < 3:
        return
    today = timezone.localdate()
    now = timezone.now()
    first, second, third = in_review[:3]
    _send(
        first,
        _worker(authority, first),
        RecipientType.EMPLOYMENT_AGENCY,
        recipient_name="Bundesagentur für Arbeit, ZAV",
        connector="email",
        recipient_email="zav@example.org",
    )
    late = _send(
        second,
        _worker(authority, second),
        RecipientType.POLICE,
        recipient_name="Polizeiinspektion Mitte",
        connector="letter",
        recipient_address="Polizeiinspektion Mitte\nPostfach 12 34",
    )
    AuthorityRequest.objects.filter(pk=late.pk).update(
        sent_on=today - timedelta(days=30), due_on=today - timedelta(days=9), reminded_on=today - timedelta(days=9)
    )
    for n, (recipient_type, days) in enumerate(ANSWERED):
        sent_on = today - timedelta(days=60 + n * 5)
        AuthorityRequest.objects.create(
            authority=authority,
            case=third,
            reference=f"{third.number}-D{n + 1}",
            recipient_type=recipient_type,
            recipient_name=RecipientType(recipient_type).label,
            connector="email",
            recipient_email="stelle@example.org",
            question="…",
            stops_clock=False,
            status=RequestStatus.ANSWERED,
            sent_on=sent_on,
            due_on=sent_on + timedelta(days=14),
            sent_at=now - timedelta(days=60 + n * 5),
            dispatched_at=now - timedelta(days=60 + n * 5),
            answered_at=now - timedelta(days=60 + n * 5 - days),
            answer="Antwort liegt vor.",
            answered_by_label=RecipientType(recipient_type).label,
        )
    neighbour = Authority.objects.exclude(pk=authority.pk).order_by("pk").first()
    if neighbour is not None and authority.pk < neighbour.pk and len(in_review) > 3:
        fourth = in_review[3]
        _send(fourth, _worker(authority, fourth), RecipientType.FOREIGNERS_AUTHORITY, to_authority=neighbour)


def _partners(authority):
    from willkommen.accounts.models import User
    from willkommen.clients.models import Person

    from . import consents
    from .models import PartnerAccount, PartnerOrganisation, Scope

    organisation, _created = PartnerOrganisation.objects.get_or_create(
        authority=authority,
        name="Migrationsberatung Caritas (Demo)",
        defaults={"kind": "counselling", "contact_email": "beratung@example.org", "languages": ["de", "fa", "ar"]},
    )
    PartnerOrganisation.objects.get_or_create(
        authority=authority, name="Sprachkurs Brücke e.V. (Demo)", defaults={"kind": "course_provider"}
    )
    user = User.objects.filter(authority=authority, role="partner").order_by("id").first()
    if user is not None:
        PartnerAccount.objects.get_or_create(authority=authority, user=user, defaults={"organisation": organisation})
    if organisation.consents.exists():
        return
    persons = list(Person.objects.filter(authority=authority, merged_into__isnull=True).order_by("id")[:3])
    today = timezone.localdate()
    for n, person in enumerate(persons):
        given = consents.record_consent(
            person,
            organisation,
            scopes=list(Scope.values) if n == 0 else ["case_status"],  # the first shows the whole portal
            purpose="Beratung im Aufenthaltsverfahren",
            valid_until=today + timedelta(days=180),
            source="portal" if n else "signed_form",
        )
        if n == 2:
            consents.revoke_consent(given, by_label="Demo: widerrufen durch die Person")

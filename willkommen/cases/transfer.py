"""Passing a case to another authority when the client moves, and the XAusländer-shaped export.

On the platform (the transition "transfer", taken by ``services.transfer_case``; :func:`hand_over` is
its effect): the person and the case are created at the receiving authority (a new case number
there, the original receipt date kept), the file goes along, both timelines record the hand-over. Outside the platform:
``xauslaender_export`` gives the person and case data shaped after the XAusländer information
model (person, names, dates, nationality, residence, residence status, application, purpose, decision).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.efile import services as efile_services
from willkommen.efile.models import ArchiveReason

from .errors import CaseError
from .models import DecisionState, TimelineKind
from .opening import open_case
from .residence import fiction_paragraph
from .timeline import add_entry

PERSON_FIELDS = [
    "family_name",
    "given_names",
    "family_name_native",
    "given_names_native",
    "birth_name",
    "date_of_birth",
    "place_of_birth",
    "country_of_birth",
    "sex",
    "nationalities",
    "email",
    "phone",
    "preferred_language",
    "preferred_channel",
    "interpreter_needed",
    "interpreter_language",
    "entry_date",
]


def check_target(case, target_authority):
    """CaseError unless ``target_authority`` is another authority offering the same Anliegen."""
    from willkommen.catalogue.models import Anliegen

    if target_authority is None or target_authority.pk == case.authority_id:
        raise CaseError(_("Choose another authority."))
    if not Anliegen.objects.filter(authority=target_authority, slug=case.anliegen.slug).exists():
        raise CaseError(_("The receiving authority does not offer this Anliegen; send the export instead."))


def _open_there(case, target_authority, new_address):
    from willkommen.catalogue.models import Anliegen
    from willkommen.clients.services import create_person

    person = case.person
    fields = {name: getattr(person, name) for name in PERSON_FIELDS}
    fields.update(new_address or {})
    new_person = create_person(target_authority, **fields)
    new_case, _code = open_case(
        target_authority,
        person=new_person,
        anliegen=Anliegen.objects.get(authority=target_authority, slug=case.anliegen.slug),
        source="transfer",
        received_at=case.received_at,
        answers=case.answers,
    )
    _copy_residence_history(case.person, new_person)  # the receiving side derives the permit expiry from it
    new_case.refresh_from_db(fields=["permit_expires_on"])
    new_case.stay_at_stake = case.stay_at_stake
    new_case.discretionary = case.discretionary
    new_case.save(update_fields=["stay_at_stake", "discretionary"])
    return new_case


def _copy_residence_history(person, new_person):
    from willkommen.clients.models import ResidenceSource
    from willkommen.clients.selectors import residence_history
    from willkommen.clients.services import record_residence

    for entry in reversed(list(residence_history(person))):
        record_residence(
            new_person,
            kind=entry.kind,
            valid_from=entry.valid_from,
            valid_to=entry.valid_to,
            legal_basis=entry.legal_basis,
            conditions=entry.conditions,
            document_number=entry.document_number,
            issued_by=entry.issued_by or person.authority.name,
            note=entry.note,
            source=ResidenceSource.IMPORT,
            verified=entry.verified,
        )


def hand_over(case, target_authority, actor, *, reason="", new_address=None):
    """The effect of the transition "transfer": the person and the case are created at
    ``target_authority`` (another tenant), the file goes with them, both timelines record it.
    Returns the new case there. Runs inside the transition's transaction."""
    new_case = _open_there(case, target_authority, new_address)
    # The file goes with the case: the receiving office gets every current document, the sending
    # office archives its file (deleted after the retention period for "moved away").
    handed_over = efile_services.hand_over_file(case.person, new_case.person, case_map={case.pk: new_case})
    efile_services.archive_file(
        case.authority,
        case.person,
        reason=ArchiveReason.MOVED_AWAY,
        event_date=timezone.localdate(),
        receiving_authority=target_authority.name,
    )
    add_entry(
        new_case,
        TimelineKind.TRANSFER,
        text=_("Taken over from %(authority)s (case %(number)s). %(reason)s")
        % {"authority": case.authority.name, "number": case.number, "reason": reason},
        data={
            "from_authority": case.authority.slug,
            "from_case": case.number,
            "documents": len(handed_over),
            "export": xauslaender_export(case),
        },
    )
    case.transferred_to = target_authority
    case.save(update_fields=["transferred_to", "updated_at"])
    add_entry(
        case,
        TimelineKind.TRANSFER,
        actor=actor,
        text=_("Handed over to %(authority)s (their case %(number)s).")
        % {"authority": target_authority.name, "number": new_case.number},
        data={"to_authority": target_authority.slug, "to_case": new_case.number},
    )
    return new_case


def _date(value):
    return value.isoformat() if value else None


def xauslaender_export(case):
    """Person and case data shaped after the XAusländer information model (JSON-ready dict). The
    person part is the clients room's one mapping (``clients.xauslaender.person``)."""
    from willkommen.clients.xauslaender import person as person_record

    decisions = [
        {
            "entscheidung": d.outcome,
            "rechtsgrundlage": d.legal_basis,
            "gueltigAb": _date(d.valid_from),
            "gueltigBis": _date(d.valid_to),
            "nebenbestimmungen": d.conditions,
            "datum": _date(d.approved_at or d.drafted_at),
        }
        for d in case.decisions.filter(state=DecisionState.FINAL)
    ]
    person = person_record(case.person)
    return {
        "schema": "xauslaender-shaped/1",
        "erstelltAm": timezone.now().isoformat(),
        "absender": {"behoerde": case.authority.name, "kennung": case.authority.slug},
        "person": person,
        "aufenthalt": {"aufenthaltsstatus": person["aufenthaltsstatus"]},
        "antrag": {
            "aktenzeichen": case.number,
            "eingangsdatum": _date(timezone.localtime(case.received_at).date()),
            "status": case.status,
            "zweck": {"anliegen": case.anliegen.slug, "rechtsgrundlage": case.anliegen.legal_basis},
            "fiktionswirkung": fiction_paragraph(case),
        },
        "entscheidung": decisions,
    }

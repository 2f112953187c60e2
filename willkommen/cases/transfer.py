"""Passing a case to another authority when the client moves, and the XAusländer-shaped export.

On the platform: the person and the case are created at the receiving authority (a new case number
there, the original receipt date kept), both timelines record the hand-over. Outside the platform:
``xauslaender_export`` gives the person and case data shaped after the XAusländer information
model (person, names, dates, nationality, residence, residence status, application, purpose, decision).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.efile import services as efile_services
from willkommen.efile.models import ArchiveReason

from .models import DecisionState, TimelineKind
from .services import CaseError, _require, add_entry, open_case, transition

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


def transfer_case(case, target_authority, actor, *, reason="", new_address=None):
    """Move ``case`` to ``target_authority`` (another tenant). Returns the new case there."""
    from willkommen.catalogue.models import Anliegen
    from willkommen.clients.services import create_person

    _require(actor, "cases.work", case)
    if target_authority is None or target_authority.pk == case.authority_id:
        raise CaseError(_("Choose another authority."))
    anliegen = Anliegen.objects.filter(authority=target_authority, slug=case.anliegen.slug).first()
    if anliegen is None:
        raise CaseError(_("The receiving authority does not offer this Anliegen; send the export instead."))
    person = case.person
    with transaction.atomic():
        fields = {name: getattr(person, name) for name in PERSON_FIELDS}
        fields.update(new_address or {})
        new_person = create_person(target_authority, **fields)
        new_case, _code = open_case(
            target_authority,
            person=new_person,
            anliegen=anliegen,
            source="transfer",
            received_at=case.received_at,
            answers=case.answers,
        )
        new_case.permit_expires_on = case.permit_expires_on
        new_case.stay_at_stake = case.stay_at_stake
        new_case.discretionary = case.discretionary
        new_case.save(update_fields=["permit_expires_on", "stay_at_stake", "discretionary"])
        # The file goes with the case: the receiving office gets every current document, the sending
        # office archives its file (deleted after the retention period for "moved away").
        handed_over = efile_services.hand_over_file(person, new_person, case_map={case.pk: new_case})
        efile_services.archive_file(
            case.authority,
            person,
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
        transition(case, "transfer", actor, note=reason, data={"to_authority": target_authority.slug})
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
            "fiktionswirkung": case.fiction_paragraph,
        },
        "entscheidung": decisions,
    }

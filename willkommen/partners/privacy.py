"""The partners room's share of data protection: a person's requests to other authorities in the Art. 15
copy (the question and the answer), the consents the person gave partner organisations and the messages
partner organisations and the office exchanged about the person; erased with the person."""

from django.utils.translation import gettext_lazy as _

from willkommen.clients import personal_data
from willkommen.clients.personal_data import Section, rows

from .models import AuthorityRequest, Consent, PartnerMessage


def export(authority, person):
    requests = AuthorityRequest.objects.filter(authority=authority, case__person=person).order_by("sent_at", "id")
    consents = Consent.objects.filter(authority=authority, person=person).order_by("given_at", "id")
    messages = PartnerMessage.objects.filter(authority=authority, person=person).order_by("sent_at", "id")
    return Section(
        tables={
            "requests_to_other_authorities": rows(requests, exclude=("payload",)),
            "partner_consents": rows(consents),
            "partner_messages": rows(messages, exclude=("author",)),
        }
    )


def erase(authority, person_ids):
    _n, per_model = AuthorityRequest.objects.filter(authority=authority, case__person_id__in=person_ids).delete()
    _n, messages = PartnerMessage.objects.filter(authority=authority, person_id__in=person_ids).delete()
    _n, more = Consent.objects.filter(authority=authority, person_id__in=person_ids).delete()
    return {**per_model, **messages, **more}


CONTRIBUTOR = personal_data.Contributor(
    key="partners",
    label=_("Requests to other authorities and consents for partner organisations"),
    models=("partners.AuthorityRequest", "partners.Consent", "partners.PartnerMessage"),
    export=export,
    erase=erase,
)


def register():
    personal_data.register(CONTRIBUTOR)

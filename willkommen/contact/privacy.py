"""The contact room's share of data protection: a person's invitations to the satisfaction survey and their
answers in the Art. 15 copy, erased with the person. Feedback carries no person (at most a case, kept apart:
anonymous unless the client named one) and callbacks belong to the case, whose contributor covers them."""

from django.utils.translation import gettext_lazy as _

from willkommen.clients import personal_data
from willkommen.clients.personal_data import Section, rows

from .models import SurveyInvitation


def export(authority, person):
    invitations = SurveyInvitation.objects.filter(authority=authority, person=person).order_by("sent_at", "id")
    return Section(tables={"satisfaction_survey": rows(invitations, exclude=("token_hash",))})


def erase(authority, person_ids):
    _n, counts = SurveyInvitation.objects.filter(authority=authority, person_id__in=person_ids).delete()
    return counts


CONTRIBUTOR = personal_data.Contributor(
    key="contact",
    label=_("Satisfaction survey"),
    models=("contact.SurveyInvitation",),
    export=export,
    erase=erase,
)


def register():
    personal_data.register(CONTRIBUTOR)

"""Forms of the rest of the partner portal: answering a missing document, messages, booking, group notices."""

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms

from .models import OrganisationKind


class MissingDocumentForm(forms.Form):
    case = django_forms.IntegerField(widget=django_forms.HiddenInput)
    item = django_forms.CharField(max_length=60, widget=django_forms.HiddenInput)
    document = django_forms.FileField(label=_("File (PDF or image)"))


class MessageForm(forms.Form):
    body = django_forms.CharField(label=_("Message"), max_length=5000, widget=django_forms.Textarea(attrs={"rows": 4}))


class PartnerBookingForm(forms.Form):
    slot = django_forms.ChoiceField(label=_("Appointment time"), choices=[])

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slots


class NoticeForm(forms.Form):
    kind = django_forms.ChoiceField(label=_("To all organisations of the kind"), choices=OrganisationKind.choices)
    subject = django_forms.CharField(label=_("Subject"), max_length=200)
    body = django_forms.CharField(label=_("Text"), max_length=10000, widget=django_forms.Textarea(attrs={"rows": 8}))

"""Desk forms of the knowledge room. Texts per language are plain fields (title_<code>, …), German required."""

import uuid

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from willkommen.catalogue.selectors import anliegen_list, title
from willkommen.core import forms

from .models import BlockKind, CountryNote, NewsKind
from .placeholders import PLACEHOLDERS, unknown

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TextsFormMixin:
    """Adds a title and a longer text per language; ``texts()`` returns them as {language: {...}}."""

    text_field = "description"
    text_label = _("Purpose")

    def _add_text_fields(self, initial_texts):
        for code, name in settings.LANGUAGES:
            current = initial_texts.get(code)
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                max_length=200,
                required=code == "de",
                initial=current.title if current else "",
            )
            self.fields[f"title_{code}"].widget.attrs["lang"] = code
            self.fields[f"{self.text_field}_{code}"] = forms.CharField(
                label=f"{self.text_label} ({name})",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
                initial=getattr(current, self.text_field) if current else "",
            )

    def language_fields(self):
        return [
            (code, name, self[f"title_{code}"], self[f"{self.text_field}_{code}"]) for code, name in settings.LANGUAGES
        ]

    def texts(self):
        data = self.cleaned_data
        return {
            code: {"title": data.get(f"title_{code}", ""), self.text_field: data.get(f"{self.text_field}_{code}", "")}
            for code, _name in settings.LANGUAGES
        }


class SubmissionMixin:
    """A one-time key in the create page (a hidden field): submitting the same page twice creates once."""

    def _add_submission(self, instance):
        if instance is None:
            self.fields["submission"] = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def submission_key(self):
        return self.cleaned_data.get("submission")


class PublicFormForm(SubmissionMixin, TextsFormMixin, forms.Form):
    file = forms.FileField(
        label=_("PDF file"),
        required=False,
        help_text=_("Only PDF, at most %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_FILE_MB},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    anliegen = forms.TypedChoiceField(label=_("Anliegen"), required=False, coerce=int, empty_value=None)
    position = forms.IntegerField(label=_("Position in the list"), min_value=0, max_value=9999, initial=0)
    active = forms.BooleanField(label=_("Shown on the portal"), required=False, initial=True)

    def __init__(self, *args, authority, language, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority
        self._anliegen = {a.pk: a for a in anliegen_list(authority)}
        self.fields["anliegen"].choices = [("", "–")] + [
            (pk, title(a, language)) for pk, a in sorted(self._anliegen.items())
        ]
        self.fields["active"].widget.attrs["class"] = "kern-form-check__checkbox"
        if instance is not None:
            self.fields["anliegen"].initial = instance.anliegen_id
            self.fields["position"].initial = instance.position
            self.fields["active"].initial = instance.active
        self._add_text_fields({t.language: t for t in instance.texts.all()} if instance else {})
        self._add_submission(instance)

    def chosen_anliegen(self):
        return self._anliegen.get(self.cleaned_data.get("anliegen"))


class NewsForm(SubmissionMixin, TextsFormMixin, forms.Form):
    text_field = "body"
    text_label = _("Text")

    kind = forms.ChoiceField(label=_("Kind"), choices=NewsKind.choices)
    visible_from = forms.DateField(label=_("Visible from"), widget=DATE)
    visible_until = forms.DateField(
        label=_("Visible until"), widget=DATE, required=False, help_text=_("Empty: until removed.")
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["kind"].initial = instance.kind
            self.fields["visible_from"].initial = instance.visible_from
            self.fields["visible_until"].initial = instance.visible_until
        self._add_text_fields({t.language: t for t in instance.texts.all()} if instance else {})
        self._add_submission(instance)

    def clean(self):
        data = super().clean()
        start, end = data.get("visible_from"), data.get("visible_until")
        if start and end and end < start:
            self.add_error("visible_until", _("The end must not be before the start."))
        return data


class CountryNoteForm(forms.ModelForm):
    class Meta:
        model = CountryNote
        fields = ["country", "as_of", "passports", "embassies", "cooperation", "deportation_bans", "sources"]
        widgets = {
            "as_of": DATE,
            "passports": forms.Textarea(attrs={"rows": 4}),
            "embassies": forms.Textarea(attrs={"rows": 3}),
            "cooperation": forms.Textarea(attrs={"rows": 4}),
            "deportation_bans": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"country": _("ISO 3166 alpha-3, e.g. SYR, AFG, UKR."), "sources": _("One source per line.")}

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").strip().upper()


AREA = forms.Textarea(attrs={"rows": 4})


class InstructionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    anliegen = forms.TypedChoiceField(label=_("Anliegen"), required=False, coerce=int, empty_value=None)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=120, help_text=_("e.g. § 18a AufenthG"))
    checks = forms.CharField(label=_("What to check"), max_length=20000, widget=AREA)
    documents = forms.CharField(label=_("Typical documents"), required=False, max_length=20000, widget=AREA)
    pitfalls = forms.CharField(label=_("Pitfalls"), required=False, max_length=20000, widget=AREA)
    legal_links = forms.CharField(
        label=_("Links to the legal text"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One link per line."),
    )
    published = forms.BooleanField(label=_("Publish to the other authorities"), required=False)

    def __init__(self, *args, authority, language, instance=None, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._anliegen = {a.pk: a for a in anliegen_list(authority)}
        self.fields["anliegen"].choices = [("", "–")] + [
            (pk, title(a, language)) for pk, a in sorted(self._anliegen.items())
        ]
        self.fields["published"].widget.attrs["class"] = "kern-form-check__checkbox"
        if instance is not None:
            for name in ("title", "legal_basis", "published"):
                self.fields[name].initial = getattr(instance, name)
            self.fields["anliegen"].initial = instance.anliegen_id
        if version is not None:
            for name in ("checks", "documents", "pitfalls", "legal_links"):
                self.fields[name].initial = getattr(version, name)

    def clean_legal_links(self):
        links = [line.strip() for line in self.cleaned_data.get("legal_links", "").splitlines() if line.strip()]
        for link in links:
            if not link.startswith("https://"):
                raise forms.ValidationError(_("Each link must start with https://."))
        return "\n".join(links)

    def chosen_anliegen(self):
        return self._anliegen.get(self.cleaned_data.get("anliegen"))


class BlockForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=120, help_text=_("e.g. § 18a AufenthG"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[])
    kind = forms.ChoiceField(label=_("Part of the decision"), choices=BlockKind.choices)
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    published = forms.BooleanField(label=_("Publish to the other authorities"), required=False)

    def __init__(self, *args, instance=None, version=None, **kwargs):
        from willkommen.cases.models import Outcome

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Outcome.choices
        self.fields["published"].widget.attrs["class"] = "kern-form-check__checkbox"
        self.fields["text"].help_text = _("Placeholders: %(names)s") % {
            "names": ", ".join("{{ " + name + " }}" for name in PLACEHOLDERS)
        }
        if instance is not None:
            for name in ("title", "legal_basis", "outcome", "kind", "published"):
                self.fields[name].initial = getattr(instance, name)
        if version is not None:
            self.fields["text"].initial = version.text

    def clean_text(self):
        text = self.cleaned_data.get("text", "")
        wrong = unknown(text)
        if wrong:
            raise forms.ValidationError(
                _("Unknown placeholder: %(names)s. Allowed: %(allowed)s.")
                % {"names": ", ".join(wrong), "allowed": ", ".join(PLACEHOLDERS)}
            )
        return text


class TrainingForm(forms.Form):
    staff = forms.TypedChoiceField(label=_("Staff member"), coerce=int)
    course = forms.CharField(label=_("Course"), max_length=200)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    mandatory = forms.BooleanField(label=_("Mandatory"), required=False)
    intercultural = forms.BooleanField(label=_("Intercultural competence"), required=False)
    renew_months = forms.IntegerField(
        label=_("Due again after (months)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Mandatory courses only: when it must be taken again."),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self._staff = {user.pk: user for user in staff}
        self.fields["staff"].choices = [(pk, user.display_name) for pk, user in self._staff.items()]
        for name in ("mandatory", "intercultural"):
            self.fields[name].widget.attrs["class"] = "kern-form-check__checkbox"

    def chosen_staff(self):
        return self._staff.get(self.cleaned_data.get("staff"))


class InductionItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    instruction = forms.TypedChoiceField(label=_("Work instruction"), coerce=int, required=False, empty_value=None)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=9999, initial=0)
    roles = forms.MultipleChoiceField(
        label=_("For roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: for every role."),
    )

    def __init__(self, *args, instructions, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self._instructions = {item.pk: item for item in instructions}
        self.fields["instruction"].choices = [("", "–")] + [(pk, item.title) for pk, item in self._instructions.items()]
        self.fields["roles"].choices = [(role.value, role.label) for role in roles]

    def chosen_instruction(self):
        return self._instructions.get(self.cleaned_data.get("instruction"))

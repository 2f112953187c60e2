"""Choosing a nationality by its name instead of typing a code: a pair of selects (nationality, and a
second one for people with two) listing every country by name in the reader's language, sorted in that
language, plus the ICAO entries for stateless people, refugees and unknown nationality. The value is the
comma-separated alpha-3 codes the person record stores ("SYR, TUR"), so a form that used a text field for
codes keeps its cleaning; a request that sends the codes under the field's own name (the REST API, old
drafts) still works."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .labels import _NO_STATE


def nationality_choices():
    """[(alpha-3, name)] sorted by name in the active language, then the entries without a state."""
    from django_countries import countries

    named = []
    for code2, name in countries:  # django-countries sorts by the translated name
        code3 = countries.alpha3(code2)
        if code3:
            named.append((code3, str(name)))
    return named + [(code, str(label)) for code, label in _NO_STATE.items()]


def known_code(code):
    from django_countries import countries

    return code in _NO_STATE or bool(countries.alpha2(code))


class NationalitiesWidget(forms.MultiWidget):
    template_name = "core/widgets/nationalities.html"

    def __init__(self, attrs=None):
        select = {"class": "kern-form-input__select"}
        super().__init__(
            [
                forms.Select(attrs=select),
                forms.Select(attrs={**select, "aria-label": _("Second nationality (if you have two)")}),
            ],
            attrs,
        )

    def get_context(self, name, value, attrs):
        choices = [("", "–")] + nationality_choices()
        for widget in self.widgets:
            widget.choices = choices
        return super().get_context(name, value, attrs)

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_  # the field's label names the first select

    def decompress(self, value):
        if isinstance(value, list | tuple):
            codes = [str(c).strip().upper() for c in value if c]
        else:
            codes = [c.strip().upper() for c in str(value or "").replace(";", ",").split(",") if c.strip()]
        return (codes + ["", ""])[:2]

    def value_from_datadict(self, data, files, name):
        if f"{name}_0" in data or f"{name}_1" in data:
            picked = [data.get(f"{name}_{i}", "") for i in (0, 1)]
            return ", ".join(code for code in picked if code)
        return data.get(name, "")

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_0" not in data and f"{name}_1" not in data

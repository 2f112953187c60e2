"""``get_<field>_display`` without rebuilding the field's choices on every call.

Django's generated method builds a dictionary of all the field's choices on every call and hashes every lazy
label on the way (one translation lookup per choice): a work queue page of 40 cases spent about 450
translation lookups on the status column alone. :func:`install` gives every model field with fixed choices
a method that builds that dictionary once per field (values to lazy labels, so it holds for every language)
and translates only the label it returns. The answer is the same as Django's, including the raw value for a
value that is not among the choices; a method a model defines itself is left alone, as Django leaves it, and
so are fields whose choices are a callable (they may change).
"""

from functools import partialmethod

from django.apps import apps
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _display(field):
    labels = {}

    def get_display(self):
        if not labels:
            labels.update(dict(make_hashable(field.flatchoices)))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    get_display.__name__ = f"get_{field.name}_display"
    return get_display


def install():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.local_fields:
            if not field.choices or callable(getattr(field, "_choices", None)):
                continue
            name = f"get_{field.name}_display"
            if isinstance(model.__dict__.get(name), partialmethod):  # Django's, not the model's own
                setattr(model, name, _display(field))

"""The office sets itself up (desk pages, not the Django admin): the hub that lists the set-up pages and
the change history of everything changed on them.

The hub renders the panel slot ``office.setup``: each room adds the links to its own set-up pages in its
``AppConfig.ready()`` (``core/panels.py``), so the hub knows no room above the audit room. Whoever holds
``office.staff`` holds ``office.setup`` too (``accounts/roles.py``; a test keeps it so), so the hub and
the history ask for ``office.setup``.
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms
from willkommen.core.desk import desk_view
from willkommen.core.forms import form_status
from willkommen.core.paging import LeanPaginator

from . import objects
from .changes import OFFICE_SETUP
from .models import AuditEntry

CAPABILITY = "office.setup"
PAGE_SIZE = 50


@desk_view(CAPABILITY)
def hub(request):
    return render(request, "audit/office/hub.html")


def _entries(authority):
    return AuditEntry.objects.filter(authority=authority, purpose=OFFICE_SETUP)


def _kinds(authority):
    kinds = _entries(authority).exclude(object_type="").values_list("object_type", flat=True).distinct()
    return sorted(((kind, objects.model_name(kind)) for kind in kinds), key=lambda pair: str(pair[1]).lower())


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all")), *kinds]


@desk_view(CAPABILITY)
def history(request):
    authority = request.authority
    form = HistoryFilterForm(request.GET or None, kinds=_kinds(authority))
    qs = _entries(authority).order_by("-at", "-id")
    if form.is_bound and form.is_valid() and form.cleaned_data["kind"]:
        qs = qs.filter(object_type=form.cleaned_data["kind"])
    elif form.is_bound and not form.is_valid():
        qs = qs.none()
    page = LeanPaginator(qs.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = objects.describe_entries(authority, list(page.object_list))
    context = {"form": form, "page": page, "entries": entries}
    return render(request, "audit/office/history.html", context, status=form_status(form))


_links = {}


def register_link(label, url_name, capability, *, order=100):
    """A room adds a link to one of its set-up pages to the hub (slot ``office.setup``), shown to the
    holders of ``capability``. Call it from the room's ``AppConfig.ready()``."""
    from django.urls import reverse
    from django.utils.html import format_html

    from willkommen.core import panels

    if url_name in _links:
        return _links[url_name]

    def link(request, obj=None):
        if not request.user.can(capability):
            return ""
        return format_html(
            '<li class="kern-card"><div class="kern-card__container"><div class="kern-card__body">'
            '<a class="kern-link kern-link--stretched" href="{}">{}</a></div></div></li>',
            reverse(url_name),
            label,
        )

    link.__name__ = f"office_link_{url_name.replace(':', '_')}"
    _links[url_name] = link
    panels.register("office.setup", link, order=order)
    return link

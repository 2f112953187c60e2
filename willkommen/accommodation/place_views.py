"""The placing page: find a client, place them (with their household) on free normal beds of an
accommodation. Every search and every client chosen is written to the audit log."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read

from . import selectors, services
from .actions import accommodation_or_404, posted
from .forms import PlaceForm, SearchForm

SEARCH_LIMIT = 20


def _search_clients(request, search_form):
    """(query, clients found with their current placement) for the search on the placing page."""
    from willkommen.clients.selectors import search

    query = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    if not query:
        return query, []
    found = list(search(request.authority, query).order_by("family_name", "given_names", "pk")[:SEARCH_LIMIT])
    record_read(request, *found, action="search", purpose="accommodation: find a client to place", detail=query)
    current = selectors.open_placements_by_person(request.authority, [f.pk for f in found])
    for person in found:
        person.current_placement = current.get(person.pk)
    return query, found


def _chosen_client(request):
    """The client picked from the search results (``?person=``), or None."""
    from willkommen.clients.selectors import persons

    if request.method != "GET" or not request.GET.get("person", "").isdigit():
        return None
    chosen = persons(request.authority).filter(pk=int(request.GET["person"])).first()
    if chosen is not None:
        record_read(request, chosen, purpose="accommodation: client chosen for placing")
    return chosen


def _household(request, form):
    """(person, other members) named on the valid placing form, or (None, []) with the error on the form."""
    from willkommen.clients.selectors import persons

    person = persons(request.authority).filter(pk=form.cleaned_data["person"]).first()
    if person is None:
        form.add_error("person", _("No client with this number."))
        return None, []
    wanted = [pk for pk in form.cleaned_data["household"] if pk != person.pk]
    members = list(persons(request.authority).filter(pk__in=wanted))
    if len(members) != len(wanted):
        form.add_error("household", _("No client with this number."))
        return None, []
    return person, members


def _place_posted(request, accommodation, form):
    """Place the client (with their household) named on the posted form: (redirect or None, status)."""
    person, members = _household(request, form) if form.is_valid() else (None, [])
    if person is None:
        return None, 400
    data = form.cleaned_data
    try:
        if members:
            services.place_household(
                request.authority,
                [person, *members],
                accommodation,
                moved_in=data["moved_in"],
                placed_by=request.user,
                request=request,
            )
        else:
            services.place(
                request.authority,
                person,
                accommodation,
                moved_in=data["moved_in"],
                unit=data["unit"],
                placed_by=request.user,
                request=request,
            )
    except services.AccommodationError as error:
        form.add_error(None, error.message)
        return None, 409
    messages.success(
        request,
        _("%(name)s now lives in %(accommodation)s.") % {"name": person.full_name, "accommodation": accommodation.name},
    )
    return redirect("accommodation:detail", pk=accommodation.pk), 302


@desk_view("accommodation.manage")
def place(request, pk):
    accommodation = accommodation_or_404(request, pk)
    search_form = SearchForm(request.GET or None)
    query, found = _search_clients(request, search_form)
    chosen = _chosen_client(request)
    form = PlaceForm(posted(request), initial={"person": chosen.pk} if chosen is not None else {})
    status = 200
    if request.method == "POST":
        done, status = _place_posted(request, accommodation, form)
        if done is not None:
            return done
    return render(
        request,
        "accommodation/place.html",
        {
            "accommodation": accommodation,
            "occupied": selectors.occupancy(request.authority, accommodation),
            "form": form,
            "search_form": search_form,
            "query": query,
            "found": found,
            "chosen": chosen,
        },
        status=status,
    )

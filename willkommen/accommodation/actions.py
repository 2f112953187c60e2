"""Shared by the accommodation room's view modules: looking up an accommodation by authority (in SQL), the
posted data of a form, and the desk's POST action on one object."""

from django.contrib import messages
from django.http import Http404

from . import selectors, services


def accommodation_or_404(request, pk):
    found = selectors.get_accommodation(request.authority, pk)
    if found is None:
        raise Http404
    return found


def posted(request):
    """The submitted data for a form, also when it is empty (so an empty POST is refused, not ignored)."""
    return request.POST if request.method == "POST" else None


def act(request, form, *, page, run, done, field=None):
    """The desk's POST action on one object (already looked up by authority in SQL): a form that is not valid
    is shown again (400); ``run(cleaned_data)`` calls the service; its refusal is shown on the form (409,
    on ``field`` or above the form); else ``done(result)`` gives the success message and where to go.
    ``page(form, status)`` renders the object's page with the form."""
    if not form.is_valid():
        return page(form, 400)
    try:
        result = run(form.cleaned_data)
    except services.AccommodationError as error:
        form.add_error(field, error.message)
        return page(form, 409)
    message, target = done(result)
    messages.success(request, message)
    return target

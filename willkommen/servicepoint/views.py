"""Pages of the ServicePoint: the kiosk tablet and call display (public, bound to a location by a
secret key in the URL) and the staff desk."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read
from willkommen.clients.visibility import Resource, may_read, visible
from willkommen.core.middleware import allow_features
from willkommen.core.ratelimit import ratelimit

from . import case_intake, selectors, services, sms
from .forms import (
    CallForm,
    CheckInForm,
    DeskCheckInForm,
    DeskTicketForm,
    DropOffForm,
    EmailReceiptForm,
    FindClientForm,
    FinishForm,
    KioskTicketForm,
    TicketSmsForm,
)
from .models import WALK_IN_CATEGORIES, Category, DropOff, Status, Ticket

DISPLAY_REFRESH_SECONDS = 10


def _language(request):
    """The kiosk's language: chosen on the kiosk itself (?lang=), not stored, so the next visitor
    starts afresh; else the browser's."""
    code = request.POST.get("lang") or request.GET.get("lang") or ""
    return code if code in dict(settings.LANGUAGES) else request.LANGUAGE_CODE


def _render_in(request, language, template, context, status=200):
    with translation.override(language):
        return render(request, template, {**context, "kiosk_language": language}, status=status)


def _error(request, language, title, message, status=400, back=""):
    return _render_in(
        request, language, "servicepoint/kiosk_error.html", {"title": title, "message": message, "back": back}, status
    )


def _kiosk_station(request, key):
    station = selectors.station_by_kiosk_key(request.authority, key)
    if station is None:
        raise Http404
    return station


def _kiosk_context(request, station, language):
    location = station.location
    now = timezone.now()
    categories = [(value, label) for value, label in Category.choices if value in WALK_IN_CATEGORIES]
    return {
        "station": station,
        "location": location,
        "categories": categories,
        "open": services.is_open(location, now),
        "cap_reached": services.cap_reached(location, now),
        "come_back_at": services.come_back_at(location, now) if services.cap_reached(location, now) else None,
        "languages": request.authority.offered_languages,
        "check_in_form": CheckInForm(),
    }


def kiosk(request, key):
    station = _kiosk_station(request, key)
    language = _language(request)
    return _render_in(request, language, "servicepoint/kiosk.html", _kiosk_context(request, station, language))


def _ticket_redirect(ticket, language):
    return redirect(f"{reverse('servicepoint:ticket', args=[ticket.public_id])}?{urlencode({'lang': language})}")


@require_POST
@ratelimit("servicepoint-kiosk", limit=60)
def kiosk_ticket(request, key):
    station = _kiosk_station(request, key)
    language = _language(request)
    back = f"{reverse('servicepoint:kiosk', args=[key])}?{urlencode({'lang': language})}"
    form = KioskTicketForm(request.POST)
    with translation.override(language):
        if not form.is_valid():
            return _error(
                request, language, _("No ticket issued"), _("Please choose what you have come for."), 400, back
            )
        try:
            ticket = services.issue_ticket(
                request.authority, station.location, form.cleaned_data["category"], language=language
            )
        except services.ServicePointError as error:
            return _error(request, language, _("No ticket issued"), error.message, 409, back)
    return _ticket_redirect(ticket, language)


@require_POST
@ratelimit("servicepoint-checkin", limit=30)
def kiosk_check_in(request, key):
    station = _kiosk_station(request, key)
    language = _language(request)
    back = f"{reverse('servicepoint:kiosk', args=[key])}?{urlencode({'lang': language})}"
    form = CheckInForm(request.POST)
    with translation.override(language):
        if not form.is_valid():
            return _error(request, language, _("Check-in failed"), _("Please enter the booking reference."), 400, back)
        try:
            ticket = services.check_in(
                request.authority, station.location, form.cleaned_data["code"], language=language
            )
        except services.ServicePointError as error:
            return _error(request, language, _("Check-in failed"), error.message, 400, back)
    return _ticket_redirect(ticket, language)


def _public_ticket(request, public_id):
    ticket = selectors.ticket_by_public_id(request.authority, public_id)
    if ticket is None:
        raise Http404
    return ticket


def _ticket_response(request, ticket, language, sms_form=None, status=200):
    station = services.station_for(ticket.location)
    return _render_in(
        request,
        language,
        "servicepoint/ticket.html",
        {
            "ticket": ticket,
            "wait": services.estimated_wait_minutes(ticket),
            "back": f"{reverse('servicepoint:kiosk', args=[station.kiosk_key])}?{urlencode({'lang': language})}",
            "sms_offered": sms.available() and ticket.status == Status.WAITING,
            "sms_form": sms_form or TicketSmsForm(),
            "sms_phone": sms.masked(ticket.phone),
        },
        status=status,
    )


def ticket_page(request, public_id):
    ticket = _public_ticket(request, public_id)
    return _ticket_response(request, ticket, _language(request))


@require_POST
@ratelimit("servicepoint-sms", limit=20)
def ticket_sms(request, public_id):
    """The client leaves a mobile number for the SMS when the turn is near, or deletes it."""
    ticket = _public_ticket(request, public_id)
    language = _language(request)
    with translation.override(language):
        if request.POST.get("action") == "delete":
            services.set_phone(ticket, "")
            messages.success(request, _("Your mobile number was deleted."))
            return _ticket_redirect(ticket, language)
        form = TicketSmsForm(request.POST)
        if not sms.available():
            raise Http404
        if ticket.status != Status.WAITING:
            form.is_valid()
            form.add_error(None, _("Your number has already been called."))
            return _ticket_response(request, ticket, language, form, status=409)
        if not form.is_valid():
            return _ticket_response(request, ticket, language, form, status=400)
        try:
            ticket = services.set_phone(ticket, form.cleaned_data["phone"])
        except services.ServicePointError as error:
            form.add_error(None, error.message)
            return _ticket_response(request, ticket, language, form, status=409)
        if ticket.sms_near_at is not None:
            messages.success(
                request,
                _(
                    "Your turn is very near, so please stay in the waiting room. We will send an SMS when your number is called."
                ),
            )
        else:
            messages.success(request, _("We will send you an SMS when your turn is near."))
    return _ticket_redirect(ticket, language)


# --- call display -------------------------------------------------------------------------------


def _display_station(request, key):
    station = selectors.station_by_display_key(request.authority, key)
    if station is None:
        raise Http404
    return station


def _board_context(station):
    calls = selectors.recent_calls(station.location)
    return {"station": station, "location": station.location, "calls": calls, "latest": calls[0] if calls else None}


def display(request, key):
    station = _display_station(request, key)
    context = _board_context(station)
    context.update(
        {
            "refresh_seconds": DISPLAY_REFRESH_SECONDS,
            "board_url": reverse("servicepoint:display_board", args=[key]),
        }
    )
    return render(request, "servicepoint/display.html", context)


def display_board(request, key):
    station = _display_station(request, key)
    return render(request, "servicepoint/_board.html", _board_context(station))


# --- desk ---------------------------------------------------------------------------------------


def _desk_location(request):
    locations = list(selectors.locations(request.authority))
    wanted = request.GET.get("location") or request.POST.get("location") or request.session.get("sp_location")
    chosen = next((loc for loc in locations if str(loc.pk) == str(wanted)), None) or (
        locations[0] if locations else None
    )
    if chosen is not None:
        request.session["sp_location"] = chosen.pk
    return chosen, locations


def _back_to_desk(location):
    url = reverse("servicepoint:desk")
    return redirect(f"{url}?{urlencode({'location': location.pk})}" if location else url)


@desk_view("servicepoint.work")
@allow_features("camera")  # check-in by the booking's QR code (checkin-scan.js)
def desk(request):
    location, locations = _desk_location(request)
    counter = request.session.get("sp_counter", "")
    context = {"location": location, "locations": locations, "counter": counter}
    if location is not None:
        now = timezone.now()
        station = services.station_for(location)
        waiting = selectors.with_persons(request.authority, selectors.waiting_queue(location, now))
        at_counter = selectors.with_persons(
            request.authority, selectors.at_counter(location, counter, now) if counter else []
        )
        case_intake.add_open_case_urls(request.user, at_counter)
        record_read(request, *waiting, *at_counter, purpose="ServicePoint queue")
        context.update(
            {
                "station": station,
                "queue": waiting,
                "at_counter": at_counter,
                "present": services.present_count(location, now),
                "open": services.is_open(location, now),
                "issue_form": DeskTicketForm(),
                "call_form": CallForm(initial={"counter": counter}),
                "check_in_form": DeskCheckInForm(auto_id="checkin-%s"),
                "sms_available": sms.available(),
                "finish_form": FinishForm(),
                "kiosk_url": request.build_absolute_uri(reverse("servicepoint:kiosk", args=[station.kiosk_key])),
                "display_url": request.build_absolute_uri(reverse("servicepoint:display", args=[station.display_key])),
            }
        )
    return render(request, "servicepoint/desk.html", context)


@desk_view("servicepoint.work")
@require_POST
def desk_issue(request):
    location, _locations = _desk_location(request)
    form = DeskTicketForm(request.POST)
    if location is None or not form.is_valid():
        if "phone" in form.errors:
            messages.error(request, form.errors["phone"][0])
        else:
            messages.error(request, _("Please choose a category and a language."))
        return _back_to_desk(location)
    try:
        ticket = services.issue_ticket(
            request.authority,
            location,
            form.cleaned_data["category"],
            language=form.cleaned_data["language"],
            urgent=form.cleaned_data["urgent"],
            issued_by=request.user,
            phone=form.cleaned_data["phone"],
        )
    except services.ServicePointError as error:
        messages.error(request, error.message)
        return _back_to_desk(location)
    messages.success(
        request,
        _("Ticket %(code)s issued; estimated wait %(minutes)s minutes.")
        % {"code": ticket.code, "minutes": services.estimated_wait_minutes(ticket)},
    )
    return _back_to_desk(location)


@desk_view("servicepoint.work")
@require_POST
def desk_check_in(request):
    location, _locations = _desk_location(request)
    form = DeskCheckInForm(request.POST)
    if location is None or not form.is_valid():
        if "phone" in form.errors:
            messages.error(request, form.errors["phone"][0])
        else:
            messages.error(request, _("Please enter the booking reference."))
        return _back_to_desk(location)
    try:
        ticket = services.check_in(
            request.authority, location, form.cleaned_data["code"], staff=request.user, phone=form.cleaned_data["phone"]
        )
    except services.ServicePointError as error:
        messages.error(request, error.message)
        return _back_to_desk(location)
    messages.success(request, _("Checked in: ticket %(code)s.") % {"code": ticket.code})
    return _back_to_desk(location)


@desk_view("servicepoint.work")
@require_POST
def desk_call(request):
    location, _locations = _desk_location(request)
    form = CallForm(request.POST)
    if location is None or not form.is_valid():
        messages.error(request, _("Please enter your counter."))
        return _back_to_desk(location)
    counter = form.cleaned_data["counter"].strip()
    request.session["sp_counter"] = counter
    ticket = services.call_next(request.authority, location, counter=counter, staff=request.user)
    if ticket is None:
        messages.info(request, _("Nobody is waiting."))
    else:
        messages.success(
            request, _("Called %(code)s to counter %(counter)s.") % {"code": ticket.code, "counter": counter}
        )
    return _back_to_desk(location)


@desk_view("servicepoint.work")
@require_POST
def desk_ticket_action(request, pk, action):
    ticket = (
        visible(Ticket.objects.filter(pk=pk), request.user, request.authority, Resource.TICKETS, person_field=None)
        .select_related("location")
        .first()
    )
    if ticket is None:
        raise Http404
    try:
        if action == "start":
            services.start_service(ticket, staff=request.user)
        elif action == "finish":
            form = FinishForm(request.POST)
            if not form.is_valid():
                raise services.ServicePointError(_("Please choose an outcome."))
            services.finish(ticket, form.cleaned_data["outcome"], staff=request.user)
        elif action == "no-show":
            services.mark_no_show(ticket)
        else:
            raise Http404
    except services.ServicePointError as error:
        messages.error(request, error.message)
    return _back_to_desk(ticket.location)


# --- drop-off -------------------------------------------------------------------------------------


def _drop_off(request, pk):
    """A drop-off the user may read (visibility policy ``DROP_OFFS``: the ServicePoint any of the authority,
    casework those of the persons its teams handle), else 404; 403 for a user who reads none at all."""
    if not may_read(request.user, Resource.DROP_OFFS):
        raise PermissionDenied
    found = (
        visible(DropOff.objects.filter(pk=pk), request.user, request.authority, Resource.DROP_OFFS)
        .select_related("person", "case")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _client_context(request, match):
    """What the page shows of the client found (or the clients to choose from); audited as a read."""
    if match.found:
        record_read(request, match.person, purpose="ServicePoint drop-off: client found")
        numbers = services.case_numbers(request.authority, [match.person])[match.person.pk]
        return {"match": match, "person": match.person, "person_case_numbers": numbers}
    if match.candidates:
        record_read(request, *match.candidates, purpose="ServicePoint drop-off: choose the client")
        numbers = services.case_numbers(request.authority, match.candidates)
        return {"match": match, "candidates": [(p, numbers[p.pk]) for p in match.candidates]}
    return {"match": match}


def _find(request, data):
    return services.find_client(
        request.authority,
        person_id=data.get("person"),
        case_number=data.get("case_number") or "",
        name=data.get("name") or "",
        date_of_birth=data.get("date_of_birth"),
    )


@desk_view("efile.dropoff")
def drop_off(request):
    """Documents handed in at the ServicePoint. First whose they are – the case number, or the name and date
    of birth (several matches: the staff member chooses, with the case numbers in sight), or the client
    number – then the documents, into the person's e-file (and the case, if named)."""
    if request.method != "POST":
        return _drop_off_search(request)
    form = DropOffForm(request.POST, request.FILES)
    if not form.is_valid():
        match = _find(request, form.cleaned_data) if form.cleaned_data.get("person") else None
        if match is not None and match.found:
            context = _client_context(request, match)
        else:
            context = {}
            form.add_error(None, _("Find the client first, then add the documents."))
        context["find_form"] = FindClientForm(request.POST)
        return render(request, "servicepoint/drop_off.html", {**context, "form": form}, status=400)
    # the client: by client number, else by the case number, else by name and date of birth
    match = _find(request, form.cleaned_data)
    case = _named_case(request, form, match)
    if form.errors:
        context = _client_context(request, match)
        return render(
            request,
            "servicepoint/drop_off.html",
            {**context, "form": form, "find_form": FindClientForm(request.POST)},
            status=400,
        )
    return _record_drop_off(request, form, match, case)


def _drop_off_search(request):
    """The page before sending: the search for the client, and the documents form once one is found."""
    if not any(name in request.GET for name in FindClientForm.base_fields):  # no search yet
        return render(request, "servicepoint/drop_off.html", {"find_form": FindClientForm()})
    find_form = FindClientForm(request.GET)
    if not find_form.is_valid():
        return render(request, "servicepoint/drop_off.html", {"find_form": find_form}, status=400)
    match = _find(request, find_form.cleaned_data)
    context = {"find_form": find_form, **_client_context(request, match)}
    if match.found:
        context["form"] = DropOffForm(
            initial={"person": match.person.pk, "case_number": match.case.number if match.case else ""}
        )
    return render(request, "servicepoint/drop_off.html", context)


def _named_case(request, form, match):
    """The case the documents go to (the match's, else the one whose number was entered, if it is the
    client's); what is wrong is put on the form."""
    from willkommen.cases.selectors import case_by_number

    person, case = match.person, match.case
    number = (form.cleaned_data["case_number"] or "").strip()
    if person is not None and case is None and number:
        case = case_by_number(request.authority, number)
        if case is None:
            form.add_error("case_number", _("No case with this number."))
        elif case.person_id != person.pk:
            form.add_error("case_number", _("This case belongs to another client."))
    if person is None:
        if match.candidates:
            form.add_error(None, _("Several clients have this name and date of birth. Choose one."))
        else:
            form.add_error(None, match.error)
    return case


def _record_drop_off(request, form, match, case):
    """File the documents and send the receipt by e-mail when asked; a refused file is shown on the form."""
    from willkommen.efile.uploads import UploadRejected

    person = match.person
    try:
        result = services.record_drop_off(request.authority, person, form.files_to_add(), staff=request.user, case=case)
    except UploadRejected as error:
        form.add_error(None, str(getattr(error, "message", error)))
    except services.ServicePointError as error:
        form.add_error(None, error.message)
    else:
        email = form.cleaned_data["email"]
        if email:
            services.email_receipt(result, email, person.preferred_language)
        messages.success(request, _("The documents were added to the client's file."))
        return redirect("servicepoint:drop_off_detail", pk=result.pk)
    context = _client_context(request, match)
    return render(request, "servicepoint/drop_off.html", {**context, "form": form}, status=400)


@desk_view("desk")  # the policy decides: _drop_off
def drop_off_detail(request, pk):
    found = _drop_off(request, pk)
    record_read(request, found, purpose="ServicePoint drop-off receipt")
    return render(
        request,
        "servicepoint/drop_off_detail.html",
        {
            "drop_off": found,
            "items": services.receipt_items(found),
            "email_form": EmailReceiptForm() if request.user.can("efile.dropoff") else None,
            "open_case_url": case_intake.open_case_url(found)
            if not found.case_id and request.user.can("cases.open")
            else "",
        },
    )


@desk_view("desk")  # the policy decides: _drop_off
def drop_off_receipt(request, pk):
    found = _drop_off(request, pk)
    record_read(request, found, purpose="ServicePoint drop-off receipt printed")
    language = request.GET.get("lang") or found.person.preferred_language
    if language not in dict(settings.LANGUAGES):
        language = "de"
    response = HttpResponse(services.receipt_pdf(found, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{found.pk}.pdf"'
    return response


@desk_view("efile.dropoff")
@require_POST
def drop_off_email(request, pk):
    found = _drop_off(request, pk)
    form = EmailReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter a valid e-mail address."))
    else:
        services.email_receipt(found, form.cleaned_data["email"], found.person.preferred_language)
        messages.success(request, _("The receipt was sent."))
    return redirect("servicepoint:drop_off_detail", pk=found.pk)

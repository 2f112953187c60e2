"""Portal pages: the client's booking flow (works without JavaScript) and the booking's own pages."""

import datetime as dt

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from willkommen.catalogue import finder_page
from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.catalogue.checklist import InvalidAnswers, answers_query, build, parse_answers, question_rows
from willkommen.catalogue.models import Anliegen
from willkommen.core import ratelimit

from . import documents, limits, notifications, protection, selectors, services
from .forms import AllocationRequestForm, DetailsForm
from .models import Channel, Invitation, Mode, Slot, Status

MAX_QUERY_FIELDS = 40
NOT_ANSWERS = {"lang", "location", "date", "page"}


def _error(request, title, message, status, errors=()):
    return render(request, "core/error.html", {"title": title, "message": message, "errors": errors}, status=status)


def _anliegen(request, slug):
    if request.authority is None:
        raise Http404
    anliegen = Anliegen.objects.filter(authority=request.authority, slug=slug, active=True).first()
    if anliegen is None:
        raise Http404
    return anliegen


def _answers(request, anliegen, source):
    raw = {k: v for k, v in source.items() if k not in NOT_ANSWERS and k not in DetailsForm.base_fields}
    raw.pop("csrfmiddlewaretoken", None)
    raw.pop("altcha", None)
    if len(raw) > MAX_QUERY_FIELDS:
        raise InvalidAnswers([_("Too many answers.")])
    return parse_answers(anliegen.questions.all(), raw) if raw else {}


def portal_url(request):
    """Scheme, host and authority prefix: the base of links in e-mails."""
    return request.build_absolute_uri(get_script_prefix()).rstrip("/")


def index(request):
    if request.authority is None:
        return render(request, "appointments/index.html", {"rows": []})
    bookable = {a.pk for a in selectors.bookable_anliegen(request.authority)}
    items = list(catalogue_selectors.anliegen_list(request.authority))
    finder = finder_page.context(
        request,
        items,
        lambda a: reverse("appointments:questions", args=[a.slug]),
        available=lambda a: a.pk in bookable,
        language=translation.get_language(),
        unavailable_note=_("No appointment can be booked online for this matter."),
    )
    return render(request, "appointments/index.html", {"rows": bookable, "finder": finder})


def questions(request, slug):
    anliegen = _anliegen(request, slug)
    language = translation.get_language()
    rows = question_rows(anliegen, language)
    if not rows:
        return redirect("appointments:times", slug=slug)
    return render(
        request,
        "appointments/questions.html",
        {"anliegen": anliegen, "title": catalogue_selectors.title(anliegen, language), "questions": rows},
    )


def _parse_date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def times(request, slug):
    """Checklist for the answers, then location, date and time (plain links and a GET form)."""
    anliegen = _anliegen(request, slug)
    language = translation.get_language()
    try:
        answers = _answers(request, anliegen, request.GET)
    except InvalidAnswers as exc:
        return _error(request, _("Please check your answers"), _("Some answers are not valid."), 400, exc.errors)
    offers = list(selectors.offers(request.authority, anliegen=anliegen))
    if not offers:
        raise Http404
    if all(o.mode == Mode.ALLOCATION for o in offers):
        return redirect(f"{reverse('appointments:request', args=[slug])}?{answers_query(answers)}")
    locations = [o.location for o in offers if o.mode == Mode.FIRST_COME]
    location_id = request.GET.get("location")
    location = next((loc for loc in locations if str(loc.pk) == location_id), locations[0] if locations else None)
    today = timezone.localdate()
    days = selectors.days_with_places(request.authority, anliegen, location, today, today + dt.timedelta(days=90))
    chosen = _parse_date(request.GET.get("date"))
    if chosen not in days:
        chosen = days[0] if days else None
    day_slots = (
        selectors.free_slots(request.authority, anliegen, location=location, date_from=chosen, date_to=chosen)
        if chosen
        else []
    )
    return render(
        request,
        "appointments/times.html",
        {
            "anliegen": anliegen,
            "title": catalogue_selectors.title(anliegen, language),
            "checklist": build(anliegen, answers, language),
            "answers_query": answers_query(answers),
            "answers": answers,
            "locations": locations,
            "location": location,
            "days": days[:60],
            "chosen": chosen,
            "slots": [(s, s.free_places) for s in day_slots],
        },
    )


def challenge(request):
    """The ALTCHA challenge for the widget (JSON); difficulty rises with the address's request rate."""
    return JsonResponse(protection.new_challenge(ratelimit.client_address(request)))


@sensitive_post_parameters("passport_number")
@require_http_methods(["GET", "POST"])
def book(request, slug, slot_id):
    anliegen = _anliegen(request, slug)
    language = translation.get_language()
    slot = Slot.objects.filter(authority=request.authority, pk=slot_id, anliegen=anliegen).select_related("location")
    slot = slot.first()
    if slot is None:
        return _error(request, _("Unknown appointment"), _("This appointment time does not exist."), 404)
    source = request.POST if request.method == "POST" else request.GET
    try:
        answers = _answers(request, anliegen, source)
    except InvalidAnswers as exc:
        return _error(request, _("Please check your answers"), _("Some answers are not valid."), 400, exc.errors)
    form = DetailsForm(
        request.POST or None, authority=request.authority, initial={"language": translation.get_language()}
    )
    context = {
        "anliegen": anliegen,
        "title": catalogue_selectors.title(anliegen, language),
        "slot": slot,
        "form": form,
        "answers": answers,
        "answers_query": answers_query(answers),
        "altcha_strings": protection.widget_strings(),
    }
    if request.method == "GET":
        return render(request, "appointments/book.html", context)
    outcome = attempt_booking(request, anliegen, slot.pk, form, answers)
    if isinstance(outcome, HttpResponse):
        return outcome
    if outcome is None:
        return render(request, "appointments/book.html", context, status=400)
    booking = outcome
    return redirect("appointments:held", reference=booking.reference)


def attempt_booking(request, anliegen, slot_id, form, answers, *, invitation=None):
    """Rate limits, proof of work, validation, hold. Returns a Booking, an error response, or None (form errors)."""
    authority = request.authority
    payload = request.POST.get("altcha", "")
    nonce = protection.solved(payload) if payload else None
    email = request.POST.get("email", "")
    person = services.identity_key(
        request.POST.get("family_name"), request.POST.get("given_names"), request.POST.get("date_of_birth"), email
    )
    refusal = "bad_proof" if payload and nonce is None else None
    refusal = refusal or protection.admit(
        ratelimit.client_address(request), nonce=nonce, person=person, email=services.email_key(email)
    )
    if refusal in ("bad_proof", "replayed"):
        services.count_blocked(authority, "bad_proof_of_work")
        return _error(
            request,
            _("Check failed"),
            _("The automatic check against robots failed. Please reload the page and try again."),
            400,
        )
    if refusal is not None:
        services.count_blocked(authority, "rate_limit")
        return ratelimit.too_many(request)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    applicant = services.Applicant(
        family_name=data["family_name"],
        given_names=data["given_names"],
        date_of_birth=data["date_of_birth"],
        email=data["email"],
        phone=data.get("phone", ""),
        language=data.get("language") or translation.get_language(),
        interpreter_needed=data.get("interpreter_needed", False),
        interpreter_language=data.get("interpreter_language", ""),
        passport_number=data.get("passport_number", ""),
        answers=answers,
    )
    terms = services.Terms(
        channel=Channel.INVITATION if invitation else Channel.PUBLIC,
        proof_of_work=nonce is not None,
        invitation=invitation,
        person=invitation.person if invitation else None,
        case=invitation.case if invitation else None,
        portal_url=portal_url(request),
    )
    try:
        booking, _token = services.hold(authority, slot_id=slot_id, anliegen=anliegen, applicant=applicant, terms=terms)
    except services.BookingError as exc:
        return _error(request, _("Not booked"), exc.message, exc.status)
    return booking


def held(request, reference):
    return render(request, "appointments/held.html", {"reference": reference, "hold_minutes": limits.hold_minutes()})


def _booking_or_error(request, reference, token):
    if request.authority is None:
        raise Http404
    try:
        return services.get_booking(request.authority, reference, token), None
    except services.BookingError as exc:
        return None, _error(request, _("Link not valid"), exc.message, exc.status)


def _apply_url(booking):
    """The online application of the booking's Anliegen, with the answers given when booking (so it does not
    ask them again); None where the Anliegen takes no online application."""
    if not booking.anliegen.allows_online:
        return None
    url = reverse("applications:start", args=[booking.anliegen.slug])
    query = answers_query(booking.answers)
    return f"{url}?{query}" if query else url


def _context(booking, token):
    """The booking's pages speak the page's language (the mails and documents the booking's)."""
    language = translation.get_language()
    return {
        "booking": booking,
        "token": token,
        "title": notifications.anliegen_title(booking, language),
        "checklist": notifications.checklist_for(booking, language),
        "apply_url": _apply_url(booking),
    }


@ratelimit.ratelimit("appointments-token", limits.token_limit)
@require_http_methods(["GET", "POST"])
def confirm(request, reference, token):
    booking, error = _booking_or_error(request, reference, token)
    if error:
        return error
    if request.method == "GET":
        return render(request, "appointments/confirm.html", _context(booking, token))
    try:
        booking = services.confirm(request.authority, reference, token)
    except services.BookingError as exc:
        return _error(request, _("Not confirmed"), exc.message, exc.status)
    return redirect("appointments:detail", reference=booking.reference, token=token)


def detail(request, reference, token):
    booking, error = _booking_or_error(request, reference, token)
    if error:
        return error
    return render(request, "appointments/detail.html", _context(booking, token))


def ics(request, reference, token):
    booking, error = _booking_or_error(request, reference, token)
    if error:
        return error
    if booking.status not in (Status.CONFIRMED, Status.CHECKED_IN):
        return _error(request, _("Not confirmed"), _("Please confirm the appointment first."), 409)
    response = HttpResponse(documents.ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    return response


def pdf(request, reference, token):
    booking, error = _booking_or_error(request, reference, token)
    if error:
        return error
    if booking.status not in (Status.CONFIRMED, Status.CHECKED_IN):
        return _error(request, _("Not confirmed"), _("Please confirm the appointment first."), 409)
    response = HttpResponse(documents.pdf(booking), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.pdf"'
    return response


@ratelimit.ratelimit("appointments-token", limits.token_limit)
@require_http_methods(["GET", "POST"])
def cancel(request, reference, token):
    booking, error = _booking_or_error(request, reference, token)
    if error:
        return error
    if request.method == "GET":
        return render(request, "appointments/cancel.html", _context(booking, token))
    try:
        booking = services.cancel(request.authority, reference, token)
    except services.BookingError as exc:
        return _error(request, _("Not cancelled"), exc.message, exc.status)
    return render(request, "appointments/cancelled.html", _context(booking, token))


MOVE_DAYS = 90


def _move_slots(request, booking):
    today = timezone.localdate()
    return selectors.free_slots(
        request.authority,
        booking.anliegen,
        location=booking.location,
        date_from=today,
        date_to=today + dt.timedelta(days=MOVE_DAYS),
        channel="invitation" if booking.channel == Channel.INVITATION else "public",
    )


def _local_day(slot):
    return timezone.localtime(slot.starts_at).date()


@ratelimit.ratelimit("appointments-token", limits.token_limit)
@require_http_methods(["GET", "POST"])
def move(request, reference, token):
    """Moving in three steps, each a plain page (no JavaScript needed): choose a day, then a time (nothing
    preselected), then confirm with the old and the new time side by side. Only the confirmation moves."""
    booking, error = _booking_or_error(request, reference, token)
    if error:
        return error
    if request.method == "POST":
        try:
            slot_id = int(request.POST.get("slot", ""))
        except ValueError:
            return _error(request, _("Not moved"), _("Please choose a time."), 400)
        if request.POST.get("confirmed") != "yes":
            return _error(request, _("Not moved"), _("Please confirm the new time."), 400)
        try:
            booking = services.move(request.authority, reference, token, slot_id=slot_id)
        except services.BookingError as exc:
            return _error(request, _("Not moved"), exc.message, exc.status)
        return redirect("appointments:detail", reference=booking.reference, token=token)
    free = _move_slots(request, booking)
    context = {**_context(booking, token), "step": "day", "errors": []}
    if "slot" in request.GET:  # step 3: confirm
        try:
            slot_id = int(request.GET["slot"])
        except ValueError:
            slot_id = None
        new = next((slot for slot in free if slot.pk == slot_id), None)
        if new is not None and new.pk != booking.slot_id:
            return render(request, "appointments/move.html", {**context, "step": "confirm", "new": new})
        context["errors"] = [_("This time is no longer free. Please choose another time.")]
    days = {}
    for slot in free:
        days.setdefault(_local_day(slot), []).append(slot)
    chosen = None
    if request.GET.get("date"):
        try:
            chosen = dt.date.fromisoformat(request.GET["date"])
        except ValueError:
            chosen = None
        if chosen not in days:
            context["errors"] = [_("There are no free times on this day. Please choose another day.")]
            chosen = None
    if chosen is not None:
        times = [slot for slot in days[chosen] if slot.pk != booking.slot_id]
        if request.GET.get("step") == "time" and "slot" not in request.GET:
            context["errors"] = [_("Please choose a time.")]
        context.update({"step": "time", "chosen": chosen, "times": times})
    else:
        context["days"] = [(day, len(slots)) for day, slots in days.items()]
    return render(request, "appointments/move.html", context, status=400 if context["errors"] else 200)


@ratelimit.ratelimit("appointments-invitation", limits.token_limit)
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """A personal invitation link: invitation-only places until the deadline; the name is fixed."""
    if request.authority is None:
        raise Http404
    invite = (
        Invitation.objects.filter(authority=request.authority, token_hash=services.hash_token(token))
        .select_related("anliegen", "location")
        .first()
    )
    if invite is None:
        return _error(request, _("Link not valid"), _("This link is not valid."), 404)
    if invite.used_at or invite.deadline < timezone.localdate():
        return _error(request, _("Link not valid"), _("This invitation has been used or has expired."), 410)
    language = translation.get_language()
    if request.method == "POST":
        try:
            slot_id = int(request.POST.get("slot", ""))
        except ValueError:
            return _error(request, _("Not booked"), _("Please choose a time."), 400)
        try:
            booking = services.book_invitation(request.authority, invite, slot_id, portal_url=portal_url(request))
        except services.BookingError as exc:
            return _error(request, _("Not booked"), exc.message, exc.status)
        return render(request, "appointments/invited_booked.html", {"booking": booking})
    free = selectors.free_slots(
        request.authority,
        invite.anliegen,
        location=invite.location,
        date_from=timezone.localdate(),
        date_to=invite.deadline,
        channel="invitation",
    )
    return render(
        request,
        "appointments/invitation.html",
        {"invite": invite, "title": catalogue_selectors.title(invite.anliegen, language), "slots": free[:200]},
    )


@ratelimit.ratelimit("appointments-request", limits.request_limit)
@require_http_methods(["GET", "POST"])
def allocation_request(request, slug):
    """Fair allocation mode: file a request during the window; speed gives no advantage. No JavaScript."""
    anliegen = _anliegen(request, slug)
    language = translation.get_language()
    current = selectors.open_round(request.authority, anliegen)
    form = AllocationRequestForm(request.POST or None, authority=request.authority, initial={"language": language})
    context = {"anliegen": anliegen, "title": catalogue_selectors.title(anliegen, language), "round": current}
    if current is None:
        return render(request, "appointments/request.html", context)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        from . import allocation

        try:
            allocation.file_request(request.authority, current, **form.cleaned_data)
        except services.BookingError as exc:
            return _error(request, _("Request not filed"), exc.message, exc.status)
        return render(request, "appointments/request_filed.html", context)
    return render(request, "appointments/request.html", context, status=400 if request.method == "POST" else 200)


@ratelimit.ratelimit("appointments-renewal", limits.token_limit)
@require_http_methods(["GET"])
def renew(request, token):
    """The personal link of a renewal invitation (e-mail, SMS or the letter's QR code): recorded as opened,
    then on to the online application or, where the Anliegen needs a visit, to the invitation-only times."""
    from . import renewals

    if request.authority is None:
        raise Http404
    renewal = renewals.by_token(request.authority, token)
    if renewal is None:
        return _error(request, _("Link not valid"), _("This link is not valid."), 404)
    renewals.opened(renewal)
    if renewal.by_appointment and renewal.invitation is not None:
        return redirect(reverse("appointments:invitation", args=[token]))
    return redirect(reverse("applications:start", args=[renewal.anliegen.slug]))

"""Incoming SMS webhook; confirming a phone number in the portal (``/messages/number/``) and at the desk."""

import logging

from django.contrib import messages as flash
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record
from willkommen.core.ratelimit import ratelimit

from . import inbound_sms, phone_numbers
from .forms import NumberCodeForm, NumberForm, PhoneNoteForm, StaffReplyForm
from .models import ConfirmedNumber
from .views import _person_or_404, _render_thread, _signed_in_client

log = logging.getLogger(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@csrf_exempt  # the gateway signs the request instead (X-Twilio-Signature)
@require_POST
def sms_webhook(request):
    if request.authority is None:
        raise Http404
    if not inbound_sms.is_signed(request):
        log.warning("unsigned or forged SMS webhook for %s", request.authority.slug)
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    message, new = inbound_sms.handle_webhook(request.authority, request.POST)
    if message is None:
        return HttpResponse("MessageSid missing", status=400, content_type="text/plain")
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


# --- portal: the client confirms a number ----------------------------------------------------------


@ratelimit("messaging-number", limit=20)
def portal_number(request):
    person, answer = _signed_in_client(request, _("Phone numbers"))
    if answer:
        return answer
    add_form, code_form, status = NumberForm(prefix="add"), NumberCodeForm(prefix="code"), 200
    if request.method == "POST":
        action = request.POST.get("action")
        handlers = {"add": _add, "confirm": _confirm, "remove": _remove}
        if action not in handlers:
            status = 400
        else:
            done, add_form, code_form, status = handlers[action](request, person, add_form, code_form)
            if done:
                return redirect("messaging:portal_number")
    return render(
        request,
        "messaging/portal_number.html",
        {
            "numbers": phone_numbers.numbers_of(request.authority, person),
            "add_form": add_form,
            "code_form": code_form,
            "error_record": str(code_form["record"].value() or "") if code_form.is_bound else "",
            "code_errors": code_form.errors.get("code", []) if code_form.is_bound else [],
        },
        status=status,
    )


def _add(request, person, add_form, code_form):
    add_form = NumberForm(request.POST, prefix="add")
    if not add_form.is_valid():
        return False, add_form, code_form, 400
    try:
        phone_numbers.request_code(
            request.authority, person, add_form.cleaned_data["number"], channel=add_form.cleaned_data["channel"]
        )
    except phone_numbers.NumberError as error:
        add_form.add_error("number", error.message)
        return False, add_form, code_form, 429 if error.too_many else 400
    flash.success(request, _("We sent a code to your number. Please enter it below."))
    return True, add_form, code_form, 200


def _confirm(request, person, add_form, code_form):
    code_form = NumberCodeForm(request.POST, prefix="code")
    if not code_form.is_valid():
        return False, add_form, code_form, 400
    try:
        phone_numbers.confirm(
            request.authority, person, code_form.cleaned_data["record"], code_form.cleaned_data["code"]
        )
    except phone_numbers.NumberError as error:
        code_form.add_error("code", error.message)
        return False, add_form, code_form, 400
    flash.success(request, _("Your number is confirmed. Your SMS and Signal messages now reach your file."))
    return True, add_form, code_form, 200


def _remove(request, person, add_form, code_form):
    try:
        record_id = int(request.POST.get("record", ""))
    except ValueError:
        return False, add_form, code_form, 400
    if not phone_numbers.remove(request.authority, person, record_id):
        return False, add_form, code_form, 400
    flash.success(request, _("The number was removed."))
    return True, add_form, code_form, 200


# --- desk: staff add a number; the client confirms it with the code ---------------------------------


@desk_view("messaging.send")
@require_POST
def desk_add_number(request, pk):
    person = _person_or_404(request, pk)
    form = NumberForm(request.POST, prefix="number")
    if form.is_valid():
        try:
            phone_numbers.request_code(
                request.authority,
                person,
                form.cleaned_data["number"],
                channel=form.cleaned_data["channel"],
                added_by=ConfirmedNumber.AddedBy.DESK,
            )
        except phone_numbers.NumberError as error:
            form.add_error("number", error.message)
        else:
            record(
                authority=request.authority,
                action="create",
                person_id=person.pk,
                obj=person,
                request=request,
                purpose="phone number to confirm",
            )
            flash.success(request, _("A code was sent. The client confirms the number in the portal."))
            return redirect("messaging:desk_thread", pk=person.pk)
    return _render_thread(request, person, StaffReplyForm(), PhoneNoteForm(prefix="note"), status=400, number_form=form)

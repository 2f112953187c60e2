"""Portal: the client's conversation with the office. Desk: threads, inbox, failures, print queue,
group notices and interpreters."""

import logging

from django.contrib import messages as flash
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.client_identity import current_identity
from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record, record_read
from willkommen.clients.visibility import Resource, visible, visible_person
from willkommen.core.ratelimit import ratelimit

from . import attachments as attachment_store
from . import selectors, services
from .forms import AssignForm, BookingForm, GroupNoticeForm, InterpreterForm, MessageForm, PhoneNoteForm, StaffReplyForm
from .models import Attachment, Direction, GroupNotice, Message, Status

log = logging.getLogger(__name__)


def _error(request, title, message, status, errors=()):
    return render(request, "core/error.html", {"title": title, "message": message, "errors": errors}, status=status)


# --- portal --------------------------------------------------------------------------------------


def _client_person(request):
    identity = current_identity(request)
    if identity is None:
        return None, None
    return identity, selectors.person_for_identity(request.authority, identity)


def _signed_in_client(request, title):
    """``(person, None)`` for a signed-in client with a record here, else ``(None, answer)``: the sign-in page
    (coming back here afterwards), or a 403 when the sign-in belongs to no record of this authority."""
    if request.authority is None:
        raise Http404
    identity, person = _client_person(request)
    if identity is None:
        return None, redirect(f"{reverse('accounts:magic_link')}?{urlencode({'next': request.get_full_path()})}")
    if person is None:
        return None, _error(
            request,
            title,
            _("We could not find your record for this sign-in. Please sign in with your case number and access code."),
            403,
        )
    return person, None


@ratelimit("messaging-portal", limit=20)
def portal_thread(request):
    person, answer = _signed_in_client(request, _("Messages"))
    if answer:
        return answer
    form = MessageForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uploaded = []
            upload = form.cleaned_data.get("attachment")
            try:
                with transaction.atomic():
                    if upload:
                        uploaded.append(
                            attachment_store.check_and_store(request.authority, upload, person=person, source="upload")
                        )
                    case = selectors.latest_case(request.authority, person)
                    services.client_writes(
                        request.authority,
                        person,
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                        case=case,
                        uploaded=uploaded,
                        language=get_language() or person.preferred_language,
                    )
            except attachment_store.AttachmentRejected as error:
                log.warning(
                    "portal attachment refused (authority %s, person %s): %s", request.authority.slug, person.pk, error
                )
                form.add_error("attachment", error.message)
            else:
                flash.success(request, _("Your message was sent to your caseworker."))
                return redirect("messaging:portal_thread")
        status = 400
    thread = selectors.thread(request.authority, person)
    services.mark_read(request.authority, person, direction=Direction.OUT)
    return render(
        request, "messaging/portal_thread.html", {"form": form, "thread": thread, "person": person}, status=status
    )


def portal_attachment(request, key):
    if request.authority is None:
        raise Http404
    _identity, person = _client_person(request)
    if person is None:
        raise Http404
    attachment = Attachment.objects.filter(authority=request.authority, key=key, message__person=person).first()
    if attachment is None:
        raise Http404
    return _file_response(attachment)


def _file_response(attachment):
    response = HttpResponse(attachment_store.read(attachment), content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{attachment.file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- desk ----------------------------------------------------------------------------------------


def _person_or_404(request, pk):
    """A person whose messages the user may read (the visibility policy); 404 for every other."""
    person = visible_person(request.user, request.authority, Resource.MESSAGES, pk)
    if person is None:
        raise Http404
    return person


def _messages(request):
    return visible(Message.objects.all(), request.user, request.authority, Resource.MESSAGES)


@desk_view("messaging.send")
def desk_overview(request):
    recent = list(selectors.recent_incoming(request.authority).filter(pk__in=_messages(request))[:50])
    record_read(request, *recent, purpose="recent messages")
    return render(
        request,
        "messaging/desk_overview.html",
        {
            "recent": recent,
            "unassigned": selectors.unassigned(request.authority).filter(pk__in=_messages(request)).count(),
            "problems": selectors.delivery_problems(request.authority).filter(pk__in=_messages(request)).count(),
            "print_queue": selectors.print_queue(request.authority).filter(pk__in=_messages(request)).count(),
        },
    )


@desk_view("messaging.send")
def desk_thread(request, pk):
    person = _person_or_404(request, pk)
    record_read(request, person, purpose="messages with the client")
    services.mark_read(request.authority, person, direction=Direction.IN)
    return _render_thread(request, person, StaffReplyForm(), PhoneNoteForm(prefix="note"))


def _render_thread(request, person, reply_form, note_form, status=200, number_form=None):
    from . import phone_numbers
    from .forms import NumberForm

    return render(
        request,
        "messaging/desk_thread.html",
        {
            "person": person,
            "thread": selectors.thread(request.authority, person, with_attempts=True),
            "reply_form": reply_form,
            "note_form": note_form,
            "number_form": number_form or NumberForm(prefix="number"),
            "numbers": phone_numbers.numbers_of(request.authority, person),
        },
        status=status,
    )


def _default_subject(person):
    with translation.override(person.preferred_language or "de"):
        return _("Message from your foreigners' authority")


@desk_view("messaging.send")
@require_POST
def desk_reply(request, pk):
    person = _person_or_404(request, pk)
    form = StaffReplyForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = []
        try:
            with transaction.atomic():
                if form.cleaned_data.get("attachment"):
                    uploaded.append(
                        attachment_store.check_and_store(
                            request.authority,
                            form.cleaned_data["attachment"],
                            person=person,
                            source="staff",
                            user=request.user,
                        )
                    )
                services.staff_reply(
                    request.authority,
                    person,
                    subject=form.cleaned_data["subject"] or _default_subject(person),
                    body=form.cleaned_data["body"],
                    author=request.user,
                    case=selectors.latest_case(request.authority, person),
                    uploaded=uploaded,
                )
                record(
                    authority=request.authority,
                    action="create",
                    person_id=person.pk,
                    obj=person,
                    request=request,
                    purpose="answer",
                )
        except attachment_store.AttachmentRejected as error:
            form.add_error("attachment", error.message)
        else:
            flash.success(request, _("Your answer was sent."))
            return redirect("messaging:desk_thread", pk=person.pk)
    return _render_thread(request, person, form, PhoneNoteForm(prefix="note"), status=400)


@desk_view("messaging.send")
@require_POST
def desk_phone_note(request, pk):
    person = _person_or_404(request, pk)
    form = PhoneNoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _render_thread(request, person, StaffReplyForm(), form, status=400)
    services.phone_note(
        request.authority,
        person,
        body=form.cleaned_data["body"],
        author=request.user,
        case=selectors.latest_case(request.authority, person),
    )
    flash.success(request, _("The phone note was saved."))
    return redirect("messaging:desk_thread", pk=person.pk)


@desk_view("clients.view")
def desk_attachment(request, key):
    """An attachment by its opaque key, only within the visibility policy (the key is a second line)."""
    attachment = (
        visible(
            Attachment.objects.filter(key=key),
            request.user,
            request.authority,
            Resource.ATTACHMENTS,
            person_field="message__person",
        )
        .select_related("message")
        .first()
    )
    if attachment is None:
        raise Http404
    record_read(
        request, attachment, person_id=attachment.message.person_id, action="download", purpose="message attachment"
    )
    return _file_response(attachment)


@desk_view("clients.view")
def desk_inbox(request):
    inbox = list(selectors.unassigned(request.authority).filter(pk__in=_messages(request))[:100])
    record_read(request, *inbox, purpose="unassigned messages")
    return render(request, "messaging/desk_inbox.html", {"inbox": inbox, "form": AssignForm()})


@desk_view("clients.view")
@require_POST
def desk_assign(request, pk):
    message = _messages(request).filter(pk=pk, status=Status.UNASSIGNED).first()
    if message is None:
        raise Http404
    form = AssignForm(request.POST)
    errors = []
    if form.is_valid():
        from willkommen.clients import case_refs
        from willkommen.clients.selectors import persons

        person = persons(request.authority).filter(pk=form.cleaned_data["person_id"]).first()
        case = (
            case_refs.by_number(request.authority, form.cleaned_data["case_number"])
            if form.cleaned_data["case_number"]
            else None
        )
        if person is None:
            errors.append(_("No person with this number."))
        elif form.cleaned_data["case_number"] and (case is None or case.person_id != person.pk):
            errors.append(_("No case with this number for this person."))
        else:
            services.assign(message, person=person, case=case)
            record(
                authority=request.authority,
                action="update",
                person_id=person.pk,
                obj=message,
                request=request,
                purpose="assign message",
            )
            flash.success(request, _("The message was put into the client's conversation."))
            return redirect("messaging:desk_inbox")
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    return _error(request, _("The message could not be assigned"), "", 400, errors)


@desk_view("messaging.send")
def desk_failures(request):
    problems = list(selectors.delivery_problems(request.authority).filter(pk__in=_messages(request))[:200])
    record_read(request, *problems, purpose="delivery problems")
    return render(request, "messaging/desk_failures.html", {"problems": problems})


@desk_view("messaging.send")
@require_POST
def desk_retry(request, pk):
    message = _messages(request).filter(pk=pk, status__in=[Status.FAILED, Status.RETRYING]).first()
    if message is None:
        raise Http404
    services.retry_now(message)
    return redirect("messaging:desk_failures")


@desk_view("messaging.send")
def desk_print_queue(request):
    letters = list(selectors.print_queue(request.authority).filter(pk__in=_messages(request)))
    record_read(request, *letters, purpose="print queue")
    return render(request, "messaging/desk_print_queue.html", {"letters": letters})


@desk_view("messaging.send")
@require_POST
def desk_printed(request, pk):
    message = _messages(request).filter(pk=pk, status=Status.PRINT_QUEUED).first()
    if message is None:
        raise Http404
    services.mark_printed(message)
    return redirect("messaging:desk_print_queue")


@desk_view("messaging.send")
def desk_notices(request):
    # A link (e.g. from an accommodation's page) may preselect the group: ?group=…&accommodation=…
    initial = {key: request.GET[key] for key in ("group", "team", "accommodation") if request.GET.get(key)}
    form = GroupNoticeForm(request.POST or None, authority=request.authority, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            notice = services.send_group_notice(
                request.authority,
                group=form.cleaned_data["group"],
                team=form.cleaned_data.get("team"),
                accommodation=form.cleaned_data.get("accommodation"),
                texts=form.texts(),
                author=request.user,
            )
            flash.success(request, _("The notice is being sent."))
            return redirect("messaging:desk_notice", pk=notice.pk)
        status = 400
    notices = GroupNotice.objects.filter(authority=request.authority)[:50]
    return render(request, "messaging/desk_notices.html", {"form": form, "notices": notices}, status=status)


@desk_view("messaging.send")
def desk_notice(request, pk):
    notice = GroupNotice.objects.filter(authority=request.authority, pk=pk).first()
    if notice is None:
        raise Http404
    return render(request, "messaging/desk_notice.html", {"notice": notice, "figures": services.notice_figures(notice)})


@desk_view("appointments.manage")
def desk_interpreters(request):
    form = InterpreterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.instance.authority = request.authority
            form.save()
            flash.success(request, _("The interpreter was added to the register."))
            return redirect("messaging:desk_interpreters")
        status = 400
    year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", year))
    except ValueError:
        pass
    bookings = list(selectors.upcoming_bookings(request.authority)[:100])
    record_read(request, *[b for b in bookings if b.person_id], purpose="interpreter bookings")
    return render(
        request,
        "messaging/desk_interpreters.html",
        {
            "form": form,
            "booking_form": BookingForm(authority=request.authority),
            "interpreters": selectors.interpreters(request.authority),
            "bookings": bookings,
            "costs": services.monthly_costs(request.authority, year),
            "year": year,
        },
        status=status,
    )


@desk_view("appointments.manage")
@require_POST
def desk_book_interpreter(request):
    form = BookingForm(request.POST, authority=request.authority)
    if form.is_valid():
        data = form.cleaned_data
        case = data.get("case_number")
        try:
            services.book_interpreter(
                request.authority,
                interpreter=data["interpreter"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                language=data["language"].strip().lower(),
                appointment_id=data.get("appointment_id"),
                case=case,
                person=case.person if case else None,
                booked_by=request.user,
            )
        except services.BookingConflict as error:
            return _error(request, _("The interpreter could not be booked"), str(error), 409)
        flash.success(request, _("The interpreter is booked and informed by e-mail."))
        return redirect("messaging:desk_interpreters")
    errors = [e for field_errors in form.errors.values() for e in field_errors]
    return _error(request, _("The interpreter could not be booked"), "", 400, errors)

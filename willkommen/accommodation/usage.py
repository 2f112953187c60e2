"""Desk pages for the usage times of shared rooms (issue 19 item 5) and the wall posters of group notices
(item 7): the accommodation management's pages only; every object is looked up by authority in SQL
(another authority's id answers 404). The plan and the poster are PDFs in the languages chosen on the page,
one section per language with its own ``lang`` and ``dir``."""

import io

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.core.forms import form_status

from . import selectors, services
from .forms import LanguagesForm, PosterForm, SharedRoomForm, SlotForm


def _accommodation(request, pk):
    found = selectors.get_accommodation(request.authority, pk)
    if found is None:
        raise Http404
    return found


def _slot_form(request, accommodation, data=None):
    return SlotForm(
        data,
        shared_rooms=list(selectors.shared_rooms(request.authority, accommodation)),
        floors=selectors.floors(request.authority, accommodation),
        rooms=list(selectors.rooms(request.authority, accommodation)),
    )


def _page(request, accommodation, *, room_form=None, slot_form=None, languages_form=None, poster_form=None, status=200):
    from willkommen.messaging.selectors import group_notices

    return render(
        request,
        "accommodation/usage.html",
        {
            "accommodation": accommodation,
            "shared_rooms": list(selectors.shared_rooms(request.authority, accommodation)),
            "room_form": room_form or SharedRoomForm(),
            "slot_form": slot_form or _slot_form(request, accommodation),
            "languages_form": languages_form or LanguagesForm(initial={"lang": ["de", "ar", "uk"]}),
            "poster_form": poster_form or PosterForm(initial={"lang": ["de", "ar", "uk"]}),
            "pending": selectors.pending_usage_changes(request.authority, accommodation),
            "notices": list(group_notices(request.authority, limit=20)),
        },
        status=status,
    )


@desk_view("accommodation.manage")
def usage(request, pk):
    return _page(request, _accommodation(request, pk))


@desk_view("accommodation.manage")
@require_POST
def add_shared_room(request, pk):
    accommodation = _accommodation(request, pk)
    form = SharedRoomForm(request.POST)
    if not form.is_valid():
        return _page(request, accommodation, room_form=form, status=form_status(form))
    try:
        services.add_shared_room(request.authority, accommodation, **form.cleaned_data, actor=request.user)
    except services.AccommodationError as error:
        form.add_error("name", error.message)
        return _page(request, accommodation, room_form=form, status=409)
    messages.success(request, _("The shared room was added."))
    return redirect("accommodation:usage", pk=accommodation.pk)


@desk_view("accommodation.manage")
@require_POST
def remove_shared_room(request, pk):
    shared = selectors.get_shared_room(request.authority, pk)
    if shared is None:
        raise Http404
    services.remove_shared_room(request.authority, shared, actor=request.user)
    messages.success(request, _("The shared room was removed. Publish the changes to tell the residents."))
    return redirect("accommodation:usage", pk=shared.accommodation_id)


@desk_view("accommodation.manage")
@require_POST
def add_slot(request, pk):
    accommodation = _accommodation(request, pk)
    form = _slot_form(request, accommodation, request.POST)
    if not form.is_valid():
        return _page(request, accommodation, slot_form=form, status=form_status(form))
    data = form.cleaned_data
    shared = selectors.get_shared_room(request.authority, data["shared_room"])
    kind, _sep, value = data["target"].partition(":")
    room = selectors.rooms(request.authority, accommodation).filter(pk=value).first() if kind == "room" else None
    if shared is None or shared.accommodation_id != accommodation.pk or (kind == "room" and room is None):
        raise Http404
    try:
        services.add_slot(
            request.authority,
            shared,
            weekday=data["weekday"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            floor=value if kind == "floor" else "",
            room=room,
            actor=request.user,
        )
    except services.AccommodationError as error:
        form.add_error("starts_at" if error.code in ("overlap", "time") else "target", error.message)
        return _page(request, accommodation, slot_form=form, status=409)
    messages.success(request, _("The usage time was added. Publish the changes to tell the residents."))
    return redirect("accommodation:usage", pk=accommodation.pk)


@desk_view("accommodation.manage")
@require_POST
def remove_slot(request, pk):
    slot = selectors.get_slot(request.authority, pk)
    if slot is None:
        raise Http404
    services.remove_slot(request.authority, slot, actor=request.user)
    messages.success(request, _("The usage time was removed. Publish the changes to tell the residents."))
    return redirect("accommodation:usage", pk=slot.shared_room.accommodation_id)


@desk_view("accommodation.manage")
@require_POST
def publish(request, pk):
    accommodation = _accommodation(request, pk)
    told = services.publish_usage_changes(request.authority, accommodation, actor=request.user)
    if told:
        messages.success(request, _("The residents concerned were told (%(count)s).") % {"count": told})
    else:
        messages.info(request, _("Nobody had to be told."))
    return redirect("accommodation:usage", pk=accommodation.pk)


def _sections(codes):
    names = dict(settings.LANGUAGES)
    return [
        {"code": code, "name": names[code], "dir": "rtl" if code in settings.LANGUAGES_BIDI else "ltr"}
        for code in codes
    ]


def _pdf(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@desk_view("accommodation.manage")
def plan_pdf(request, pk):
    """The usage plan for the wall: one section per chosen language, one table per shared room."""
    from willkommen.letters.pdf import render_pdf

    accommodation = _accommodation(request, pk)
    form = LanguagesForm(request.GET)
    if not form.is_valid():
        return _page(request, accommodation, languages_form=form, status=400)
    content = render_pdf(
        "accommodation/usage_plan_pdf.html",
        {
            "accommodation": accommodation,
            "authority": request.authority,
            "shared_rooms": list(selectors.shared_rooms(request.authority, accommodation)),
            "sections": _sections(form.cleaned_data["lang"]),
        },
        language=form.cleaned_data["lang"][0],
    )
    return _pdf(content, f"usage-times-{accommodation.pk}.pdf")


def qr_svg(text):
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()


@desk_view("accommodation.manage")
def poster_pdf(request, pk):
    """A group notice as a one-page poster for the wall of ``pk``: the chosen languages side by side (the
    notice's text in each, falling back as the messages do) and a QR code to the portal."""
    from willkommen.letters.pdf import render_pdf
    from willkommen.messaging.selectors import group_notice
    from willkommen.messaging.services import notice_text, portal_url

    accommodation = _accommodation(request, pk)
    form = PosterForm(request.GET)
    if not form.is_valid():
        return _page(request, accommodation, poster_form=form, status=400)
    found = group_notice(request.authority, form.cleaned_data["notice"])
    if found is None:
        raise Http404
    sections = _sections(form.cleaned_data["lang"])
    for section in sections:
        try:
            section["subject"], section["body"], _used = notice_text(found, section["code"])
        except KeyError:
            section["subject"], section["body"] = "", ""
    url = portal_url(request.authority, "/")
    content = render_pdf(
        "accommodation/poster_pdf.html",
        {
            "accommodation": accommodation,
            "authority": request.authority,
            "sections": sections,
            "portal_url": url,
            "qr_svg": qr_svg(url),
        },
        language=sections[0]["code"],
    )
    return _pdf(content, f"notice-{found.pk}-{accommodation.pk}.pdf")

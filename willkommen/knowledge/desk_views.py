"""Desk pages for work instructions, text blocks and sharing across authorities. Read: ``knowledge.view``;
write, confirm a review, adopt: ``knowledge.edit``; the outcomes per block: ``reports.view``. Objects of
another authority answer 404 (except what it published, on the shared page)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.core.forms import form_status

from . import selectors, sharing, versions
from .forms import BlockForm, InstructionForm
from .services import KnowledgeError


def _language():
    return (get_language() or "de").split("-")[0]


def _or_404(found):
    if found is None:
        raise Http404
    return found


def _version(request, versions_qs, current_number):
    """The version named in ``?version=`` (default: the current one)."""
    wanted = request.GET.get("version", "")
    number = int(wanted) if wanted.isdigit() else current_number
    return _or_404(versions_qs.filter(number=number).first())


# --- work instructions ------------------------------------------------------------------------------


@desk_view("knowledge.view")
def instructions(request):
    return render(
        request,
        "knowledge/instructions.html",
        {"items": selectors.instructions(request.authority), "can_edit": request.user.can("knowledge.edit")},
    )


@desk_view("knowledge.view")
def instruction_detail(request, pk):
    item = _or_404(selectors.get_instruction(request.authority, pk))
    history = selectors.instruction_versions(request.authority, item)
    return render(
        request,
        "knowledge/instruction.html",
        {
            "item": item,
            "version": _version(request, history, item.version),
            "history": history,
            "change": sharing.source_change(item),
            "source_authority": item.source.authority if item.source_id else None,
            "can_edit": request.user.can("knowledge.edit"),
        },
    )


def _instruction_page(request, item):
    current = selectors.current_instruction_version(request.authority, item) if item else None
    form = InstructionForm(
        request.POST if request.method == "POST" else None,
        authority=request.authority,
        language=_language(),
        instance=item,
        version=current,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = versions.save_instruction(
                request.authority,
                request.user,
                instruction=item,
                title=data["title"],
                legal_basis=data["legal_basis"],
                anliegen=form.chosen_anliegen(),
                published=data["published"],
                **{field: data.get(field, "") for field in versions.INSTRUCTION_FIELDS},
            )
        except KnowledgeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The work instruction was saved."))
            return redirect("knowledge:instruction", pk=item.pk)
    context = {
        "form": form,
        "item": item,
        "heading": _("Edit work instruction") if item else _("New work instruction"),
        "cancel": reverse("knowledge:instruction", args=[item.pk]) if item else reverse("knowledge:instructions"),
    }
    return render(request, "knowledge/_edit_page.html", context, status=form_status(form))


@desk_view("knowledge.edit")
def instruction_create(request):
    return _instruction_page(request, None)


@desk_view("knowledge.edit")
def instruction_edit(request, pk):
    return _instruction_page(request, _or_404(selectors.get_instruction(request.authority, pk)))


@desk_view("knowledge.edit")
@require_POST
def instruction_reviewed(request, pk):
    item = _or_404(selectors.get_instruction(request.authority, pk))
    versions.confirm_reviewed(request.authority, request.user, item)
    messages.success(request, _("Marked as reviewed."))
    return redirect("knowledge:instruction", pk=pk)


# --- text blocks ------------------------------------------------------------------------------------


@desk_view("knowledge.view")
def blocks(request):
    can_see_figures = request.user.can("reports.view")
    return render(
        request,
        "knowledge/blocks.html",
        {
            "items": selectors.blocks(request.authority),
            "can_edit": request.user.can("knowledge.edit"),
            "figures": selectors.outcomes_per_block(request.authority) if can_see_figures else None,
        },
    )


@desk_view("knowledge.view")
def block_detail(request, pk):
    item = _or_404(selectors.get_block(request.authority, pk))
    history = selectors.block_versions(request.authority, item)
    return render(
        request,
        "knowledge/block.html",
        {
            "item": item,
            "version": _version(request, history, item.version),
            "history": history,
            "change": sharing.source_change(item),
            "source_authority": item.source.authority if item.source_id else None,
            "can_edit": request.user.can("knowledge.edit"),
        },
    )


def _block_page(request, item):
    current = _version(request, selectors.block_versions(request.authority, item), item.version) if item else None
    form = BlockForm(request.POST if request.method == "POST" else None, instance=item, version=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = versions.save_block(
                request.authority,
                request.user,
                block=item,
                **{key: data[key] for key in ("title", "legal_basis", "outcome", "kind", "text", "published")},
            )
        except KnowledgeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The text block was saved."))
            return redirect("knowledge:block", pk=item.pk)
    context = {
        "form": form,
        "item": item,
        "heading": _("Edit text block") if item else _("New text block"),
        "cancel": reverse("knowledge:block", args=[item.pk]) if item else reverse("knowledge:blocks"),
    }
    return render(request, "knowledge/_edit_page.html", context, status=form_status(form))


@desk_view("knowledge.edit")
def block_create(request):
    return _block_page(request, None)


@desk_view("knowledge.edit")
def block_edit(request, pk):
    return _block_page(request, _or_404(selectors.get_block(request.authority, pk)))


@desk_view("knowledge.edit")
@require_POST
def block_reviewed(request, pk):
    item = _or_404(selectors.get_block(request.authority, pk))
    versions.confirm_reviewed(request.authority, request.user, item)
    messages.success(request, _("Marked as reviewed."))
    return redirect("knowledge:block", pk=pk)


# --- sharing ----------------------------------------------------------------------------------------


@desk_view("knowledge.view")
def shared(request):
    return render(
        request,
        "knowledge/shared.html",
        {
            "published": sharing.published_elsewhere(request.authority),
            "adopted": sharing.adopted_sources(request.authority),
            "can_edit": request.user.can("knowledge.edit"),
        },
    )


_TARGET = {"instruction": "knowledge:instruction", "block": "knowledge:block", "note": "knowledge:country"}


@desk_view("knowledge.edit")
@require_POST
def adopt(request, kind, pk):
    source = _or_404(sharing.get_published(request.authority, kind, pk))
    try:
        copy = sharing.adopt(request.authority, request.user, kind, source)
    except KnowledgeError as error:
        return render(
            request,
            "knowledge/shared.html",
            {
                "published": sharing.published_elsewhere(request.authority),
                "adopted": sharing.adopted_sources(request.authority),
                "can_edit": True,
                "error": error.message,
            },
            status=400,
        )
    messages.success(request, _("Adopted: the copy is yours to change."))
    return redirect(_TARGET[kind], pk=copy.pk)


@desk_view("knowledge.edit")
@require_POST
def take_over(request, kind, pk):
    getter = {"instruction": selectors.get_instruction, "block": selectors.get_block}.get(kind)
    item = _or_404(getter(request.authority, pk) if getter else None)
    try:
        sharing.take_over(request.authority, request.user, item)
    except KnowledgeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The original's current text was taken over as a new version."))
    return redirect(_TARGET[kind], pk=pk)


@desk_view("knowledge.edit")
@require_POST
def note_publish(request, pk):
    note = _or_404(selectors.get_country_note(request.authority, pk))
    published = request.POST.get("published") == "1"
    sharing.set_note_published(request.authority, request.user, note, published)
    messages.success(request, _("Published to the other authorities.") if published else _("No longer published."))
    return redirect("knowledge:country", pk=pk)


# --- staff learning ---------------------------------------------------------------------------------


@desk_view("knowledge.edit")
def training(request):
    from . import learning
    from .forms import TrainingForm

    members = list(learning.staff(request.authority))
    form = TrainingForm(request.POST if request.method == "POST" else None, staff=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learning.save_training(
                request.authority,
                request.user,
                staff_member=form.chosen_staff(),
                course=data["course"],
                completed_on=data["completed_on"],
                mandatory=data["mandatory"],
                intercultural=data["intercultural"],
                renew_months=data.get("renew_months"),
            )
        except KnowledgeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The training was recorded."))
            return redirect("knowledge:training")
    context = {
        "form": form,
        "due": learning.due(request.authority),
        "records": learning.training(request.authority)[:200],
        "staff": members,
    }
    return render(request, "knowledge/training.html", context, status=form_status(form))

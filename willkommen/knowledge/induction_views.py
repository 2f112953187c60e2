"""Desk pages of the induction checklists: the items and how far each staff member has come
(``knowledge.edit``), one staff member's checklist (``knowledge.edit``), and the own checklist (every
staff member, ``desk``). Marking an item done: the staff member for themself, the head of office for
anyone; taking a mark back: ``knowledge.edit``."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.core.forms import form_status

from . import induction
from .forms import InductionItemForm
from .models import InductionItem
from .services import KnowledgeError


def _item_form(request, item=None):
    initial = None
    if item is not None:
        initial = {
            "title": item.title,
            "description": item.description,
            "instruction": item.instruction_id,
            "position": item.position,
            "roles": item.roles,
        }
    return InductionItemForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        instructions=induction.instructions(request.authority),
        roles=induction.STAFF_ROLES,
    )


def _save(request, form, item=None):
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        induction.save_item(
            request.authority,
            request.user,
            item=item,
            title=data["title"],
            description=data["description"],
            instruction=form.chosen_instruction(),
            position=data["position"],
            roles=data["roles"],
        )
    except KnowledgeError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    messages.success(request, _("The induction item was saved."))
    return True


@desk_view("knowledge.edit")
def items(request):
    form = _item_form(request)
    if _save(request, form):
        return redirect("knowledge:induction")
    labels = dict(induction.Role.choices)
    found = list(induction.items(request.authority))
    for item in found:
        item.role_labels = [str(labels.get(role, role)) for role in item.roles]
    context = {
        "form": form,
        "items": found,
        "progress": induction.progress(request.authority),
    }
    return render(request, "knowledge/induction.html", context, status=form_status(form))


@desk_view("knowledge.edit")
def item_edit(request, pk):
    item = InductionItem.objects.filter(authority=request.authority, pk=pk).first()
    if item is None:
        raise Http404
    form = _item_form(request, item)
    if _save(request, form, item):
        return redirect("knowledge:induction")
    return render(request, "knowledge/induction_item.html", {"form": form, "item": item}, status=form_status(form))


@desk_view("knowledge.edit")
@require_POST
def item_delete(request, pk):
    if induction.remove_item(request.authority, request.user, pk):
        messages.success(request, _("The induction item was removed."))
    return redirect("knowledge:induction")


def _staff_or_404(request, pk):
    user = get_user_model().objects.filter(authority=request.authority, pk=pk, is_active=True).first()
    if user is None:
        raise Http404
    return user


@desk_view("knowledge.edit")
def staff_checklist(request, pk):
    member = _staff_or_404(request, pk)
    context = {
        "member": member,
        "checklist": induction.checklist(request.authority, member),
        "own": False,
        "can_edit": True,
    }
    return render(request, "knowledge/induction_checklist.html", context)


@desk_view("desk")
def my_checklist(request):
    context = {
        "member": request.user,
        "checklist": induction.checklist(request.authority, request.user),
        "own": True,
        "can_edit": request.user.can("knowledge.edit"),
    }
    return render(request, "knowledge/induction_checklist.html", context)


@desk_view("desk")
@require_POST
def mark(request, pk):
    """Mark the item ``pk`` done (``done=1``) or take the mark back (``done=0``, head of office) for the
    staff member named in ``staff`` (default: oneself)."""
    wanted = request.POST.get("staff", "")
    member = _staff_or_404(request, int(wanted)) if wanted.isdigit() else request.user
    try:
        if request.POST.get("done", "1") == "0":
            if not request.user.can("knowledge.edit"):
                raise KnowledgeError(_("Only the head of office can take a mark back."))
            induction.unmark(request.authority, request.user, staff_member=member, item_id=pk)
        else:
            induction.mark_done(request.authority, request.user, staff_member=member, item_id=pk)
    except KnowledgeError as error:
        allowed = member.pk == request.user.pk or request.user.can("knowledge.edit")
        shown = member if allowed else request.user
        context = {
            "member": shown,
            "checklist": induction.checklist(request.authority, shown),
            "own": shown.pk == request.user.pk,
            "can_edit": request.user.can("knowledge.edit"),
            "error": error.message,
        }
        return render(request, "knowledge/induction_checklist.html", context, status=400 if allowed else 403)
    if member.pk == request.user.pk:
        return redirect("knowledge:my_induction")
    return redirect("knowledge:induction_staff", pk=member.pk)

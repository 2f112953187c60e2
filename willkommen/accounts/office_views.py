"""Desk pages of the administrator (capability ``office.staff``): the authority's teams and staff with
their roles. Create and edit a team; change a staff member's role (``GRANTABLE_ROLES`` only, never one's
own) and team memberships; switch an account off (never deleted). Staff of other authorities are never
found (SQL filter by authority). Every change is in the change history."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from willkommen.audit import changes
from willkommen.audit.models import Action
from willkommen.core import forms
from willkommen.core.desk import desk_view
from willkommen.core.forms import form_status
from willkommen.tenancy.models import Team

from . import staff as staff_service
from .models import User
from .roles import GRANTABLE_ROLES, Role

CAPABILITY = "office.staff"
TEAM_FIELDS = ["name", "description", "email", "phone", "is_special_task_area"]


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = TEAM_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = Team.objects.filter(authority=self.authority, name__iexact=name).exclude(pk=self.instance.pk)
        if not name or taken.exists():
            raise forms.ValidationError(_("A team of this name exists already.") if name else _("Name the team."))
        return name


class StaffForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=[(r.value, r.label) for r in GRANTABLE_ROLES])
    teams = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Teams"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    leads = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Leads the team"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, authority, own, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(authority=authority).order_by("name")
        self.fields["teams"].queryset = teams
        self.fields["leads"].queryset = teams
        if own:
            del self.fields["role"]

    def clean(self):
        data = super().clean()
        if set(data.get("leads") or ()) - set(data.get("teams") or ()):
            self.add_error("leads", _("Someone can only lead a team they belong to."))
        return data


@desk_view(CAPABILITY)
def teams_and_staff(request):
    authority = request.authority
    teams = Team.objects.filter(authority=authority).order_by("name")
    members = list(staff_service.staff(authority))
    for member in members:
        member.team_names = sorted(
            (m.team.name, m.is_lead) for m in member.memberships.all() if m.team.authority_id == authority.pk
        )
        member.editable = staff_service.may_change(request.user, member)
    return render(request, "accounts/office/teams_and_staff.html", {"teams": teams, "members": members})


def _team_page(request, form, team=None):
    return render(request, "accounts/office/team_form.html", {"form": form, "team": team}, status=form_status(form))


@desk_view(CAPABILITY)
def team_new(request):
    form = TeamForm(request.POST or None, authority=request.authority)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            team = form.save(commit=False)
            team.authority = request.authority
            team.save()
            changes.record_change(request, team, Action.CREATE, form=form)
        messages.success(request, _("The team was saved."))
        return redirect("accounts:office_staff")
    return _team_page(request, form)


@desk_view(CAPABILITY)
def team_edit(request, pk):
    team = get_object_or_404(Team, authority=request.authority, pk=pk)
    before = changes.snapshot(team, TEAM_FIELDS)
    form = TeamForm(request.POST or None, instance=team, authority=request.authority)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            team = form.save()
            changes.record_change(request, team, Action.UPDATE, form=form, before=before)
        messages.success(request, _("The team was saved."))
        return redirect("accounts:office_staff")
    return _team_page(request, form, get_object_or_404(Team, authority=request.authority, pk=pk))


def _member(request, pk):
    found = User.objects.filter(authority=request.authority).exclude(role=Role.INTEGRATION)
    return get_object_or_404(found, pk=pk)


def _initial(member):
    memberships = list(member.memberships.filter(authority=member.authority_id))
    return {
        "role": member.role,
        "teams": [m.team_id for m in memberships],
        "leads": [m.team_id for m in memberships if m.is_lead],
    }


@desk_view(CAPABILITY)
def staff_edit(request, pk):
    member = _member(request, pk)
    editable = staff_service.may_change(request.user, member)
    own = member.pk == request.user.pk
    form = StaffForm(request.POST or None, authority=request.authority, own=own, initial=_initial(member))
    if request.method == "POST" and not editable:
        form.add_error(None, _("This staff member's role is not changed here."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff_service.update(request, member, role=data.get("role"), teams=data["teams"], leads=data["leads"])
        except staff_service.StaffError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The staff member was saved."))
            return redirect("accounts:office_staff")
    context = {"form": form, "member": member, "editable": editable, "own": own}
    return render(request, "accounts/office/staff_form.html", context, status=form_status(form))


@desk_view(CAPABILITY)
@require_POST
def staff_active(request, pk):
    member = _member(request, pk)
    try:
        staff_service.set_active(request, member, request.POST.get("active") == "1")
    except staff_service.StaffError as error:
        context = {"title": _("Not changed"), "message": str(error)}
        return render(request, "core/error.html", context, status=400)
    if member.is_active:
        messages.success(request, _("The account is switched on again."))
    else:
        messages.success(request, _("The account is switched off. The staff member can no longer sign in."))
    return redirect("accounts:office_staff")


def staff_names(authority, ids):
    """The audit log's names of staff members (``audit/objects.py``): one query for many ids."""
    from willkommen.audit import objects

    rows = User.objects.filter(authority=authority, pk__in=objects.int_ids(ids))
    return {str(user.pk): _("Staff member %(name)s") % {"name": user.display_name} for user in rows}

"""Desk pages of the rights room: the candidates of the latest monthly screening for the responsible team
(``rights.view``; rows narrowed in SQL by the visibility policy's file scope), and one person's facts and
checks, where the facts the check needs are recorded (``rights.facts``). Every page that shows a person's
screening writes its reads to the audit log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read
from willkommen.clients.visibility import Resource, visible_person
from willkommen.core.forms import form_status
from willkommen.core.paging import LeanPaginator
from willkommen.tenancy import selectors as tenancy_selectors

from . import facts, selectors, services, texts
from .forms import FactForm, FilterForm, InviteForm
from .models import FactKind, FactSource, RuleKey

PAGE_SIZE = 50


def _reasons(outcome):
    return {
        "met": [texts.criterion(c) for c in outcome.met],
        "unmet": [texts.criterion(c) for c in outcome.unmet],
        "missing": [texts.criterion(c) for c in outcome.missing],
    }


@desk_view("rights.view")
def candidates(request):
    return _list(request)


def _list(request, invite_form=None, status=200):
    """The candidate list; ``invite_form`` is a refused invitation form shown with its errors (``status``)."""
    authority = request.authority
    teams = list(tenancy_selectors.teams(authority))
    form = FilterForm(request.GET or None, teams=teams)
    rule, team_id = "", None
    if form.is_bound and form.is_valid():
        rule, team_id = form.cleaned_data["rule"], form.cleaned_data["team"]
    run = selectors.latest_run(authority)
    qs = selectors.candidates(request.user, authority, run=run, rule=rule, team_id=team_id).select_related("invitation")
    page = LeanPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(outcome, _reasons(outcome)) for outcome in page.object_list]
    checks = list({o.check_run.pk: o.check_run for o in page.object_list}.values())
    record_read(request, *checks, purpose="rights screening")
    can_invite = request.user.can("rights.invite")
    if can_invite and invite_form is None:
        invite_form = InviteForm()
    return render(
        request,
        "rights/candidates.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "run": run,
            "can_invite": can_invite,
            "invite_form": invite_form,
            "selected": set(invite_form.data.getlist("outcome")) if invite_form and invite_form.is_bound else set(),
        },
        status=status if status != 200 else form_status(form),
    )


@desk_view("rights.invite")
@require_POST
def invite_selected(request):
    """Invite the selected candidates in one go (online application or appointment). A selection with an id
    that is not on the user's candidate list, an empty one or a refused invitation sends nothing (400)."""
    authority = request.authority
    form = InviteForm(request.POST, candidates=selectors.candidates(request.user, authority))
    if not form.is_valid():
        return _list(request, form, status=400)
    data = form.cleaned_data
    try:
        invited, already = services.invite_many(
            authority,
            request.user,
            data["outcomes"],
            mode=data["mode"],
            deadline=data["deadline"],
            portal_url=portal_url(request),
            request=request,
        )
    except services.RightsError as error:
        form.add_error(None, _("Nothing was sent: %(reason)s") % {"reason": error.message})
        return _list(request, form, status=400)
    summary = _("%(invited)d invited, %(already)d already invited.") % {
        "invited": len(invited),
        "already": len(already),
    }
    if already:
        names = ", ".join(sorted({i.person.full_name for i in already}))
        summary = " ".join([summary, _("Already invited: %(names)s.") % {"names": names}])
    messages.success(request, summary)
    return redirect(request.POST.get("next")) if _safe(request) else redirect("rights:candidates")


@desk_view("rights.view")
def person(request, pk):
    authority = request.authority
    found = visible_person(request.user, authority, Resource.FILE, pk)
    if found is None:
        raise Http404
    documents = list(services.documents_of(authority, found))
    form = None
    if request.user.can("rights.facts"):
        form = FactForm(request.POST if request.method == "POST" else None, documents=documents)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_fact(
                    authority,
                    request.user,
                    found,
                    kind=data["kind"],
                    value=data["value"],
                    source=data["source"],
                    established_on=data["established_on"],
                    document=data["document"],
                    note=data["note"],
                    request=request,
                )
            except services.RightsError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The fact was recorded."))
                return redirect("rights:person", pk=found.pk)
    current, sources = facts.facts_of(found, _today())
    for source in sources.values():
        source["label"] = FactSource(source["source"]).label
    current_rows = [(kind.label, getattr(current, kind.value), sources.get(kind.value)) for kind in FactKind]
    checks = list(selectors.checks_of_person(authority, found))
    check_rows = [(check, [(o, _reasons(o)) for o in check.outcomes.all()]) for check in checks]
    record_read(request, found, purpose="rights check", detail="facts and checks")
    return render(
        request,
        "rights/person.html",
        {
            "person": found,
            "current": current,
            "current_rows": current_rows,
            "history": selectors.facts_of_person(authority, found),
            "checks": check_rows,
            "form": form,
            "rule_labels": dict(RuleKey.choices),
        },
        status=form_status(form) if form is not None else 200,
    )


@desk_view("rights.invite")
@require_POST
def invite(request, pk):
    """Invite the person of one outcome of the candidate list (visible to the user) to apply."""
    outcome = selectors.candidates(request.user, request.authority).filter(pk=pk).first()
    if outcome is None:
        raise Http404
    try:
        _invitation, sent = services.invite(
            request.authority, request.user, outcome, portal_url=portal_url(request), request=request
        )
    except services.RightsError as error:
        messages.error(request, error.message)
        return redirect("rights:candidates")
    if sent:
        messages.success(request, _("The invitation to apply was sent."))
    else:
        messages.info(request, _("This person was already invited."))
    return (
        redirect(request.POST.get("next") or "rights:candidates") if _safe(request) else redirect("rights:candidates")
    )


def _safe(request):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


def portal_url(request):
    from django.urls import get_script_prefix

    return request.build_absolute_uri(get_script_prefix()).rstrip("/")


def _today():
    from django.utils import timezone

    return timezone.localdate()

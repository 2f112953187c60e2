"""The effects of transitions: each transition in ``workflow.py`` names its effects; this registry maps
an effect's name to the function that carries it out.

``transitions.take`` runs every effect's ``check`` first (nothing is written yet, so a refusal changes
nothing), then moves the status, then runs the effects in the order the table names them, all in the
transaction that holds the case's row lock. What leaves the house does so after commit: messages are
stored and delivered by messaging's job, letters are files in the same transaction.

Names: ``stop_clock`` / ``restart_clock``, ``letter:<kind>`` (a letter of that kind), ``notice:<key>``
(the template store's text ``key`` to the client, with the letter of an earlier effect attached),
``decision:draft|awaiting|final|approved|returned``, ``residence`` (the final decision's entry in the
person's residence history, ``residence.py``) and ``transfer``. A new effect is one function
registered here (``@register("name")`` or ``@register("prefix:*")`` for a parametrised one);
``tests/test_effects.py`` walks every transition of the table and checks each named effect happened.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import clock, communication, decisions, residence, transfer
from .errors import CaseError


@dataclass
class EffectContext:
    """What a transition's effects share: the locked case, who takes it, its data and what earlier effects made."""

    case: object
    transition: object
    actor: object
    note: str = ""
    data: dict = field(default_factory=dict)
    products: dict = field(default_factory=dict)  # "document_request", "letter", "decision", "new_case", ...
    values: dict = field(default_factory=dict)  # placeholder values for later letters and notices
    entry_data: dict = field(default_factory=dict)  # added to the transition's timeline entry
    ran: list = field(default_factory=list)


@dataclass(frozen=True)
class Effect:
    name: str
    run: object  # run(ctx, argument)
    check: object = None  # check(ctx, argument): raise CaseError before anything is written
    sends: bool = False  # whether it reaches the client (a notice); nothing else may


REGISTRY = {}


def register(name, *, check=None, sends=False):
    def decorate(run):
        REGISTRY[name] = Effect(name, run, check, sends)
        return run

    return decorate


def resolve(name):
    """(Effect, argument) for an effect name of the table; KeyError for an unknown one."""
    if name in REGISTRY:
        return REGISTRY[name], ""
    prefix, _sep, argument = name.partition(":")
    return REGISTRY[f"{prefix}:*"], argument


def check_all(ctx):
    for name in ctx.transition.effects:
        effect, argument = resolve(name)
        if effect.check is not None:
            effect.check(ctx, argument)


def run_all(ctx):
    for name in ctx.transition.effects:
        effect, argument = resolve(name)
        effect.run(ctx, argument)
        ctx.ran.append(name)


# --- the clock -----------------------------------------------------------------------------------


def _check_request(ctx, _argument):
    items, deadline = clock.checked_request(ctx.data.get("items"), ctx.note, ctx.data.get("deadline"))
    ctx.data.update(items=items, deadline=deadline)


@register("stop_clock", check=_check_request)
def stop_clock(ctx, _argument):
    """The client owes documents: the request is recorded and stops the clock until it is fulfilled."""
    case, items = ctx.case, ctx.data["items"]
    ctx.products["document_request"] = clock.stop(
        case, ctx.actor, items=items, note=ctx.note, deadline=ctx.data["deadline"]
    )
    ctx.values.update(
        documents=lambda language: communication.document_titles(case, items, language),
        deadline=ctx.data["deadline"],
        note=ctx.note,
    )
    ctx.entry_data["items"] = items


@register("restart_clock")
def restart_clock(ctx, _argument):
    clock.restart(ctx.case)


# --- letters and notices -------------------------------------------------------------------------


@register("letter:*")
def letter(ctx, kind):
    ctx.products["letter"] = communication.make_letter(
        ctx.case, kind, context=dict(ctx.products), values=ctx.values, actor=ctx.actor
    )


@register("notice:*", sends=True)
def notice(ctx, key):
    ctx.products["notice"] = communication.send_notice(
        ctx.case, key, ctx.values, letter=ctx.products.get("letter"), actor=ctx.actor
    )


# --- decisions -----------------------------------------------------------------------------------


@register("decision:draft", check=lambda ctx, _a: decisions.check_draft(ctx.case, ctx.data))
def draft(ctx, _argument):
    ctx.products["decision"] = decisions.record_draft(ctx.case, ctx.actor, ctx.data)


@register("decision:awaiting")
def awaiting(ctx, _argument):
    ctx.products["decision"] = decisions.mark_awaiting(ctx.case)


@register("decision:final")
def final(ctx, _argument):
    ctx.products["decision"] = decisions.make_final(ctx.case)


@register("decision:approved")
def approved(ctx, _argument):
    ctx.products["decision"] = decisions.approve(ctx.case, ctx.actor, ctx.note)


@register("decision:returned", check=lambda ctx, _a: decisions.check_return(ctx.note))
def returned(ctx, _argument):
    ctx.products["decision"] = decisions.return_to_drafter(ctx.case, ctx.actor, ctx.note)


@register("residence")
def residence_entry(ctx, _argument):
    """The final decision becomes a dated entry of the person's residence history (same transaction)."""
    decision = ctx.products.get("decision") or decisions.current_decision(ctx.case)
    entry = residence.record_decision(ctx.case, decision, ctx.actor)
    if entry is not None:
        ctx.products["residence_entry"] = entry
        ctx.entry_data["residence_entry"] = entry.pk


# --- transfer ------------------------------------------------------------------------------------


def _check_transfer(ctx, _argument):
    target = ctx.data.get("to_authority")
    if target is None:
        raise CaseError(_("Choose another authority."))
    transfer.check_target(ctx.case, target)


@register("transfer", check=_check_transfer)
def hand_over(ctx, _argument):
    target = ctx.data["to_authority"]
    ctx.products["new_case"] = transfer.hand_over(
        ctx.case, target, ctx.actor, reason=ctx.note, new_address=ctx.data.get("new_address")
    )
    ctx.entry_data["to_authority"] = target.slug

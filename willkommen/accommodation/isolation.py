"""Isolation and quarantine: a resident moves to an isolation, quarantine or reserve bed of the same house
for a while, with a daily supplies checklist, and back when the episode ends (by hand or by the periodic
job, :func:`end_due_episodes`)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit.services import record

from . import selectors
from .allocation import (
    choose_beds,
    create_placement,
    ensure_beds,
    fit,
    lock_accommodation,
    lock_open_placement,
    refuse_during_episode,
)
from .errors import AccommodationError, check_date, same_authority
from .models import BedKind, EpisodeKind, IsolationEpisode, Placement, SupplyCheck


def _episode_kinds(kind):
    """The beds an episode of ``kind`` may take, in order: its own kind, then the emergency reserve."""
    return [kind, BedKind.RESERVE]


def isolate(authority, placement, *, kind, reason, planned_end, starts_on=None, bed=None, actor=None, request=None):
    """Move the resident of ``placement`` to a free isolation or quarantine bed (``kind``) of the same
    accommodation – ``bed`` if given, else one of that kind, else an emergency reserve bed – from
    ``starts_on`` (default today) until ``planned_end``, when they move back."""
    same_authority(authority, placement)
    if kind not in EpisodeKind.values:
        raise ValueError("unknown episode kind")
    reason = reason.strip()
    if not reason:
        raise AccommodationError(_("Please give the reason."), code="reason")
    starts_on = starts_on or timezone.localdate()
    check_date(starts_on)
    if planned_end <= max(starts_on, timezone.localdate()):
        raise AccommodationError(_("The planned end must be after today and after the start."), code="end")
    with transaction.atomic():
        old = lock_open_placement(authority, placement)
        check_date(starts_on, not_before=old.moved_in)
        refuse_during_episode(authority, old.person_id)
        locked = lock_accommodation(authority, old.accommodation)
        ensure_beds(authority, locked)
        chosen = _choose_episode_bed(authority, locked, kind, bed, old.person)
        old.moved_out = starts_on
        old.save(update_fields=["moved_out"])
        new = create_placement(authority, old.person, locked, bed=chosen, moved_in=starts_on, unit="", placed_by=actor)
        try:
            with transaction.atomic():
                episode = IsolationEpisode.objects.create(
                    authority=authority,
                    person_id=old.person_id,
                    kind=kind,
                    reason=reason[:200],
                    starts_on=starts_on,
                    planned_end=planned_end,
                    accommodation=locked,
                    bed=chosen,
                    home_bed_id=old.bed_id,
                    placement=new,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            raise AccommodationError(
                _("This person is in isolation or quarantine; end that first."), code="episode"
            ) from None
        record(
            authority=authority,
            action="create",
            person_id=old.person_id,
            obj=episode,
            actor=actor,
            request=request,
            purpose=f"accommodation: {kind} started",
            detail=f"bed {old.bed_id} -> {chosen.pk}, {starts_on.isoformat()} until {planned_end.isoformat()}",
        )
    return episode


def _choose_episode_bed(authority, locked, kind, bed, person):
    if bed is not None:
        return choose_beds(authority, locked, 1, _episode_kinds(kind), bed=bed, persons=[person])[0]
    rules = selectors.rules_for_persons([person])
    for kinds in ([kind], [BedKind.RESERVE]):
        found = selectors.propose_beds(authority, locked, 1, kinds, rules=rules)
        if found:
            return found[0]
    raise AccommodationError(
        _("%(name)s has no free isolation, quarantine or reserve bed.") % {"name": locked.name}, code="no_bed"
    )


def _lock_open_episode(authority, episode):
    locked = IsolationEpisode.objects.select_for_update().filter(authority=authority, pk=episode.pk).first()
    if locked is None:
        raise ValueError("episode of another authority")
    if locked.ended_on is not None:
        raise AccommodationError(_("This isolation or quarantine has already ended."), code="ended")
    return locked


def extend_episode(authority, episode, *, planned_end, actor=None, request=None):
    """A new planned end (after today): the episode goes on until then."""
    same_authority(authority, episode)
    with transaction.atomic():
        locked = _lock_open_episode(authority, episode)
        today = timezone.localdate()
        if locked.planned_end <= today:
            raise AccommodationError(_("This isolation or quarantine has already ended."), code="ended")
        if planned_end <= today:
            raise AccommodationError(_("The planned end must be after today and after the start."), code="end")
        previous = locked.planned_end
        locked.planned_end = planned_end
        locked.save(update_fields=["planned_end"])
        record(
            authority=authority,
            action="update",
            person_id=locked.person_id,
            obj=locked,
            actor=actor,
            request=request,
            purpose="accommodation: episode extended",
            detail=f"{previous.isoformat()} -> {planned_end.isoformat()}",
        )
    return locked


def end_episode(authority, episode, *, on=None, actor=None, request=None):
    """End the episode on ``on`` (default today): the resident moves back to their bed if it is still free,
    else to another free normal bed of the house; if none is free they stay where they are (the episode
    ends all the same). Returns the episode; ``moved_back`` tells whether the isolation bed is free."""
    same_authority(authority, episode)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _lock_open_episode(authority, episode)
        check_date(on, not_before=locked.starts_on)
        locked.ended_on = on
        locked.save(update_fields=["ended_on"])
        moved_back = False
        stay = Placement.objects.select_for_update().filter(pk=locked.placement_id, moved_out__isnull=True).first()
        if stay is not None:
            house = lock_accommodation(authority, stay.accommodation)
            target = None
            rules, private = fit(authority, [stay.person])
            if locked.home_bed_id is not None:
                home = selectors.free_beds(authority, house, [BedKind.NORMAL], rules)
                target = home.filter(pk=locked.home_bed_id).first()
            if target is None:
                proposal = selectors.propose_beds(authority, house, 1, [BedKind.NORMAL], rules=rules, private=private)
                target = proposal[0] if proposal else None
            if target is not None:
                stay.moved_out = max(on, stay.moved_in)
                stay.save(update_fields=["moved_out"])
                create_placement(
                    authority, stay.person, house, bed=target, moved_in=stay.moved_out, unit="", placed_by=actor
                )
                moved_back = True
        record(
            authority=authority,
            action="update",
            person_id=locked.person_id,
            obj=locked,
            actor=actor,
            request=request,
            purpose=f"accommodation: {locked.kind} ended",
            detail=f"on {on.isoformat()}" + (", moved back" if moved_back else ", stays on the bed"),
        )
    locked.moved_back = moved_back
    return locked


def end_due_episodes(today=None):
    """The periodic job's work: every open episode whose planned end has come ends on that day. Returns the
    number ended; one episode's failure does not stop the others (each has its own transaction)."""
    import logging

    today = today or timezone.localdate()
    ended = 0
    due = IsolationEpisode.objects.filter(ended_on__isnull=True, planned_end__lte=today).select_related("authority")
    for episode in due.order_by("planned_end", "pk").iterator():
        try:
            end_episode(episode.authority, episode, on=min(episode.planned_end, today))
        except AccommodationError:
            continue  # ended in between by somebody else
        except Exception:
            logging.getLogger(__name__).exception("ending episode %s failed", episode.pk)
            continue
        ended += 1
    return ended


def record_supplies(authority, episode, *, meals, medicine, contact, note="", day=None, actor=None, request=None):
    """Today's (or ``day``'s) supplies checklist of a resident in isolation or quarantine: saved once per
    day, a second submit of the same day changes that day's entry (who and when are the last)."""
    same_authority(authority, episode)
    day = day or timezone.localdate()
    check_date(day, not_before=episode.starts_on)
    with transaction.atomic():
        locked = IsolationEpisode.objects.select_for_update().get(authority=authority, pk=episode.pk)
        if day >= (locked.ended_on or locked.planned_end):  # past the planned end: ended for the selectors too
            raise AccommodationError(_("This isolation or quarantine has already ended."), code="ended")
        check, created = SupplyCheck.objects.update_or_create(
            episode=locked,
            day=day,
            defaults={
                "authority": authority,
                "meals": bool(meals),
                "medicine": bool(medicine),
                "contact": bool(contact),
                "note": note.strip()[:300],
                "done_by": actor if getattr(actor, "is_authenticated", False) else None,
                "done_at": timezone.now(),
            },
        )
        record(
            authority=authority,
            action="create" if created else "update",
            person_id=locked.person_id,
            obj=check,
            actor=actor,
            request=request,
            purpose="accommodation: supplies checked",
            detail=f"{day.isoformat()}: meals {meals}, medicine {medicine}, contact {contact}",
        )
    return check

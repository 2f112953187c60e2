"""Slots follow changes: when opening hours, closures or offers change, regenerate after commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from willkommen.tenancy.models import Closure, OpeningHours

from .models import Offer


def _regenerate(authority_id):
    from .tasks import generate_slots

    if not Offer.objects.filter(authority_id=authority_id).exists():
        return  # nothing is offered here yet
    transaction.on_commit(lambda: generate_slots.enqueue(authority_id=authority_id))


@receiver([post_save, post_delete], sender=OpeningHours)
@receiver([post_save, post_delete], sender=Closure)
def hours_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    _regenerate(instance.authority_id)


@receiver(post_save, sender=Offer)
def offer_changed(sender, instance, created, **kwargs):
    if kwargs.get("raw"):
        return
    from .tasks import generate_slots

    transaction.on_commit(lambda: generate_slots.enqueue(offer_id=instance.pk))

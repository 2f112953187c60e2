import pytest
from django.utils import timezone

from willkommen.appointments.models import Slot
from willkommen.appointments.testing import make_offer


@pytest.fixture
def offer(authority):
    return make_offer(authority)


@pytest.fixture
def future_slot(offer):
    return (
        Slot.objects.filter(authority=offer.authority, starts_at__gt=timezone.now() + timezone.timedelta(days=2))
        .order_by("starts_at")
        .first()
    )


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English (the source language); pages choose their own language."""
    from django.utils import translation

    with translation.override("en"):
        yield

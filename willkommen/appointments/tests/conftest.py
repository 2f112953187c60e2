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

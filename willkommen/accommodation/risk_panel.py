"""The residents-at-risk section of the placement page (issue 19 item 4), for ``views`` and ``arrival_views``."""

from willkommen.audit.services import record_read

from . import selectors
from .forms import RiskFlagForm


def risk_context(request, person, form=None):
    """The risk section of the placement page, for holders of ``accommodation.risk`` only (else empty);
    reading the flags is audited."""
    if not request.user.can("accommodation.risk"):
        return {}
    flags = list(selectors.risk_flags_of(request.authority, person))
    record_read(request, person, purpose="accommodation: needs for protection read", detail=f"{len(flags)} flag(s)")
    return {"risk_flags": flags, "risk_form": form or RiskFlagForm(), "can_flag": True}

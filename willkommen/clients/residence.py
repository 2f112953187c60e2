"""The residence history as the source of truth: the hook through which higher rooms learn of a change.

Every entry is written by ``services.record_residence`` (a decision, a certificate, a declaration, a
caseworker's entry) and confirmed by ``services.confirm_residence_entry``; both call :func:`changed`
inside their transaction. The cases room registers a listener that keeps the denormalised
``Case.permit_expires_on`` of the person's open cases in step with the history (the queue sorts by it
in SQL), so the two can never disagree after a commit. Without a registration the history still works.
"""

_listeners = []


def register_listener(fn):
    """Hook: ``fn(person)`` runs in the transaction that changed the person's residence history."""
    if fn not in _listeners:
        _listeners.append(fn)


def changed(person):
    for fn in _listeners:
        fn(person)

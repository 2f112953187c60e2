"""Hook: rooms that take part in drafting a decision. A registered ``listener(request, case, decision)``
runs after a draft is saved, in the same transaction (the knowledge room records the text blocks the
draft was written with); a ``CaseError`` from it undoes the draft. Without a registration nothing runs."""

_listeners = []


def register(listener):
    if listener not in _listeners:
        _listeners.append(listener)


def drafted(request, case, decision):
    for listener in _listeners:
        listener(request, case, decision)

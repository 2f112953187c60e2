"""What a client can do after the checklist: other rooms register a function that offers a next step for
an Anliegen (book an appointment, apply online). The catalogue is ground and imports none of them; the
checklist result page lists what the registered functions return, the answers carried in the link."""

_offers = []


def register(offer):
    """``offer(request, anliegen, query)`` returns ``(label, url)`` or None; ``query`` holds the answers."""
    if offer not in _offers:
        _offers.append(offer)


def for_anliegen(request, anliegen, query):
    steps = []
    for offer in _offers:
        step = offer(request, anliegen, query)
        if step:
            steps.append({"label": step[0], "url": step[1]})
    return steps

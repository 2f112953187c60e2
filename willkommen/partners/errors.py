class RequestError(Exception):
    """A request to another authority cannot be sent or answered; ``message`` is for the user (translated)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ConsentError(RequestError):
    """A consent cannot be recorded; ``message`` is for the user (translated)."""

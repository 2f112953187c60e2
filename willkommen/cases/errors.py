"""The error of a case command that cannot be carried out."""


class CaseError(Exception):
    """A command that cannot be carried out; the message is shown to the user (``errors``: details)."""

    def __init__(self, message, errors=None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or []

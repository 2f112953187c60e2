"""The rights room's error: a refusal with a message for the user (and the form field it concerns)."""


class RightsError(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

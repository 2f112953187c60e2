"""Sending messages to clients. (Minimal first version: e-mail through Django's backends.

The messaging room grows this into channels, templates per language and the conversation
thread; the signature of :func:`send_to_client` stays.)
"""

from django.core.mail import EmailMessage
from django.utils import translation


def send_to_client(
    authority, *, email, subject, body, language="de", person=None, case=None, attachments=(), template_key=""
):
    """Send a message to a client; ``attachments`` are (filename, bytes, mimetype) tuples."""
    with translation.override(language):
        message = EmailMessage(subject=str(subject), body=str(body), from_email=authority.email or None, to=[email])
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        message.send()
    return message

"""Commands of the accounts room that other rooms use."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from .client_identity import MagicLinkProvider


def send_sign_in_link(request, email, next_url, *, subject, text):
    """Issue a sign-in link for ``email`` at the request's authority and mail it. ``text`` contains
    ``%(link)s`` and ``%(minutes)d``; rooms that send a link for their own purpose (resuming an
    application) pass their own wording."""
    token = MagicLinkProvider.make_token(request.authority, email, next_url)
    link = request.build_absolute_uri(reverse("accounts:magic_link_enter", args=[token]))
    send_mail(
        subject,
        text % {"link": link, "minutes": settings.MAGIC_LINK_MAX_AGE_MINUTES},
        request.authority.email or None,
        [email],
    )

"""Commands of the accounts room that other rooms use."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation

from .client_identity import MagicLinkProvider

# The words of a sign-in link's e-mail come from the messaging room's template store (one source for every
# text a client receives, editable by the authority). The accounts room is below messaging, so messaging
# registers the renderer here: ``fn(authority, key, language, values) -> (subject, body)``.
_link_text = None


def register_link_text(fn):
    global _link_text
    _link_text = fn


def send_sign_in_link(request, email, next_url, *, key="sign_in_link"):
    """Issue a sign-in link for ``email`` at the request's authority and mail it in the request's language.
    ``key`` names the text in the template store; rooms that send a link for their own purpose (resuming an
    application: ``application_resume_link``) name their own. The mail is sent, not stored as a message:
    the link is a credential until it is used or expires."""
    if _link_text is None:  # pragma: no cover - the messaging room registers it at start-up
        raise RuntimeError("no text source for sign-in links registered")
    token = MagicLinkProvider.make_token(request.authority, email, next_url)
    link = request.build_absolute_uri(reverse("accounts:magic_link_enter", args=[token]))
    values = {
        "link": link,
        "minutes": str(settings.MAGIC_LINK_MAX_AGE_MINUTES),
        "authority": request.authority.name,
    }
    subject, body = _link_text(request.authority, key, translation.get_language() or "de", values)
    send_mail(subject, body, request.authority.email or None, [email])

"""How a request leaves the house: connectors in one registry (as Open Forms registers its plugins).

A connector has a ``name`` (stored on the request), a ``label``, ``offered`` (whether the desk form offers
it), ``check(fields)`` (raises RequestError when the request lacks what it needs, before anything is
written), ``send(request)`` and ``remind(request)`` (each returns a short note for the request; ``send``
may also return the message as sent, kept in ``AuthorityRequest.payload``). The tasks call them after
commit, each at most once per request (``tasks.py``).

- ``email``: a plain e-mail to the recipient's address (Django's mail backend).
- ``letter``: a PDF letter filed into the person's e-file, to be printed and posted.
- ``platform``: the recipient is an authority on this platform; nothing travels: the request appears in
  that authority's desk (``/desk/partners/incoming/``) and the answer is written there.
- ``xauslaender``: the message shaped after XAusländer (an XÖV standard) – header, request, person – kept on
  the request. No transport (OSCI/XTA) is connected yet, so the desk does not offer it; see docs/partners.md.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import RequestError

REGISTRY = {}


def register(connector_class):
    """Class decorator: one instance of the connector in the registry, under its name."""
    REGISTRY[connector_class.name] = connector_class()
    return connector_class


def get(name):
    try:
        return REGISTRY[name]
    except KeyError:
        raise RequestError(_("Choose how the request is sent.")) from None


def offered():
    return [c for c in REGISTRY.values() if c.offered]


def _subject(request, reminder=False):
    with translation.override("de"):
        words = _("Reminder: request") if reminder else _("Request")
        return f"{words} {request.reference} – {request.authority.name}"


def _body(request, reminder=False):
    with translation.override("de"):
        lines = [request.question, "", _("Please answer by %(date)s.") % {"date": request.due_on.strftime("%d.%m.%Y")}]
        if reminder:
            lines.insert(
                0,
                _("We have not yet received your answer to our request of %(date)s.")
                % {"date": request.sent_on.strftime("%d.%m.%Y")},
            )
            lines.insert(1, "")
        lines += ["", request.authority.name, _("Reference: %(reference)s") % {"reference": request.reference}]
        return "\n".join(lines)


class Connector:
    name = ""
    label = ""
    offered = True

    def check(self, fields):
        return None

    def send(self, request):
        raise NotImplementedError

    def remind(self, request):
        raise NotImplementedError


@register
class EmailConnector(Connector):
    name = "email"
    label = gettext_lazy("E-mail")

    def check(self, fields):
        if not fields.get("recipient_email"):
            raise RequestError(_("Enter the recipient's e-mail address."))

    def _mail(self, request, reminder):
        EmailMessage(
            _subject(request, reminder),
            _body(request, reminder),
            settings.DEFAULT_FROM_EMAIL,
            [request.recipient_email],
        ).send()
        return _("e-mail to %(address)s") % {"address": request.recipient_email}

    def send(self, request):
        return self._mail(request, False), {}

    def remind(self, request):
        return self._mail(request, True)


@register
class LetterConnector(Connector):
    name = "letter"
    label = gettext_lazy("Letter (print and post)")

    def check(self, fields):
        if not (fields.get("recipient_address") or "").strip():
            raise RequestError(_("Enter the recipient's postal address."))

    def _letter(self, request, reminder):
        from willkommen.efile import services as efile
        from willkommen.letters.pdf import render_pdf

        context = {
            "request": request,
            "subject": _subject(request, reminder),
            "body": _body(request, reminder),
            "today": timezone.localdate(),
        }
        content = render_pdf("partners/request_letter.html", context, language="de")
        title = _subject(request, reminder)
        document = efile.add_generated_document(
            request.authority,
            request.case.person,
            content,
            file_name=f"{'reminder' if reminder else 'request'}-{request.reference}.pdf",
            document_type="authority_request",
            case=request.case,
            title=title[:200],
            text=context["body"],
        )
        return _("letter to be printed and posted (document %(id)s)") % {"id": document.pk}

    def send(self, request):
        return self._letter(request, False), {}

    def remind(self, request):
        return self._letter(request, True)


@register
class PlatformConnector(Connector):
    name = "platform"
    label = gettext_lazy("On the platform (the authority's desk)")
    offered = False  # chosen by picking an authority on the platform, not from the list

    def check(self, fields):
        if fields.get("to_authority") is None:
            raise RequestError(_("Choose the authority on the platform."))

    def send(self, request):
        return _("in the desk of %(authority)s") % {"authority": request.to_authority.name}, {}

    def remind(self, request):
        return _("marked as overdue in the desk of %(authority)s") % {"authority": request.to_authority.name}


@register
class XAuslaenderConnector(Connector):
    """The XÖV message shape. A transport (OSCI/XTA) would post ``payload``; until one is connected the message
    is only built and kept, so the desk does not offer this connector."""

    name = "xauslaender"
    label = gettext_lazy("XAusländer message")
    offered = False

    def message(self, request, kind="anfrage"):
        from willkommen.clients import xauslaender

        return {
            "nachrichtenkopf": {
                "nachricht": f"auslaender.{kind}",
                "referenz": request.reference,
                "erstellungszeitpunkt": timezone.now().isoformat(),
                "autor": {"behoerde": request.authority.name, "kennung": request.authority.slug},
                "leser": {"behoerde": request.recipient_name, "art": request.recipient_type},
            },
            "anfrage": {
                "art": request.recipient_type,
                "frage": request.question,
                "gesendetAm": request.sent_on.isoformat(),
                "antwortBis": request.due_on.isoformat(),
                "aktenzeichen": request.case.number,
            },
            "person": xauslaender.person(request.case.person),
        }

    def send(self, request):
        return _("XAusländer message built; no transport connected"), self.message(request)

    def remind(self, request):
        return _("XAusländer reminder built; no transport connected")

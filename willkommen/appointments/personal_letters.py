"""Letters with a personal link and its QR code, for clients the office reaches by post: renewal
invitations and invitations to an appointment. The PDF comes from the letters room (German and the
client's language, the text from messaging's template store, kept in the e-file); the message that
carries it goes into the print queue (the letter channel finds the PDF already rendered)."""

import io

LETTER_FILE = "letter.pdf"  # the name under which the letter channel looks for an already rendered letter


def qr_svg(link):
    import segno

    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=3, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def render(authority, person, key, values, link, *, case=None, title=""):
    """The letter's PDF bytes (also filed as the person's letter): the text block ``key`` filled with
    ``values``, then the link once more with its QR code."""
    from willkommen.letters.models import LetterKind
    from willkommen.letters.services import create_letter, letter_content

    letter = create_letter(
        authority,
        person=person,
        case=case,
        kind=LetterKind.NOTICE,
        context={"notice_key": key, "text_values": values, "qr_svg": qr_svg(link), "qr_link": link},
        title=title,
    )
    return letter_content(letter)


def send(authority, key, *, person, values, link, channel=None, case=None, email="", idempotency_key="", title=""):
    """Send the template ``key`` to ``person`` through ``channel`` (default: the person's first reachable
    one); by post the letter with the QR code is rendered and attached. Returns the stored message."""
    from willkommen.messaging.services import choose_channel, send_template

    channel = channel or choose_channel(person, email)
    attachments = []
    if channel == "letter":
        attachments.append(
            (LETTER_FILE, render(authority, person, key, values, link, case=case, title=title), "application/pdf")
        )
    return send_template(
        authority,
        key,
        context=values,
        person=person,
        email=email,
        case=case,
        channel=channel,
        attachments=attachments,
        idempotency_key=idempotency_key,
    )

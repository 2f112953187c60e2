from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "willkommen.messaging"
    label = "messaging"

    def ready(self):
        from . import privacy

        privacy.register()  # the conversation in the Art. 15 copy and in erasure; retention of loose messages

        from willkommen.letters import texts as letter_texts

        from . import case_panels, person_panels, texts

        person_panels.register()  # the last messages and "Write a message" on the person view (clients.person)
        case_panels.register()  # the messages filed under a case on the case page (cases.case)
        letter_texts.register_source(texts.render)  # letters take their text blocks from the template store
        from willkommen.accounts import services as accounts

        accounts.register_link_text(_link_text)  # sign-in link e-mails take their words from the store


def _link_text(authority, key, language, values):
    from .texts import render

    rendered = render(authority, key, language, values)
    return rendered.subject, rendered.body

"""Where the text blocks of letters come from: a hook.

The letters room is ground: it knows no domain room and no messaging. The prose of a letter (the
request's explanation, the legal remedies, the certificate's note, ...) is kept in messaging's
versioned template store like every other text a client receives; messaging registers its
``render(authority, key, language, values)`` here in its ``AppConfig.ready()``. Letter templates use
the ``{% text_block %}`` tag (``templatetags/letter_texts.py``), which calls :func:`block`.

A source returns an object with ``subject`` (the block's heading) and ``html`` (escaped HTML with
every value isolated in ``<bdi>``).
"""

from django.core.exceptions import ImproperlyConfigured

_source = None


def register_source(render):
    global _source
    _source = render


def block(authority, key, language, values=None):
    if _source is None:
        raise ImproperlyConfigured("No text source for letters is registered (the messaging room registers one).")
    return _source(authority, key, language, values or {})

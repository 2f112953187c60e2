"""Django's messages (the confirmation after an action) are shown by core/base.html, before every page's
content. A page that shows them again printed each confirmation twice (found on the partner portal and the
work queue): only the base template may loop over them."""

from pathlib import Path

from django.conf import settings

LOOP = ("in messages %}",)


def test_only_the_base_template_shows_the_messages():
    root = Path(settings.BASE_DIR) / "willkommen"
    showing = sorted(
        str(path.relative_to(root))
        for path in root.glob("*/templates/**/*.html")
        if any(loop in path.read_text(encoding="utf-8") for loop in LOOP)
    )
    assert showing == ["core/templates/core/base.html"]

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
application = get_wsgi_application()

# Import every URLconf, view and API module now, when the server process starts, not on its first request:
# on a release day the first requests of every worker arrive together, and each would wait for the imports.
from django.urls import get_resolver  # noqa: E402

_url_patterns = get_resolver().url_patterns

"""Willkommen settings.

One file. Every knob is an environment variable with a safe default, explained
where it is declared. Nothing here star-imports anything else.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# VAR_DIR: where the embedded defaults keep their state (SQLite database, job queue, uploads, secret key).
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or env_bool("WILLKOMMEN_TESTING")


def _secret_key():
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


# SECRET_KEY: signs sessions, magic links and tokens; generated into var/secret_key when unset.
SECRET_KEY = env("SECRET_KEY") or _secret_key()
# SECRET_KEY_FALLBACKS: comma-separated previous keys after a rotation. Sessions, links and the keyed
# hashes of access codes and passport numbers made under them stay valid (codes are re-stored under the
# new key at their next use); drop a key from the list once its sessions and links have expired.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

# DEBUG: developer error pages; never on in production.
DEBUG = env_bool("DEBUG", False)

# ALLOWED_HOSTS: comma-separated host names this installation answers to (authorities may add their own).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

# CSRF_TRUSTED_ORIGINS: comma-separated origins (scheme://host) for HTTPS deployments behind a proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# HTTPS_ONLY: the site is served over HTTPS only (directly or behind a reverse proxy that terminates
# TLS). On by default whenever DEBUG is off: plain HTTP requests are redirected to HTTPS, HSTS is sent
# and every cookie is Secure. Only the local demo (scripts/serve.sh, i.e. `make run`) and the test
# suite set it off, to serve plain http on 127.0.0.1. See docs/security.md.
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG and not TESTING)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
LANGUAGE_COOKIE_SECURE = HTTPS_ONLY
# HSTS_SECONDS: how long browsers must use HTTPS only for this host (Strict-Transport-Security; one year;
# sent only with HTTPS_ONLY). HSTS_INCLUDE_SUBDOMAINS and HSTS_PRELOAD add the two directives (on by
# default; turn them off when the host name has subdomains that are not served over HTTPS).
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
# PERMISSIONS_POLICY: browser features no page needs are switched off for every page
# (Permissions-Policy header, core.middleware.PermissionsPolicyMiddleware); a view that needs one
# allows it for its own origin with @core.middleware.allow_features (the ServicePoint desk: camera).
PERMISSIONS_POLICY = [
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# SESSION_AGE_SECONDS: how long a login lasts without activity (default 8 hours, one working day).
SESSION_COOKIE_AGE = env_int("SESSION_AGE_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_countries",  # country names in every language (nationalities), translated by the library
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "huey.contrib.djhuey",
    # Willkommen's rooms, one per domain concept, in the order of willkommen/rooms.py (docs/architecture.md).
    "willkommen.core",
    "willkommen.tenancy",
    "willkommen.audit",
    "willkommen.accounts",
    "willkommen.letters",
    "willkommen.clients",
    "willkommen.catalogue",
    "willkommen.efile",
    "willkommen.messaging",
    "willkommen.accommodation",
    "willkommen.cases",
    "willkommen.contact",
    "willkommen.applications",
    "willkommen.appointments",
    "willkommen.servicepoint",
    "willkommen.knowledge",
    "willkommen.rights",
    "willkommen.partners",
    "willkommen.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "willkommen.core.middleware.CompressPagesMiddleware",  # after every other middleware has written the body
    "willkommen.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "willkommen.tenancy.middleware.AuthorityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "willkommen.core.middleware.LanguageMiddleware",
    "willkommen.core.middleware.NulCharacterMiddleware",
    # the booking POST (public, anonymous, proof of work) is answered here; the rest of the stack does nothing
    # it needs (appointments/booking_route.py)
    "willkommen.appointments.booking_route.BookingRouteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "willkommen.audit.services.RequestMiddleware",  # audit entries name the identity provider of an SSO session
    "willkommen.accounts.middleware.StaffTenantMiddleware",
    "willkommen.accounts.middleware.PrivateResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "willkommen.urls"
WSGI_APPLICATION = "willkommen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "willkommen.core.context_processors.base",
                "willkommen.accounts.context_processors.client",
            ],
        },
    },
]

# DATABASE_URL: where the data live; default is an SQLite file under var/ (PostgreSQL in production:
# postgres://user:password@host:5432/name).
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'willkommen.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
# The queue's covering indexes (INCLUDE) exist on PostgreSQL; SQLite, the embedded demo database, builds them
# without the extra columns, which is all right there: silence Django's note about it.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, IMMEDIATE transactions and a busy timeout so the web server and the job consumer
    # never lock each other out.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/desk/"

# Staff login lockout (django-axes, see accounts/lockout.py). AXES_FAILURE_LIMIT: failed logins of one
# user name from one address before that pair is locked for AXES_COOLOFF_MINUTES. Nobody else can
# lock a staff member out this way: the same user name from another address is not affected.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
# LOGIN_USER_FAILURE_LIMIT: the slower limit per user name, from any address (a distributed guessing
# attack): after this many failures within LOGIN_USER_WINDOW_MINUTES the user name is locked everywhere
# until the oldest of them is older than the window.
LOGIN_USER_FAILURE_LIMIT = env_int("LOGIN_USER_FAILURE_LIMIT", 30)
LOGIN_USER_WINDOW_MINUTES = env_int("LOGIN_USER_WINDOW_MINUTES", 60)
AXES_HANDLER = "willkommen.accounts.lockout.LockoutHandler"
# Attempts while locked are refused without being counted: one address alone can never reach the
# per-user-name limit (at most AXES_FAILURE_LIMIT failures per cool-off), and the lock does not grow.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "willkommen.core.ratelimit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# API tokens of integration accounts (desk: Integrations). API_TOKEN_DEFAULT_DAYS: lifetime offered for a
# new token; API_TOKEN_MAX_DAYS: the longest allowed; API_TOKEN_ROTATION_OVERLAP_HOURS: how long a rotated
# token keeps working beside its successor.
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
API_TOKEN_ROTATION_OVERLAP_HOURS = env_int("API_TOKEN_ROTATION_OVERLAP_HOURS", 24)

# OTP_ISSUER: the name shown in the staff member's authenticator app.
OTP_TOTP_ISSUER = env("OTP_ISSUER", "Willkommen")

# Languages: the interface ships complete in German and English and in six more languages.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("fr", "Français"),
]
LANGUAGES_BIDI = ["ar", "fa"]
# Catalogue texts and group notices fall back along this chain when a language has no text. (Automatic
# messages and letter texts do not: client language, then German with a translation note, messaging/texts.py.)
TEXT_FALLBACK_LANGUAGES = ["en", "de"]
LANGUAGE_COOKIE_NAME = "willkommen_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
# TIME_ZONE: the authorities' local time; all are in Germany.
TIME_ZONE = env("TIME_ZONE", "Europe/Berlin")
LOCALE_PATHS = [BASE_DIR / "willkommen" / "locale"]

STATIC_URL = "/static/"
# STATIC_ROOT: where `collectstatic` gathers files for production.
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# WHITENOISE_USE_FINDERS: serve static files straight from the apps (on by default, so `make run` and the
# tests need no collectstatic; vendored files carry their .gz/.br beside them, scripts/build_assets.py).
# Production collects (collectstatic compresses every file) and sets it off: docs/deployment.md.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG

# MEDIA_ROOT: where uploaded documents live on disk (the default storage).
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# STORAGE_BACKEND: "filesystem" (default) or "s3" (S3-compatible object storage, configured by AWS_* variables).
STORAGE_BACKEND = env("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            # AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: the bucket.
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", "willkommen"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "file_permissions_mode": 0o640},
    }
STORAGES = {
    "default": _default_storage,
    # collectstatic writes a .gz and a .br beside each file; WhiteNoise serves them to browsers that accept them.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# EMAIL_URL-like knobs: EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/EMAIL_USE_TLS for SMTP;
# EMAIL_BACKEND "console" prints mails (the default for `make run`), "smtp" sends them.
_email_backend = env("EMAIL_BACKEND", "console")
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# DEFAULT_FROM_EMAIL: sender of automatic mail when an authority has no address of its own.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Willkommen <noreply@willkommen.invalid>")

# REDIS_URL: shared cache for rate limits across web workers (redis://127.0.0.1:6379/0); a local file cache otherwise.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
# SESSION_ENGINE: with the shared cache (REDIS_URL) sessions are read from it and written to it and to the
# database, the store of record (Django's cached_db): one statement less on every signed-in request. Without
# it, the database alone.
SESSION_ENGINE = env(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db",
)

# Background jobs: written against Django's Tasks API, run by Huey.
# HUEY_STORAGE: "sqlite" (default, a file under var/), "redis" (uses HUEY_REDIS_URL) or "memory" (tests; runs at once).
HUEY_STORAGE = env("HUEY_STORAGE", "memory" if TESTING else "sqlite")
if HUEY_STORAGE == "redis":
    HUEY = {}  # many consumers: set in the scale-out block at the end
elif HUEY_STORAGE == "memory":
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "willkommen", "immediate": True}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "willkommen",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }
HUEY["consumer"] = {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"}
# Consumers restart gracefully (Huey's SIGHUP: finish the running jobs, then exec anew; queued jobs stay) after
# HUEY_RECYCLE_JOBS jobs or above HUEY_RECYCLE_MB resident megabytes; 0 switches a limit off. A second line
# behind fixing leaks (core/recycle.py, docs/performance.md).
HUEY_RECYCLE_JOBS = env_int("HUEY_RECYCLE_JOBS", 20000)
HUEY_RECYCLE_MB = env_int("HUEY_RECYCLE_MB", 600)
TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

# AUDIT_RETENTION_DAYS: how long read and change records are kept (the federal register keeps 6 months).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 183)

# MAGIC_LINK_MAX_AGE_MINUTES: how long a client's sign-in link stays valid.
MAGIC_LINK_MAX_AGE_MINUTES = env_int("MAGIC_LINK_MAX_AGE_MINUTES", 60)
# ACCESS_CODE_DAYS_AFTER_CLOSE: how long a case's access code still signs the client in after the case
# was closed, transferred or withdrawn (time to fetch the decision and the Art. 15 copy).
ACCESS_CODE_DAYS_AFTER_CLOSE = env_int("ACCESS_CODE_DAYS_AFTER_CLOSE", 90)

# DEFAULT_AUTHORITY: slug of the authority served on hosts that no authority claims.
DEFAULT_AUTHORITY = env("DEFAULT_AUTHORITY", "")
# PAGING_COUNT_CAP: long lists (the work queue) count their rows up to this many, then show "more than".
PAGING_COUNT_CAP = env_int("PAGING_COUNT_CAP", 10_000)
# TENANCY_CACHE_SECONDS: how long each process keeps an authority found by host name or URL prefix (every request
# needs it); a change is seen at once by the process that saved it and after this many seconds by the others.
TENANCY_CACHE_SECONDS = env_int("TENANCY_CACHE_SECONDS", 60)

# PUBLIC_RATE_LIMIT: requests per minute per address on public form endpoints before a 429.
PUBLIC_RATE_LIMIT = env_int("PUBLIC_RATE_LIMIT", 60)

# Content Security Policy: no inline scripts anywhere; styles only from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Integration accounts' tokens (first, so an unauthenticated request gets 401 with WWW-Authenticate),
    # then staff sessions that passed the second factor. See accounts/api_auth.py.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "willkommen.accounts.api_auth.ApiTokenAuthentication",
        "willkommen.accounts.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["willkommen.accounts.permissions.IsVerifiedStaff"],
    "DEFAULT_PAGINATION_CLASS": "willkommen.core.drf.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "willkommen.core.drf.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "willkommen.core.drf.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Willkommen API",
    "DESCRIPTION": "Foreigners' authority as a service office: catalogue, checklists, cases, appointments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}

# DATA_UPLOAD_MAX_MEMORY_SIZE: largest non-file request body accepted (bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# LOG_LEVEL: the least severe record written to the console (records of Django's loggers included).
LOG_LEVEL = env("LOG_LEVEL", "WARNING" if TESTING else "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (4xx) is one line without a traceback; server errors keep theirs.
    "filters": {"client_errors_one_line": {"()": "willkommen.core.logfilters.ClientErrorsOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"filters": ["client_errors_one_line"]},
        "django.security": {"filters": ["client_errors_one_line"]},
        "axes": {"level": "WARNING"},
        # One line per job start and end is noise at INFO; failures come as warnings and errors.
        "django_tasks": {"level": "WARNING" if LOG_LEVEL != "DEBUG" else "DEBUG"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SPECTACULAR_SETTINGS.update(
    {
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
    }
)

# --- applications and efile (issue 4) ---
# UPLOAD_MAX_FILE_MB: largest single uploaded document accepted (online applications, ServicePoint scans).
UPLOAD_MAX_FILE_MB = env_int("UPLOAD_MAX_FILE_MB", 10)
# UPLOAD_MAX_APPLICATION_MB: total of all documents uploaded with one online application.
UPLOAD_MAX_APPLICATION_MB = env_int("UPLOAD_MAX_APPLICATION_MB", 100)
# UPLOAD_MAX_IMAGE_PIXELS: images with more pixels are refused as possible decompression bombs.
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 50_000_000)
# CLAMD_SOCKET: ClamAV daemon as a socket path (/run/clamav/clamd.ctl) or host:port; empty = uploads recorded "not scanned".
CLAMD_SOCKET = env("CLAMD_SOCKET", "")
# EFILE_OCR: read text from images with Tesseract (when installed) for the file search.
EFILE_OCR = env_bool("EFILE_OCR", True)
# APPLICATION_DRAFT_RETENTION_DAYS: unsubmitted online applications are deleted after this many days.
APPLICATION_DRAFT_RETENTION_DAYS = env_int("APPLICATION_DRAFT_RETENTION_DAYS", 30)
# APPLICATION_SEALED_CODE_DAYS: how long a submitted application keeps its access code sealed (for a
# repeated submit, the receipt page and the receipt mail) after the receipt went out; then the code
# exists only as the case's keyed hash.
APPLICATION_SEALED_CODE_DAYS = env_int("APPLICATION_SEALED_CODE_DAYS", 7)

# --- messaging (issue 6) ---
# SITE_URL: public base URL of the portal, used in links sent by e-mail when an authority has no host name of its own.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# MESSAGING_SMS_URL: base URL of a Twilio-compatible SMS gateway (empty = no SMS; falls back to the next channel).
MESSAGING_SMS_URL = env("MESSAGING_SMS_URL", "")
# MESSAGING_SMS_ACCOUNT / MESSAGING_SMS_TOKEN / MESSAGING_SMS_FROM: gateway account, secret and sender id.
MESSAGING_SMS_ACCOUNT = env("MESSAGING_SMS_ACCOUNT", "willkommen")
MESSAGING_SMS_TOKEN = env("MESSAGING_SMS_TOKEN", "")
MESSAGING_SMS_FROM = env("MESSAGING_SMS_FROM", "Willkommen")
# MESSAGING_SIGNAL_URL / MESSAGING_SIGNAL_NUMBER: signal-cli-rest-api base URL and the registered sender number.
MESSAGING_SIGNAL_URL = env("MESSAGING_SIGNAL_URL", "")
MESSAGING_SIGNAL_NUMBER = env("MESSAGING_SIGNAL_NUMBER", "")
# MESSAGING_SIGNAL_RECEIVE: numbers polled for incoming Signal messages and their authority ("+49151…=slug,…");
# empty = MESSAGING_SIGNAL_NUMBER for the default authority (docs/messaging.md, "Incoming Signal and SMS").
MESSAGING_SIGNAL_RECEIVE = env("MESSAGING_SIGNAL_RECEIVE", "")
# MESSAGING_SMS_WEBHOOK_BASE: scheme and host the SMS gateway calls the webhook on, when a proxy rewrites them
# (the signature covers the URL); empty = as the request shows it.
MESSAGING_SMS_WEBHOOK_BASE = env("MESSAGING_SMS_WEBHOOK_BASE", "")
# MESSAGING_NUMBER_CODE_MINUTES / _ATTEMPTS / MESSAGING_NUMBER_CODES_PER_HOUR: confirming a phone number by code.
MESSAGING_NUMBER_CODE_MINUTES = env_int("MESSAGING_NUMBER_CODE_MINUTES", 15)
MESSAGING_NUMBER_CODE_ATTEMPTS = env_int("MESSAGING_NUMBER_CODE_ATTEMPTS", 5)
MESSAGING_NUMBER_CODES_PER_HOUR = env_int("MESSAGING_NUMBER_CODES_PER_HOUR", 3)
# MESSAGING_GATEWAY_TIMEOUT: seconds to wait for the SMS or messenger gateway before retrying later.
MESSAGING_GATEWAY_TIMEOUT = env_int("MESSAGING_GATEWAY_TIMEOUT", 10)
# MESSAGING_FALLBACK_ORDER: channels tried after the client's preferred one fails for good.
MESSAGING_FALLBACK_ORDER = env_list("MESSAGING_FALLBACK_ORDER", "email,sms,letter")
# MESSAGING_RETRY_MAX_ATTEMPTS / MESSAGING_RETRY_BASE_SECONDS: retries per channel, first wait (doubles each time).
MESSAGING_RETRY_MAX_ATTEMPTS = env_int("MESSAGING_RETRY_MAX_ATTEMPTS", 5)
MESSAGING_RETRY_BASE_SECONDS = env_int("MESSAGING_RETRY_BASE_SECONDS", 60)
# MESSAGING_MAX_BODY_CHARS: longest message text stored; longer incoming mail is cut and marked.
MESSAGING_MAX_BODY_CHARS = env_int("MESSAGING_MAX_BODY_CHARS", 20_000)
# MESSAGING_SMTPD_HOST / MESSAGING_SMTPD_PORT / MESSAGING_SMTPD_MAX_BYTES: `manage.py messaging_smtpd` endpoint.
MESSAGING_SMTPD_HOST = env("MESSAGING_SMTPD_HOST", "127.0.0.1")
MESSAGING_SMTPD_PORT = env_int("MESSAGING_SMTPD_PORT", 2525)
MESSAGING_SMTPD_MAX_BYTES = env_int("MESSAGING_SMTPD_MAX_BYTES", 25 * 1024 * 1024)
# MESSAGING_IMAP_HOST (empty = no fetching) / _PORT / _SSL / _USER / _PASSWORD / _FOLDER: mailbox fetched every 5 minutes.
MESSAGING_IMAP_HOST = env("MESSAGING_IMAP_HOST", "")
MESSAGING_IMAP_PORT = env_int("MESSAGING_IMAP_PORT", 993)
MESSAGING_IMAP_SSL = env_bool("MESSAGING_IMAP_SSL", True)
MESSAGING_IMAP_USER = env("MESSAGING_IMAP_USER", "")
MESSAGING_IMAP_PASSWORD = env("MESSAGING_IMAP_PASSWORD", "")
MESSAGING_IMAP_FOLDER = env("MESSAGING_IMAP_FOLDER", "INBOX")

# --- servicepoint (issue 7) ---
# SERVICEPOINT_CALLING_ORDER: order of priority classes when a counter calls ("appointment,urgent,walk_in"), or "arrival".
SERVICEPOINT_CALLING_ORDER = env("SERVICEPOINT_CALLING_ORDER", "appointment,urgent,walk_in")
# SERVICEPOINT_APPOINTMENT_EARLY_MINUTES: an appointment holder counts as due this many minutes before the time.
SERVICEPOINT_APPOINTMENT_EARLY_MINUTES = env_int("SERVICEPOINT_APPOINTMENT_EARLY_MINUTES", 5)
# SERVICEPOINT_NO_SHOW_MINUTES: a called client who has not come after this many minutes is a no-show.
SERVICEPOINT_NO_SHOW_MINUTES = env_int("SERVICEPOINT_NO_SHOW_MINUTES", 5)
# SERVICEPOINT_NO_SHOW_REQUEUES: how often a no-show goes back into the queue before dropping out (0 = at once).
SERVICEPOINT_NO_SHOW_REQUEUES = env_int("SERVICEPOINT_NO_SHOW_REQUEUES", 1)
# SERVICEPOINT_DEFAULT_SERVICE_MINUTES: minutes per client for wait estimates until today's own figures exist.
SERVICEPOINT_DEFAULT_SERVICE_MINUTES = env_int("SERVICEPOINT_DEFAULT_SERVICE_MINUTES", 6)
# SERVICEPOINT_SMS_AHEAD: a waiting client who left a mobile number gets an SMS when this many tickets or fewer are ahead.
SERVICEPOINT_SMS_AHEAD = env_int("SERVICEPOINT_SMS_AHEAD", 3)

# --- appointments (issue 3) ---
# APPOINTMENTS_HORIZON_DAYS: how many days ahead slots are generated and offered.
APPOINTMENTS_HORIZON_DAYS = env_int("APPOINTMENTS_HORIZON_DAYS", 90)
# APPOINTMENTS_HOLD_MINUTES: how long an unconfirmed booking holds its place before it returns to the pool.
APPOINTMENTS_HOLD_MINUTES = env_int("APPOINTMENTS_HOLD_MINUTES", 30)
# APPOINTMENTS_REMINDER_HOURS: the reminder e-mail goes out this many hours before the appointment.
APPOINTMENTS_REMINDER_HOURS = env_int("APPOINTMENTS_REMINDER_HOURS", 48)
# APPOINTMENTS_HOLD_MAIL_GRACE_MINUTES: a hold's time starts when its confirmation request has left; a hold whose
# mail never left (the mail server refuses it for good) gives its place up after this many minutes.
APPOINTMENTS_HOLD_MAIL_GRACE_MINUTES = env_int("APPOINTMENTS_HOLD_MAIL_GRACE_MINUTES", 24 * 60)
# Fairness at release time: a shared accommodation or a counselling centre puts hundreds of people behind one
# public address, so the address is only a flood ceiling; each booking attempt needs a freshly solved proof of
# work, and people and e-mail addresses have their own limits (see docs/appointments.md, "Limits").
# APPOINTMENTS_BOOKING_RATE_LIMIT: booking attempts per minute and address with a solved proof of work.
APPOINTMENTS_BOOKING_RATE_LIMIT = env_int("APPOINTMENTS_BOOKING_RATE_LIMIT", 600)
# APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW: booking attempts per minute and address without proof of work (JavaScript
# off; those bookings are confirmed only through the e-mail link).
APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW = env_int("APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW", 10)
# APPOINTMENTS_PERSON_RATE_LIMIT: booking attempts per minute and person (name, date of birth and e-mail).
APPOINTMENTS_PERSON_RATE_LIMIT = env_int("APPOINTMENTS_PERSON_RATE_LIMIT", 5)
# APPOINTMENTS_EMAIL_RATE_LIMIT: booking attempts per minute and e-mail address.
APPOINTMENTS_EMAIL_RATE_LIMIT = env_int("APPOINTMENTS_EMAIL_RATE_LIMIT", 10)
# APPOINTMENTS_EMAIL_ACTIVE_LIMIT: active (held or confirmed) bookings one e-mail address may have at an authority
# (a family books with one address; staff bookings do not count against it).
APPOINTMENTS_EMAIL_ACTIVE_LIMIT = env_int("APPOINTMENTS_EMAIL_ACTIVE_LIMIT", 6)
# APPOINTMENTS_POW_DIFFICULTY: hex digits of zeros the proof of work must find (3: about 4,000 hashes, instant).
APPOINTMENTS_POW_DIFFICULTY = env_int("APPOINTMENTS_POW_DIFFICULTY", 3)
# APPOINTMENTS_POW_STEPS: requests per minute from one address above which the difficulty rises by one digit
# each (16 times the work): "30,120,600" means 4 digits above 30, 5 above 120, 6 above 600.
APPOINTMENTS_POW_STEPS = tuple(int(x) for x in env("APPOINTMENTS_POW_STEPS", "30,120,600").split(",") if x.strip())
# APPOINTMENTS_READ_RATE_LIMIT: challenge, free-slot and per-day requests per minute and address.
APPOINTMENTS_READ_RATE_LIMIT = env_int("APPOINTMENTS_READ_RATE_LIMIT", 1200)
# APPOINTMENTS_TOKEN_RATE_LIMIT: confirm, cancel, move and invitation-link requests per minute and address.
APPOINTMENTS_TOKEN_RATE_LIMIT = env_int("APPOINTMENTS_TOKEN_RATE_LIMIT", 300)
# APPOINTMENTS_ALLOCATION_RATE_LIMIT: requests filed in allocation rounds per minute and address.
APPOINTMENTS_ALLOCATION_RATE_LIMIT = env_int("APPOINTMENTS_ALLOCATION_RATE_LIMIT", 30)
# APPOINTMENTS_FREE_CACHE_SECONDS: how long the free-slot and per-day answers are cached (and may be cached by
# clients); a booking, cancellation or move makes the next answer fresh at once.
APPOINTMENTS_FREE_CACHE_SECONDS = env_int("APPOINTMENTS_FREE_CACHE_SECONDS", 5)

# --- scale-out: many web servers and job consumers, read replica, object storage (issue 20) ---
# The production layout, ports and how to add a node: docs/deployment.md.
if HUEY_STORAGE == "redis":
    HUEY = {
        # Consumers hold the job they run until it is done; a dead consumer's jobs are taken over; periodic
        # jobs are claimed per period, so every consumer may run the scheduler (willkommen/core/jobqueue.py).
        "huey_class": "willkommen.core.jobqueue.ReliableRedisHuey",
        # HUEY_NAME: the queue's name (several installations may share one Redis).
        "name": env("HUEY_NAME", "willkommen"),
        # HUEY_REDIS_URL: the Redis of the job queue (may be the cache's Redis with another database number).
        "url": env("HUEY_REDIS_URL", "redis://127.0.0.1:6379/1"),
        "immediate": False,
        # HUEY_HEARTBEAT_SECONDS: a consumer silent for this long counts as dead; its jobs run again elsewhere.
        "heartbeat_seconds": env_int("HUEY_HEARTBEAT_SECONDS", 30),
        # HUEY_PERIODIC_SECONDS: how often each consumer's scheduler looks for due periodic jobs (60 for crontab).
        "periodic_seconds": env_int("HUEY_PERIODIC_SECONDS", 60),
        # HUEY_RESULT_SECONDS: how long job results and states are kept in Redis.
        "expire_time": env_int("HUEY_RESULT_SECONDS", 7 * 86400),
        "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
    }

# DATABASE_REPLICA_URL: a streaming read replica of DATABASE_URL (postgres://...@replica-host:5432/name); empty =
# none. Heavy reads (figures, exports, e-file search, queue counts, free-slot search) go there; see core/replica.py.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["willkommen.core.replica.ReplicaRouter"]
MIDDLEWARE.insert(1, "willkommen.core.replica.PinMiddleware")
# DATABASE_REPLICA_PIN_SECONDS: after a browser's request wrote, its heavy reads stay on the primary this long.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10)
# DATABASE_REPLICA_MAX_LAG_SECONDS: a replica further behind is not used (heavy reads go to the primary).
DATABASE_REPLICA_MAX_LAG_SECONDS = float(env("DATABASE_REPLICA_MAX_LAG_SECONDS", "5"))
# DATABASE_REPLICA_CHECK_SECONDS: how often each process measures the replica's lag.
DATABASE_REPLICA_CHECK_SECONDS = float(env("DATABASE_REPLICA_CHECK_SECONDS", "2"))
# DATABASE_REPLICA_PIN_EXEMPT: apps whose writes do not pin (audit entries, sessions, login bookkeeping).
DATABASE_REPLICA_PIN_EXEMPT = env_list("DATABASE_REPLICA_PIN_EXEMPT", "audit,sessions,axes,otp_totp,otp_static")

# Object storage (STORAGE_BACKEND=s3): uploads, letters and exports in an S3-compatible bucket. The bucket stays
# private; every read is verified against the checksum stored with the file (core/storage.py).
S3_STORAGE_OPTIONS = {
    # AWS_STORAGE_BUCKET_NAME / AWS_S3_ENDPOINT_URL / AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: bucket and account.
    "bucket_name": env("AWS_STORAGE_BUCKET_NAME", "willkommen"),
    "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
    "access_key": env("AWS_ACCESS_KEY_ID"),
    "secret_key": env("AWS_SECRET_ACCESS_KEY"),
    # AWS_S3_REGION_NAME: the bucket's region; AWS_S3_ADDRESSING_STYLE: "path" for MinIO, Ceph and most on-premise stores.
    "region_name": env("AWS_S3_REGION_NAME", "eu-central-1"),
    "addressing_style": env("AWS_S3_ADDRESSING_STYLE", "path"),
    "signature_version": "s3v4",
    "default_acl": "private",
    "querystring_auth": True,
    "file_overwrite": False,
    # STORAGE_URL_SECONDS: lifetime of a signed download URL (STORAGE_DOWNLOADS=presigned).
    "querystring_expire": env_int("STORAGE_URL_SECONDS", 60),
}
STORAGE_URL_SECONDS = S3_STORAGE_OPTIONS["querystring_expire"]
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_STORAGE_OPTIONS}
# STORAGE_DOWNLOADS: "stream" (files pass through the web server, checksum verified) or "presigned" (S3 only: after
# the permission check a redirect to a signed URL valid for STORAGE_URL_SECONDS; the web servers carry no file bytes).
STORAGE_DOWNLOADS = env("STORAGE_DOWNLOADS", "stream")

# Many web servers share sessions (database), rate limits, ALTCHA's used proofs and locks (REDIS_URL); SECRET_KEY must
# be the same on all of them. CACHE_KEY_PREFIX: prefix of every cache key (several installations in one Redis).
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", "")

# PROXY_ADDRESSES: addresses of the proxies in front of the web servers (comma-separated). Requests from them carry
# the client's address in X-Forwarded-For (rate limits count per client, not per proxy) and the scheme in
# X-Forwarded-Proto.
PROXY_ADDRESSES = env_list("PROXY_ADDRESSES", "")
# PROXY_SSL_HEADER: a request counts as HTTPS when the reverse proxy that terminates TLS says so
# (X-Forwarded-Proto: https). On by default with HTTPS_ONLY, so the HTTPS redirect works behind the usual
# proxy; set it off when clients reach the application directly (then only a TLS connection is HTTPS).
PROXY_SSL_HEADER = env_bool("PROXY_SSL_HEADER", HTTPS_ONLY) or bool(PROXY_ADDRESSES)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXY_SSL_HEADER else None

# --- data protection: retention periods and backups (issue 10; docs/privacy.md explains every period) ---
# Every retention job runs nightly on Huey's scheduler, deletes in batches and records each run per authority
# (desk page /desk/audit/retention/). AUDIT_RETENTION_DAYS and APPLICATION_DRAFT_RETENTION_DAYS are declared above.
# RETENTION_BATCH_SIZE: rows deleted per transaction by a retention job (short locks on large tables).
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 1000)
# RETENTION_RUNS_KEEP_DAYS: how long the records of retention runs (counts, no personal data) are kept as proof
# of deletion (GDPR Art. 5 (2)); default 3 years, the regular limitation period (§ 195 BGB).
RETENTION_RUNS_KEEP_DAYS = env_int("RETENTION_RUNS_KEEP_DAYS", 3 * 365)
# APPOINTMENTS_RETENTION_DAYS: bookings, invitations and allocation requests are deleted this many days after the
# appointment (invitation deadline, request window). Not named by law: the case file keeps what a matter needs;
# 90 days cover follow-up appointments, no-show questions and complaints about a booking.
APPOINTMENTS_RETENTION_DAYS = env_int("APPOINTMENTS_RETENTION_DAYS", 90)
# MESSAGING_RETENTION_DAYS: messages that belong to no person's file (booking mails to an address, incoming mail
# never assigned) and delivery logs of all messages are deleted after this many days. Messages of a person are
# part of the file and go with it. 6 months, like the access logs (domain.md).
MESSAGING_RETENTION_DAYS = env_int("MESSAGING_RETENTION_DAYS", 183)
# SERVICEPOINT_TICKET_RETENTION_DAYS: walk-in tickets (times, category, language; the mobile number is already
# gone when the ticket closes) are deleted after this many days: 2 years keep the visit figures of this and the
# previous year for the council's comparison.
SERVICEPOINT_TICKET_RETENTION_DAYS = env_int("SERVICEPOINT_TICKET_RETENTION_DAYS", 2 * 365)
# PERSON_RETENTION_DAYS: a person record that no room needs any more (no file, no case, no open matter, nothing
# recent) is deleted this many days after its last change – 2 years, as data kept only for a visa consent go
# 2 years after it expired (AufenthV § 68, domain.md). A person whose archived file was deleted goes at once.
PERSON_RETENTION_DAYS = env_int("PERSON_RETENTION_DAYS", 2 * 365)
# EFILE_RETENTION_YEARS_MOVED_AWAY, EFILE_RETENTION_YEARS_DEATH, EFILE_RETENTION_YEARS_NATURALISED: an archived
# file is deleted this many years after the person moved away (10), died (5) or was naturalised (10, treated like
# moving away: the file is no longer needed by this office) (AufenthV § 68, domain.md).
EFILE_RETENTION_YEARS_MOVED_AWAY = env_int("EFILE_RETENTION_YEARS_MOVED_AWAY", 10)
EFILE_RETENTION_YEARS_DEATH = env_int("EFILE_RETENTION_YEARS_DEATH", 5)
EFILE_RETENTION_YEARS_NATURALISED = env_int("EFILE_RETENTION_YEARS_NATURALISED", 10)
# BACKUP_DIR: where `make backup` writes its archives (database and stored files in one file with a manifest).
BACKUP_DIR = Path(env("BACKUP_DIR", str(VAR_DIR / "backups")))
# BACKUP_KEEP_DAYS: archives in BACKUP_DIR older than this are deleted after each backup (0 = keep all): data the
# retention jobs deleted must not live on in backups for ever. Copies kept elsewhere need the same rotation.
BACKUP_KEEP_DAYS = env_int("BACKUP_KEEP_DAYS", 30)

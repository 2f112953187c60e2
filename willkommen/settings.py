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

# DEBUG: developer error pages; never on in production.
DEBUG = env_bool("DEBUG", False)

# ALLOWED_HOSTS: comma-separated host names this installation answers to (authorities may add their own).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

# CSRF_TRUSTED_ORIGINS: comma-separated origins (scheme://host) for HTTPS deployments behind a proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# SECURE_COOKIES: send session and CSRF cookies only over HTTPS (on in production).
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "huey.contrib.djhuey",
    # Willkommen's rooms, one per domain concept (see docs/architecture.md).
    "willkommen.core",
    "willkommen.tenancy",
    "willkommen.accounts",
    "willkommen.audit",
    "willkommen.clients",
    "willkommen.catalogue",
    "willkommen.letters",
    "willkommen.accommodation",
    "willkommen.messaging",
    "willkommen.efile",
    "willkommen.cases",
    "willkommen.applications",
    "willkommen.appointments",
    "willkommen.servicepoint",
    "willkommen.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "willkommen.tenancy.middleware.AuthorityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "willkommen.core.middleware.LanguageMiddleware",
    "willkommen.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "willkommen.accounts.middleware.StaffTenantMiddleware",
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
            ],
        },
    },
]

# DATABASE_URL: where the data live; default is an SQLite file under var/ (PostgreSQL in production:
# postgres://user:password@host:5432/name).
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'willkommen.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
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

# AXES_FAILURE_LIMIT: failed staff logins before the account is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

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
# Catalogue and template texts fall back along this chain when a language has no text.
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
WHITENOISE_USE_FINDERS = True
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
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
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

# Background jobs: written against Django's Tasks API, run by Huey.
# HUEY_STORAGE: "sqlite" (default, a file under var/), "redis" (uses HUEY_REDIS_URL) or "memory" (tests; runs at once).
HUEY_STORAGE = env("HUEY_STORAGE", "memory" if TESTING else "sqlite")
if HUEY_STORAGE == "redis":
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "willkommen",
        "url": env("HUEY_REDIS_URL", "redis://127.0.0.1:6379/1"),
        "immediate": False,
    }
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

# DEFAULT_AUTHORITY: slug of the authority served on hosts that no authority claims.
DEFAULT_AUTHORITY = env("DEFAULT_AUTHORITY", "")

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
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "willkommen.accounts.api_auth.VerifiedSessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["willkommen.accounts.permissions.IsVerifiedStaff"],
    "DEFAULT_PAGINATION_CLASS": "willkommen.core.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "willkommen.core.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "willkommen.core.api.ObjectJSONParser",
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
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
# APPOINTMENTS_BOOKING_RATE_LIMIT: booking attempts per minute and address with a solved proof of work.
APPOINTMENTS_BOOKING_RATE_LIMIT = env_int("APPOINTMENTS_BOOKING_RATE_LIMIT", 10)
# APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW: stricter limit for attempts without proof of work (JavaScript off).
APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW = env_int("APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW", 3)

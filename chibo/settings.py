"""chibo settings, read from the environment (see .env.example).

Development needs nothing: SQLite, tasks inline, mail to the console.
Production (DEBUG=0) refuses to start without SECRET_KEY.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# environ's bool parser accepts anything; like healthchecks' envbool we refuse typos.
_BOOLS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    if raw.lower() not in _BOOLS:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(_BOOLS)}, not {raw!r}")
    return _BOOLS[raw.lower()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - dev default

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "treebeard",
    "simple_history",
    "axes",
    "csp",
    "chibo",
    "members",
    "meetings",
    "feedback",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # In development runserver serves static files itself.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "chibo.urls"
WSGI_APPLICATION = "chibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chibo.context_processors.roles",
                "chibo.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep the embedded default usable with a worker beside it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Throttle repeated failed sign-ins per user name and address together (django-axes),
# so a stranger's failures from elsewhere do not lock the user out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (nginx in
# docs/deployment.md: 1). 0 ignores the header: the address is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# Takes precedence over axes' ipware settings (django-ipware is not installed).
AXES_CLIENT_IP_CALLABLE = "chibo.client_ip.client_ip"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["chibo.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Uploaded and generated files are never served by URL: views check access first.
MEDIA_URL = "/private-media/"  # no route serves it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# WhiteNoise (DEBUG=0) sends hashed names with a year's immutable Cache-Control and
# the .br/.gz copies collectstatic writes (brotli needs the `brotli` package). The
# Liberation fonts are for WeasyPrint, which reads static/ itself: never sent to a
# browser, so compressing them would only double the time collectstatic takes.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf"]
# Files built in the background (chibo.exports), stored in MEDIA_ROOT/exports/.
# An export of more rows than this (counted first, in SQL) goes to a worker.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=5000)
# A report's spreadsheet over more cells than this goes to a worker.
REPORT_BACKGROUND_CELLS = env.int("REPORT_BACKGROUND_CELLS", default=300)
# Rows between two progress writes: a province's roll costs ~100 UPDATEs.
EXPORT_PROGRESS_EVERY = env.int("EXPORT_PROGRESS_EVERY", default=2000)
# Seconds without progress after which a build counts as dead (worker killed).
EXPORT_STALLED_AFTER = env.int("EXPORT_STALLED_AFTER", default=900)
# Seconds a build may run before Celery stops it.
EXPORT_TIME_LIMIT = env.int("EXPORT_TIME_LIMIT", default=1800)
# Days a built file is kept for its owner.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
# Files one user may have waiting or being built at once (a province's report takes seconds).
EXPORT_MAX_WAITING = env.int("EXPORT_MAX_WAITING", default=3)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A strict policy: templates carry no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if env.str("EMAIL_URL", default="")
    else "django.core.mail.backends.console.EmailBackend",
)
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="chibo <no-reply@chibo.local>")
# The site's address as users reach it: the links in e-mails start with it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the tasks run in the calling process (see chibo/apps.py).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# delay() must never hang a request when Redis is down (DESIGN.md).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE: dict = {
    # On the 20th, plan next month's regular meetings (idempotent).
    "plan-next-month": {
        "task": "meetings.plan_month",
        "schedule": crontab(minute=0, hour=2, day_of_month=20),
    },
    # Reminders go out two days before a meeting; a re-run sends nothing twice.
    "send-meeting-reminders": {
        "task": "meetings.send_reminders",
        "schedule": crontab(minute=0, hour=7),
    },
    # Final minutes whose PDF task was lost (Redis down at finalize): archive them.
    "archive-pending-minutes-pdfs": {
        "task": "meetings.archive_pending_pdfs",
        "schedule": crontab(minute="*/10"),
    },
    # Background files whose worker died are marked failed (their owner may retry).
    "fail-stalled-exports": {
        "task": "chibo.fail_stalled_exports",
        "schedule": crontab(minute="*/5"),
    },
    # Built files are kept EXPORT_KEEP_DAYS, then deleted.
    "delete-expired-exports": {
        "task": "chibo.delete_expired_exports",
        "schedule": crontab(minute=30, hour=3),
    },
    # The notifications' e-mails that no commit's own task sent (Redis was
    # down, a worker died): the outbox is read again every minute.
    "deliver-notifications": {
        "task": "chibo.deliver_notifications",
        "schedule": crontab(minute="*"),
    },
    # Just after midnight (local): record newly overdue feedback, once each.
    "mark-overdue-feedback": {
        "task": "feedback.mark_overdue",
        "schedule": crontab(minute=5, hour=0),
    },
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# Member import limits (members/importer.py).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)

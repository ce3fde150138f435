"""Settings for ISO điện tử. Every value that differs between machines comes from the
environment (see .env.example); nothing here is edited per deployment."""

import datetime as dt
from pathlib import Path

import dj_database_url
from huey import RedisHuey, SqliteHuey

from qms.lib.env import ConfigurationError, env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("QMS_VAR_DIR", str(BASE_DIR / "var")))
# The SQLite database and the SQLite task queue open their files at start-up: their
# directory must exist on a fresh checkout.
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Production mode refuses insecure defaults and demo data.
PRODUCTION = env_bool("QMS_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ConfigurationError("DEBUG must be off when QMS_PRODUCTION=1")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ConfigurationError("ALLOWED_HOSTS is required when QMS_PRODUCTION=1")
else:
    # A fixed development key: never random, so sessions survive restarts; refused in production.
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-qms")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_tasks",
    "huey.contrib.djhuey",
    "axes",
    "csp",
    "qms.organization",
    "qms.paperwork",
    "qms.accounts",
    "qms.agenda",
    "qms.plans",
    "qms.procedures",
    "qms.objectives",
    "qms.risks",
    "qms.corrective",
    "qms.audits",
    "qms.review",
    "qms.training",
    "qms.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qms.lib.middleware.LanguageMiddleware",
    # Before anything reads the body (the CSRF check does): too large is refused unread.
    "qms.lib.middleware.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qms.lib.middleware.IdleSessionMiddleware",
    "qms.lib.middleware.NoStoreMiddleware",
    "qms.lib.middleware.DownloadDoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it sees the login view's failed attempts and answers with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qms.urls"
WSGI_APPLICATION = "qms.wsgi.application"

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
                "qms.organization.context_processors.shell",
                "qms.agenda.context_processors.notifications",
            ],
            # Template tags of qms.lib (not an app): the workflow badge and steps.
            "libraries": {"workflow": "qms.lib.templatetags.workflow"},
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL points elsewhere (PostgreSQL at scale).
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "qms.sqlite3"),
            "OPTIONS": {
                # WAL lets the worker write while pages read; IMMEDIATE avoids lock upgrades.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organization.User"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Accounts (qms/accounts): a reset link by e-mail lives for hours, an invitation for days.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600
QMS_INVITATION_TIMEOUT = env_int("QMS_INVITATION_DAYS", 7) * 24 * 3600

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one login name
# from one address, that pair is locked for AXES_COOLOFF_MINUTES, on the login page and on
# /admin/ alike; the administrator lifts it sooner (admin "Access attempts", or
# `manage.py axes_reset_username <login>`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The Vietnamese lockout page (the same on /admin/): how long, and who can lift it sooner.
AXES_LOCKOUT_CALLABLE = "qms.accounts.views.locked_out"
# Behind a reverse proxy the client's address is in X-Forwarded-For: set how many proxies
# stand in front (nginx alone: 1), or every user would share the proxy's address.
_proxy_count = env_int("AXES_PROXY_COUNT", 0)
if _proxy_count:
    AXES_IPWARE_PROXY_COUNT = _proxy_count
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# A session ends after this long without a request (qms.lib.middleware.IdleSessionMiddleware
# renews it at most once a minute, so a page view costs no session write).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 8) * 3600

# Vietnamese first, English second; dates dd/mm/yyyy and numbers 1.234.567 in both.
LANGUAGE_CODE = "vi"
# Each language is named in its own tongue, so it is not translated.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["qms.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Background work: huey on SQLite by default, on Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    HUEY = RedisHuey("qms", url=REDIS_URL)
else:
    HUEY = SqliteHuey("qms", filename=str(VAR_DIR / "huey.sqlite3"))
TASKS = {"default": {"BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ISO điện tử <no-reply@localhost>")
# The address people reach the site at: links in e-mails (reminders) and calendar UIDs.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Signed copies of official documents: the root (and, if signed files omit them, intermediate)
# certificates of the certificate authorities whose digital signatures are trusted — one PEM
# file, or a directory of .pem/.crt/.cer files (qms.lib.signedpdf.configured_roots). Unset:
# signatures are still read and checked for integrity, but never reported as valid.
QMS_TRUSTED_ROOTS = env_path("QMS_TRUSTED_ROOTS")

# Uploads are checked by type and size in the forms (qms.lib.uploads); a request larger than
# this many MB (plus ordinary form fields) is refused before it is read (413).
QMS_MAX_UPLOAD_MB = env_int("QMS_MAX_UPLOAD_MB", 20)
if not 1 <= QMS_MAX_UPLOAD_MB <= 1024:
    raise ConfigurationError("QMS_MAX_UPLOAD_MB must be between 1 and 1024")
# A dossier-results file with more rows than this is imported by the worker, with a progress
# bar; a smaller one at once, in the request.
QMS_RESULTS_WORKER_ROWS = env_int("QMS_RESULTS_WORKER_ROWS", 5000)
# What Django keeps in memory before spooling an upload to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp 4): only this site's own files run; no inline script,
# style element or style attribute anywhere (templates use classes and static/js/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap draws checkboxes, selects and close buttons with data: SVG images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The load balancer's health check talks plain HTTP to gunicorn: /healthz is never redirected
# to HTTPS (the pattern is matched against the path without its leading slash).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Lockouts and repeated failures (warnings) are kept; each successful login is not.
        "axes": {"level": "WARNING"},
    },
}

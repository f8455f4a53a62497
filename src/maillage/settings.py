"""One settings module for every deployment, driven by environment variables only."""

import importlib.util
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("MAILLAGE_DATA_DIR", Path.cwd() / "var")).resolve()

# Refused by `maillage serve` whenever DEBUG is off: see core/management/commands/serve.py.
DEVELOPMENT_SECRET_KEY = "maillage-development-key-never-use-in-production"


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envsecret(name: str, default: str) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE (container secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# `maillage demo`: the development server's comforts (static files from the apps) with the
# pages a visitor would see in production (the site's own error pages, not Django's).
DEMO = envbool("MAILLAGE_DEMO", False)
SECRET_KEY = envsecret("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "maillage.core",
    "maillage.territory",
    "maillage.needs",
    "maillage.mutualisation",
    "maillage.mediation",
    "maillage.formation",
    "maillage.workshops",
    "maillage.projects",
    "maillage.observatory",
    "maillage.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
]

MIDDLEWARE = [
    # Compressed pages for slow phone networks; Django pads its output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # Every API error a problem document, whichever layer answered it.
    "maillage.api.middleware.ProblemDocumentMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session or a form: a NUL would reach PostgreSQL.
    "maillage.core.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maillage.core.ratelimit.WriteLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "maillage.core.accounts.SecondFactorRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"
ASGI_APPLICATION = "maillage.asgi.application"

TEMPLATES = [
    {
        # Django's, with French typography on every HTML page rendered in French.
        "BACKEND": "maillage.core.typography.FrenchTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.core.context_processors.method",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'maillage.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work during a write; IMMEDIATE takes the write lock up front so that
    # concurrent writers wait (busy timeout) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not memory: the live server's threads then each have their own
    # connection, waiting for each other's writes as in production.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("TEST_SQLITE_NAME", str(DATA_DIR / "test.sqlite3"))
    }
elif not DATABASES["default"]["CONN_MAX_AGE"]:  # PostgreSQL
    # A pool bounds the connections: a live room's hundreds of phones would exhaust the
    # server's otherwise, each request's thread opening its own.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 2, "max_size": envint("DATABASE_POOL_SIZE", 20), "timeout": 30}
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Inhabitants rarely keep passwords: a code sent by e-mail is the first way in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Maillage] "
ACCOUNT_ADAPTER = "maillage.core.accounts.AccountAdapter"
# A second factor: an authenticator app's codes and recovery codes; required of administrators
# (core/accounts.py), offered to the lab's team.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Maillage"
# allauth's own limits, said here: after five wrong passwords an address (or an account) waits
# five minutes; a login code goes three times a minute at most to one address.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "request_login_code": "20/m/ip,3/m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

MEDIA_ROOT = DATA_DIR / "media"  # uploads (the files of imports waiting for the worker)
# `maillage backup` writes here; the worker takes one a night and keeps the last BACKUP_KEEP.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", DATA_DIR / "sauvegardes"))
BACKUP_NIGHTLY = envbool("BACKUP_NIGHTLY", not DEMO)
BACKUP_KEEP = envint("BACKUP_KEEP", 7)
# The largest file one may send (a data·inclusion import), in megabytes: reading stops past it.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_MB", 64) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "maillage.core.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Sent files (imports) and their reports are forgotten after so many days.
IMPORTS_KEEP_DAYS = envint("IMPORTS_KEEP_DAYS", 30)

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Leaflet's own files (for the observatory's map) from the django-leaflet package, served from
# here; the package is not an installed app: its admin widgets need GDAL.
STATICFILES_DIRS = [
    Path(location) / "static"
    for location in importlib.util.find_spec("leaflet").submodule_search_locations
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or DEMO
        # Hashed names let phones cache CSS and scripts for a year; `maillage serve` collects.
        else "maillage.core.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or DEMO


def mailers_from_url(url: str) -> dict:
    """Build MAILERS from EMAIL_URL: smtp://user:password@host:25, submission://…:587 (STARTTLS)
    or smtps://…:465 (TLS); without a URL, e-mail goes to the console."""
    if not url:
        return {"default": {"BACKEND": "maillage.core.mail.ReadableConsoleBackend"}}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "submission", "smtps"}:
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r} (smtp, submission, smtps)")
    options = {
        "host": parts.hostname or "localhost",
        "port": parts.port or {"smtps": 465, "submission": 587}.get(parts.scheme, 25),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": parts.scheme == "submission",
        "use_ssl": parts.scheme == "smtps",
        "timeout": 20,
    }
    return {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    }


MAILERS = mailers_from_url(os.environ.get("EMAIL_URL", ""))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Maillage <bonjour@maillage.localhost>")
# Text messages (core/texts.py) through django-sms: written to the console by default; a real
# provider by SMS_BACKEND, e.g. sms.backends.twilio.SmsBackend (with TWILIO_ACCOUNT_SID and
# TWILIO_AUTH_TOKEN) or sms.backends.messagebird.SmsBackend (with MESSAGEBIRD_ACCESS_KEY).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "sms.backends.console.SmsBackend")
SMS_FROM = os.environ.get("SMS_FROM", "Maillage")
# The provider forwards the answers to a number (not to a name like "Maillage", which cannot
# be answered) to /sms/reponses/<SMS_REPLY_TOKEN>/: a STOP opts out. Empty: no such address.
SMS_REPLY_TOKEN = os.environ.get("SMS_REPLY_TOKEN", "")
# The hours, lab's time, when a text may go out: written outside, it waits for the morning.
SMS_DAYTIME_FROM, SMS_DAYTIME_UNTIL = envint("SMS_DAYTIME_FROM", 8), envint("SMS_DAYTIME_UNTIL", 20)
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
MESSAGEBIRD_ACCESS_KEY = os.environ.get("MESSAGEBIRD_ACCESS_KEY", "")
# Sent e-mails (their words name people) and finished background tasks are forgotten after so
# many days (core/outbox.py, core/tasks.py).
EMAIL_KEEP_DAYS = envint("EMAIL_KEEP_DAYS", 7)
# A task worker silent this long is dead: the tasks it was running are taken up again.
WORKER_DEAD_AFTER_SECONDS = envint("WORKER_DEAD_AFTER_SECONDS", 60)
TASKS_KEEP_DAYS = envint("TASKS_KEEP_DAYS", 7)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Public forms and endpoints: how many needs one address may raise per window of seconds.
NEEDS_RATE_LIMIT = envint("NEEDS_RATE_LIMIT", 10)

# Matching by meaning (core.semantic) where the model is installed; false keeps the lexical path.
MATCHING_SEMANTIC = envbool("MATCHING_SEMANTIC", True)
# Offers stay true: their owner confirms them every so many days, or they leave the matching
# after the grace period.
OFFERS_CONFIRM_EVERY_DAYS = envint("OFFERS_CONFIRM_EVERY_DAYS", 182)
OFFERS_CONFIRM_GRACE_DAYS = envint("OFFERS_CONFIRM_GRACE_DAYS", 30)
NEEDS_RATE_WINDOW = envint("NEEDS_RATE_WINDOW", 600)

# Rate limits and figures live in the cache: set REDIS_URL to share them between processes.
# Without Redis reachable, each process falls back to its memory (core/cache.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "maillage.core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        # A dead Redis answers at once (refused) or never: wait half a second, not forever.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }

# Live workshops (core/live.py): the bus carrying events between server processes — Redis when
# REDIS_URL is set, else in-process (one process) — and how often what changes at every vote
# is published at most.
LIVE_BUS_URL = os.environ.get("LIVE_BUS_URL", REDIS_URL or "")
LIVE_COALESCE_SECONDS = float(os.environ.get("LIVE_COALESCE_SECONDS", "0.5"))

# The permanence's promises, in days (see needs/services.py).
NEEDS_FIRST_ANSWER_WORKING_DAYS = envint("NEEDS_FIRST_ANSWER_WORKING_DAYS", 2)
NEEDS_FOLLOW_UP_DAYS = envint("NEEDS_FOLLOW_UP_DAYS", 15)
# How long a need « en attente du demandeur » waits, by default, before the team looks again.
NEEDS_WAITING_DAYS = envint("NEEDS_WAITING_DAYS", 30)
# Formation: a session with fewer seated than its minimum is cancelled this many days before.
TRAINING_DECISION_DAYS = envint("TRAINING_DECISION_DAYS", 3)
# Open Badges: who issues the lab's badges (the issuer profile at /badges/emetteur).
BADGES_ISSUER_NAME = os.environ.get(
    "BADGES_ISSUER_NAME", "Maillage — laboratoire d'innovation territoriale de Martigues"
)
BADGES_ISSUER_EMAIL = os.environ.get("BADGES_ISSUER_EMAIL", "bonjour@maillage.localhost")
NEEDS_RETENTION_DAYS = envint("NEEDS_RETENTION_DAYS", 365)  # contact details, after closure

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool(
    "SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https")
)
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
# The proxies in front of the site (addresses or networks): their X-Forwarded-For entries tell
# the client's address, which rate limits count by; no other client's header is believed.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")
if BEHIND_PROXY:  # a TLS-terminating proxy says the scheme in this header
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Served over TLS (the site's address says so): browsers are told to come back only in https,
# and a plain http request behind the proxy is sent there (the probes excepted: they call the
# process directly).
if SITE_URL.startswith("https://"):
    SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 365 * 86400)
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", BEHIND_PROXY)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "maillage.core.error_pages.csrf_failure"

# No log line carries a tracking token or any other secret link (core/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"secrets": {"()": "maillage.core.logs.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["secrets"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The observatory's map: a tile server's URL template ({z}/{x}/{y}), empty for none (the map then
# shows its points on a plain background, and the tables say the same), and its attribution.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "© OpenStreetMap")


def tile_origins(url: str) -> list[str]:
    """Where the map's tiles come from, as a CSP source (« {s}.tile… » is any subdomain)."""
    if not url:
        return []
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"]


# Every page says where its scripts, styles and images may come from: this site only (no inline
# script anywhere, no third party), and the map's tile server when one is set.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *tile_origins(MAP_TILES_URL)],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}  # fmt: skip

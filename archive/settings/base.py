"""Settings for the testimony archive.

Everything lives here; ``production`` and ``test`` only adjust what the
environment cannot express. Every value that differs between machines comes
from the environment, with defaults that are safe for local development.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from archive import licences
from archive.settings.env import env_bool, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Public (it is in this file), so production refuses it. The "django-insecure-"
# prefix makes Django's own `check --deploy` (security.W009) name it too.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-only-used-when-debug-is-on"
SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# Behind a proxy that passes the reader's Host on as X-Forwarded-Host rather than
# as Host (deploy/nginx.conf passes Host itself, so it needs neither). Only with a
# proxy that always sets the header: otherwise a reader chooses the host that
# absolute links (citations, feeds, OAI-PMH) are built with.
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", default=False)

INSTALLED_APPS = [
    # The admin, with the two-factor site of accounts/admin_site.py as admin.site.
    "accounts.apps.ArchiveAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "accounts",
    "import_export",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The project itself: its management commands (backup, restore); no models.
    "archive",
    "laws",
    "testimonies",
    "opendata",
    "api",
    "pages",
    "releases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Above everything that answers a request (even the NUL refusal), so it sees the
    # cookies and status of every page; WhiteNoise's static files keep their headers.
    "archive.httpcache.SharedCacheMiddleware",
    "archive.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which answers static files itself (already compressed), and
    # before everything that writes a response; compresses only token-free, session-free
    # responses (BREACH: see the class).
    "archive.middleware.PublicGZipMiddleware",
    # Off unless ARCHIVE_MAX_CONCURRENT_REQUESTS is set; static files are served before it.
    "archive.middleware.ConcurrencyLimitMiddleware",
    # Off unless DATABASE_REPLICA_URL is set: anonymous reads from an up-to-date replica.
    "archive.middleware.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Language from the cookie set by the switcher, else the browser's Accept-Language.
    # URLs carry no language prefix: permalinks stay the same in every language.
    "archive.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "archive.middleware.BadQueryMiddleware",
    "archive.middleware.GoneMiddleware",
    "archive.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"
ASGI_APPLICATION = "archive.asgi.application"

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# DATABASE_URL switches engines; the default is a SQLite file under var/.
DATABASE_URL = env_str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'archive.sqlite3'}")
# The development server gives every browser connection a thread of its own, and a
# persistent database connection would stay open with each of them: a burst of
# requests exhausts PostgreSQL's. A worker process reuses one, kept for a minute.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DEBUG else 60)}
DATABASE_VENDOR = "postgresql" if "postgresql" in DATABASES["default"]["ENGINE"] else "sqlite"

if DATABASE_VENDOR == "sqlite":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while an editor writes; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue instead of failing midway.
        # secure_delete overwrites deleted and replaced content with zeros, so
        # a withdrawn testimony's text does not linger in free space in the file.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    # Importing contrib.postgres pulls in psycopg; SQLite users never need it.
    INSTALLED_APPS.append("django.contrib.postgres")

# Read replicas (PostgreSQL streaming standbys), comma-separated: anonymous readers'
# pages are read from them, never older than the primary (archive/replicas.py).
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URL", default=[]), start=1):
    if DATABASE_VENDOR != "postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs PostgreSQL: a replica is a streaming standby "
            "of the DATABASE_URL server."
        )
    _alias = "replica" if _number == 1 else f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=0 if DEBUG else 60)
    # A replica that is down must not hold a reader up: the primary answers instead.
    DATABASES[_alias]["OPTIONS"] = {"connect_timeout": 2}
    # In the test suite a replica alias is only a name for the test database.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["archive.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Staff log-in ---------------------------------------------------------------
# django-axes refuses a client's log-ins after AXES_FAILURE_LIMIT failures in a row
# (wrong passwords and wrong one-time codes alike) for AXES_COOLOFF_MINUTES, and
# every log-in to an account after ARCHIVE_ACCOUNT_FAILURE_LIMIT failures at it
# from any number of addresses (accounts/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.lockout.AccountLockoutHandler"
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", default="5"))
ARCHIVE_ACCOUNT_FAILURE_LIMIT = int(env_str("ARCHIVE_ACCOUNT_FAILURE_LIMIT", default="10"))
AXES_COOLOFF_TIME = timedelta(minutes=float(env_str("AXES_COOLOFF_MINUTES", default="15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
# The admin asks for a one-time code from a registered authenticator
# (`manage.py add_totp_device USER`). Only a developer's own machine may skip it.
ADMIN_2FA_OPTIONAL = env_bool("ADMIN_2FA_OPTIONAL", default=False)
if ADMIN_2FA_OPTIONAL and not DEBUG:
    raise ImproperlyConfigured("ADMIN_2FA_OPTIONAL is for local development (DJANGO_DEBUG=1) only.")
ADMIN_REQUIRE_2FA = not ADMIN_2FA_OPTIONAL
OTP_TOTP_ISSUER = "Testimony Archive"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("th", "ไทย")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice lasts a year; it holds nothing but "en" or "th".
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` writes (`make serve` runs it) and the proxy reads /static/ from.
STATIC_ROOT = Path(env_str("ARCHIVE_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers and crawlers ask for at the site's root whatever the page links
# (/favicon.ico, /apple-touch-icon.png), served by WhiteNoise like static files.
WHITENOISE_ROOT = BASE_DIR / "webroot"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Web pages hold nothing private, but the admin does: keep its session short.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere: scripts and styles come from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Keeps a hostile query string from costing memory before a view sees it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Load shedding (archive/middleware.py's ConcurrencyLimitMiddleware): requests running at
# once per process (0: no limit), and how long a request may wait for a slot before a 503.
ARCHIVE_MAX_CONCURRENT_REQUESTS = int(env_str("ARCHIVE_MAX_CONCURRENT_REQUESTS", default="0"))
ARCHIVE_QUEUE_TIMEOUT_MS = int(env_str("ARCHIVE_QUEUE_TIMEOUT_MS", default="100"))

# Bulk import (admin): only those who may add testimonies may import them, and a
# confirmed file is written in one transaction or not at all.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Rows written between two progress lines of the admin's import (and the
# command's default --batch-size): smaller shows progress more often, larger is
# a little faster.
ARCHIVE_IMPORT_BATCH_SIZE = int(env_str("ARCHIVE_IMPORT_BATCH_SIZE", default="500"))

ARCHIVE_NAME = "Testimony Archive"
ARCHIVE_PAGE_SIZE = 20
# The withdrawal ledger is also kept outside the database, so that restoring an
# old backup cannot forget a withdrawal (see testimonies/ledger.py). Keep it on
# storage that is backed up separately from the database.
ARCHIVE_WITHDRAWAL_LEDGER = env_str(
    "ARCHIVE_WITHDRAWAL_LEDGER", default=str(VAR_DIR / "withdrawals.jsonl")
)
ARCHIVE_BACKUP_DIR = env_str("ARCHIVE_BACKUP_DIR", default=str(VAR_DIR / "backups"))
# Dataset releases (releases/): one folder per release number. Not in the database
# backup: back it up beside the ledger file; a withdrawal amends what is here.
ARCHIVE_RELEASES_DIR = env_str("ARCHIVE_RELEASES_DIR", default=str(VAR_DIR / "releases"))
# The archive's public address, written into releases (permalinks, citations),
# which are made outside any request.
ARCHIVE_SITE_URL = env_str("ARCHIVE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Seconds a client is asked to wait (Retry-After) when the database is unreachable.
ARCHIVE_RETRY_AFTER = int(env_str("ARCHIVE_RETRY_AFTER", default="120"))
# Match sets remembered per worker for repeated searches (0 turns the cache off).
ARCHIVE_MATCH_CACHE_SIZE = int(env_str("ARCHIVE_MATCH_CACHE_SIZE", default="32"))
# How many matches a search ranks, all of them, before it ranks only those with
# the words in their title or summary (0: what the database's engine can do).
ARCHIVE_RANK_LIMIT = int(env_str("ARCHIVE_RANK_LIMIT", default="0"))

# --- Caches -----------------------------------------------------------------------
# Each process keeps its own unless a Redis address is given; with several workers,
# ARCHIVE_CACHE_URL makes rate limits hold across them and ARCHIVE_PAGE_CACHE_URL
# lets every worker reuse a search page another one computed. Give the page cache
# a database of its own (redis://host:6379/1): a withdrawal empties it whole.
ARCHIVE_CACHE_URL = env_str("ARCHIVE_CACHE_URL", default="")
ARCHIVE_PAGE_CACHE_URL = env_str("ARCHIVE_PAGE_CACHE_URL", default="")


def _cache(url: str, name: str, max_entries: int) -> dict:
    if url:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES = {
    "default": _cache(ARCHIVE_CACHE_URL, "default", 1000),
    # A search page at 100,000 testimonies is 50-100 KB: 200 of them per process.
    "pages": _cache(ARCHIVE_PAGE_CACHE_URL, "pages", 200),
    # When each public page was first served as it is now (its Last-Modified, see
    # archive/httpcache.py): a few bytes per address. Shared through the default
    # cache's Redis, so every worker gives a page the same date.
    "validators": _cache(ARCHIVE_CACHE_URL, "validators", 5000),
}
# How long a search page is kept (0 turns the page cache off). Pages are keyed by
# the index generation, so this is not about staleness. Redis frees a page when it
# expires; a process's own cache frees an expired page only when asked for it or
# when full (MAX_ENTRIES), so there memory is bounded by the count, not by time.
ARCHIVE_PAGE_CACHE_SECONDS = int(env_str("ARCHIVE_PAGE_CACHE_SECONDS", default="3600"))

# --- HTTP caching (archive/httpcache.py) ------------------------------------------
# How long browsers and shared caches (the proxy, a CDN) may keep a public page:
# also how long a withdrawn testimony may stay readable in one. 0: they must ask
# every time (a 304 still spares the body).
ARCHIVE_HTTP_CACHE_SECONDS = int(env_str("ARCHIVE_HTTP_CACHE_SECONDS", default="60"))
if not 0 <= ARCHIVE_HTTP_CACHE_SECONDS <= 300:
    raise ImproperlyConfigured(
        "ARCHIVE_HTTP_CACHE_SECONDS is also how long a withdrawn testimony may stay in a"
        f" cache: from 0 to 300 seconds; got {ARCHIVE_HTTP_CACHE_SECONDS}."
    )
# A CDN's purge, called when a testimony is withdrawn (POST, JSON); empty: none.
ARCHIVE_PURGE_URL = env_str("ARCHIVE_PURGE_URL", default="")
ARCHIVE_PURGE_TOKEN = env_str("ARCHIVE_PURGE_TOKEN", default="")

# --- JSON API (/api/) ----------------------------------------------------------
# Read-only and anonymous: no sessions or authentication, so no CSRF either.
# Throttle rates are per client address and per scope; a view names its scope
# (``throttle_scope``) and each scope reads its own environment variable.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["archive.throttling.ScopedThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env_rate("API_RATE_LIMIT", default="120/minute"),
        # CSV exports stream whole searches: a few a minute per client is plenty.
        "export": env_rate("ARCHIVE_EXPORT_RATE", default="20/minute"),
    },
    # Proxies in front of the app (a load balancer: 1). The client address is
    # then read from X-Forwarded-For that many hops back; with 0 it is the
    # connection's, and a forged X-Forwarded-For buys no fresh allowance.
    "NUM_PROXIES": int(env_str("API_NUM_PROXIES", default="0")),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{ARCHIVE_NAME} API",
    "DESCRIPTION": (
        "Read-only JSON access to the published testimonies, raid incidents, laws, "
        "clauses and violation types. Only published records are served. The data is "
        f"licensed under {licences.DATA.name}; the testimonies' titles, summaries and text "
        f"under {licences.TEXTS.name} ({licences.TEXTS.url})."
    ),
    "LICENSE": {"name": licences.DATA.name, "url": licences.DATA.url},
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.allow_empty_scalars",
    ],
}
# OAI-PMH: records per response, and the repository's name in oai:<name>:T-0001
# identifiers (default: the host the request came to).
ARCHIVE_OAI_PAGE_SIZE = int(env_str("ARCHIVE_OAI_PAGE_SIZE", default="100"))
ARCHIVE_OAI_REPOSITORY_IDENTIFIER = env_str("ARCHIVE_OAI_REPOSITORY_IDENTIFIER", default="")
# The archive's address, on the contact page and in OAI-PMH Identify. The default
# reaches no one: `check --deploy` refuses it (pages/checks.py).
ARCHIVE_CONTACT_EMAIL = env_str("ARCHIVE_CONTACT_EMAIL", default="archive@example.org")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}

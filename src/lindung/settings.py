"""Django settings for Lindung.

Everything that differs between a laptop demo and a regency's server comes from the
environment: ``DATABASE_URL`` (default: the embedded SQLite file under ``var/``),
``LINDUNG_SECRET_KEY``, ``LINDUNG_DEBUG``, ``LINDUNG_ALLOWED_HOSTS`` and ``LINDUNG_VAR_DIR``.

``LINDUNG_PRODUCTION=1`` is a server behind HTTPS: cookies only over HTTPS, HSTS, a
redirect to HTTPS, and the proxy's header trusted when ``LINDUNG_PROXY_SSL_HEADER`` names
it. Without it (the demo, a village office's laptop on plain HTTP) none of these apply,
because a browser would drop the Secure session cookie over HTTP and nobody could sign in.
"""

import os
import secrets
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("LINDUNG_VAR_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    """Read the key from the environment, else keep one generated key in ``var/``."""
    if key := os.environ.get("LINDUNG_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes")


SECRET_KEY = _secret_key()
DEBUG = _flag("LINDUNG_DEBUG", False)
PRODUCTION = _flag("LINDUNG_PRODUCTION", False) and not DEBUG
ALLOWED_HOSTS = os.environ.get("LINDUNG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its API docs page from our own static files, not a CDN
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "lindung.worker",  # before django_tasks_db: its db_worker queues the daily job first
    "django_tasks_db",
    "simple_history",
    "lindung.privacy",
    "lindung.web",
    "lindung.regions",
    "lindung.accounts",
    "lindung.people",
    "lindung.contributions",
    "lindung.programs",
    "lindung.bpjs",
    "lindung.billing",
    "lindung.agents",
    "lindung.selfpay",
    "lindung.employers",
    "lindung.claims",
    "lindung.imports",
    "lindung.sync",
    "lindung.exports",
    "lindung.targets",
    "lindung.coverage",
    "lindung.dashboards",
    "lindung.maps",
    "lindung.reports",
    "lindung.demo",
    "lindung.operations",
    "django_prometheus",
]

MIDDLEWARE = [
    # Request counts and latencies for /metrics (lindung.operations.metrics): first and last.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # A request id on the answer and on every log line (lindung.operations.requests).
    "lindung.operations.requests.RequestId",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Pages compressed for village offices' weak connections (a regency's dashboard: 350 KB
    # of HTML, 20 KB gzipped). Static files come precompressed from whitenoise.
    "django.middleware.gzip.GZipMiddleware",
    # Before anything reads the body: an upload over the limit is never read or stored.
    "lindung.uploads.UploadSizeLimit",
    "lindung.web.middleware.RefuseNulCharacters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lindung.web.middleware.IndonesianFirstLocale",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Through which page or API operation a change comes, for the change history.
    "lindung.privacy.history.ChangeSourceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lindung.accounts.middleware.IdleTimeout",
    "django_otp.middleware.OTPMiddleware",
    "lindung.accounts.middleware.SecondFactor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # After authentication: which reads may go to the read replica, when there is one.
    "lindung.operations.replica.ReadFromReplica",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "lindung.urls"
WSGI_APPLICATION = "lindung.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lindung.web.navigation.context",
            ],
            "builtins": ["lindung.web.templatetags.lindung"],
        },
    }
]

# A request on PostgreSQL reuses its thread's connection for up to a minute: opening one
# per request (a new server process each time) cost more than the work of a NIK lookup
# (docs/performance.md, "The request path"). The health check finds a connection the server
# dropped meanwhile, before a request uses it.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lindung.sqlite3'}"),
        conn_max_age=int(os.environ.get("LINDUNG_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A PostgreSQL streaming standby for the pages that read much (lindung.operations.replica).
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url,
        conn_max_age=int(os.environ.get("LINDUNG_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["lindung.operations.replica.ReplicaRouter"]
LINDUNG_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("LINDUNG_REPLICA_MAX_LAG_SECONDS", "30"))
LINDUNG_REPLICA_STICKY_SECONDS = float(os.environ.get("LINDUNG_REPLICA_STICKY_SECONDS", "30"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background worker write while pages read; the timeout waits out
    # short write locks instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes records failed sign-ins; lindung.accounts.lockout decides who waits how long
# (per username and address, and per username across addresses, with a doubling wait).
AXES_HANDLER = "lindung.accounts.lockout.BackoffHandler"
AXES_FAILURE_LIMIT = 1  # the handler answers 1 when the policy locks, 0 otherwise
AXES_COOLOFF_TIME = "lindung.accounts.lockout.window"  # how long failures are remembered
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "lindung.accounts.lockout.attempted_username"
AXES_LOCKOUT_CALLABLE = "lindung.accounts.lockout.lockout_response"
LINDUNG_LOCKOUT_PER_ADDRESS = int(os.environ.get("LINDUNG_LOCKOUT_PER_ADDRESS", 10))
LINDUNG_LOCKOUT_PER_USERNAME = int(os.environ.get("LINDUNG_LOCKOUT_PER_USERNAME", 30))
LINDUNG_LOCKOUT_FIRST_MINUTES = int(os.environ.get("LINDUNG_LOCKOUT_FIRST_MINUTES", 1))
LINDUNG_LOCKOUT_MAX_MINUTES = int(os.environ.get("LINDUNG_LOCKOUT_MAX_MINUTES", 60))

# Indonesian first, English second. Message ids in the code are Indonesian, so the
# interface stays Indonesian even where an English translation is missing.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["lindung.formats"]
# The deployment's zone: every date and time is computed and shown in it (a proposal made
# at 23:30 in Bali is of that day, not of the day before in UTC). Indonesia has three:
# Asia/Jakarta (WIB), Asia/Makassar (WITA: Bali and Nusa Tenggara), Asia/Jayapura (WIT).
TIME_ZONE = os.environ.get("LINDUNG_TIME_ZONE", "Asia/Makassar")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
    raise ImproperlyConfigured(
        f"LINDUNG_TIME_ZONE={TIME_ZONE!r} bukan zona waktu yang dikenal (contoh: Asia/Makassar)"
    ) from error
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
MEDIA_ROOT = VAR_DIR / "media"
# In production the static files carry their content's hash in their names (``lindung
# serve`` collects them first), so whitenoise lets browsers keep them for a year without
# asking again; the demo serves them under their plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True  # serve straight from the packages when collectstatic has not run

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Several `lindung db_worker` share the queue: each beats this often, a job whose worker has
# been silent this long goes back to the queue, and fails after this many tries
# (lindung.worker.lifecycle).
LINDUNG_WORKER_BEAT_SECONDS = float(os.environ.get("LINDUNG_WORKER_BEAT_SECONDS", "10"))
LINDUNG_WORKER_LOST_SECONDS = float(os.environ.get("LINDUNG_WORKER_LOST_SECONDS", "60"))
LINDUNG_WORKER_ATTEMPTS = int(os.environ.get("LINDUNG_WORKER_ATTEMPTS", "2"))

# Whether relief rules that exclude state and regional budgets (PP 50/2025: APBN, APBD) also
# exclude village budgets (APBDes): not confirmed by the insurer, so it is a setting.
LINDUNG_RELIEF_EXCLUDES_APBDES = os.environ.get("LINDUNG_RELIEF_EXCLUDES_APBDES", "1") == "1"

# Whether premiums a government sponsor pays earn the Perisai agent who brought the worker
# in a fee: not published by the insurer, so off unless a regency decides otherwise.
LINDUNG_FEES_ON_SPONSORED = os.environ.get("LINDUNG_FEES_ON_SPONSORED", "0") == "1"

# Every uploaded file (worker lists, payment and answer files, figures, NIK lists, proofs):
# the request is refused before its body is read, each file checked again by its form.
LINDUNG_UPLOAD_MAX_BYTES = int(os.environ.get("LINDUNG_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
# A file past this size is written to a temporary file while it arrives, not kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Form and JSON bodies (no files): Django refuses larger ones with 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
# A TOTP second factor (lindung.accounts.second_factor): optional for everyone, required
# for system and regency admins when this is on.
LINDUNG_REQUIRE_2FA = _flag("LINDUNG_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Lindung"
# Signed out after this long without a request (lindung.accounts.middleware.IdleTimeout).
LINDUNG_IDLE_MINUTES = int(os.environ.get("LINDUNG_IDLE_MINUTES", 30))
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send the token header
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Production behind HTTPS (see the module's docstring).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and _flag("LINDUNG_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("LINDUNG_HSTS_SECONDS", 31_536_000)) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION and _flag("LINDUNG_HSTS_SUBDOMAINS", True)
# Preloading is the domain owner's decision (it binds every subdomain, for months), so it is
# off unless asked for; Django's check for it is silenced only then.
SECURE_HSTS_PRELOAD = PRODUCTION and _flag("LINDUNG_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]


def _proxy_ssl_header() -> tuple[str, str] | None:
    """``LINDUNG_PROXY_SSL_HEADER="X-Forwarded-Proto: https"``: the header the proxy in
    front sets on HTTPS requests. Only set it when a proxy always sets or strips it."""
    text = os.environ.get("LINDUNG_PROXY_SSL_HEADER", "").strip()
    if not text:
        return None
    name, _sep, value = text.partition(":") if ":" in text else text.partition("=")
    header = name.strip().upper().replace("-", "_")
    if not header.startswith("HTTP_"):
        header = "HTTP_" + header
    return header, value.strip() or "https"


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()

# No inline script or style anywhere (pages load lindung.js and lindung.css), no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs go to standard output. In production each line is a JSON object (time, level,
# logger, message, request id, and the access line's method, path, status and duration);
# LINDUNG_LOG_FORMAT=text|json chooses, LINDUNG_ACCESS_LOG=1 writes a line per request.
LOG_FORMAT = os.environ.get("LINDUNG_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "lindung.operations.requests.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LINDUNG_LOG_LEVEL", "WARNING")},
    "loggers": {
        "lindung.requests": {
            "level": "INFO" if _flag("LINDUNG_ACCESS_LOG", PRODUCTION) else "WARNING",
        },
    },
}
# /metrics answers the loopback address, or a request with this bearer token.
LINDUNG_METRICS_TOKEN = os.environ.get("LINDUNG_METRICS_TOKEN", "")

LINDUNG_PAGE_SIZE = 25
# Change history (django-simple-history, and the import's bulk history). Always on in use;
# LINDUNG_HISTORY=0 exists for measuring what it costs (bench/import_workers.py --history).
SIMPLE_HISTORY_ENABLED = os.environ.get("LINDUNG_HISTORY", "1") == "1"
# How long the personal-data access log keeps its entries before `lindung privacy archive`
# moves them to the archive table (UU PDP: as long as needed to answer for the access).
LINDUNG_ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("LINDUNG_ACCESS_LOG_RETENTION_DAYS", "730"))
# Dashboard marks: green from this share of a target reached, amber from the second, red below.
LINDUNG_TARGET_GREEN_FROM = 100
LINDUNG_TARGET_AMBER_FROM = int(os.environ.get("LINDUNG_TARGET_AMBER_FROM", "80"))

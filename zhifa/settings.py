"""Zhifa settings: one module, driven by environment variables (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zhifa.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZHIFA_VAR_DIR", str(BASE_DIR / "var")))

# Production refuses to start without a real secret key and allowed hosts (DESIGN.md, Settings).
ZHIFA_ENV = env_str("ZHIFA_ENV", "development")  # development | production
DEBUG = env_bool("ZHIFA_DEBUG", False)
SECRET_KEY = env_str("ZHIFA_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ZHIFA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
if ZHIFA_ENV == "production":
    if not SECRET_KEY or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("ZHIFA_SECRET_KEY must be set (at least 40 characters) in production")
    if not env_str("ZHIFA_ALLOWED_HOSTS"):
        raise ImproperlyConfigured("ZHIFA_ALLOWED_HOSTS must be set in production")
elif not SECRET_KEY:
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
CSRF_TRUSTED_ORIGINS = env_list("ZHIFA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "ninja",
    "zhifa.core",
    "zhifa.org",
    "zhifa.powers",
    "zhifa.intake",
    "zhifa.cases",
    "zhifa.inspections",
    "zhifa.disclosure",
    "zhifa.supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "zhifa.core.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhifa" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.nav.navigation",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhifa.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("ZHIFA_DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL + a busy timeout let the dev server and a management command share the file; IMMEDIATE
    # transactions take the write lock up front, so read-then-write services never deadlock.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": env_str("ZHIFA_TEST_SQLITE", "") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed logins (django-axes): by username, so one office's shared IP
# does not lock out colleagues.
AXES_FAILURE_LIMIT = env_int("ZHIFA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ZHIFA_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Session expiry: idle sessions end after ZHIFA_SESSION_IDLE_MINUTES; closing the browser ends them too.
SESSION_COOKIE_AGE = env_int("ZHIFA_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("ZHIFA_SECURE_COOKIES", ZHIFA_ENV == "production")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("ZHIFA_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("ZHIFA_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHIFA_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("ZHIFA_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("ZHIFA_BEHIND_PROXY") else None
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "zhifa" / "locale"]
TIME_ZONE = env_str("ZHIFA_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "zhifa" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if ZHIFA_ENV == "production"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production WhiteNoise serves straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = ZHIFA_ENV != "production"
WHITENOISE_AUTOREFRESH = ZHIFA_ENV != "production"
MEDIA_ROOT = Path(env_str("ZHIFA_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Zhifa's own settings -----------------------------------------------------------------
# Hash algorithm of the record chain: "sha256" (default) or "sm3" (国密 SM3, from OpenSSL via hashlib).
ZHIFA_RECORD_HASH = env_str("ZHIFA_RECORD_HASH", "sha256")
# Public base URL printed in certificate QR codes (the verification page).
ZHIFA_PUBLIC_BASE_URL = env_str("ZHIFA_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Map tiles (Tianditu or an intranet tile server); empty = outlines only.
ZHIFA_MAP_TILE_URL = env_str("ZHIFA_MAP_TILE_URL", "")
# Public complaint form (/report/): reports created per hour from one address (cache-counted).
ZHIFA_PUBLIC_REPORTS_PER_HOUR = env_int("ZHIFA_PUBLIC_REPORTS_PER_HOUR", 10)
# Days ahead that the monthly certificate review flags as "expiring soon".
ZHIFA_CERT_EXPIRY_WARNING_DAYS = env_int("ZHIFA_CERT_EXPIRY_WARNING_DAYS", 30)
# Clues: an open clue nearby reported within this many days is offered as a duplicate.
ZHIFA_DUPLICATE_DAYS = env_int("ZHIFA_DUPLICATE_DAYS", 7)
# Seconds between live refreshes of the command centre's queue and map (and the team page).
ZHIFA_COMMAND_REFRESH_SECONDS = env_int("ZHIFA_COMMAND_REFRESH_SECONDS", 15)
# Seconds a process trusts its grid index before checking the database's grid revision again.
ZHIFA_GRID_INDEX_TTL = float(env_str("ZHIFA_GRID_INDEX_TTL", "2"))
# Open311 (/open311/v2/): POSTs accepted per api_key in each window of seconds (cache-counted; 0 = no limit).
ZHIFA_OPEN311_RATE_LIMIT = env_int("ZHIFA_OPEN311_RATE_LIMIT", 60)
ZHIFA_OPEN311_RATE_WINDOW = env_int("ZHIFA_OPEN311_RATE_WINDOW", 60)
# Cases: the bank named on decisions and payment notices (APL Art. 67: fines are paid at a designated bank).
ZHIFA_FINE_BANK = env_str("ZHIFA_FINE_BANK", "代收银行")
# ACL Art. 43: no execution at night; the law does not define night, so its hours are a setting (HH:MM).
# Largest evidence file accepted (bytes).
ZHIFA_EVIDENCE_MAX_BYTES = env_int("ZHIFA_EVIDENCE_MAX_BYTES", 50 * 1024 * 1024)
# Days an electronic service link (/s/<token>/) stays valid (APL Art. 61, CPL Art. 90).
ZHIFA_ESERVICE_LINK_DAYS = env_int("ZHIFA_ESERVICE_LINK_DAYS", 30)
# Wrong codes and unknown links accepted per address per hour on the public service page (/s/...).
ZHIFA_ESERVICE_FAILURES_PER_HOUR = env_int("ZHIFA_ESERVICE_FAILURES_PER_HOUR", 20)
ZHIFA_NIGHT_START = env_str("ZHIFA_NIGHT_START", "22:00")
ZHIFA_NIGHT_END = env_str("ZHIFA_NIGHT_END", "06:00")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIFA_LOG_LEVEL", "WARNING")},
}

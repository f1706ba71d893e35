"""Settings from the environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, XIAOBAO_*."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XIAOBAO_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # A stable key per installation so sessions survive restarts without anyone configuring one.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",  # the task queue's table; `manage.py db_worker` runs what is queued
    "xiaobao.units",
    "xiaobao.rules",
    "xiaobao.clocks",
    "xiaobao.cases",
    "xiaobao.routing",
    "xiaobao.handling",
    "xiaobao.mediation",
    "xiaobao.merging",
    "xiaobao.knowledge",
    "xiaobao.archive",
    "xiaobao.intake",
    "xiaobao.hotline",
    "xiaobao.notify",
    "xiaobao.rewards",
    "xiaobao.odr",
    "xiaobao.records",
    "xiaobao.stats",
    "xiaobao.disclosure",
    "xiaobao.portal",
    "xiaobao.documents",
    "xiaobao.web",
    "xiaobao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session lookup: a NUL in a cookie, the query or a body never reaches the database.
    "xiaobao.lib.boundary.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An ODR business's account reaches only its own pages and the account pages (issue 22); before the account
    # gate, so that no staff path answers it anything but 404 even while its first password is pending.
    "xiaobao.odr.access.BusinessOnlyMiddleware",
    "xiaobao.web.middleware.AccountGateMiddleware",
    "xiaobao.lib.security.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "xiaobao.urls"
WSGI_APPLICATION = "xiaobao.wsgi.application"

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
                "xiaobao.notify.context_processors.unread",
                "xiaobao.web.context_processors.calendar_warning",
                "xiaobao.web.context_processors.work_count",
                "xiaobao.web.context_processors.demo_mode",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One test database per test run, so that parallel runs on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
# PgBouncer in transaction pooling (deploy/pgbouncer.ini; docs/operations.md): a server connection serves one
# transaction of one client, so nothing may outlive a transaction on it. No server-side cursors (Django's
# .iterator() would open one and read it in a later transaction), no prepared statements (psycopg prepares a
# query run 5 times on its connection), and no startup options (PgBouncer refuses "options": jit = off is then
# the server's, deploy/postgresql.conf). Django's connections to PgBouncer itself may stay open (conn_max_age).
XIAOBAO_PGBOUNCER = _env_bool("XIAOBAO_PGBOUNCER", False)


def _pg_connection(alias: str) -> None:
    db = DATABASES[alias]
    _options = db.setdefault("OPTIONS", {})
    if XIAOBAO_PGBOUNCER:
        db["DISABLE_SERVER_SIDE_CURSORS"] = True
        _options["prepare_threshold"] = None
    else:
        # No JIT: compiling costs ~60 ms on each statistics and search query and saves nothing at these sizes (a
        # unit's 12-month chart at 1M: 639 → 296 ms; docs/performance.md, "PostgreSQL at 1,000,000 items").
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pg_connection("default")

# A streaming replica for reading (issue 24, point 2; xiaobao/lib/dbrouter.py): statistics, dashboards, exports,
# searches and the public pages read from it; a user who just wrote reads from the primary for the rest of the
# request and XIAOBAO_REPLICA_PIN_SECONDS after; past XIAOBAO_REPLICA_MAX_LAG_SECONDS of lag, or when it does not
# answer, the primary serves. In tests it mirrors the test database (tests/replica runs against a real replica).
if DATABASE_REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        _pg_connection("replica")
        # An unreachable replica costs a request at most this long before the primary serves (then it is not
        # asked again for XIAOBAO_REPLICA_CHECK_SECONDS).
        DATABASES["replica"]["OPTIONS"].setdefault("connect_timeout", 2)
    DATABASE_ROUTERS = ["xiaobao.lib.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                      "xiaobao.lib.dbrouter.ReplicaPinMiddleware")
XIAOBAO_REPLICA_PIN_SECONDS = float(os.environ.get("XIAOBAO_REPLICA_PIN_SECONDS", 5))
XIAOBAO_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("XIAOBAO_REPLICA_MAX_LAG_SECONDS", 30))
XIAOBAO_REPLICA_CHECK_SECONDS = float(os.environ.get("XIAOBAO_REPLICA_CHECK_SECONDS", 2))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue on busy_timeout instead of failing with "database is locked" on upgrade.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Background tasks (django-tasks): queued in the database and run by `manage.py db_worker` (deploy/
# xiaobao-worker.service; `make run` starts one). XIAOBAO_TASKS_BACKEND=immediate runs them inline in the request
# (the tests do), or name a backend class.
_task_backends = {"database": "django_tasks_db.DatabaseBackend",
                  "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
_tasks_backend = os.environ.get("XIAOBAO_TASKS_BACKEND", "database")
TASKS = {"default": {"BACKEND": _task_backends.get(_tasks_backend, _tasks_backend)}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "units.Staff"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "xiaobao.units.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "uploads"
# Static files come from the apps (no collectstatic needed to run); whitenoise serves them with or without DEBUG.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_AGE = int(os.environ.get("XIAOBAO_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if _env_bool("XIAOBAO_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("XIAOBAO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("XIAOBAO_HSTS_SECONDS", 31536000))
    # IT may turn these off when other hosts under the bureau's domain still serve plain HTTP.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("XIAOBAO_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("XIAOBAO_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The bureau's name as printed on pages and documents.
XIAOBAO_BUREAU_NAME = os.environ.get("XIAOBAO_BUREAU_NAME", "曾都区市场监督管理局")
# The police authority a claim for gain or extortion is referred to (移送公安机关), unless the handler names another.
XIAOBAO_POLICE_AUTHORITY = os.environ.get("XIAOBAO_POLICE_AUTHORITY", "随州市公安局曾都区分局")
# Which family of rule sets governs new items: "zengdu" (the bureau's own, stricter) or "samr" (national).
XIAOBAO_RULE_FAMILY = os.environ.get("XIAOBAO_RULE_FAMILY", "zengdu")
# Warn when a clock is due within this many working days.
XIAOBAO_WARN_WORKDAYS = int(os.environ.get("XIAOBAO_WARN_WORKDAYS", 2))
# Warn the handler and the unit's leaders this many calendar days before an item's mediation cap (rules 二.2, 二.4).
XIAOBAO_CAP_WARN_DAYS = sorted({int(d) for d in os.environ.get("XIAOBAO_CAP_WARN_DAYS", "10,3").split(",") if d.strip()},
                               reverse=True)
# 回访问效 (issue 20.4): 消保股 calls back this share of the complaints each unit concluded in a month, as a check
# on the unit's own follow-up (0 to 1; the sample is fixed per item, so a month's list does not change).
XIAOBAO_FOLLOW_UP_CHECK_SHARE = float(os.environ.get("XIAOBAO_FOLLOW_UP_CHECK_SHARE", "0.2"))
# Demo mode (issue 8: accounts): the demo accounts keep their shared password. Off by default, so that outside
# the demo (`make run` turns it on) an account with a known password must change it at its first login.
XIAOBAO_DEMO_MODE = _env_bool("XIAOBAO_DEMO_MODE", False)
# Role groups ("leadership", "admin") whose members must enrol in the TOTP second factor; empty: optional.
XIAOBAO_REQUIRE_TOTP_FOR = [g.strip() for g in os.environ.get("XIAOBAO_REQUIRE_TOTP_FOR", "").split(",") if g.strip()]
# API tokens expire after this many hours.
XIAOBAO_TOKEN_HOURS = int(os.environ.get("XIAOBAO_TOKEN_HOURS", 12))
# 举报奖励: the province's threshold of "较大数额" 罚没款 (《市场监管领域重大违法行为举报奖励暂行办法》 leaves it to the
# provinces). The default is a placeholder until the province's figure is configured.
XIAOBAO_REWARD_LARGE_AMOUNT = os.environ.get("XIAOBAO_REWARD_LARGE_AMOUNT", "100000")
# 举报奖励: warn the handling unit's leaders and 消保股 this many working days before the reporter must be told
# (the measure's 15 working days from closing the case; rewards.services.warn_notice_due). Local practice.
XIAOBAO_REWARD_NOTICE_WARN_WORKDAYS = int(os.environ.get("XIAOBAO_REWARD_NOTICE_WARN_WORKDAYS", 3))
# Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated); the login throttle takes
# the client's address from that header only when the request comes from one of them (issue 16, point 8).
XIAOBAO_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("XIAOBAO_TRUSTED_PROXIES", "").split(",") if p.strip()]


def _audit_key() -> str:
    """The audit trail's MAC key (issue 16, point 9), kept outside the database: XIAOBAO_AUDIT_KEY, or the file
    XIAOBAO_AUDIT_KEY_FILE names. Empty: a key derived from SECRET_KEY (`check --deploy` warns)."""
    if path := os.environ.get("XIAOBAO_AUDIT_KEY_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get("XIAOBAO_AUDIT_KEY", "")


XIAOBAO_AUDIT_KEY = _audit_key()
# The append-only file of audit checkpoints (manage.py checkpoint_audit writes, verify_audit compares).
XIAOBAO_AUDIT_CHECKPOINT_FILE = Path(os.environ.get("XIAOBAO_AUDIT_CHECKPOINT_FILE",
                                                    VAR_DIR / "audit-checkpoints.log"))
# The largest sheet the 12315 import reads, measured before it is read (issue 16.2; intake.conf.import_limits).
XIAOBAO_IMPORT_MAX_ROWS = int(os.environ.get("XIAOBAO_IMPORT_MAX_ROWS", 200_000))
XIAOBAO_IMPORT_MAX_COLUMNS = int(os.environ.get("XIAOBAO_IMPORT_MAX_COLUMNS", 200))

# E-mail: console by default; set EMAIL_BACKEND/EMAIL_HOST/... for SMTP. SMS: XIAOBAO_SMS_BACKEND.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xiaobao@localhost")
XIAOBAO_SMS_BACKEND = os.environ.get("XIAOBAO_SMS_BACKEND", "xiaobao.notify.backends.ConsoleSmsBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XIAOBAO_LOG_LEVEL", "WARNING")},
}

"""Settings shared by every environment. Secrets and addresses come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# var/ holds the SQLite file, uploads and collected static files of a checkout.
VAR_DIR = Path(os.environ.get("ECOGOV_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("ECOGOV_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "unfold.apps.BasicAppConfig",  # the site itself: core.apps.AdminConfig
    "unfold.contrib.filters",
    "unfold.contrib.simple_history",
    # before core: core's admin unregisters the task queue's own screen (core/admin/jobs.py)
    "django_tasks",
    "django_tasks_db",
    "ecogov.core.apps.CoreConfig",
    "ecogov.core.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
]
# Each work area is an app ecogov.<area> with an apps.py; it plugs itself in (see
# docs/architecture.md), so adding an area touches no shared settings file.
AREA_APPS = sorted(
    f"ecogov.{path.parent.name}"
    for path in PACKAGE_DIR.glob("*/apps.py")
    if path.parent.name != "core"
)
INSTALLED_APPS += AREA_APPS

MIDDLEWARE = [
    # outermost: every answer, a redirect of SecurityMiddleware included, carries the policies
    "ecogov.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages leave compressed (a 100-row list: ~750 KB of HTML, ~25 KB gzipped). Below WhiteNoise,
    # which answers static files itself with its precompressed copies; above everything that
    # writes the body. BREACH: Django masks the CSRF token per response and GZipMiddleware
    # pads its output with random bytes (Django 4.2+).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ecogov.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ecogov.core.middleware.RequestContextMiddleware",
    "ecogov.core.middleware.IdleSessionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after a reset: the password page before anything else (ecogov.core.accounts)
    "ecogov.core.middleware.MustChangePasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ecogov.core.middleware.PermissionDeniedAuditMiddleware",
    # axes last: it needs the whole request stack
    "axes.middleware.AxesMiddleware",
]

# An index's INCLUDE columns exist on PostgreSQL only; SQLite keeps the key columns (matters'
# dashboard indexes), which is what it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

ROOT_URLCONF = "ecogov.urls"
WSGI_APPLICATION = "ecogov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite under var/ unless DATABASE_URL points elsewhere (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ecogov.sqlite3'}",
        conn_max_age=int(os.environ.get("ECOGOV_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Several people at once on the embedded database (docs/security.md, 并发与只追加日志):
    # - WAL: readers never wait for the writer and the writer never waits for readers;
    #   synchronous=NORMAL is WAL's safe setting (a power cut may lose the last commits, never
    #   corrupt the file);
    # - timeout: the busy timeout in seconds, how long a writer waits for the one before it;
    # - IMMEDIATE: every transaction (atomic()) takes the write lock when it begins. A deferred
    #   one that has read first and then writes cannot wait for the lock (SQLite answers
    #   "database is locked" at once rather than risk a deadlock): with IMMEDIATE it queues
    #   behind the busy timeout like every other writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
# A PostgreSQL streaming replica for the reads that may lag a moment: the portal, the figures,
# the report's preview (core/replica.py; docs/deploy.md, 多台服务器). Unset: one database.
if os.environ.get("ECOGOV_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["ECOGOV_REPLICA_DATABASE_URL"],
        conn_max_age=int(os.environ.get("ECOGOV_DB_CONN_MAX_AGE", "0")),
    )
ECOGOV_READ_REPLICA = "replica" in DATABASES
DATABASE_ROUTERS = ["ecogov.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("ECOGOV_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("ECOGOV_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Attachments and uploaded import files go through Django's storage API: the folder MEDIA_ROOT
# by default; an S3-compatible object store (MinIO on the intranet), which several application
# servers and workers share, when ECOGOV_S3_BUCKET is set (docs/deploy.md; pip install
# "ecogov[s3]"). Files are never served from the store's address: the guarded download reads them.
if os.environ.get("ECOGOV_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ECOGOV_S3_BUCKET"],
            "endpoint_url": os.environ.get("ECOGOV_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ECOGOV_S3_REGION", "us-east-1"),
            "access_key": os.environ.get("ECOGOV_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("ECOGOV_S3_SECRET_KEY"),
            "addressing_style": "path",  # MinIO's; AWS accepts it too
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "file_overwrite": False,  # a name taken gets a suffix, as on the disk
        },
    }

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Login security. The security admin edits the live values in SecurityPolicy;
# these are the defaults the policy row starts from.
ECOGOV_LOCKOUT_FAILURES = int(os.environ.get("ECOGOV_LOCKOUT_FAILURES", "5"))
ECOGOV_LOCKOUT_MINUTES = int(os.environ.get("ECOGOV_LOCKOUT_MINUTES", "30"))
ECOGOV_SESSION_IDLE_MINUTES = int(os.environ.get("ECOGOV_SESSION_IDLE_MINUTES", "30"))
AXES_FAILURE_LIMIT = "ecogov.core.security.axes_failure_limit"
AXES_COOLOFF_TIME = "ecogov.core.security.axes_cooloff_time"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_ENABLE_ADMIN = False  # core.admin.security registers axes' screens on the project's base
# The dashboard's counts are kept this long per user (core/dashboard.py); 0: counted each view.
ECOGOV_DASHBOARD_CACHE_SECONDS = int(os.environ.get("ECOGOV_DASHBOARD_CACHE_SECONDS", "60"))
# A person's step dated more than this many days back needs a reason (补录; core/backdating.py,
# docs/security.md); 0 turns the rule off.
ECOGOV_LATE_ENTRY_DAYS = int(os.environ.get("ECOGOV_LATE_ENTRY_DAYS", "30"))
SESSION_COOKIE_AGE = ECOGOV_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False  # core.middleware.IdleSessionMiddleware renews it
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Behind a reverse proxy, the client address comes from X-Forwarded-For.
ECOGOV_TRUST_X_FORWARDED_FOR = env_bool("ECOGOV_TRUST_X_FORWARDED_FOR", False)

# The hash chains (security audit log, penalty case records) are keyed: HMAC-SHA256 with this
# key, which lives outside the database and its backups (docs/security.md, 哈希链与锚定). The
# environment variable wins; else the key file, created with mode 0600 on first use.
ECOGOV_CHAIN_KEY = os.environ.get("ECOGOV_CHAIN_KEY", "")
ECOGOV_CHAIN_KEY_FILE = Path(os.environ.get("ECOGOV_CHAIN_KEY_FILE", VAR_DIR / "chain.key"))

# Content-Security-Policy and Permissions-Policy of every answer (docs/security.md, "浏览器安全
# 策略"). The strictest policy the back office (django-unfold: Alpine.js evaluates its x-…
# attributes with `new Function`, hence 'unsafe-eval'; no inline script anywhere) and the API
# docs work under, proved by tests/browser/test_csp.py. Nothing is loaded from another origin.
ECOGOV_CSP = os.environ.get(
    "ECOGOV_CSP",
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
ECOGOV_PERMISSIONS_POLICY = os.environ.get(
    "ECOGOV_PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "screen-wake-lock=(), xr-spatial-tracking=()",
)

# Personal data encrypted at rest (docs/security.md, 个人信息加密存储): one or more keys, newest
# first (comma-separated in the variable, one a line in the file); the newest encrypts, every
# one decrypts. Outside production the key file is made on first use (mode 0600).
ECOGOV_FIELD_KEY = os.environ.get("ECOGOV_FIELD_KEY", "")
ECOGOV_FIELD_KEY_FILE = Path(os.environ.get("ECOGOV_FIELD_KEY_FILE", VAR_DIR / "field.key"))
ECOGOV_FIELD_KEY_CREATE = True

# Attachments
ECOGOV_MAX_UPLOAD_MB = int(os.environ.get("ECOGOV_MAX_UPLOAD_MB", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Excel imports (docs/security.md, "导入限制"): a workbook whose parts are larger uncompressed,
# or a ledger with more rows (header included), is refused before it is parsed.
ECOGOV_IMPORT_MAX_UNCOMPRESSED_MB = int(os.environ.get("ECOGOV_IMPORT_MAX_UNCOMPRESSED_MB", "300"))
ECOGOV_IMPORT_MAX_ROWS = int(os.environ.get("ECOGOV_IMPORT_MAX_ROWS", "100000"))

# Background work (docs/jobs.md): Django's task framework (the django-tasks backport on 5.2, so
# that Django 6's django.tasks changes no code). The embedded default keeps the queue in the
# database (django-tasks-db: no extra server; `ecogov db_worker` runs the tasks, `make demo`
# starts one beside the web server); ECOGOV_TASKS_BACKEND names another backend (e.g.
# django_tasks_rq.RQBackend on Redis).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ECOGOV_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The RQ backend on Redis (the rq extra; docs/jobs.md): ECOGOV_TASKS_BACKEND=
# django_tasks_rq.RQBackend, the queue's Redis in ECOGOV_RQ_URL, and the tasks run by
# `ecogov rqworker default --job-class django_tasks_rq.backend.Job` (jobs.worker_command).
RQ_QUEUES = {"default": {"URL": os.environ.get("ECOGOV_RQ_URL", "redis://127.0.0.1:6379/0")}}
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
    INSTALLED_APPS.append("django_rq")
# A running job's progress (stage, rows, heartbeat) lives outside the database, which the job's
# own all-or-nothing transaction holds: files under var/ on one machine, or a shared cache
# (ECOGOV_JOBS_CACHE_URL=redis://…) when web servers and workers are on several.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "jobs": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["ECOGOV_JOBS_CACHE_URL"],
        }
        if os.environ.get("ECOGOV_JOBS_CACHE_URL")
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("ECOGOV_JOBS_CACHE_DIR", str(VAR_DIR / "cache" / "jobs")),
        }
    ),
}
# A running job whose worker has not given a sign of life for this long is shown as interrupted
# (its import wrote nothing: all or nothing) and may be started again.
ECOGOV_JOB_STALE_SECONDS = int(os.environ.get("ECOGOV_JOB_STALE_SECONDS", "60"))
ECOGOV_JOBS_ENQUEUE_ON_COMMIT = True
# The schedule (docs/jobs.md, ecogov.core.schedule): each job kind's daily time (HH:MM, TIME_ZONE),
# enqueued by `ecogov scheduler` once a day; an empty time switches it off.
ECOGOV_SCHEDULE = {
    "remind": os.environ.get("ECOGOV_SCHEDULE_REMIND", "07:30"),
    "audit_verify": os.environ.get("ECOGOV_SCHEDULE_AUDIT_VERIFY", "02:00"),
}
ECOGOV_SCHEDULER_INTERVAL = int(os.environ.get("ECOGOV_SCHEDULER_INTERVAL", "30"))  # seconds
# A ledger export of more rows than this runs as a background job whose result is the file
# (docs/jobs.md); a smaller one is answered at once.
ECOGOV_EXPORT_JOB_ROWS = int(os.environ.get("ECOGOV_EXPORT_JOB_ROWS", "5000"))
# an API ledger import of a file with more rows (header included) runs as a job: 202 (docs/api.md)
ECOGOV_IMPORT_JOB_ROWS = int(os.environ.get("ECOGOV_IMPORT_JOB_ROWS", "5000"))

# The deployment's own territory: the division every city-level user sees.
ECOGOV_BUREAU_NAME = os.environ.get("ECOGOV_BUREAU_NAME", "示例市生态环境局")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ecogov.core.api_tokens.ApiTokenAuthentication",  # other systems: Bearer <key>
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ecogov.core.api_permissions.ScopedModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "ecogov.core.api_lists.Ordering",  # ?ordering=-received_on (docs/api.md)
    ],
    # a JSON body must be an object, with no NUL character; bad JSON is named in Chinese
    # (core/api_input.py)
    "DEFAULT_PARSER_CLASSES": [
        "ecogov.core.api_input.JSONObjectParser",
        "ecogov.core.api_input.FormParser",
        "ecogov.core.api_input.MultiPartParser",
    ],
    # by page number, or by cursor with ?paging=cursor (core/api_lists.py)
    "DEFAULT_PAGINATION_CLASS": "ecogov.core.api_lists.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ecogov.core.api_errors.exception_handler",
    "VIEW_NAME_FUNCTION": "ecogov.core.api_errors.view_name",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EcoGov API",
    "DESCRIPTION": "生态环境局工作平台接口。所有接口按用户的数据范围返回记录。",
    "VERSION": "0.1.0",
    # assets bundled in drf-spectacular-sidecar: intranets have no CDN
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # the errors every operation may answer, in the API's one error shape (core/api_schema.py)
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ecogov.core.api_schema.document_errors",
    ],
    # one choice set used by several components whose field name other areas use too
    "ENUM_NAME_OVERRIDES": {
        "PublicityChannelEnum": "ecogov.outreach.models.publicity.Channel",
        "MatterChannelEnum": "ecogov.matters.workflow.Channel",
        "PartyKindEnum": "ecogov.enforcement.models.PartyKind",
        # an entity's status is read in two components (an entity, an EIA's new builder)
        "EntityStatusEnum": "ecogov.core.models.entities.EntityStatus",
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# who is mailed when a scheduled job (the audit log's verification, the reminders) fails:
# ECOGOV_ALERT_EMAILS="张三 <zhang@example.gov.cn>,li@example.gov.cn" (docs/deploy.md)
ADMINS = [
    (address.split("<")[0].strip() or address.strip(), address.split("<")[-1].strip(" >"))
    for address in os.environ.get("ECOGOV_ALERT_EMAILS", "").split(",")
    if address.strip()
]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ecogov@localhost")
SERVER_EMAIL = os.environ.get("ECOGOV_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[EcoGov] "

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ECOGOV_LOG_LEVEL", "WARNING")},
}

from ecogov.settings.admin_ui import UNFOLD  # noqa: E402,F401  (the back-office layout)

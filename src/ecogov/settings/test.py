"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL is set."""

import os
import tempfile

from .base import *  # noqa: F401,F403

SECRET_KEY = "test-only-key-not-secret"
ECOGOV_CHAIN_KEY = "test-only-chain-key-not-secret-0123456789"  # fixed: chains reproducible
# fixed: the tokens and blind indexes of the tests are made with this key
ECOGOV_FIELD_KEY = "test-only-field-key-not-secret-0123456789"
DEBUG = False
# the replica is the test database itself (a mirror); tests/core/test_replica.py turns the
# routing on, which the rest of the suite does not use
# (its transactions are deferred: it only reads, and two IMMEDIATE ones — the test case opens one
# on each alias — lock each other out of SQLite's shared in-memory test database)
_primary = DATABASES["default"]  # noqa: F405
DATABASES["replica"] = {  # noqa: F405
    **_primary,
    "OPTIONS": {k: v for k, v in _primary.get("OPTIONS", {}).items() if k != "transaction_mode"},
    "TEST": {"MIRROR": "default"},
}
ECOGOV_READ_REPLICA = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Counted on each view, so that a test sees a bulk write at once; tests/core/test_dashboard_cache.py
# turns the keeping on.
ECOGOV_DASHBOARD_CACHE_SECONDS = 0
STATIC_ROOT = None  # nothing collected in tests; the staticfiles finders serve assets
# WhiteNoise serves collected files in production; tests collect nothing.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405

# Background jobs run at once, inside the request that starts them, so that a page test sees the
# outcome; tests/core/test_jobs.py runs them in a real worker process (the database backend,
# through ECOGOV_TASKS_BACKEND), which finds the progress in the same folder (inherited).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "ECOGOV_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
ECOGOV_JOBS_ENQUEUE_ON_COMMIT = False  # a test's transaction never commits
os.environ.setdefault("ECOGOV_JOBS_CACHE_DIR", tempfile.mkdtemp(prefix="ecogov-test-jobs-"))
CACHES = {
    **CACHES,  # noqa: F405
    "jobs": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["ECOGOV_JOBS_CACHE_DIR"],
    },
}

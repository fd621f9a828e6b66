"""Local development and `make demo`: SQLite under var/, debug on unless told otherwise."""

import os

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("ECOGOV_DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"

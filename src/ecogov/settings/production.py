"""Production: everything secret or site-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY 环境变量未设置或长度不足 50 个字符。")

# TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("ECOGOV_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("ECOGOV_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("ECOGOV_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Personal data encrypted at rest: production never makes its own key (a key made on the
# server beside the data protects nothing, and a lost one loses the data): refuse to start.
ECOGOV_FIELD_KEY_CREATE = False
if not ECOGOV_FIELD_KEY.strip() and not ECOGOV_FIELD_KEY_FILE.exists():  # noqa: F405
    raise ImproperlyConfigured(
        "个人信息加密密钥未设置:请设置环境变量 ECOGOV_FIELD_KEY,或把密钥文件放到 "
        f"{ECOGOV_FIELD_KEY_FILE}(权限 600;生成:python3 -c "  # noqa: F405
        "'import secrets; print(secrets.token_hex(32))';"
        "docs/security.md,个人信息加密存储)。"
    )

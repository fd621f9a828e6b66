"""The current request's client address and user, for history rows and audit entries."""

from contextvars import ContextVar

from django.conf import settings

_current_ip: ContextVar[str | None] = ContextVar("ecogov_ip", default=None)


def client_ip(request) -> str | None:
    if settings.ECOGOV_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def current_ip() -> str | None:
    return _current_ip.get()


def set_current_ip(ip: str | None):
    return _current_ip.set(ip)


def reset_current_ip(token) -> None:
    _current_ip.reset(token)

from ecogov.core import audit
from ecogov.core.calendar import per_request
from ecogov.core.context import client_ip, reset_current_ip, set_current_ip
from ecogov.core.models import SecurityEvent, SecurityPolicy


class DefaultLanguageMiddleware:
    """zh-Hans unless the user chose another language; the browser's language is not asked.

    Runs before LocaleMiddleware: without Accept-Language it falls back to the language
    cookie set by the language switcher, then to LANGUAGE_CODE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_current_ip(client_ip(request))
        try:
            with per_request():  # the working-day calendar is checked once per request
                return self.get_response(request)
        finally:
            reset_current_ip(token)


class IdleSessionMiddleware:
    """Expire a session after the security policy's idle time (each request renews it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            request.session.set_expiry(SecurityPolicy.current().session_idle_minutes * 60)
        return self.get_response(request)


class PermissionDeniedAuditMiddleware:
    """Every 403 a signed-in user meets is a security event.

    Written after the view, outside any transaction of the view's (a refused step rolled
    back does not take its entry with it); if the database refuses the entry even after
    `audit.record`'s retries, it goes to the `ecogov.audit` log and the 403 stands.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            audit.record_or_log(
                SecurityEvent.PERMISSION_DENIED,
                username=user.get_username() if user is not None and user.is_authenticated else "",
                ip_address=client_ip(request),
                path=request.get_full_path()[:512],
                detail={"method": request.method},
            )
        return response

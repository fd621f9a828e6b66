import time

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ecogov.core import accounts, audit
from ecogov.core.calendar import per_request
from ecogov.core.context import client_ip, reset_current_ip, set_current_ip
from ecogov.core.models import SecurityEvent, SecurityPolicy


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer (settings ECOGOV_CSP,
    ECOGOV_PERMISSIONS_POLICY; an empty value sends none). A view that sets its own keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        headers = {
            "Content-Security-Policy": settings.ECOGOV_CSP,
            "Permissions-Policy": settings.ECOGOV_PERMISSIONS_POLICY,
        }
        for header, value in headers.items():
            if value and header not in response:
                response[header] = value
        return response


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
    """Expire a session after the security policy's idle time, renewed by the user's requests.

    The renewal is written at most once a minute (RENEW_SECONDS): writing the session on every
    request made every page a database write (on SQLite a lock and a sync per page, the first
    cause of "database is locked" under concurrent reading). The session so ends between
    idle − 1 min and idle after the last request (docs/security.md).
    """

    RENEW_SECONDS = 60
    RENEWED_KEY = "_ecogov_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            session = request.session
            idle = SecurityPolicy.current().session_idle_minutes * 60
            now = int(time.time())
            renewed = session.get(self.RENEWED_KEY)
            if (
                session.get("_session_expiry") != idle  # new session, or the policy changed
                or not isinstance(renewed, int)
                or now - renewed >= self.RENEW_SECONDS
            ):
                session.set_expiry(idle)
                session[self.RENEWED_KEY] = now
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


class MustChangePasswordMiddleware:
    """After a reset (or on a new account's first login) the user sets his own password before
    anything else: every page but the password change, logout and static files leads there.

    The login puts the flag in the session (signals.py); only such a session reads the account's
    flag again, so other requests cost no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(accounts.MUST_CHANGE_SESSION_KEY):
            refused = self._refused(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    @staticmethod
    def _refused(request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not accounts.must_change_password(user):
            request.session.pop(accounts.MUST_CHANGE_SESSION_KEY, None)
            return None
        target = reverse("admin:password_change")
        allowed = (
            target,
            reverse("admin:password_change_done"),
            reverse("admin:logout"),
            reverse("admin:jsi18n"),
            reverse("set_language"),
        )
        if request.path in allowed or request.path.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            return None
        message = _("您的密码由他人设置(新建账户或密码重置),请先修改密码,再使用系统。")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        return HttpResponseRedirect(target)

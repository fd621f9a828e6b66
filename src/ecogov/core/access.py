"""The access matrix: every role × every ledger × every action, allowed or denied (issue 15).

The ledgers are discovered, never listed by hand: every screen of the back-office registry and
every collection of the API router (`ledgers()`), so a new screen or endpoint is in the matrix
the day it is registered. What each role may do follows from the roles' definition alone
(`expected()`): the model permissions `roles.ROLE_PERMISSIONS` gives the role, and for a
scoped ledger whether the role writes (`roles.WRITER_ROLES`); what a screen offers at all (an
add form, a detail step, an export) is what it offers the installation's superuser.

tests/core/test_access_matrix.py asks every screen and endpoint, as a demo user of each role,
and compares; `ecogov access_matrix` writes the same expectations as docs/access-matrix.md.
Within what a role may do, a county user reaches only his county's records (the test also
asserts that another county's records are a 404, or not found, through every door).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory

from ecogov.core.references import is_scoped
from ecogov.core.roles import ROLE_PERMISSIONS, WRITER_ROLES, Role

# (key, Chinese heading, one-character mark in the document)
ACTIONS = (
    ("list", "列表", "列"),
    ("view", "查看", "查"),
    ("create", "新建", "建"),
    ("edit", "修改", "改"),
    ("state", "办理(状态变更)", "办"),
    ("export", "导出", "导"),
    ("api_read", "接口读取", "读"),
    ("api_write", "接口新建", "写"),
)
ACTION_KEYS = tuple(key for key, _h, _m in ACTIONS)


@dataclass
class ApiCollection:
    path: str  # /api/<area>/<collection>/
    viewset: type
    creates: bool
    exports: bool


@dataclass
class Ledger:
    model: type
    admin: admin.ModelAdmin | None = None
    api: list[ApiCollection] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def area(self) -> str:
        return self.model._meta.app_label

    @property
    def scoped(self) -> bool:
        return is_scoped(self.model)


def _viewset_model(viewset):
    queryset = getattr(viewset, "queryset", None)
    if queryset is not None:
        return queryset.model
    if getattr(viewset, "model", None) is not None:
        return viewset.model
    serializer = getattr(viewset, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _api_collections() -> Iterator[tuple[type, ApiCollection]]:
    """(model, collection) for every list route of the API router under /api/."""
    from django.urls import get_resolver, reverse

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern, prefix + str(pattern.pattern))
                continue
            callback = pattern.callback
            actions = getattr(callback, "actions", None) or {}
            if prefix.startswith("api/") and "list" in actions.values() and pattern.name:
                yield pattern, callback

    seen = set()
    for pattern, callback in walk(get_resolver(), ""):
        if pattern.name in seen:
            continue  # the same route with a format suffix
        seen.add(pattern.name)
        viewset = callback.cls
        model = _viewset_model(viewset)
        if model is None:
            continue
        path = reverse(pattern.name)
        exports = callable(getattr(viewset, "export", None))
        creates = "create" in callback.actions.values()
        yield model, ApiCollection(path, viewset, creates, exports)


def ledgers() -> list[Ledger]:
    """Every back-office screen and every API collection, by model, in a stable order."""
    import ecogov.urls  # noqa: F401  (registers every area's screens and routes)

    found: dict[type, Ledger] = {}
    for model, model_admin in admin.site._registry.items():
        found.setdefault(model, Ledger(model)).admin = model_admin
    for model, collection in _api_collections():
        found.setdefault(model, Ledger(model)).api.append(collection)
    return sorted(found.values(), key=lambda ledger: ledger.key)


# --- what a screen offers at all: what it offers the superuser ---------------------------------
def superuser_request(path: str = "/admin/"):
    request = RequestFactory().get(path)
    request.user = User(username="matrix-superuser", is_superuser=True, is_staff=True)
    request.user.is_active = True
    request.user._ecogov_roles = frozenset()  # no role: what a screen offers beyond the roles'
    return request


def _edit_record_actions(model_admin) -> list[str]:
    names = []
    for name in getattr(model_admin, "actions_detail", None) or []:
        method = getattr(model_admin, name, None) if isinstance(name, str) else None
        if "edit_record" in (getattr(method, "allowed_permissions", None) or ()):
            names.append(name)
    return names


def export_actions(model_admin, request) -> list[str]:
    return [name for name in model_admin.get_actions(request) if "export" in name]


def offered(ledger: Ledger) -> dict[str, bool]:
    """The actions the ledger's doors offer at all."""
    ma = ledger.admin
    request = superuser_request()
    return {
        "list": ma is not None,
        "view": ma is not None,
        "create": ma is not None and ma.has_add_permission(request),
        "edit": ma is not None and ma.has_change_permission(request),
        "state": ma is not None and bool(_edit_record_actions(ma)),
        "export": (ma is not None and bool(export_actions(ma, request)))
        or any(c.exports for c in ledger.api),
        "api_read": bool(ledger.api),
        "api_write": any(c.creates for c in ledger.api),
    }


# --- what a role may do: from the roles' definition ----------------------------------------------
def _perm(ledger: Ledger, action: str) -> str:
    opts = ledger.model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def role_may(role: str, ledger: Ledger, action: str) -> bool:
    """What ROLE_PERMISSIONS (and, for a scoped ledger, WRITER_ROLES) lets the role do."""
    perms = set(ROLE_PERMISSIONS[role])
    reads = _perm(ledger, "view") in perms or _perm(ledger, "change") in perms
    writes_scope = not ledger.scoped or role in WRITER_ROLES
    if action in ("list", "view", "export", "api_read"):
        return reads
    if action in ("create", "api_write"):
        return _perm(ledger, "add") in perms and writes_scope
    if action in ("edit", "state"):
        return _perm(ledger, "change") in perms and writes_scope
    raise ValueError(action)


def expected(role: str, ledger: Ledger, offers: dict[str, bool] | None = None) -> dict:
    """{action: True (allowed) / False (denied) / None (the ledger offers no such action)}."""
    offers = offered(ledger) if offers is None else offers
    return {a: (role_may(role, ledger, a) if offers[a] else None) for a in ACTION_KEYS}


ROLES = [role for role in Role]

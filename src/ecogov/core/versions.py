"""Optimistic locking: the version of a stored record, and the refusal of a stale save.

A record's version is a keyed digest of its row as stored (every concrete column, and the ids of
its many-to-many lists), read from the database: no version column, no migration, and every
write path changes it (a service, a step, an import, a bulk job). The API sends it as the
`ETag` and honours `If-Match` (`core.api_views.Versioned`); a back-office form carries it in a
hidden field (`versioned_form`, used by `core.admin.base.AdminBase` and the case step pages).
The check reads the row locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's transactions take
the write lock when they begin), inside the transaction that writes, so two saves of one version
cannot both pass. docs/security.md, “并发修改(乐观锁)”; docs/decisions/0008-optimistic-locking.md.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ecogov.core.display import readable

SALT = "ecogov.core.versions"
FIELD = "record_version"  # the hidden field of a versioned form
LONG = 2000  # a value longer than this (as JSON) travels in a form's token by its digest only
SHORT = 60  # a value shown in the refusal is cut to this many characters
SECRET = frozenset({"password"})  # never put in a token (the account page shows no hash either)


# --- the version ---------------------------------------------------------------------------------
def _plain(value):
    """JSON for what the database gives back beyond JSON's own types."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return str(value)


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=_plain, separators=(",", ":"))


def _digest(text: str) -> str:
    # keyed: a version must not let someone who reads a masked record test guesses of the
    # personal data it hides (the digest covers every column)
    return salted_hmac(SALT, text, algorithm="sha256").hexdigest()[:32]


def stored(model, pk, *, lock: bool = False) -> dict | None:
    """The record's values as stored, by column (`division_id`) and many-to-many list (sorted
    ids); with `lock`, the row stays locked until the transaction ends. None if it is gone."""
    model = model._meta.concrete_model
    rows = model._base_manager.filter(pk=pk).order_by()
    if lock:
        rows = rows.select_for_update()
    values = list(rows.values(*[f.attname for f in model._meta.concrete_fields]))
    if not values:
        return None
    row = values[0]
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through._meta
        own = through.get_field(m2m.m2m_field_name()).attname
        other = through.get_field(m2m.m2m_reverse_field_name()).attname
        ids = through.model._base_manager.filter(**{own: pk}).values_list(other, flat=True)
        row[m2m.name] = sorted(ids)
    return row


def digest(values: dict) -> str:
    return _digest(_json(values))


def version_of(model, pk, *, lock: bool = False) -> str | None:
    """The record's current version (None if it is gone)."""
    values = stored(model, pk, lock=lock)
    return None if values is None else digest(values)


# --- a form's token: the version it was opened on, and the values it showed ------------------
def _key(model, name: str) -> str | None:
    """The stored key of a field shown on a form (its column or its many-to-many list)."""
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form field that is not a model field (a reason, a file)
        return None
    if f.many_to_many and not f.auto_created:
        return f.name
    return f.attname if getattr(f, "concrete", False) else None


def _kept(value):
    text = _json(value)
    return {"#": _digest(text)} if len(text) > LONG else json.loads(text)


def token(record, shown) -> str:
    """The signed token a form carries: the record's version and the values of the fields it
    shows (which the person saw, to say what changed since)."""
    model = type(record)
    values = stored(model, record.pk) or {}
    keys = {name: _key(model, name) for name in shown if name not in SECRET}
    seen = {name: _kept(values[key]) for name, key in keys.items() if key in values}
    return signing.dumps(
        {"v": digest(values), "t": timezone.now().isoformat(), "s": seen},
        salt=SALT,
        compress=True,
    )


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Check:
    stale: bool
    token: str = ""  # the current one, for the form shown again
    changes: list[Change] = field(default_factory=list)
    by: str = ""  # who saved last, when the record keeps a history


def check(record, sent: str, shown) -> Check:
    """Whether the record is still at the version `sent` (a token) was made at. Locks the row:
    call it inside the transaction that writes."""
    model = type(record)
    values = stored(model, record.pk, lock=True)
    if values is None:
        return Check(stale=True)
    try:
        seen = signing.loads(sent, salt=SALT)
    except signing.BadSignature:
        seen = {"v": "", "s": {}, "t": ""}
    current = digest(values)
    if seen.get("v") == current:
        return Check(stale=False, token=sent)
    changes = []
    for name, before in (seen.get("s") or {}).items():
        key = _key(model, name)
        if key is None or key not in values:
            continue
        now = _kept(values[key])
        if now != before:
            changes.append(
                Change(_label(model, name), _shown(model, name, before), _shown(model, name, now))
            )
    return Check(
        stale=True,
        token=token(record, shown),
        changes=changes,
        by=_last_editor(model, record.pk, seen.get("t")),
    )


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _shown(model, name: str, value) -> str:
    """A stored value (as JSON) as a person reads it."""
    if isinstance(value, dict) and set(value) == {"#"}:
        return _("(长文本)")
    f = model._meta.get_field(name)
    if f.many_to_many:
        found = f.related_model._base_manager.filter(pk__in=value or [])
        text = "、".join(str(o) for o in found) or "—"
    elif f.is_relation:
        found = f.related_model._base_manager.filter(pk=value).first() if value else None
        text = str(found) if found is not None else "—"
    elif isinstance(f, models.DateTimeField) and value:
        moment = parse_datetime(value)
        text = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else value
    else:
        text = readable(value, f)
    return text if len(text) <= SHORT else text[:SHORT] + "…"


def _last_editor(model, pk, since: str | None) -> str:
    """Who saved the record after `since`, from its history (if it keeps one)."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    moment = parse_datetime(since) if since else None
    if attribute is None or moment is None:
        return ""
    last = (
        getattr(model, attribute)
        .filter(**{model._meta.pk.attname: pk}, history_date__gt=moment)
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    if last is None or last.history_user is None:
        return ""
    user = last.history_user
    name = getattr(getattr(user, "staff", None), "full_name", "") or user.get_username()
    when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M")
    return _("%(who)s于%(when)s") % {"who": name, "when": when}


def stale_message(result: Check) -> str:
    """The refusal shown at the top of a stale form: who, what changed (old → new), what now."""
    head = _("未保存:该记录在您打开之后已被他人修改%(by)s。") % {
        "by": _("(%(by)s)") % {"by": result.by} if result.by else ""
    }
    if result.changes:
        listed = ";".join(f"{c.label}:{c.before} → {c.after}" for c in result.changes)
        what = _("对方修改了:%(changes)s。") % {"changes": listed}
    else:
        what = _("对方修改的内容不在本页显示。")
    return head + what + _("您填写的内容仍保留在下方,请核对;再次保存将以您填写的内容为准。")


# --- forms ---------------------------------------------------------------------------------------
def versioned_form(form_class, record, shown):
    """`form_class` carrying the version of `record` it was opened on (hidden field
    `record_version`) and refusing, when bound, a version that is no longer the record's: the
    refusal names what changed and the field gets the current version, so that saving again
    (after reading) goes through. A form posted without the field is not checked (docs).

    `clean()` locks the row: the form must be validated inside the transaction that writes (the
    admin's change view is one; a custom page wraps its POST in `transaction.atomic`)."""
    shown = list(shown)

    class Versioned(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            version = forms.CharField(widget=forms.HiddenInput, required=False)
            name = self.add_prefix(FIELD)
            # bound: the version sent is the field's starting value, so that it never counts as
            # a changed field (the admin's change message)
            version.initial = self.data.get(name, "") if self.is_bound else token(record, shown)
            self.fields[FIELD] = version

        def clean(self):
            data = super().clean()
            # the version is the form's, not the service's input (steps pass cleaned_data on)
            self.cleaned_data.pop(FIELD, None)
            if data is not None:
                data.pop(FIELD, None)
            sent = self.data.get(self.add_prefix(FIELD)) or ""
            if sent:
                result = check(record, sent, shown)
                if result.stale:
                    self.add_error(None, stale_message(result))
                    self.data = self.data.copy()
                    self.data[self.add_prefix(FIELD)] = result.token
            return data

    Versioned.__name__ = form_class.__name__
    return Versioned

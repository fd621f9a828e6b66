"""Model fields of personal data encrypted at rest, and their blind indexes (ecogov.core.crypto).

    complainant_phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True)
    complainant_phone_bidx = BlindIndexField(source="complainant_phone", kind="phone")

The encrypted field behaves as a CharField in Python, forms and the admin (its `max_length`
checks the plaintext); the column is text holding the token. An empty value stays empty (so
"has a phone number" remains a plain SQL question). No lookup but `isnull` and comparing with
'' reaches SQL: a search for a value goes through the blind index (`blind_q`), ordering and
`icontains` are refused with an error rather than silently matching nothing.

The blind index is kept by the field itself when the row is saved (`pre_save`, also for
`bulk_create` and the history rows). Writers that name the fields they save
(`save(update_fields=…)`, `bulk_update`, `QuerySet.update`) add the indexes with
`with_indexes(model, fields)` after `refresh_indexes(obj)`; `PersonalDataModel.save` does it for
`update_fields`.
"""

from __future__ import annotations

from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact, IsNull

from ecogov.core import crypto


class _BlankExact(Exact):
    """`field=''` (no value) is a plain SQL question; `field='某某'` must use the blind index."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"加密字段 {self.lhs.target.name} 不能按值在数据库中查找:请用其盲索引(blind_q)。"
            )
        return self.rhs


class EncryptedCharField(models.CharField):
    description = "Text encrypted at rest (AES-256-GCM), a CharField in forms"

    def __init__(self, *args, context: str | None = None, **kwargs):
        self.context = context
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.context = self.context or name

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "ecogov.core.fields.EncryptedCharField", args, kwargs

    def get_internal_type(self):
        return "TextField"  # the token is longer than the plaintext's max_length

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value, context=self.context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value, context=self.context)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _BlankExact
        if lookup_name == "isnull":
            return IsNull
        return None  # FieldError: "Unsupported lookup … for EncryptedCharField"

    def get_transform(self, lookup_name):
        return None


class BlindIndexField(models.CharField):
    """HMAC of the normalised value of `source` (crypto.blind_index), kept on every save."""

    def __init__(self, *args, source: str, kind: str, **kwargs):
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", crypto.INDEX_LENGTH)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        for key, default in (
            ("max_length", crypto.INDEX_LENGTH),
            ("blank", True),
            ("default", ""),
            ("editable", False),
        ):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, "ecogov.core.fields.BlindIndexField", args, kwargs

    def value_for(self, instance) -> str:
        return crypto.blind_index(getattr(instance, self.source) or "", self.kind)

    def pre_save(self, model_instance, add):
        value = self.value_for(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def index_fields(model) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def encrypted_fields(model) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def refresh_indexes(instance) -> None:
    for field in index_fields(type(instance)):
        setattr(instance, field.attname, field.value_for(instance))


def fill_indexes(model, values: dict) -> None:
    """For writers of raw rows (attname → value): the indexes from the plaintext values."""
    for field in index_fields(model):
        values[field.attname] = crypto.blind_index(values.get(field.source) or "", field.kind)


def with_indexes(model, fields):
    """`fields` (names or attnames) and the blind indexes of the encrypted ones among them."""
    if fields is None:
        return None
    fields = list(fields)
    named = set(fields)
    extra = [f.name for f in index_fields(model) if f.source in named and f.name not in named]
    return fields + extra


def blind_q(model, term: str, *, sources: list[str] | None = None) -> Q:
    """Rows where one of the model's indexed personal fields equals `term` (normalised per
    field kind), under any configured key. An empty term matches nothing."""
    q = Q(pk__in=[])
    for field in index_fields(model):
        if sources is not None and field.source not in sources:
            continue
        values = crypto.blind_indexes(term, field.kind)
        if values:
            q |= Q(**{f"{field.name}__in": values})
    return q


def personal_search(model, user, term: str) -> Q:
    """Rows whose person is `term` (whole name, ID or phone number), among the rows `user`
    handles: who may not see a record's personal data cannot use the search to test whether
    someone is its petitioner or party either."""
    term = (term or "").strip()
    if not term:
        return Q(pk__in=[])
    return Q(pk__in=model.objects.editable_by(user).filter(blind_q(model, term)).values("pk"))


class PersonalDataModel(models.Model):
    """Adds the blind indexes to a save that names the encrypted fields it writes."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_indexes(type(self), kwargs["update_fields"])
        super().save(*args, **kwargs)

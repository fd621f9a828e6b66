"""The OpenAPI description of a step's body, from the Django form that parses it (docs/api.md).

A state change over the API (`…/{id}/steps/{step}/`) is parsed by the same form as the back
office's button (core/api_input.form_input); the form, not a serializer, is the truth of what
the body holds. `step_request(prefix, step_forms)` describes each step's form as a serializer
— only for the schema, never to parse — and the body of the operation as one of them; the
`step` path parameter lists the steps.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from ecogov.core.backdating import REASON_FIELD
from ecogov.core.steps import Steps


def _common(field: forms.Field) -> dict:
    return {
        "label": str(field.label) if field.label else None,
        "help_text": str(field.help_text) if field.help_text else None,
        "required": bool(field.required),
    }


def _choices(field: forms.ChoiceField) -> list:
    return [(value, label) for value, label in field.choices if not isinstance(label, list | tuple)]


def _inline_enum(base, choices: list, many: bool = False, **kw) -> serializers.Field:
    """A choice field documented in place (values, and their labels in the description): a
    step's form shares field names like `kind` with models whose choices differ, and named
    enum components would collide (drf-spectacular's W001)."""
    values = [str(value) for value, _label in choices]
    labels = "; ".join(f"{value}: {label}" for value, label in choices if value != "")
    schema: dict = {"type": "string", "enum": values}
    if many:
        schema = {"type": "array", "items": schema}
    if kw.get("label"):
        schema["title"] = kw["label"]
    schema["description"] = " ".join(x for x in (kw.get("help_text") or "", labels) if x)
    documented = extend_schema_field(schema)(type(base.__name__, (base,), {}))
    return documented(choices=choices, **kw)


def describe(field: forms.Field) -> serializers.Field:
    """The serializer field that documents what `field` accepts."""
    kw = _common(field)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **kw)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(**kw)  # the record's id
    if isinstance(field, forms.MultipleChoiceField):
        return _inline_enum(serializers.MultipleChoiceField, _choices(field), many=True, **kw)
    if isinstance(field, forms.ChoiceField) and _choices(field):
        return _inline_enum(serializers.ChoiceField, _choices(field), **kw)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**{**kw, "required": False})
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(**kw)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(max_digits=None, decimal_places=None, **kw)
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**kw)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**kw)
    if isinstance(field, forms.FileField):
        return serializers.FileField(**kw)
    return serializers.CharField(**{**kw, "allow_blank": not field.required})


def form_serializer(form_class: type[forms.BaseForm], name: str) -> type[serializers.Serializer]:
    """A serializer class named `name` describing the form's fields (and the late-entry reason
    the API adds to any step that takes a date: core/backdating.py)."""
    fields = {key: describe(field) for key, field in form_class.base_fields.items()}
    if any(isinstance(f, forms.DateField) for f in form_class.base_fields.values()):
        fields[REASON_FIELD] = serializers.CharField(
            label=_("补录理由"),
            required=False,
            allow_blank=True,
            help_text=_("办理日期早于今天较久(补录)时必填。"),
        )
    return type(f"{name}Serializer", (serializers.Serializer,), fields)


def _camel(step: str) -> str:
    return "".join(part.capitalize() for part in step.split("_"))


def _forms(steps: Steps) -> dict:
    """Each step's form, by the step's name."""
    return {name: step.form for name, step in steps.items()}


def step_request(prefix: str, step_forms: Steps, labels: dict | None = None):
    """(request, parameters) for `extend_schema` of a `steps/{step}/` action: the body is one
    of the steps' forms (components `<prefix><Step>`), `step` names them (described by
    `labels`, else by the table's own)."""
    labels = labels or step_forms.labels()
    request = PolymorphicProxySerializer(
        component_name=f"{prefix}Step",
        serializers=[
            form_serializer(form_class, f"{prefix}{_camel(step)}")
            for step, form_class in _forms(step_forms).items()
        ],
        resource_type_field_name=None,
    )
    described = "; ".join(
        f"{step}: {labels[step]}" if labels and step in labels else step for step in step_forms
    )
    step = OpenApiParameter(
        "step",
        str,
        OpenApiParameter.PATH,
        enum=list(step_forms),
        description=str(_("办理的步骤,请求体为该步骤的字段。")) + described,
    )
    return request, [step]


def steps_documented(prefix: str, step_forms: Steps, response, labels: dict | None = None):
    """Class decorator of a viewset whose `step` action runs `step_forms`."""
    request, parameters = step_request(prefix, step_forms, labels)
    return extend_schema_view(
        step=extend_schema(request=request, parameters=parameters, responses={200: response})
    )

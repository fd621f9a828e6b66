"""Reading API input, shared by every area's api.py: the JSON body is an object, a year lies in
the years the bureau works with, and a JSON body fits the Django form of a step.

Each refusal is a 400 whose message is Chinese and names the field (docs/security.md, “错误输入”).
"""

from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError

from ecogov.core.api_errors import Invalid
from ecogov.core.figures import FIRST_YEAR, LAST_YEAR


def _kind_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("布尔值")
    if isinstance(value, (int, float)):
        return _("数字")
    if isinstance(value, str):
        return _("字符串")
    if isinstance(value, list):
        return _("列表")
    return _("对象")


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def refuse_nul(items) -> None:
    """A NUL character (\\u0000) anywhere in a field's value is a 400 naming the field: no
    text with one can be stored (PostgreSQL refuses it), nor looked up."""
    fields = [str(key) for key, value in items if _holds_nul(key) or _holds_nul(value)]
    if fields:
        raise Invalid({name: [_("不能含有 NUL 字符(\\u0000)。")] for name in fields})


class JSONObjectParser(parsers.JSONParser):
    """A JSON body is one object, `{"字段": 值, …}`: a list, a string, a number or null is a 400
    here, not an AttributeError in the view that reads `request.data.get(…)`. DRF's English
    “JSON parse error - …” is said in Chinese with the line and column."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            cause = exc.__context__
            if isinstance(cause, json.JSONDecodeError):
                raise ParseError(
                    _("请求体不是有效的 JSON(第 %(line)s 行第 %(column)s 列有误)。")
                    % {"line": cause.lineno, "column": cause.colno}
                ) from None
            raise ParseError(
                _("请求体不是有效的 JSON(应为 UTF-8 编码,不含 NaN 或 Infinity)。")
            ) from None
        if not isinstance(data, dict):
            raise ParseError(
                _('请求体应为 JSON 对象,如 {"字段": 值},而不是%(kind)s。')
                % {"kind": _kind_of(data)}
            )
        refuse_nul(data.items())
        return data


class FormParser(parsers.FormParser):
    """An urlencoded form, with no NUL character in its values."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_nul(data.lists())
        return data


class MultiPartParser(parsers.MultiPartParser):
    """A multipart form, with no NUL character in its text fields."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        refuse_nul(parsed.data.lists())
        return parsed


YEAR_MESSAGE = format_lazy(
    gettext_lazy("应为{first}至{last}之间的年份,如 2020。"), first=FIRST_YEAR, last=LAST_YEAR
)


class YearField(serializers.IntegerField):
    """A year from FIRST_YEAR to LAST_YEAR: -1, 0, 10000 or 2^63 is refused here, not by
    `datetime.date()` or the database further in."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        kwargs["error_messages"] = {
            "invalid": YEAR_MESSAGE,
            "min_value": YEAR_MESSAGE,
            "max_value": YEAR_MESSAGE,
            "max_string_length": YEAR_MESSAGE,
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)


# The days a record may carry: wide enough for an old normative document, narrow enough that
# no deadline computed from one leaves the calendar (date.max is 9999-12-31).
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
DAY_MESSAGE = format_lazy(
    gettext_lazy("应为{first}年至{last}年间的日期。"), first=FIRST_DAY.year, last=LAST_DAY.year
)


def day_out_of_range(value) -> bool:
    """A date or datetime outside FIRST_DAY..LAST_DAY."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return isinstance(value, dt.date) and not FIRST_DAY <= value <= LAST_DAY


class DayField(serializers.DateField):
    """A date from FIRST_DAY to LAST_DAY: 0001-01-01 or 9999-12-31 is refused here, not by
    `date - timedelta` in a service (OverflowError)."""

    default_error_messages = {"out_of_range": DAY_MESSAGE}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if day_out_of_range(day):
            self.fail("out_of_range")
        return day


class MomentField(serializers.DateTimeField):
    """A date and time whose day lies from FIRST_DAY to LAST_DAY."""

    default_error_messages = {"out_of_range": DAY_MESSAGE}

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if day_out_of_range(moment):
            self.fail("out_of_range")
        return moment


def query_year(params, name: str = "year", *, required: bool = True) -> int | None:
    """`?year=2020` as an int; any other text, or a year outside the range, is a 400 naming
    the parameter."""
    text = (params.get(name) or "").strip()
    if not text and not required:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 4:
        year = int(text)
        if FIRST_YEAR <= year <= LAST_YEAR:
            return year
    raise Invalid({name: [str(YEAR_MESSAGE)]}, labels={name: _("年度")})


def query_date(params, name: str, *, label: str) -> dt.date | None:
    """`?until=2020-11-30` as a date (None if absent); any other text, or a day outside the
    years, is a 400 naming the parameter."""
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Invalid(
            {
                name: [
                    _("应为%(first)s至%(last)s年间 YYYY-MM-DD 格式的日期,如 2020-11-30。")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR}
                ]
            },
            labels={name: label},
        )
    return day


# --- a JSON body for a Django form ---------------------------------------------------------------
_MULTIPLE = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)
_SCALAR = (str, int, float)


def _form_value(field: forms.Field, value):
    """The JSON value as the form reads it from a posted form, or None if it cannot be; null
    is an empty field."""
    if isinstance(field, _MULTIPLE):
        if value is None:
            return []
        if isinstance(value, list) and all(
            isinstance(v, _SCALAR) and not isinstance(v, bool) for v in value
        ):
            return [str(v) for v in value]
        return None
    if value is None:
        return ""
    if isinstance(field, forms.BooleanField):
        return value if isinstance(value, (bool, str, int)) else None
    if isinstance(value, _SCALAR) and not isinstance(value, bool):
        return str(value)
    return None


def _expected(field: forms.Field) -> str:
    if isinstance(field, _MULTIPLE):
        return _('列表,如 ["a", "b"]')
    if isinstance(field, forms.BooleanField):
        return _("true 或 false")
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        return _("YYYY-MM-DD 格式的日期文本")
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return _("数字")
    return _("文本")


def form_input(form_class: type[forms.BaseForm], request) -> tuple[dict | QueryDict, dict | None]:
    """The request body as the (data, files) a Django form takes.

    A field the body leaves out takes its initial value (a JSON body turns off a checkbox that
    is on by default by saying `false`). A JSON value the field cannot read — an object, a
    list for a single field, a number for a list — is a 400 naming the field; numbers are read
    as their text, as a posted form would send them. Uploaded files are handed on as they are:
    never copied, since one over FILE_UPLOAD_MAX_MEMORY_SIZE lives in an open temporary file.
    """
    fields = form_class.base_fields
    if isinstance(request.data, QueryDict):  # a posted form (multipart or urlencoded)
        data, files = request.POST.copy(), request.FILES or None  # POST: the text fields only
    else:
        data, files, errors = {}, None, {}
        for name, value in request.data.items():
            field = fields.get(name)
            if field is None:  # not the form's (the form does not read it)
                data[name] = value
                continue
            read = _form_value(field, value)
            if read is None:
                errors[name] = [
                    _("应为%(expected)s,而不是%(kind)s。")
                    % {"expected": _expected(field), "kind": _kind_of(value)}
                ]
            else:
                data[name] = read
        if errors:
            raise Invalid(errors, labels={n: f.label for n, f in fields.items()})
    for name, field in fields.items():
        if field.initial is not None and name not in data:
            data[name] = field.initial
    return data, files


def form_cleaned(form: forms.BaseForm) -> dict:
    """The form's cleaned data, or a 400 with its errors by field (labels in the summary); a
    day outside FIRST_DAY..LAST_DAY is one of them."""
    if form.is_valid():
        for name, value in list(form.cleaned_data.items()):
            if day_out_of_range(value):
                form.add_error(name, str(DAY_MESSAGE))
    if form.errors:
        raise Invalid.from_form(form)
    return form.cleaned_data

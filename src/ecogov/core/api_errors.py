"""API error handling and naming shared by every area's api.py.

Every error the API answers is one JSON object with a Chinese `detail` (docs/security.md,
“错误输入”):

    {"detail": "报告年度:应为2000至2100之间的年份,如 2020。", "year": ["应为2000至2100之间的年份,如 2020。"]}

Bad input (400) also keeps DRF's errors by field, each a list of messages, errors not tied to a
field under `non_field_errors`; `detail` then names every field by its Chinese label. Other
errors (401, 403, 404, 405, 409, 415, …) carry `detail` alone. Errors Django answers before or
after the API's views — an unknown address under /api/, a body over the size limit, a server
error — have the same shape (`bad_request`, `page_not_found`, `server_error`, set in urls.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings

from ecogov.core.spreadsheet import LedgerImportError

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"
HAN = re.compile(r"[\u4e00-\u9fff]")


def view_name(view) -> str:
    """The browsable API's page names in Chinese ("行政处罚案件列表", not "Case List")."""
    model = getattr(getattr(view, "queryset", None), "model", None) or getattr(
        getattr(getattr(view, "serializer_class", None), "Meta", None), "model", None
    )
    suffix = getattr(view, "suffix", None)
    if model is not None:
        label = str(model._meta.verbose_name)
        return label + {"List": _("列表"), "Instance": _("详情")}.get(suffix, "")
    name = getattr(view, "name", None)
    if name:
        return str(name)
    doc = (view.__class__.__doc__ or "").strip().splitlines()
    return doc[0] if doc and not doc[0].isascii() else _("接口")


class Invalid(exceptions.ValidationError):
    """A 400 by field whose `detail` names the fields by the labels given (a form's fields, a
    query parameter), for errors that do not come from a serializer."""

    def __init__(self, detail, *, labels: dict | None = None):
        super().__init__(detail)
        self.labels = {name: str(label) for name, label in (labels or {}).items() if label}

    @classmethod
    def from_form(cls, form) -> Invalid:
        return cls(
            {_key(name): [str(e) for e in errors] for name, errors in form.errors.items()},
            labels=labels_of(form),
        )

    @classmethod
    def from_django(cls, exc: DjangoValidationError, *, labels: dict | None = None) -> Invalid:
        """A service's refusal (Django's ValidationError), by the fields it names."""
        if hasattr(exc, "error_dict"):
            return cls({_key(k): v for k, v in exc.message_dict.items()}, labels=labels)
        return cls({NON_FIELD: exc.messages}, labels=labels)


def labels_of(form) -> dict:
    """The field labels of a Django form or a DRF serializer, by name."""
    return {name: field.label for name, field in form.fields.items()}


def _key(name: str) -> str:
    return NON_FIELD if name == NON_FIELD_ERRORS else name


# --- what the summary calls each field ---------------------------------------------------------
def _model_labels(view) -> dict:
    model = getattr(view, "model", None) or getattr(getattr(view, "queryset", None), "model", None)
    if model is None and hasattr(view, "get_queryset"):
        try:
            model = view.get_queryset().model
        except Exception:  # noqa: BLE001 - labels only decorate the answer; never fail it
            model = None
    if model is None:
        return {}
    return {
        f.name: str(f.verbose_name)
        for f in model._meta.get_fields()
        if getattr(f, "verbose_name", None) and not f.auto_created
    }


def _fields_of(parser) -> dict:
    """The fields of a serializer (a list's child) or a form, by name."""
    if isinstance(parser, serializers.ListSerializer):
        parser = parser.child
    fields = getattr(parser, "fields", None)
    return fields if isinstance(fields, Mapping) else {}


def _label(name, fields: dict, labels: dict) -> str | None:
    if name == NON_FIELD:
        return None
    if name in labels:
        return labels[name]
    label = getattr(fields.get(name), "label", None)
    return str(label) if label else str(name)


def _texts(errors, fields: dict, labels: dict):
    """Every message of an error structure, each prefixed with where it lies."""
    if isinstance(errors, dict):
        for name, value in errors.items():
            label = _label(name, fields, labels)
            for text in _texts(value, _fields_of(fields.get(name)), {}):
                yield text if label is None or label in text else f"{label}:{text}"
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if isinstance(value, (dict, list)):
                for text in _texts(value, fields, {}):
                    yield _("第%(n)s项") % {"n": index + 1} + text
            else:
                yield str(value)
    else:
        yield str(errors)


def _summary(errors, fields: dict, labels: dict) -> str:
    texts = [t.rstrip("。") for t in _texts(errors, fields, labels) if t]
    return ";".join(dict.fromkeys(texts)) + "。" if texts else _("输入有误。")


# --- the one shape -------------------------------------------------------------------------------
FALLBACK = {
    400: gettext_lazy("请求无效,请检查请求体和参数。"),
    401: gettext_lazy("身份认证信息未提供或已失效,请重新登录。"),
    403: gettext_lazy("您没有执行该操作的权限。"),
    404: gettext_lazy("未找到该记录,或该记录不在您的数据范围内。"),
    405: gettext_lazy("该地址不接受这种请求方法。"),
    406: gettext_lazy("无法按请求的格式返回结果。"),
    415: gettext_lazy("不支持请求体的格式,请以 JSON 对象或 multipart 表单提交。"),
    429: gettext_lazy("请求过于频繁,请稍后再试。"),
}


def _chinese(text, status: int) -> str:
    """The message if it is Chinese; else (an English one a package left) the status's own."""
    text = str(text)
    return text if HAN.search(text) else str(FALLBACK.get(status, FALLBACK[400]))


def _in_chinese(errors):
    """Each message of an error structure, an English one (DRF's untranslatable “No data
    provided”) replaced by the 400's own."""
    if isinstance(errors, dict):
        return {k: _in_chinese(v) for k, v in errors.items()}
    if isinstance(errors, list):
        return [_in_chinese(v) for v in errors]
    return errors if HAN.search(str(errors)) else _chinese(errors, 400)


def error_body(exc, data, status: int, view=None) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {NON_FIELD: data}
        errors = {
            k: _in_chinese(v if isinstance(v, (list, dict)) else [v]) for k, v in errors.items()
        }
        fields = _fields_of(getattr(exc.detail, "serializer", None))
        labels = {**_model_labels(view), **getattr(exc, "labels", {})}
        return {"detail": _summary(errors, fields, labels), **errors}
    if isinstance(data, dict) and "detail" in data:
        return {**data, "detail": _chinese(data["detail"], status)}
    return {"detail": _chinese(_summary(data, {}, {}), status)}


def exception_handler(exc, context):
    """A missing record is a 404 in Chinese that does not say whether it exists outside the
    user's scope; a service's Django ValidationError a 400 naming the fields; a refused ledger
    import a 400 with every problem by row and column (row 0: the file as a whole); every answer
    in the one shape. Anything else is a crash, answered by `server_error`."""
    # imported here: rest_framework.views reads the parsers of the settings, which are this
    # module's neighbours (core/api_input.py) and import it
    from rest_framework.views import exception_handler as drf_exception_handler
    from rest_framework.views import set_rollback

    if isinstance(exc, LedgerImportError):
        set_rollback()
        return Response(
            {
                "detail": str(exc).splitlines()[0],
                "errors": [
                    {"row": e.row, "column": e.column, "message": e.message} for e in exc.errors
                ],
            },
            status=400,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到该记录,或该记录不在您的数据范围内。"))
    if isinstance(exc, DjangoValidationError):
        exc = Invalid.from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(exc, response.data, response.status_code, context.get("view"))
    return response


# --- Django's own error answers under /api/ ------------------------------------------------------
def _api(request) -> bool:
    return request.path.startswith("/api/")


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def bad_request(request, exception, template_name="400.html"):
    if not _api(request):
        return defaults.bad_request(request, exception, template_name)
    if isinstance(exception, RequestDataTooBig):
        return _json(_("请求体过大;文件请以 multipart 表单上传。"), 400)
    return _json(str(FALLBACK[400]), 400)


def page_not_found(request, exception, template_name="404.html"):
    if not _api(request):
        return defaults.page_not_found(request, exception, template_name)
    return _json(_("没有这个接口地址,请查看 /api/docs/。"), 404)


def server_error(request, template_name="500.html"):
    if not _api(request):
        return defaults.server_error(request, template_name)
    return _json(_("服务器内部错误,已记入日志;请稍后重试,或联系系统管理员。"), 500)

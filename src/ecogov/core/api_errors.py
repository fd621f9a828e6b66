"""API error handling and naming shared by every area's api.py."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from ecogov.core.spreadsheet import LedgerImportError


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


def exception_handler(exc, context):
    """Django's ValidationError from a service becomes a 400 naming the fields; a missing record
    a 404 in Chinese that does not say whether it exists outside the user's scope; a refused
    ledger import a 400 with every problem by row and column (row 0: the file as a whole)."""
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
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)

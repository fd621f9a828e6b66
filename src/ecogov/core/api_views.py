"""API pieces an area can share: a scoped viewset whose writes call a service, ledger
upload/download/template actions, the division and choice-label fields."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from ecogov.core.downloads import XLSX, xlsx_response
from ecogov.core.models import Division
from ecogov.core.spreadsheet import rows_over
from ecogov.core.versions import version_of


def division_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        error_messages={"does_not_exist": _("行政区划代码“{value}”不存在。")},
        **kwargs,
    )


class ChoiceLabelField(serializers.CharField):
    """A choice field's Chinese label, read only: `state_label = ChoiceLabelField("state")`.

    Django's `get_<field>_display` makes every choice hashable on each call, translating each
    lazy label (~0.2 ms a call: 11 ms of a 50-row page of penalty cases); this field reads the
    labels once for the serializer (one request) and looks each row's value up."""

    def __init__(self, field: str, **kwargs):
        super().__init__(source=field, read_only=True, **kwargs)
        self._labels: dict | None = None

    def to_representation(self, value):
        if self._labels is None:
            model_field = self.parent.Meta.model._meta.get_field(self.source)
            self._labels = {key: str(label) for key, label in model_field.flatchoices}
        return self._labels.get(value, value)


def changed_only(instance, data: dict) -> dict:
    """The fields whose value differs (many-to-many lists and children always passed on)."""
    out = {}
    for key, value in data.items():
        current = getattr(instance, key, None)
        if hasattr(current, "all") or isinstance(value, list) or current != value:
            out[key] = value
    return out


def rows(items) -> list[dict] | None:
    """Nested children as the services take them (`id` → `pk`)."""
    if items is None:
        return None
    return [
        {**{k: v for k, v in item.items() if k != "id"}, "pk": item.get("id")} for item in items
    ]


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = _(
        "该记录已被他人修改:If-Match 所带的版本(ETag)不是该记录的当前版本,本次操作未执行。"
        "请重新读取该记录(GET),核对后带上新的 ETag 再提交。"
    )
    default_code = "precondition_failed"


def _opaque(tag: str) -> str:
    """An entity tag without its weak mark and quotes: GZipMiddleware marks a compressed answer's
    ETag weak (W/"…"); the version it names is the same."""
    return tag.removeprefix("W/").strip('"')


class Versioned:
    """Optimistic locking for a viewset over records (core.versions; docs/security.md):

    - a record's GET (`retrieve`) answers with its version as the `ETag`;
    - every write to one record (PUT, PATCH, a step, an upload: whatever calls `get_object()`
      with an unsafe method) that sends `If-Match` runs in one transaction that locks the row,
      compares, and writes; a version that is no longer the record's is a 412 with the current
      `ETag`, nothing written. Without `If-Match` the write goes through as before (clients that
      do not lock);
    - a successful write answers with the record's new version as the `ETag`.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.method in permissions.SAFE_METHODS or not request.META.get("HTTP_IF_MATCH"):
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)  # a refusal answered, not raised: nothing kept
        return response

    def get_object(self):
        record = super().get_object()
        self._versioned = type(record), record.pk
        sent = self.request.META.get("HTTP_IF_MATCH")
        if self.request.method in permissions.SAFE_METHODS or not sent:
            return record
        if getattr(self, "_version_checked", False):
            return record
        self._version_checked = True
        current = version_of(type(record), record.pk, lock=True)
        tags = {_opaque(tag) for tag in parse_etags(sent)}
        if "*" not in tags and current not in tags:
            raise PreconditionFailed()
        return record

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_versioned", None)
        wrote = request.method not in permissions.SAFE_METHODS
        reading = getattr(self, "action", None) == "retrieve"
        shown = 200 <= response.status_code < 300 and (wrote or reading)
        if record is not None and (shown or response.status_code == 412):
            version = version_of(*record)
            if version is not None:
                response["ETag"] = quote_etag(version)
        return response


class LedgerViewSet(
    Versioned,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A ledger over the API: list and read in the user's scope (the subclass's queryset);
    create and update only through the area's services, which the subclass names in
    `create_record(data)` and `update_record(record, data)`."""

    def create_record(self, data: dict):
        raise NotImplementedError

    def update_record(self, record, data: dict):
        raise NotImplementedError

    def perform_create(self, serializer):
        serializer.instance = self.create_record(serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.update_record(serializer.instance, serializer.validated_data)


class ServiceViewSet(LedgerViewSet):
    """A ledger whose services take `service_create(user, data, children)` /
    `service_update(user, record, data, children)`; `children` names the nested lists handed
    to the service as rows."""

    model = None
    select = ()
    children: tuple[str, ...] = ()
    # what the rows read of other tables, fetched for the whole page (the nested children too):
    # a list asks a bounded number of queries (tests/core/test_api_query_counts.py)
    prefetch: tuple = ()

    def get_queryset(self):
        return (
            self.model.objects.visible_to(self.request.user)
            .select_related(*self.select)
            .prefetch_related(*self.children, *self.prefetch)
        )

    def _split(self, data: dict) -> tuple[dict, dict]:
        nested = {name: rows(data.pop(name)) for name in self.children if name in data}
        return data, nested

    def create_record(self, data: dict):
        data, nested = self._split(dict(data))
        return type(self).service_create(self.request.user, data, nested)

    def update_record(self, record, data: dict):
        data, nested = self._split(dict(data))
        return type(self).service_update(
            self.request.user, record, changed_only(record, data), nested
        )


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        label=_("文件"),
        error_messages={
            "required": _("请上传 .xlsx 台账文件(字段 file)。"),
            "empty": _("上传的文件是空的。"),
            "invalid": _("请以文件上传(multipart/form-data,字段 file)。"),
        },
    )


class ImportCountsSerializer(serializers.Serializer):
    """What an import wrote: rows created, updated, and already as the file says."""

    created = serializers.IntegerField(label=_("新增"))
    updated = serializers.IntegerField(label=_("更新"))
    unchanged = serializers.IntegerField(label=_("未变"))


def wants_async(request) -> bool:
    """The caller asked for a background job (`Prefer: respond-async`, RFC 7240)."""
    prefer = request.headers.get("Prefer", "")
    return any(p.strip().lower() == "respond-async" for p in prefer.split(","))


def import_action(run, *, options=None):
    """POST a ledger file to `import/`: 200 with the counts, or (core.api_errors) a 400 with
    every problem by row and column. `run(actor=, source=, source_name=, **options(request))`
    is the area's import; `options` reads what else it needs from the request (matters' kind).
    With `Prefer: respond-async`, or for a file of more than `ECOGOV_IMPORT_JOB_ROWS` rows
    (which could outlast the server's request timeout), the file runs as a background job: 202
    with the job (`/api/jobs/<id>/` then gives its state, progress, counts and problems;
    docs/api.md)."""

    def import_ledger(self, request):
        """All or nothing: 400 with every bad cell by row and column, or 200 with counts; with
        `Prefer: respond-async` or a large file, 202 with the background job that imports it."""
        extra = options(request) if options else {}
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        if wants_async(request) or rows_over(file, settings.ECOGOV_IMPORT_JOB_ROWS):
            return _import_job(request, run, file, extra)
        return Response(run(actor=request.user, source=file, source_name=file.name, **extra))

    # the schema after the action (see ledger_actions); the 400's shape is core.api_schema's
    from ecogov.core.api_jobs import JobSerializer

    return extend_schema(
        request=UploadSerializer,
        parameters=[PREFER],
        responses={200: ImportCountsSerializer, 202: JobSerializer},
    )(
        action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])(
            import_ledger
        )
    )


def _prefer(description: str) -> OpenApiParameter:
    """The `Prefer: respond-async` header (RFC 7240) as the schema documents it."""
    return OpenApiParameter(
        "Prefer",
        str,
        OpenApiParameter.HEADER,
        required=False,
        enum=["respond-async"],
        description=description,
    )


PREFER = _prefer(
    str(
        _(
            "respond-async:以后台任务导入,应答 202 及任务(/api/jobs/<id>/)。"
            "文件超过 ECOGOV_IMPORT_JOB_ROWS 行(默认 5000)时不论是否声明均以后台任务导入。"
        )
    )
)


def _import_job(request, run, file, extra: dict) -> Response:
    from django.core.exceptions import ValidationError as DjangoValidationError

    from ecogov.core import jobs, uploads
    from ecogov.core.api_jobs import JobSerializer, job_data
    from ecogov.core.models import JobKind

    try:
        uploads.check_upload(file, purpose="ledger")
    except DjangoValidationError as exc:  # no workbook at all: 400 now, no job
        raise exceptions.ValidationError({"file": exc.messages}) from None
    job = jobs.job_start(
        actor=request.user,
        kind=JobKind.LEDGER_IMPORT,
        title=_("接口导入:%(name)s") % {"name": file.name},
        options={"run": f"{run.__module__}.{run.__qualname__}", "extra": extra},
        files=[file],
    )
    data = JobSerializer(job_data(request, job)).data
    return Response(data, status=202, headers={"Location": data["url"]})


def api_export_response(view, request, export, name: str, **options):
    """A ledger export (`GET …/export/`): the .xlsx of `export(actor=, queryset=, **options)` over
    the list's rows (its filters, the caller's scope) at once, as before; with
    `Prefer: respond-async`, or more rows than ECOGOV_EXPORT_JOB_ROWS, 202 with the background
    job that makes it (docs/api.md, "大批量导出"): `/api/jobs/<id>/`, then the file at
    `/api/jobs/<id>/file/`. The job holds the request's path and query string, never a query:
    the worker builds the list again for the caller (core/exports.py)."""
    queryset = view.filter_queryset(view.get_queryset())
    asked = wants_async(request)
    if not asked and queryset.count() <= settings.ECOGOV_EXPORT_JOB_ROWS:
        return xlsx_response(export(actor=request.user, queryset=queryset, **options), name)
    from ecogov.core.api_jobs import JobSerializer, job_data
    from ecogov.core.exports import api_export_job

    job = api_export_job(request, queryset.model, export, name, options)
    data = JobSerializer(job_data(request, job)).data
    headers = {"Location": data["url"]}
    if asked:
        headers["Preference-Applied"] = "respond-async"
    return Response(data, status=202, headers=headers)


EXPORT_PREFER = _prefer(
    str(
        _(
            "respond-async:以后台任务导出,应答 202 及任务(/api/jobs/<id>/,文件在其 file_url);"
            "未带此头而记录数超过 ECOGOV_EXPORT_JOB_ROWS(默认 5000)时同样应答 202。"
        )
    )
)


def export_schema(function):
    """The schema of an export action: the .xlsx, or 202 with the job."""
    from ecogov.core.api_jobs import JobSerializer

    return extend_schema(
        parameters=[EXPORT_PREFER], responses={(200, XLSX): bytes, 202: JobSerializer}
    )(function)


def ledger_actions(export, import_, template, filename):
    """`export` (GET; a large one, or one asked with `Prefer: respond-async`, as a background
    job), `import` (POST a file; 400 with errors by row and column) and `template` (GET the
    empty .xlsx) actions for a viewset."""

    def export_view(self, request):
        return api_export_response(self, request, export, filename)

    def template_view(self, request):
        return xlsx_response(template(), f"{filename}-template")

    export_view.__name__, template_view.__name__ = "export", "template"
    # the schema after the action: DRF's `action` replaces the function's kwargs, where
    # drf-spectacular keeps what `extend_schema` says
    xlsx = extend_schema(responses={(200, XLSX): bytes})
    return (
        export_schema(action(detail=False, methods=["get"])(export_view)),
        import_action(import_),
        xlsx(action(detail=False, methods=["get"])(template_view)),
    )

"""REST endpoints of the air-quality area: validate, call a service, serialise.

Everyone with the view permission reads stations, hourly data and evaluations, which are
city-level data. Only city-level staff with the import permission upload data.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ecogov.core.api_errors import Invalid
from ecogov.core.api_input import query_date, query_year
from ecogov.core.api_views import LedgerViewSet, ServiceViewSet, Versioned, division_field
from ecogov.core.models import Division

from . import queries, services
from .api_schema import AirEvaluation
from .evaluation import EDITIONS, LOCAL, METHODS, city_evaluation
from .ingest import InputError
from .models import (
    FLAG_FIELDS,
    VALUE_FIELDS,
    AirTarget,
    ImportBatch,
    Observation,
    Patrol,
    Station,
)


class StationSerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        error_messages={"does_not_exist": _("行政区划代码“{value}”不存在。")},
    )

    class Meta:
        model = Station
        fields = ["id", *services.STATION_FIELDS]


class ObservationSerializer(serializers.ModelSerializer):
    station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    hour = serializers.SerializerMethodField()

    class Meta:
        model = Observation
        fields = [
            "station",
            "hour",
            *VALUE_FIELDS.values(),
            *FLAG_FIELDS.values(),
            "checks",
            "batch",
        ]

    def get_hour(self, obj) -> str:
        return timezone.localtime(obj.hour, LOCAL).isoformat()  # the START of the hour


class ImportBatchSerializer(serializers.ModelSerializer):
    imported_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ImportBatch
        fields = "__all__"
        read_only_fields = [f.name for f in ImportBatch._meta.fields]


class HourlyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("文件"))
    replace = serializers.BooleanField(label=_("覆盖已有的不同数值"), required=False, default=False)


class StationViewSet(LedgerViewSet):
    serializer_class = StationSerializer
    filterset_fields = ["kind", "counts_for_city", "is_active"]

    def get_queryset(self):
        return Station.objects.visible_to(self.request.user).select_related("city")

    def create_record(self, data):
        return services.station_create(actor=self.request.user, data=data)

    def update_record(self, station, data):
        return services.station_update(actor=self.request.user, station=station, data=data)


def _local_date(request, name, label):
    day = query_date(request.query_params, name, label=label)
    if day is None:
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=LOCAL)


class TargetSerializer(serializers.ModelSerializer):
    division = division_field()

    class Meta:
        model = AirTarget
        fields = ["id", *services.TARGET_FIELDS]
        validators = []  # one target a division and year: the service names the field


class PatrolSerializer(serializers.ModelSerializer):
    division = division_field()

    class Meta:
        model = Patrol
        fields = ["id", *services.PATROL_FIELDS]


class TargetViewSet(ServiceViewSet):
    """年度空气质量目标: entered from the assessment's document (city-level users)."""

    model, serializer_class, select = AirTarget, TargetSerializer, ("division",)
    filterset_fields = ["year", "division__code"]
    service_create = staticmethod(lambda u, d, c: services.target_create(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.target_update(actor=u, target=r, data=d)
    )


class PatrolViewSet(ServiceViewSet):
    """巡查督导 of the attainment drive."""

    model, serializer_class, select = Patrol, PatrolSerializer, ("division",)
    filterset_fields = ["division__code"]
    service_create = staticmethod(lambda u, d, c: services.patrol_create(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.patrol_update(actor=u, patrol=r, data=d)
    )


class ObservationViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    """Hourly data; ``station`` (code), ``from`` and ``to`` (local dates, ``to`` exclusive)."""

    serializer_class = ObservationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("station", str),
            OpenApiParameter("from", str),
            OpenApiParameter("to", str),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = Observation.objects.visible_to(self.request.user).select_related("station")
        params = self.request.query_params
        if params.get("station"):
            qs = qs.filter(station__code=params["station"])
        start, end = (
            _local_date(self.request, "from", _("起始日期")),
            _local_date(self.request, "to", _("截止日期")),
        )
        if start:
            qs = qs.filter(hour__gte=start)
        if end:
            qs = qs.filter(hour__lt=end)
        return qs.order_by("station__code", "hour")


class ImportBatchViewSet(
    Versioned,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """POST a file (multipart ``file``, optional ``replace``): 201 with the batch and its
    row-level problems; 400 if the file cannot be read at all."""

    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return ImportBatch.objects.visible_to(self.request.user).select_related("imported_by")

    @extend_schema(request=HourlyUploadSerializer, responses={201: ImportBatchSerializer})
    def create(self, request, *args, **kwargs):
        upload = HourlyUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            batch = services.import_upload(
                actor=request.user,
                upload=upload.validated_data["file"],
                source=ImportBatch.Source.API,
                replace=upload.validated_data["replace"],
            )
        except InputError as exc:
            raise ValidationError({"file": str(exc).splitlines()}) from None
        return Response(ImportBatchSerializer(batch).data, status=201)


class CanViewEvaluation(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("airquality.view_evaluation")


class EvaluationView(APIView):
    """The city's annual evaluation: the engine's JSON document (docs/airquality.md) plus
    ``extras``. Query: ``year`` (required), ``city`` (division code), ``edition``
    (auto|2012|2026), ``method`` (bulletin|strict), ``days`` (0 leaves the daily lists out)."""

    permission_classes = [CanViewEvaluation]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, required=True, description="年度,如 2020"),
            OpenApiParameter("city", str, description="城市的行政区划代码(默认本市)"),
            OpenApiParameter("edition", str, enum=EDITIONS, description="标准版本"),
            OpenApiParameter("method", str, enum=METHODS, description="评价方法"),
            OpenApiParameter("days", int, description="0:不列逐日数据"),
        ],
        responses=AirEvaluation,
    )
    def get(self, request):
        q = request.query_params
        year = query_year(q)
        edition, method = q.get("edition", "auto"), q.get("method", "bulletin")
        if edition not in EDITIONS:
            raise Invalid(
                {"edition": [_("可选:auto、2012、2026。")]}, labels={"edition": _("标准版本")}
            )
        if method not in METHODS:
            raise Invalid(
                {"method": [_("可选:bulletin、strict。")]}, labels={"method": _("评价方法")}
            )
        city = queries.city_for(request.user, q.get("city"))
        doc = city_evaluation(city, year, edition, method) if city is not None else None
        if doc is None:
            return Response({"detail": _("该城市该年度没有监测数据。")}, status=404)
        if q.get("days") == "0":
            doc = {
                **doc,
                "city": {k: v for k, v in doc["city"].items() if k != "days"},
                "stations": {
                    s: {k: v for k, v in r.items() if k != "days"}
                    for s, r in doc["stations"].items()
                },
            }
        return Response(doc)

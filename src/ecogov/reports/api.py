"""GET /api/figures/: every area's figures for a year in one shape, scoped by the user."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ecogov.core.api_errors import Invalid
from ecogov.core.figures import figures_for
from ecogov.core.replica import replica_reads

from . import sources
from .params import ParamError, parse

FIGURE_FIELDS = {
    "key": serializers.CharField(help_text="数据项的键,如 eia.approved.total"),
    "label": serializers.CharField(help_text="数据项名称"),
    "value": serializers.JSONField(
        help_text="数值:整数为 JSON 数字,小数为字符串(精确值),无值为 null"
    ),
    "unit": serializers.CharField(help_text="单位"),
    "kind": serializers.ChoiceField(
        choices=["count", "sum", "credit", "ratio", "measured"],
        help_text="计数/求和/计分/比率/监测值",
    ),
    "area": serializers.CharField(help_text="业务领域"),
    "record_count": serializers.IntegerField(
        allow_null=True, help_text="数值背后的记录数(比率为 null)"
    ),
    "url": serializers.CharField(help_text="列出这些记录的后台页面(相对地址),无记录时为空"),
}


class SeesFigures(BasePermission):
    """The business roles (not the system, security and audit administrators)."""

    def has_permission(self, request, view):
        return request.user.has_perm("reports.view_outline")


class FiguresView(APIView):
    """Every registered figure for the year (optionally cut at a day, narrowed to a division)
    in the caller's data scope."""

    permission_classes = [IsAuthenticated, SeesFigures]

    @extend_schema(
        operation_id="figures_list",
        summary="年度数据(各业务领域)",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True, description="年度,如 2020"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="统计截止日(须在该年度内)"),
            OpenApiParameter(
                "division", OpenApiTypes.STR, description="行政区划代码(须在数据范围内)"
            ),
        ],
        responses={
            200: inline_serializer(
                "FigureList",
                {
                    "year": serializers.IntegerField(),
                    "until": serializers.DateField(allow_null=True),
                    "division": serializers.CharField(allow_null=True),
                    "period": serializers.CharField(),
                    "figures": inline_serializer("Figure", FIGURE_FIELDS, many=True),
                },
            ),
            400: inline_serializer(
                "FigureParamErrors",
                {
                    "detail": serializers.CharField(help_text="错误摘要,逐项写明参数"),
                    "year": serializers.ListField(child=serializers.CharField(), required=False),
                    "until": serializers.ListField(child=serializers.CharField(), required=False),
                    "division": serializers.ListField(
                        child=serializers.CharField(), required=False
                    ),
                },
            ),
        },
    )
    def get(self, request):
        try:
            params = parse(request.query_params, request.user)
        except ParamError as exc:
            raise Invalid({k: [v] for k, v in exc.errors.items()}) from None
        period = params.period
        with replica_reads():  # signed in on the primary; the counting may lag a moment
            figures = figures_for(request.user, period, division=params.division)
            rows = [
                {
                    "key": f.key,
                    "label": str(f.label),
                    "value": f.json_value(),
                    "unit": f.unit,
                    "kind": str(f.kind),
                    "area": f.area,
                    "record_count": f.record_count,
                    "url": sources.drill_url(f, period, params.division),
                }
                for f in figures
            ]
        return Response(
            {
                "year": params.year,
                "until": params.until.isoformat() if params.until else None,
                "division": params.division.code if params.division else None,
                "period": period.label,
                "figures": rows,
            }
        )

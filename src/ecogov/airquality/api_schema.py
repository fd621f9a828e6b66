"""The OpenAPI description of the evaluation document (GET /api/airquality/evaluation/): the
engine's JSON (docs/airquality.md, "Command line"; `engine.annual.result_to_dict`) plus the
screens' `extras` (`evaluation.compute`). Only for the schema: the view returns the stored
document as it is."""

from rest_framework import serializers


def _number(help_text: str, required: bool = True) -> serializers.FloatField:
    # a value that is not valid is null (docs/airquality.md)
    return serializers.FloatField(allow_null=True, required=required, help_text=help_text)


class AirPollutantResult(serializers.Serializer):
    annual_mean = _number("年均值(仅 SO2、NO2、PM10、PM2.5)", required=False)
    percentile = _number("日评价值的百分位数浓度")
    percentile_rank = serializers.IntegerField(help_text="百分位(如 95、98、90)")
    valid = serializers.BooleanField(help_text="年评价是否有效(有效天数足够)")
    attained = serializers.BooleanField(allow_null=True, help_text="是否达标;无效为 null")
    valid_days = serializers.IntegerField(help_text="有效天数")
    exceedance_pct = _number("超标率(%)")
    reduction_needed_pct = _number("达标需下降比例(%)")


class AirDay(serializers.Serializer):
    date = serializers.DateField()
    aqi = serializers.IntegerField(allow_null=True, help_text="空气质量指数;无效日为 null")
    category = serializers.CharField(allow_null=True, help_text="类别,如 轻度污染")
    color = serializers.CharField(allow_null=True, help_text="类别颜色,如 #FF7E00")
    primary = serializers.ListField(child=serializers.CharField(), help_text="首要污染物")


class AirScopeResult(serializers.Serializer):
    """One station's or the city's result."""

    pollutants = serializers.DictField(child=AirPollutantResult(), help_text="按污染物")
    attained = serializers.BooleanField(allow_null=True, help_text="六项是否均达标")
    good_days_ratio_pct = _number("优良天数比例(%)")
    good_days = serializers.IntegerField(help_text="优良天数")
    valid_aqi_days = serializers.IntegerField(help_text="有效 AQI 天数")
    composite_index = _number("环境空气质量综合指数")
    days = serializers.ListField(child=AirDay(), required=False, help_text="逐日(days=0 时不列)")


class AirEvaluation(serializers.Serializer):
    year = serializers.IntegerField()
    edition = serializers.CharField(help_text="采用的标准版本:2012 或 2026")
    edition_choice = serializers.CharField(help_text="请求的版本:auto、2012、2026")
    limit_set = serializers.CharField(help_text="浓度限值组")
    method = serializers.CharField(help_text="评价方法:bulletin(通报)或 strict")
    assessment_rules = serializers.CharField(help_text="评价技术规范")
    day_editions = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="各时段按哪一版标准计算日值(from、to、edition)",
    )
    options = serializers.DictField(help_text="计算选项(修约规则等)")
    stations = serializers.DictField(child=AirScopeResult(), help_text="按站点")
    city = AirScopeResult()
    extras = serializers.DictField(help_text="页面用的补充:城市、站点名称和类型、逐月均值、限值")

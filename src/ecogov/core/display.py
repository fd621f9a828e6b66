"""How stored values read to a person: choice codes as their labels, booleans as 是/否.

One place for screens, history pages and exports (issue 10: no raw code where a person reads).
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _


def due_date(day, provisional: bool) -> str:
    """A due date as people read it: "2027-01-05(暂定)" while the holidays of its year are not
    known, so the date may still move (docs/procedures.md §3)."""
    if day is None:
        return ""
    return f"{day}{_('(暂定)') if provisional else ''}"


def choice_labels(field) -> dict:
    """{code: label} of a field with choices, or of the items of an array/JSON field whose
    items have choices (`choices_of_items` on the field, e.g. penalty types)."""
    choices = getattr(field, "flatchoices", None) or []
    if not choices:
        base = getattr(field, "base_field", None)
        choices = getattr(base, "flatchoices", None) or getattr(field, "item_choices", None) or []
    return {code: str(label) for code, label in choices}


def readable(value: Any, field=None) -> str:
    """A stored value as a person reads it."""
    labels = choice_labels(field) if field is not None else {}
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (list, tuple)):
        return "、".join(readable(v, field) for v in value) or "—"
    if labels and value in labels:
        return labels[value]
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else "—"
    return str(value)


# The keys of the JSON documents the records keep (screenings, draws, publications, permits …)
# as a person reads them. A key not listed shows as it is stored.
JSON_KEY_LABELS = {
    "method": "请求方式",
    "year": "年度",
    "edition": "标准版本",
    "stations": "站点",
    "city": "城市",
    "pollutants": "污染物",
    "annual_mean": "年均值",
    "percentile": "百分位数浓度",
    "percentile_rank": "百分位",
    "valid": "有效",
    "attained": "达标",
    "valid_days": "有效天数",
    "exceedance_pct": "超标百分比",
    "reduction_needed_pct": "需削减百分比",
    "good_days_ratio_pct": "优良天数比例(%)",
    "good_days": "优良天数",
    "valid_aqi_days": "有效AQI天数",
    "composite_index": "综合指数",
    "days": "逐日",
    "date": "日期",
    "aqi": "AQI",
    "category": "类别",
    "color": "颜色",
    "primary": "首要污染物",
    "code": "编码",
    "name": "名称",
    "kind": "类型",
    "kind_label": "类型",
    "monthly": "逐月",
    "limits": "限值",
    "annual": "年度",
    "daily": "日均",
    "type": "类型",
    "coordinates": "坐标",
    "industry_policy_ok": "符合产业政策",
    "planning_eia_ok": "符合规划环评",
    "version": "版本",
    "rules": "规则",
    "id": "编号",
    "text": "内容",
    "basis": "依据",
    "when": "适用条件",
    "flag": "标识",
    "classes": "单元类别",
    "offset_flag": "须替代削减标识",
    "industries": "行业",
    "catalogue_items": "名录条目",
    "class": "单元类别",
    "class_label": "单元类别",
    "flags": "标识",
    "boundary_only": "仅边界相接",
    "unit": "单元",
    "entry": "清单条目",
    "matched": "匹配内容",
    "message": "说明",
    "rule": "规则",
    "missing": "缺少的信息",
    "frame_size": "范围内数量",
    "drawn": "抽取数量",
    "number": "编号",
    "type_label": "类型",
    "entity_id": "单位编号",
    "entity": "排污单位",
    "credit_code": "统一社会信用代码",
    "division": "行政区划",
    "inspectors": "检查人员",
    "certificate_number": "执法证号",
    "findings": "检查情况",
    "outcome": "检查结果",
    "outcome_label": "检查结果",
    "case_number": "案件编号",
    "plan": "抽查计划",
    "period": "期间",
    "period_start": "开始日期",
    "period_end": "结束日期",
    "division_code": "区划代码",
    "inspectors_per_check": "每家检查人数",
    "allow_cross_division": "允许跨区划",
    "skip_compliant_this_year": "本年度已抽查无问题的一般对象不再抽取",
    "quotas": "抽取比例",
    "label": "名称",
    "share": "比例",
    "count": "数量",
    "draw": "抽取",
    "drawn_at": "抽取时间",
    "status": "状态",
    "algorithm": "算法",
    "input_hash": "输入摘要",
    "result_hash": "结果摘要",
    "entity_pool_size": "对象库数量",
    "inspector_pool_size": "人员库数量",
    "skipped_compliant_count": "因本年已查无问题未纳入",
    "supersedes": "取代的抽取",
    "redraw_reason": "重新抽取理由",
    "seed": "随机种子",
    "value": "值",
    "source": "来源",
    "source_note": "来源说明",
    "announced_at": "公布时间",
    "tallies": "各类别数量",
    "checks": "抽查对象",
    "category_label": "类别",
    "rank": "序号",
    "pollutant": "污染物",
    "outlet": "排放口",
    "limit": "限值",
    "annual_tonnes": "年许可排放量(吨)",
    # the security audit log's details (ecogov.core.accounts, services.staff_set_roles)
    "user": "账户",
    "before": "变更前",
    "after": "变更后",
    "active": "启用",
    "request": "申请编号",
    "reason": "理由",
    "requested_by": "申请人",
    "approved_by": "批准人",
    "outside": "在系统外设置(命令行或程序)",
    # the security log's backup and restore entries (ecogov.core.backup)
    "archive": "备份文件",
    "sha256": "SHA-256",
    "size": "大小(字节)",
    "os_user": "操作系统用户",
    "backup_created_at": "备份时间",
    "verified": "完整性校验通过",
}
LONG_LIST = 50  # a list this long (the 366 days of an evaluation) is summarised, not tabled


_EXTRA_VALUE_LABELS: dict[str, str] = {}


def register_value_labels(labels: dict[str, str]) -> None:
    """Codes an area keeps inside JSON documents that are no model's choices (the zoning
    engine's access kinds and flags …), with their labels; called from AppConfig.ready."""
    global _CODES
    _EXTRA_VALUE_LABELS.update({str(k): str(v) for k, v in labels.items()})
    _CODES = None


def _code_labels() -> dict:
    """Every choice code of the project's models with its label (for values inside JSON)."""
    global _CODES
    if _CODES is None:
        from django.apps import apps

        _CODES = dict(_EXTRA_VALUE_LABELS)
        for model in apps.get_models():
            if model.__module__.startswith("ecogov"):
                for f in model._meta.get_fields():
                    for code, label in getattr(f, "flatchoices", None) or []:
                        if isinstance(code, str) and code:
                            _CODES.setdefault(code, str(label))
    return _CODES


_CODES = None


def json_html(data, encoder=None):
    """A stored JSON document as a person reads it: labelled tables, codes as labels."""
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe

    def label(key):
        return JSON_KEY_LABELS.get(key, key)

    def scalar(value):
        if isinstance(value, bool) or value is None or value == "":
            return readable(value)
        if isinstance(value, str):
            return _code_labels().get(value, value)
        return str(value)

    def render(value):
        if isinstance(value, dict):
            if not value:
                return "—"
            rows = format_html_join(
                "",
                '<tr><th class="{}">{}</th><td class="{}">{}</td></tr>',
                ((TH, label(k), TD, render(v)) for k, v in value.items()),
            )
            return format_html('<table class="{}">{}</table>', TABLE, rows)
        if isinstance(value, list):
            if not value:
                return "—"
            if len(value) > LONG_LIST:
                return format_html("共 {} 项(完整内容见导出文件或接口)", len(value))
            if all(isinstance(v, dict) for v in value):
                keys = list(dict.fromkeys(k for v in value for k in v))
                head = format_html_join(
                    "", '<th class="{}">{}</th>', ((TH, label(k)) for k in keys)
                )
                body = format_html_join(
                    "",
                    "<tr>{}</tr>",
                    (
                        (
                            format_html_join(
                                "", '<td class="{}">{}</td>', ((TD, render(v.get(k))) for k in keys)
                            ),
                        )
                        for v in value
                    ),
                )
                return format_html('<table class="{}"><tr>{}</tr>{}</table>', TABLE, head, body)
            return "、".join(str(render(v)) for v in value)
        return scalar(value)

    return mark_safe(f'<div class="overflow-x-auto max-w-full">{render(data)}</div>')


TABLE = "border-collapse my-1 text-sm"
TH = "border border-base-200 font-medium px-2 py-1 text-left align-top dark:border-base-700"
TD = "border border-base-200 px-2 py-1 align-top dark:border-base-700"


def code_column(field: str = "code"):
    """An admin column (and read-only field) showing an identifier that staff typed, such as a
    theme's code `air`, set as code: it is a key that outlines and imports refer to, not a word
    for the reader, and the crawl test reads `<code>` as such."""
    from django.contrib import admin
    from django.utils.html import format_html

    def shown(model_admin, obj):
        value = getattr(obj, field, "")
        return format_html("<code>{}</code>", value) if value else "-"

    return admin.display(description=_("代码"), ordering=field)(shown)


def history_version_str(version) -> str:
    """One version of a record in its history: the record and when it was saved, local time."""
    from django.utils import timezone

    when = timezone.localtime(version.history_date).strftime("%Y-%m-%d %H:%M")
    return _("%(record)s(%(when)s 的版本)") % {"record": version.history_object, "when": when}

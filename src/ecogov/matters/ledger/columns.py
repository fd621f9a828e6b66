"""The four ledgers' Excel columns, in the layout a bureau keeps them (docs/matters.md lists them).

Responsible units are written by name; a share is written after the name only when the credit
is split, e.g. 主办单位 “北山县人民政府(0.5)”, 会办单位 “东川市人民政府(0.5)”. Several co-handling
units are separated by “、”.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ecogov.core.spreadsheet import CellError, Column, choice_parser, parse_date, parse_text
from ecogov.matters.workflow import (
    PETITION_CATEGORIES,
    PROPOSAL_CATEGORIES,
    RECTIFICATION_CATEGORIES,
    Channel,
    Feedback,
    Kind,
    ReplyCategory,
    State,
    states_for,
)

_UNIT_RE = re.compile(r"^(?P<name>.+?)\s*[((]\s*(?P<share>[0-9.]+)\s*[))]$")


def parse_units(value) -> list[tuple[str, Decimal | None]]:
    text = parse_text(value)
    if not text:
        return []
    units = []
    for part in re.split(r"[、,,;;\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = _UNIT_RE.match(part)
        if match is None:
            units.append((part, None))
            continue
        try:
            share = Decimal(match["share"])
        except InvalidOperation as exc:
            raise CellError(f"“{part}”的计分份额不是数字。") from exc
        if not Decimal("0") <= share <= Decimal("1"):
            raise CellError(f"“{part}”的计分份额应在0到1之间。")
        units.append((match["name"].strip(), share))
    return units


def render_units(units) -> str:
    """[(name, role, share)] → text; shares only when the credit is not the default (lead 1)."""
    default = all(
        (role == "lead" and share == 1) or (role == "co" and share == 0)
        for _n, role, share in units
    )
    return "、".join(
        name if default else f"{name}({Decimal(share).normalize()})" for name, _role, share in units
    )


def optional_choice(choices):
    """A choice column that may be left blank."""
    inner = choice_parser(choices)
    return lambda value: "" if parse_text(value) == "" else inner(value)


def _labels(choices):
    return lambda v: str(dict(choices).get(v, v)) if v else ""


def _choices(mapping: dict):
    return [(k, str(v)) for k, v in mapping.items()]


def _state_choices(kind):
    return [(s, str(State(s).label)) for s in states_for(kind)]


def common(kind: str, categories) -> list[Column]:
    return [
        Column("编号", "reference", required=True, width=18),
        Column("来源批次", "source", required=True, width=30),
        Column(
            "类别",
            "category",
            required=True,
            width=14,
            parse=optional_choice(categories) if categories else parse_text,
            render=_labels(categories) if categories else (lambda v: v),
        ),
        Column("事项名称", "title", required=True, width=40),
        Column("具体内容", "content", width=40),
        Column("行政区划代码", "division_code", required=True, width=12),
        Column("主办单位", "lead", required=True, parse=parse_units, width=24),
        Column("会办单位", "co_units", parse=parse_units, width=24),
        Column("交办日期", "received_on", required=True, parse=parse_date, width=12),
        Column("办理时限", "due_on", parse=parse_date, width=12),
        Column(
            "办理状态",
            "state",
            parse=optional_choice(_state_choices(kind)),
            render=_labels(_state_choices(kind)),
            width=12,
        ),
    ]


RECTIFICATION_COLUMNS = [
    *common(Kind.RECTIFICATION, _choices(RECTIFICATION_CATEGORIES)),
    Column("完成整改日期", "done_on", parse=parse_date, width=12),
    Column("销号(摘牌、办结)日期", "closed_on", parse=parse_date, width=14),
    Column("整改(办理)情况", "result", width=40),
    Column("销号依据", "evidence", width=30),
]
PETITION_COLUMNS = [
    *common(Kind.PETITION, _choices(PETITION_CATEGORIES)),
    Column(
        "来源渠道",
        "channel",
        parse=optional_choice(Channel.choices),
        render=_labels(Channel.choices),
        width=12,
    ),
    Column("信访人", "complainant_name", width=10),
    Column("联系电话", "complainant_phone", width=14),
    Column("身份证号", "complainant_id_number", width=20),
    Column("被反映单位统一社会信用代码", "subject_code", width=22),
    Column("被反映对象", "subject_name", width=24),
    Column("受理日期", "accepted_on", parse=parse_date, width=12),
    Column("答复日期", "done_on", parse=parse_date, width=12),
    Column("办结日期", "closed_on", parse=parse_date, width=12),
    Column("处理结果", "result", width=40),
    Column(
        "信访人评价",
        "feedback",
        parse=optional_choice(Feedback.choices),
        render=_labels(Feedback.choices),
        width=10,
    ),
    Column("重复件原件编号", "duplicate_ref", width=16),
]
PROPOSAL_COLUMNS = [
    *common(Kind.PROPOSAL, _choices(PROPOSAL_CATEGORIES)),
    Column("代表/委员", "deputy", width=14),
    Column("答复日期", "done_on", parse=parse_date, width=12),
    Column("办结日期", "closed_on", parse=parse_date, width=12),
    Column("答复内容", "result", width=40),
    Column("答复类别", "reply_category", parse=optional_choice([(c, c) for c in "ABC"]), width=10),
    Column(
        "代表委员反馈",
        "feedback",
        parse=optional_choice(Feedback.choices),
        render=_labels(Feedback.choices),
        width=12,
    ),
]
TASK_COLUMNS = [
    *common(Kind.TASK, None),
    Column("对应措施(方面.措施)", "measure_ref", width=12),
    Column("完成日期", "done_on", parse=parse_date, width=12),
    Column("完成情况", "result", width=40),
]
COLUMNS = {
    Kind.RECTIFICATION: RECTIFICATION_COLUMNS,
    Kind.PETITION: PETITION_COLUMNS,
    Kind.PROPOSAL: PROPOSAL_COLUMNS,
    Kind.TASK: TASK_COLUMNS,
}
TITLES = {
    Kind.RECTIFICATION: "督察整改台账",
    Kind.PETITION: "环境信访台账",
    Kind.PROPOSAL: "建议提案办理台账",
    Kind.TASK: "攻坚战任务台账",
}
# a model field's errors are reported under its column
FIELD_COLUMN = {kind: {c.field: c.header for c in columns} for kind, columns in COLUMNS.items()}
for _kind, _map in FIELD_COLUMN.items():
    _map.update(
        division=_map["division_code"],
        units=_map["lead"],
        shares=_map["lead"],
        subject_entity=_map.get("subject_code", ""),
        measure=_map.get("measure_ref", ""),
        duplicate_of=_map.get("duplicate_ref", ""),
    )
REPLY_CATEGORIES = ReplyCategory.values

"""The configuration rows every installation starts from (post_migrate; edited afterwards by
the legal section): the policy row, the two statutory review kinds, the common themes."""

from ecogov.legal.models import LegalPolicy, OutcomeSet, Requirement, ReviewKind, Theme

REVIEW_KINDS = [
    # code, name, basis, outcome set, requirement, legal section only, order
    (
        ReviewKind.LEGALITY,
        "合法性审核",
        "国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见(国办发〔2018〕115号)",
        OutcomeSet.LEGALITY,
        Requirement.ALWAYS,
        True,
        1,
    ),
    (
        ReviewKind.FAIR_COMPETITION,
        "公平竞争审查",
        "公平竞争审查条例(2024年8月1日起施行)",
        OutcomeSet.COMPETITION,
        Requirement.MARKET,
        False,
        2,
    ),
]
THEMES = [
    ("wildlife", "野生动物保护"),
    ("market_entities", "市场主体"),
    ("licensing", "行政许可"),
    ("penalty", "行政处罚"),
    ("air", "大气污染防治"),
    ("water", "水污染防治"),
    ("soil_waste", "土壤与固体废物"),
    ("reporting", "举报奖励"),
    ("zoning", "生态环境分区管控"),
]


def ensure_defaults(**_kwargs) -> None:
    """Create what is missing (idempotent; an edited row is left as the bureau set it)."""
    from django.db import connection

    if ReviewKind._meta.db_table not in connection.introspection.table_names():
        return  # migrated backwards (`migrate legal zero`): nothing to fill
    LegalPolicy.objects.get_or_create(pk=1)
    for code, name, basis, outcome_set, requirement, legal_only, order in REVIEW_KINDS:
        ReviewKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "basis": basis,
                "outcome_set": outcome_set,
                "requirement": requirement,
                "legal_section_only": legal_only,
                "order": order,
            },
        )
    for code, name in THEMES:
        if (
            not Theme.objects.filter(code=code).exists()
            and not Theme.objects.filter(name=name).exists()
        ):
            Theme.objects.create(code=code, name=name)

"""Configurable refusal rules ("一律不批") evaluated on screenings."""

import json

import pytest
import shapely
from shapely import Point, box

from ecogov.eia.zoning import (
    EXAMPLE_RULES,
    Project,
    RuleDataError,
    RuleHit,
    UndeterminedRule,
    UnitIndex,
    evaluate,
    load_rules,
    load_rules_file,
    load_units,
)

A = box(113.0, 23.0, 113.1, 23.1)  # priority protection, red line, forbids C26
B = box(113.1, 23.0, 113.2, 23.1)  # general control, non-attainment, forbids C30, restricts C26
C = box(113.2, 23.0, 113.3, 23.1)  # priority protection, forbids nothing

IN_A, IN_B, IN_C = Point(113.05, 23.05), Point(113.15, 23.05), Point(113.25, 23.05)


def unit(code, geom, cls, **extra):
    return {
        "type": "Feature",
        "geometry": shapely.geometry.mapping(geom),
        "properties": {"code": code, "name": f"{code}单元", "class": cls, **extra},
    }


INDEX = UnitIndex(
    load_units(
        {
            "type": "FeatureCollection",
            "features": [
                unit(
                    "A1",
                    A,
                    "priority_protection",
                    flags=["red_line"],
                    access=[
                        {
                            "id": "A1-chem",
                            "kind": "forbidden",
                            "industries": ["C26"],
                            "text": "禁止新建化工项目",
                        }
                    ],
                ),
                unit(
                    "B1",
                    B,
                    "general_control",
                    flags=["non_attainment"],
                    access=[
                        {"kind": "forbidden", "industries": ["C30"], "text": "禁止新建水泥项目"},
                        {
                            "kind": "restricted",
                            "industries": ["C26"],
                            "catalogue_items": ["44"],
                            "text": "限制化工项目",
                        },
                    ],
                ),
                unit("C1", C, "priority_protection"),
            ],
        }
    ).units
)


def rule(*when, rule_id="r"):
    return load_rules(
        {"rules": [{"id": rule_id, "text": f"{rule_id} 的条文", "when": list(when)}]}
    ).rules[0]


def outcome(r, location, **project):
    return evaluate(r, INDEX.screen(Project(location, **project)))


def test_unit_class_in():
    r = rule({"kind": "unit_class_in", "classes": ["优先保护"]})
    hit = outcome(r, IN_A)
    assert isinstance(hit, RuleHit) and [u.code for u in hit.units] == ["A1"]
    assert hit.reasons == ("单元 A1（A1单元，优先保护）：管控类别为优先保护",)
    assert outcome(r, IN_B) is None
    assert outcome(r, Point(113.5, 23.05)) is None  # touches no unit


def test_unit_flag():
    r = rule({"kind": "unit_flag", "flag": "red_line"})
    assert "属生态保护红线" in outcome(r, IN_A).reasons[0]
    assert outcome(r, IN_C) is None


def test_industry_forbidden_by_unit_by_prefix():
    r = rule({"kind": "industry_forbidden_by_unit"})
    hit = outcome(r, IN_A, industry="C2611")
    assert [m.entry.id for m in hit.access_matches] == ["A1-chem"]
    assert "禁止行业 C26：禁止新建化工项目" in hit.reasons[0]
    assert outcome(r, IN_A, industry="C3011") is None
    assert outcome(r, IN_B, industry="3011").access_matches[0].text == "禁止新建水泥项目"


def test_industry_restricted_by_unit():
    r = rule({"kind": "industry_restricted_by_unit"})
    assert outcome(r, IN_B, industry="C2611").access_matches[0].text == "限制化工项目"
    assert outcome(r, IN_B, catalogue_item="44").access_matches[0].matched == "名录条目 44"
    assert outcome(r, IN_A, industry="C2611") is None  # A forbids C26, it does not restrict it


def test_missing_industry_is_undetermined_only_where_an_entry_could_catch_it():
    r = rule({"kind": "industry_forbidden_by_unit"})
    undetermined = outcome(r, IN_A)
    assert isinstance(undetermined, UndeterminedRule) and undetermined.missing == (
        "行业代码或名录条目",
    )
    assert outcome(r, IN_C) is None  # C forbids nothing: no code could make it hold
    # B forbids by industry only: a catalogue item alone cannot decide it.
    assert isinstance(outcome(r, IN_B, catalogue_item="44"), UndeterminedRule)


def test_project_flags_true_false_and_missing():
    false_rule = rule({"kind": "project_flag_false", "flag": "total_emission_ok"})
    true_rule = rule({"kind": "project_flag_true", "flag": "against_planning"})
    hit = outcome(false_rule, IN_C, flags={"total_emission_ok": False})
    assert hit.reasons == ("项目事实 total_emission_ok 为否",) and hit.units == ()
    assert outcome(false_rule, IN_C, flags={"total_emission_ok": True}) is None
    assert outcome(false_rule, IN_C).missing == ("total_emission_ok",)
    assert outcome(false_rule, IN_C, flags={"total_emission_ok": None}).missing == (
        "total_emission_ok",
    )
    assert outcome(true_rule, IN_C, flags={"against_planning": True}).reasons == (
        "项目事实 against_planning 为是",
    )
    assert outcome(true_rule, IN_C, flags={"against_planning": False}) is None


def test_area_non_attainment_without_offset():
    r = rule({"kind": "area_non_attainment_without_offset"})
    hit = outcome(r, IN_B, flags={"offset_secured": False})
    assert [u.code for u in hit.units] == ["B1"]
    assert hit.reasons == (
        "项目事实 offset_secured 为否",
        "单元 B1（B1单元，一般管控）：属环境质量未达标区",
    )
    assert outcome(r, IN_B, flags={"offset_secured": True}) is None
    assert outcome(r, IN_B).missing == ("offset_secured",)
    assert outcome(r, IN_A, flags={"offset_secured": False}) is None  # A attains
    assert outcome(r, IN_A) is None  # attains: the missing offset fact does not matter
    custom = rule(
        {"kind": "area_non_attainment_without_offset", "offset_flag": "reduction_plan_ok"}
    )
    assert outcome(custom, IN_B, flags={"reduction_plan_ok": False}) is not None


def test_unit_conditions_hold_on_one_and_the_same_unit():
    r = rule(
        {"kind": "unit_class_in", "classes": ["priority_protection"]},
        {"kind": "industry_forbidden_by_unit"},
    )
    # C (priority, forbids nothing) and B (general, forbids C30): no single unit is both.
    assert outcome(r, box(113.15, 23.02, 113.25, 23.08), industry="C3011") is None
    hit = outcome(r, box(113.05, 23.02, 113.25, 23.08), industry="C2611")
    assert [u.code for u in hit.units] == ["A1"]


def test_false_beats_unknown():
    r = rule(
        {"kind": "project_flag_false", "flag": "total_emission_ok"},
        {"kind": "industry_forbidden_by_unit"},
    )
    assert (
        outcome(r, IN_A, flags={"total_emission_ok": True}) is None
    )  # industry unknown, still clear
    assert outcome(r, IN_A).missing == ("total_emission_ok", "行业代码或名录条目")


def test_boundary_contact_counts_and_says_so():
    r = rule({"kind": "unit_flag", "flag": "red_line"})
    hit = outcome(r, Point(113.1, 23.05))
    assert "（仅边界接触）" in hit.reasons[0]


def test_refusal_proposal_lists_broken_rules_with_their_text():
    rules = load_rules_file(EXAMPLE_RULES)
    screening = INDEX.screen(
        Project(
            box(113.05, 23.02, 113.15, 23.08),
            industry="C2611",
            ref="化工厂",
            flags={"total_emission_ok": False, "offset_secured": False, "industry_policy_ok": True},
        )
    )
    proposal = rules.propose(screening)
    assert proposal.refuse and proposal.screening is screening
    assert [h.rule.id for h in proposal.hits] == [
        "red_line",
        "priority_forbidden",
        "total_emission",
        "non_attainment_offset",
    ]
    assert [u.rule.id for u in proposal.undetermined] == ["planning_eia"]
    texts = {h.rule.id: h.rule.text for h in proposal.hits}
    assert texts["total_emission"] == "未落实污染物排放总量控制指标的，一律不批"
    summary = proposal.summary()
    assert summary.startswith("建议不予批准：触及 4 条“一律不批”规则")
    assert "项目位于优先保护单元且属该单元生态环境准入清单禁止类的，一律不批" in summary
    assert "禁止新建化工项目" in summary  # the unit's own access-list text, as evidence
    assert "规则 planning_eia 无法判定，缺少项目事实：planning_eia_ok" in summary


def test_clean_project_gets_no_refusal():
    rules = load_rules_file(EXAMPLE_RULES)
    flags = {
        "total_emission_ok": True,
        "offset_secured": True,
        "industry_policy_ok": True,
        "planning_eia_ok": True,
    }
    proposals = rules.propose_many(
        INDEX.screen_many([Project(IN_C, industry="C3011", flags=flags)])
    )
    assert not proposals[0].refuse and proposals[0].undetermined == ()
    assert proposals[0].summary() == "未触及“一律不批”规则"


def test_example_rules_file_is_valid_json_with_the_five_refusals():
    data = json.loads(EXAMPLE_RULES.read_text(encoding="utf-8"))
    assert [r.id for r in load_rules(data).rules] == [
        "red_line",
        "priority_forbidden",
        "total_emission",
        "non_attainment_offset",
        "industry_policy",
        "planning_eia",
    ]


def test_bad_rules_all_reported_nothing_loaded():
    with pytest.raises(RuleDataError) as info:
        load_rules(
            json.dumps(
                {
                    "version": 2,
                    "extra": 1,
                    "rules": [
                        {"id": "a", "text": "x", "when": [{"kind": "unit_in_red_line"}]},
                        {
                            "id": "b",
                            "text": "x",
                            "when": [{"kind": "unit_class_in", "classes": ["红线"]}],
                        },
                        {
                            "id": "c",
                            "text": "x",
                            "when": [{"kind": "unit_flag", "flag": "wetland"}],
                        },
                        {
                            "id": "d",
                            "text": "x",
                            "when": [{"kind": "project_flag_false", "flag": "Total Emission"}],
                        },
                        {"id": "e", "text": "x", "when": [{"kind": "project_flag_false"}]},
                        {
                            "id": "f",
                            "text": "x",
                            "when": [{"kind": "industry_forbidden_by_unit", "kinds": ["x"]}],
                        },
                        {"id": "g", "text": "", "when": []},
                        {
                            "id": "h",
                            "text": "x",
                            "when": [{"kind": "unit_flag", "flag": "red_line"}],
                            "enabled": True,
                        },
                        {
                            "id": "i",
                            "text": "x",
                            "when": [{"kind": "unit_flag", "flag": "red_line"}],
                        },
                        {
                            "id": "i",
                            "text": "y",
                            "when": [{"kind": "unit_flag", "flag": "red_line"}],
                        },
                        "not a rule",
                    ],
                }
            )
        )
    joined = "\n".join(info.value.errors)
    for fragment in (
        "版本 2",
        "未知字段 extra",
        "规则 a 第 1 个条件：条件类型“unit_in_red_line”未知",
        "规则 b 第 1 个条件：classes",
        "规则 c 第 1 个条件：单元标志“wetland”未知",
        "规则 d 第 1 个条件：项目事实名“Total Emission”",
        "规则 e 第 1 个条件：project_flag_false 的参数须为 flag",
        "规则 f 第 1 个条件：industry_forbidden_by_unit 的参数须为 无，实为 kinds",
        "规则 g：缺少条文",
        "规则 g：条件 when 须为非空列表",
        "规则 h：未知字段 enabled",
        "规则 i：编号重复",
        "第 11 条规则须为对象",
    ):
        assert fragment in joined, fragment
    for bad in ("{", [], {"rules": {}}):
        with pytest.raises(RuleDataError):
            load_rules(bad)

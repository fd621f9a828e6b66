"""三线一单 in the app: unit import (bad polygons), location in division, screening, review."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.eia import services
from ecogov.eia.demo import cell_of, counties
from ecogov.eia.models import (
    ControlUnit,
    Decision,
    EiaEvent,
    EiaProject,
    ScreeningReview,
    ZoningDataset,
)
from ecogov.eia.screening import current_index

D = dt.date


def _point(division_name, dlon, dlat):
    index = [d.name for d in counties()].index(division_name)
    lon, lat = cell_of(index)
    return {"type": "Point", "coordinates": [lon + dlon, lat + dlat]}


def _accepted(world, submit, **fields):
    staff = world.user("beishan_staff")
    project = submit(procedure="commitment", **fields)
    return services.project_accept(actor=staff, project=project, accepted_on=D(2026, 3, 5))


def test_red_line_with_forbidden_industry_proposes_refusal_and_the_reviewer_confirms(world, submit):
    staff, leader = world.user("beishan_staff"), world.user("leader")
    project = _accepted(
        world, submit, industry_code="C2611", location=_point("北山县", 0.03, 0.1)
    )  # 北山's red-line priority strip
    screening = services.project_screen(actor=staff, project=project)
    assert screening.refuse and screening.review == ScreeningReview.PENDING
    assert [c["code"] for c in screening.contacts] == ["ZH99012110001"]
    assert {h["rule"] for h in screening.hits} == {"red_line", "priority_forbidden"}
    assert "禁止新建、扩建采矿、石化、化工" in screening.access_matches[0]["text"]
    assert "建议不予批准:触及 2 条" in screening.summary.replace("：", ":")
    with pytest.raises(ValidationError, match="须先由复核人确认或否定"):
        services.project_decide(
            actor=staff,
            project=project,
            decision=Decision.APPROVED,
            decided_on=D(2026, 3, 20),
            decision_number="1",
        )
    services.screening_confirm(actor=leader, screening=screening, reason="位于生态保护红线内")
    with pytest.raises(ValidationError, match="已确认不予批准建议"):
        services.project_decide(
            actor=staff,
            project=project,
            decision=Decision.APPROVED,
            decided_on=D(2026, 3, 20),
            decision_number="1",
        )
    refused = services.project_decide(
        actor=staff,
        project=project,
        decision=Decision.REFUSED,
        decided_on=D(2026, 3, 20),
        reasons="位于生态保护红线内",
    )
    assert refused.state == "refused"
    types = list(project.events.values_list("type", flat=True))
    assert EiaEvent.Type.SCREENED in types and EiaEvent.Type.REFUSAL_CONFIRMED in types


def test_an_override_needs_a_leader_or_legal_reviewer_and_a_reason(world, submit):
    staff, leader = world.user("beishan_staff"), world.user("leader")
    project = _accepted(world, submit, industry_code="C2611", location=_point("北山县", 0.03, 0.1))
    screening = services.project_screen(actor=staff, project=project)
    with pytest.raises(PermissionDenied):
        services.screening_override(actor=staff, screening=screening, reason="理由" * 10)
    with pytest.raises(ValidationError, match="须写明理由"):
        services.screening_override(actor=leader, screening=screening, reason="同意")
    reason = "属红线内允许的有限人为活动(既有设施原址改造),经法规科审核"
    screening = services.screening_override(actor=leader, screening=screening, reason=reason)
    assert screening.review == ScreeningReview.OVERRIDDEN and screening.reviewed_by == leader
    event = project.events.get(type=EiaEvent.Type.REFUSAL_OVERRIDDEN)
    assert event.reason == reason and set(event.payload["rules"]) == {
        "red_line",
        "priority_forbidden",
    }
    approved = services.project_decide(
        actor=staff,
        project=project,
        decision=Decision.APPROVED,
        decided_on=D(2026, 3, 20),
        decision_number="北环承〔2026〕9号",
    )
    assert approved.state == "approved"


def test_missing_facts_leave_rules_undetermined_and_a_changed_project_needs_a_new_screening(
    world, submit
):
    staff, leader = world.user("beishan_staff"), world.user("leader")
    project = _accepted(world, submit, facts={})
    screening = services.project_screen(actor=staff, project=project)
    assert not screening.refuse and screening.review == ScreeningReview.PENDING
    assert {u["rule"] for u in screening.undetermined} == {
        "total_emission",
        "industry_policy",
        "planning_eia",
    }
    with pytest.raises(ValidationError, match="只有无法判定的规则"):
        services.screening_confirm(actor=leader, screening=screening)
    services.project_update(
        actor=staff,
        project=project,
        data={
            "facts": {
                "total_emission_ok": True,
                "industry_policy_ok": True,
                "planning_eia_ok": True,
            }
        },
    )
    with pytest.raises(ValidationError, match="请重新筛查"):
        services.project_decide(
            actor=staff,
            project=project,
            decision=Decision.APPROVED,
            decided_on=D(2026, 3, 20),
            decision_number="1",
        )
    again = services.project_screen(actor=staff, project=project)
    assert again.review == ScreeningReview.NOT_NEEDED and again.undetermined == []
    services.project_decide(
        actor=staff,
        project=project,
        decision=Decision.APPROVED,
        decided_on=D(2026, 3, 20),
        decision_number="北环承〔2026〕10号",
    )


def test_coordinates_outside_the_division_are_refused_naming_where_they_fell(world, submit):
    before = EiaProject.objects.count()
    with pytest.raises(ValidationError) as caught:
        submit(location=_point("南湖县", 0.2, 0.1))  # a 北山县 project drawn in 南湖县
    [message] = caught.value.message_dict["location"]
    assert "项目位置不在北山县范围内" in message and "ZH99012230001" in message
    with pytest.raises(ValidationError) as caught:
        submit(location={"type": "Point", "coordinates": [27.3, 110.1]})  # latitude first
    assert "疑似经纬度顺序颠倒" in caught.value.message_dict["location"][0]
    with pytest.raises(ValidationError) as caught:
        submit(
            location={
                "type": "Polygon",
                "coordinates": [
                    [[110.0, 27.5], [110.1, 27.6], [110.1, 27.5], [110.0, 27.6], [110.0, 27.5]]
                ],
            }
        )
    assert "边界自相交" in caught.value.message_dict["location"][0]
    assert EiaProject.objects.count() == before


def _units(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _unit(code, ring, **properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"code": code, "name": "测试单元", "class": "一般管控", **properties},
    }


SQUARE = [[110.0, 28.5], [110.1, 28.5], [110.1, 28.6], [110.0, 28.6], [110.0, 28.5]]
BOWTIE = [[110.0, 28.5], [110.1, 28.6], [110.1, 28.5], [110.0, 28.6], [110.0, 28.5]]


def test_bad_polygons_are_refused_naming_the_unit_and_nothing_is_written(world):
    leader = world.user("leader")
    before = (ControlUnit.objects.count(), ZoningDataset.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.control_units_import(
            actor=leader,
            source=_units(
                _unit("ZH99012130009", BOWTIE),
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": []},
                    "properties": {"code": "ZH99012130010", "name": "空单元", "class": "一般管控"},
                },
                _unit("ZH00000030011", SQUARE),
            ),
        )
    errors = caught.value.message_dict["file"]
    assert any("ZH99012130009" in e and "自相交" in e for e in errors)
    assert any("ZH99012130010" in e for e in errors)
    assert (ControlUnit.objects.count(), ZoningDataset.objects.count()) == before
    with pytest.raises(ValidationError, match="无法确定所属区划"):
        services.control_units_import(actor=leader, source=_units(_unit("X1", SQUARE)))


def test_a_safe_repair_is_kept_and_reported_and_the_index_sees_new_units(world):
    leader = world.user("leader")
    # closing edge overshoots a corner by a hair: a digitising slip, repaired and reported
    slip = [
        [110.0, 28.5],
        [110.1, 28.5],
        [110.1, 28.6],
        [110.0, 28.6],
        [110.0, 28.49999],
        [110.00001, 28.5],
        [110.0, 28.5],
    ]
    assert not any(u.code == "ZH99012130020" for u in current_index().index.units)
    dataset = services.control_units_import(
        actor=leader,
        source=_units(_unit("ZH99012130020", slip, division="990121")),
        name="补充单元.geojson",
    )
    assert dataset.repairs and "ZH99012130020" in dataset.repairs[0]
    unit = ControlUnit.objects.get(code="ZH99012130020")
    assert unit.repaired and unit.division.name == "北山县"
    assert any(u.code == "ZH99012130020" for u in current_index().index.units)
    # the file replaced 北山县's units: the three demo units there stopped being in force
    assert not ControlUnit.objects.get(code="ZH99012110001").is_active
    assert dataset.events.get().payload["deactivated"] == 3


def test_a_sub_bureau_imports_only_its_own_units_and_the_rules_need_a_reviewer(world):
    with pytest.raises(PermissionDenied):
        services.control_units_import(
            actor=world.user("beishan_staff"), source=_units(_unit("ZH99012230030", SQUARE))
        )
    with pytest.raises(PermissionDenied):
        services.refusal_rules_activate(actor=world.user("eia_staff"), document={"rules": []})
    with pytest.raises(ValidationError) as caught:
        services.refusal_rules_activate(
            actor=world.user("leader"),
            document={"rules": [{"id": "x", "text": "t", "when": [{"kind": "no_such_kind"}]}]},
        )
    assert caught.value.message_dict["document"]
    old = ZoningDataset.objects.get(kind="rules", is_active=True)
    new = services.refusal_rules_activate(
        actor=world.user("legal"),
        document={
            "rules": [
                {
                    "id": "red_line",
                    "text": "红线内一律不批",
                    "when": [{"kind": "unit_flag", "flag": "red_line"}],
                }
            ]
        },
    )
    old.refresh_from_db()
    assert new.is_active and not old.is_active
    assert new.events.get().payload["previous"] == old.pk

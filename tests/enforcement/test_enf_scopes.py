"""Who sees and who acts: a county sees its county; reviewers see what is assigned to them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from ecogov.core.models import RecordAssignment
from ecogov.enforcement import services as s
from ecogov.enforcement.models import PenaltyCase

D = dt.date


def test_a_county_user_sees_only_his_countys_cases(world):
    beishan = PenaltyCase.objects.visible_to(world.user("beishan_staff"))
    assert beishan.count() == 11
    assert set(beishan.values_list("division__name", flat=True)) == {"北山县"}
    city = PenaltyCase.objects.visible_to(world.user("leader"))
    assert city.count() == PenaltyCase.objects.count()
    assert PenaltyCase.objects.visible_to(world.user("sysadmin")).count() == 0  # 三权分立


def test_a_county_user_cannot_open_or_handle_another_countys_case(flow, world):
    nanhu_entity = world.entity_in("南湖县")
    with pytest.raises(PermissionDenied, match="无权在“南湖县”登记案件"):
        s.case_open(
            actor=flow.p.beishan,
            entity=nanhu_entity,
            source="complaint",
            facts="x",
            officers=[flow.p.beishan, flow.p.handler],
        )
    case = flow.opened(county="南湖县")
    with pytest.raises(PermissionDenied, match="超出您的数据范围"):
        s.case_investigate(actor=flow.p.beishan, case=case)


def test_a_viewer_reads_but_does_not_act(flow):
    case = flow.opened()
    assert PenaltyCase.objects.visible_to(flow.p.viewer).filter(pk=case.pk).exists()
    with pytest.raises(PermissionDenied):
        s.case_investigate(actor=flow.p.viewer, case=case)


def test_a_reviewer_without_territory_sees_and_reviews_what_is_assigned_to_him(flow):
    legal = flow.p.legal
    legal.staff.division = None  # a reviewer of the legal section with no territory of his own
    legal.staff.save()
    legal.__dict__.pop("_ecogov_scope", None)
    case = flow.major()
    assert not PenaltyCase.objects.visible_to(legal).filter(pk=case.pk).exists()
    case = s.case_submit_review(
        actor=flow.p.handler, case=case, reviewer=legal, submitted_on=D(2025, 4, 10)
    )
    visible = PenaltyCase.objects.visible_to(legal)
    assigned = RecordAssignment.objects.filter(user=legal, role="approver", is_active=True)
    assert case in visible and set(visible.values_list("pk", flat=True)) == set(
        assigned.values_list("object_id", flat=True)
    )  # the demo's reviewed cases, and this one
    assert not PenaltyCase.objects.editable_by(legal).filter(pk=case.pk).exists()
    case = s.case_legal_review(
        actor=legal, case=case, passed=True, opinion="同意", reviewed_on=D(2025, 4, 11)
    )
    assert case.state == "reviewed"


def test_a_reviewer_cannot_review_a_case_he_cannot_see(flow):
    case = s.case_submit_review(
        actor=flow.p.handler, case=flow.major(), reviewer=flow.p.legal, submitted_on=D(2025, 4, 10)
    )
    stranger = flow.p.nanhu
    stranger.groups.add(*flow.p.legal.groups.all())
    stranger.__dict__.pop("_ecogov_roles", None)
    with pytest.raises(PermissionDenied, match="不在您的数据范围内,也未交办给您"):
        s.case_legal_review(actor=stranger, case=case, passed=True, opinion="同意")

"""Staff law study and exams: the roster is fixed when an exam is set up; scores one by one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.models import Division, OrganisationKind, StaffProfile

from .. import events
from ..models import ExamResult, LawExam, StudySession
from .common import add, create_record, raise_if, update_record

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from .common import Check

STUDY_FIELDS = ["division", "kind", "topic", "held_on", "hours", "attendees", "note"]
EXAM_FIELDS = ["division", "title", "held_on", "full_mark", "pass_mark", "organiser", "note"]
BUREAU_KINDS = [
    OrganisationKind.BUREAU,
    OrganisationKind.SECTION,
    OrganisationKind.SUB_BUREAU,
    OrganisationKind.ATTACHED_UNIT,
]


def bureau_staff(division: Division) -> QuerySet[StaffProfile]:
    """The bureau's active staff working in the division or below: an exam's default roster."""
    return StaffProfile.objects.filter(
        user__is_active=True,
        organisation__kind__in=BUREAU_KINDS,
        organisation__division__path__startswith=division.path,
    ).select_related("user")


def _attendees(actor: User) -> Check:
    def check(record: Any, errors: dict, data: dict) -> None:
        if "attendees" in data:
            check_visible_staff(errors, record, data["attendees"])

    return check


def check_visible_staff(errors: dict, record: Any, staff: Iterable[Any]) -> None:
    outside = [
        s
        for s in staff or []
        if s.pk not in set(bureau_staff(record.division).values_list("pk", flat=True))
    ]
    if outside:
        add(errors, "attendees", _("“%(s)s”不是本区划的干部职工。") % {"s": outside[0].full_name})


@transaction.atomic
def study_record(*, actor: User, data: dict[str, Any]) -> StudySession:
    return create_record(
        actor=actor,
        model=StudySession,
        data=data,
        fields=STUDY_FIELDS,
        m2m=("attendees",),
        check=_attendees(actor),
        effective_on="held_on",
    )


@transaction.atomic
def study_update(*, actor: User, session: StudySession, data: dict[str, Any]) -> StudySession:
    return update_record(
        actor=actor,
        record=session,
        data=data,
        fields=STUDY_FIELDS,
        m2m=("attendees",),
        check=_attendees(actor),
        effective_on="held_on",
    )


def _marks(record: LawExam, errors: dict, data: dict) -> None:
    if (
        record.pass_mark is not None
        and record.full_mark is not None
        and record.pass_mark > record.full_mark
    ):
        add(
            errors,
            "pass_mark",
            _("合格分数线(%(p)s)不能高于满分(%(f)s)。")
            % {"p": record.pass_mark, "f": record.full_mark},
        )


def _results(results: list[dict] | None, actor: User) -> Callable[[Any], list[str]]:
    """Scores and reasons of the roster's rows; staff may be added, never removed."""

    def save(exam: LawExam) -> list[str]:
        changed: dict = {}
        errors: dict = {}
        existing = {r.pk: r for r in exam.results.select_related("staff")}
        allowed = set(bureau_staff(exam.division).values_list("pk", flat=True))
        on_roster = {r.staff_id for r in existing.values()}
        kept = set()
        for number, row in enumerate(results or [], start=1):
            result = existing.get(row.get("pk")) if row.get("pk") else None
            if result is None:
                staff = row.get("staff")
                if staff is None:
                    add(errors, "results", _("考试成绩第%(n)d行:请选择工作人员。") % {"n": number})
                    continue
                if staff.pk in on_roster:
                    add(
                        errors,
                        "results",
                        _("考试成绩第%(n)d行:%(s)s已在名单中。")
                        % {"n": number, "s": staff.full_name},
                    )
                    continue
                if staff.pk not in allowed:
                    add(
                        errors,
                        "results",
                        _("考试成绩第%(n)d行:%(s)s不是本区划的干部职工。")
                        % {"n": number, "s": staff.full_name},
                    )
                    continue
                result = ExamResult(exam=exam, staff=staff)
                on_roster.add(staff.pk)
            else:
                kept.add(result.pk)
            problem, score_changed = _set_score(result, row, exam)
            if problem:
                add(
                    errors,
                    "results",
                    _("考试成绩第%(n)d行(%(s)s):%(m)s")
                    % {"n": number, "s": result.staff.full_name, "m": problem},
                )
                continue
            if result.pk is None or score_changed:
                result.save()
                changed[result.staff.full_name] = (
                    str(result.score) if result.score is not None else result.absence_reason or ""
                )
        if results is not None and set(existing) - kept:
            add(errors, "results", _("名单中的人员不能删除:未参加考试的请留空成绩并填写原因。"))
        raise_if(errors)
        # a new pass mark applies to every score already recorded
        exam.results.filter(score__gte=exam.pass_mark).update(passed=True)
        exam.results.exclude(score__gte=exam.pass_mark).update(passed=False)
        if changed:
            events.exam_scored_event(exam=exam, actor=actor, changed=changed)
        return ["results"] if changed else []

    return save


def _set_score(result: ExamResult, row: dict, exam: LawExam) -> tuple[str, bool]:
    """Set the row's score and reason on `result`: (problem, whether they changed); nothing is
    set when there is a problem."""
    score, reason = row.get("score", result.score), row.get("absence_reason", result.absence_reason)
    reason = (reason or "").strip()
    if score is not None:
        score = Decimal(score)
        if score < 0 or score > exam.full_mark:
            return _("成绩应在0到%(f)s之间。") % {"f": exam.full_mark}, False
        if reason:
            return _("已有成绩的不填写未参考原因。"), False
    changed = result.score != score or result.absence_reason != reason
    result.score, result.absence_reason = score, reason
    result.passed = score is not None and score >= exam.pass_mark
    return "", changed


@transaction.atomic
def law_exam_create(
    *, actor: User, data: dict[str, Any], roster: Any = None, results: list[dict] | None = None
) -> LawExam:
    """Set up an exam. Its roster is every active staff member of the bureau's units in the
    exam's division (or the staff given); the coverage figure counts who of them sat it."""

    def save(exam: LawExam) -> None:
        staff = list(roster) if roster is not None else list(bureau_staff(exam.division))
        ExamResult.objects.bulk_create([ExamResult(exam=exam, staff=s) for s in staff])
        events.exam_roster_event(exam=exam, actor=actor, staff_ids=[s.pk for s in staff])
        if results:
            by_staff = {r.staff_id: r.pk for r in exam.results.all()}
            rows = [
                {**row, "pk": by_staff.get(getattr(row.get("staff"), "pk", None))}
                for row in results
            ]
            _results(
                rows + [{"pk": pk} for pk in set(by_staff.values()) - {r["pk"] for r in rows}],
                actor,
            )(exam)

    def check(record: LawExam, errors: dict, data: dict) -> None:
        _marks(record, errors, data)
        if roster is not None and record.division_id:
            bad = [
                s
                for s in roster
                if s.pk not in set(bureau_staff(record.division).values_list("pk", flat=True))
            ]
            if bad:
                add(errors, "__all__", _("“%(s)s”不是本区划的干部职工。") % {"s": bad[0].full_name})

    return create_record(
        actor=actor,
        model=LawExam,
        data=data,
        fields=EXAM_FIELDS,
        check=check,
        effective_on="held_on",
        after_save=save,
    )


@transaction.atomic
def law_exam_update(
    *, actor: User, exam: LawExam, data: dict[str, Any], results: list[dict] | None = None
) -> LawExam:
    fields = [f for f in EXAM_FIELDS if f != "division"]
    return update_record(
        actor=actor,
        record=exam,
        data=data,
        fields=fields,
        check=_marks,
        effective_on="held_on",
        after_save=_results(results, actor),
    )


@transaction.atomic
def exam_score_record(
    *, actor: User, result: ExamResult, score: Decimal | None = None, absence_reason: str = ""
) -> ExamResult:
    """One staff member's score (or reason for not sitting), e.g. from the API."""
    law_exam_update(
        actor=actor,
        exam=result.exam,
        data={},
        results=[
            {"pk": r.pk}
            if r.pk != result.pk
            else {"pk": r.pk, "score": score, "absence_reason": absence_reason}
            for r in result.exam.results.all()
        ],
    )
    result.refresh_from_db()
    return result

"""The outreach figures of the annual summary (seed 一(一)3 and 一(五); docs/figures.md §2 publicity.*,
honors, training.solid_waste), counted from the records in the user's scope and period.

Each Figure carries `records`, exactly the records behind the number: a count is
`records.count()`, a sum is Σ `field` over `records`. Dates are the acts' own dates (held,
published, awarded), so a year's figures stay the same when counted again later. A month's
publicity count belongs to the period when the month's first day does (docs/outreach.md).
"""

from __future__ import annotations

from ecogov.core.figures import Figure, Period, count_figure, ratio, sum_figure

from .models import (
    SOCIAL_CHANNELS,
    Activity,
    ActivityKind,
    ActivityMaterial,
    Channel,
    Creation,
    CreationKind,
    CreationState,
    ExamResult,
    Honour,
    Law,
    Level,
    MaterialKind,
    PublicityCount,
    StudySession,
    Training,
)


def _count(key, label, records, unit, model, definition, parts=()) -> Figure:
    return count_figure(key, label, records, unit, model, definition, parts=parts)


def _total(key, label, records, field, unit, model, definition, parts=()) -> Figure:
    return sum_figure(key, label, records, field, unit, model, definition, parts=parts)


def publicity_figures(user, period: Period) -> list[Figure]:
    months = PublicityCount.objects.visible_to(user).filter(
        month__gte=period.start, month__lte=period.end
    )
    model = "outreach.PublicityCount"
    wechat = _total(
        "publicity.wechat_posts",
        "官方微信公众号推送信息",
        months.filter(channel=Channel.WECHAT),
        "count",
        "条",
        model,
        "期间各月官方微信公众号发布条数之和",
    )
    weibo = _total(
        "publicity.weibo_posts",
        "官方微博推送信息",
        months.filter(channel=Channel.WEIBO),
        "count",
        "条",
        model,
        "期间各月官方微博发布条数之和",
    )
    social = _total(
        "publicity.social_posts",
        "双微平台推送生态环保信息",
        months.filter(channel__in=SOCIAL_CHANNELS),
        "count",
        "条",
        model,
        "期间各月官方微信公众号和官方微博发布条数之和",
        parts=(wechat.key, weibo.key),
    )
    web = _total(
        "publicity.web_articles",
        "政府门户网站环保网页发布信息",
        months.filter(channel=Channel.WEBSITE),
        "count",
        "篇",
        model,
        "期间各月政府门户网站环保网页发布篇数之和",
    )
    booklets = _total(
        "publicity.booklets",
        "宣传活动发放宣传手册",
        ActivityMaterial.objects.visible_to(user).filter(
            kind=MaterialKind.BOOKLET,
            activity__held_on__gte=period.start,
            activity__held_on__lte=period.end,
        ),
        "quantity",
        "份",
        "outreach.ActivityMaterial",
        "期间举办的宣传活动发放的宣传手册份数之和",
    )
    materials = _total(
        "publicity.materials",
        "宣传活动发放宣传资料",
        ActivityMaterial.objects.visible_to(user).filter(
            activity__held_on__gte=period.start, activity__held_on__lte=period.end
        ),
        "quantity",
        "份",
        "outreach.ActivityMaterial",
        "期间举办的宣传活动发放的各类资料份数之和",
    )
    return [wechat, weibo, social, web, booklets, materials]


def activity_figures(user, period: Period) -> list[Figure]:
    activities = Activity.objects.visible_to(user).filter(
        held_on__gte=period.start, held_on__lte=period.end
    )
    model = "outreach.Activity"
    found = [
        _count(
            "outreach.events",
            "开展宣传活动",
            activities,
            "次",
            model,
            "期间举办的宣传活动(含宪法日、环境日、新闻发布会、开放日等)",
        )
    ]
    for kind, key in (
        (ActivityKind.CONSTITUTION_DAY, "constitution_day"),
        (ActivityKind.ENVIRONMENT_DAY, "environment_day"),
        (ActivityKind.PRESS_CONFERENCE, "press_conferences"),
        (ActivityKind.OPEN_DAY, "open_days"),
    ):
        found.append(
            _count(
                f"outreach.events.{key}",
                str(kind.label),
                activities.filter(kind=kind),
                "次",
                model,
                f"期间举办的“{kind.label}”活动",
            )
        )
    return found


def training_figures(user, period: Period) -> list[Figure]:
    trainings = Training.objects.visible_to(user).filter(
        held_on__gte=period.start, held_on__lte=period.end
    )
    solid = trainings.filter(law=Law.SOLID_WASTE)
    model = "outreach.Training"
    return [
        _count("training.batches", "举办普法培训", trainings, "批次", model, "期间举办的培训批次"),
        _total(
            "training.attendees",
            "普法培训参训人数",
            trainings,
            "attendee_count",
            "人",
            model,
            "期间各批次培训参训人数之和",
        ),
        _count(
            "training.solid_waste.batches",
            "《固体废物污染环境防治法》培训",
            solid,
            "批次",
            model,
            "期间举办的以《固体废物污染环境防治法》为内容的培训批次",
        ),
        _total(
            "training.solid_waste.attendees",
            "《固体废物污染环境防治法》培训参训人数",
            solid,
            "attendee_count",
            "人",
            model,
            "上述培训各批次参训人数之和",
        ),
    ]


def law_exam_figures(user, period: Period) -> list[Figure]:
    roster = ExamResult.objects.visible_to(user).filter(
        exam__held_on__gte=period.start, exam__held_on__lte=period.end
    )
    model = "outreach.ExamResult"
    expected = _count(
        "law_exam.roster",
        "学法考法应考人次",
        roster,
        "人次",
        model,
        "期间举行的学法考法考试名单上的干部职工人次",
    )
    sat = _count(
        "law_exam.sat",
        "学法考法实考人次",
        roster.filter(score__isnull=False),
        "人次",
        model,
        "名单中登记了成绩的人次",
    )
    passed = _count(
        "law_exam.passed",
        "学法考法合格人次",
        roster.filter(passed=True),
        "人次",
        model,
        "成绩达到该次考试合格分数线的人次",
    )
    absent = _count(
        "law_exam.absent",
        "学法考法未参考人次",
        roster.filter(score__isnull=True),
        "人次",
        model,
        "名单中没有成绩的人次(未参考)",
    )
    sessions = StudySession.objects.visible_to(user).filter(
        held_on__gte=period.start, held_on__lte=period.end
    )
    return [
        expected,
        sat,
        passed,
        absent,
        ratio(
            "law_exam.coverage_rate",
            "学法考法参考率",
            sat,
            expected,
            definition="实考人次 / 应考人次",
        ),
        ratio(
            "law_exam.pass_rate", "学法考法合格率", passed, sat, definition="合格人次 / 实考人次"
        ),
        _count(
            "law_study.sessions",
            "干部职工学法活动",
            sessions,
            "次",
            "outreach.StudySession",
            "期间组织的学法活动(理论学习、法律培训、环保大讲堂)",
        ),
    ]


def honour_figures(user, period: Period) -> list[Figure]:
    honours = Honour.objects.visible_to(user).filter(
        awarded_on__gte=period.start, awarded_on__lte=period.end
    )
    creations = Creation.objects.visible_to(user).filter(
        state__in=[CreationState.AWARDED, CreationState.WITHDRAWN],
        awarded_on__gte=period.start,
        awarded_on__lte=period.end,
    )
    found = []
    for level, name in (
        (Level.NATIONAL, "national"),
        (Level.PROVINCIAL, "provincial"),
        (Level.CITY, "city"),
    ):
        found.append(
            _count(
                f"honors.{name}",
                f"获{level.label}荣誉",
                honours.filter(level=level),
                "项",
                "outreach.Honour",
                f"期间授予本局、所属单位或干部职工的{level.label}荣誉",
            )
        )
        found.append(
            _count(
                f"creations.{name}.counties",
                f"获{level.label}生态文明建设示范县(市、区)命名",
                creations.filter(level=level, kind=CreationKind.COUNTY),
                "个",
                "outreach.Creation",
                f"期间获{level.label}生态文明建设示范县(市、区)命名的县市区",
            )
        )
    found.append(
        _count(
            "creations.awarded",
            "示范创建获得命名",
            creations,
            "个",
            "outreach.Creation",
            "期间获得命名的各级各类示范创建(县、乡镇、村、学校、社区等)",
        )
    )
    return found


def outreach_figures(user, period: Period) -> list[Figure]:
    if isinstance(period, int):
        period = Period.of_year(period)
    return [
        *publicity_figures(user, period),
        *activity_figures(user, period),
        *training_figures(user, period),
        *law_exam_figures(user, period),
        *honour_figures(user, period),
    ]

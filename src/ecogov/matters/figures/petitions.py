"""Environmental petitions (seed 一(三)8): received in the period, and what became of them by
its end."""

from __future__ import annotations

from django.db.models import Count, Q

from ecogov.core.figures import Figure, Kind, Period, ratio
from ecogov.matters.models import Matter
from ecogov.matters.workflow import Kind as MatterKind

from .credit import MODEL, Credits, not_by, plain

SATISFIED = ["satisfied", "basic"]


def petition_figures(user, period: Period) -> list[Figure]:
    end = period.end
    received = Matter.objects.visible_to(user).filter(
        kind=MatterKind.PETITION, received_on__gte=period.start, received_on__lte=end
    )
    scope = Credits(user)
    closed_q = Q(closed_on__lte=end)
    done_q = Q(done_on__lte=end)
    on_time_q = done_q & (Q(done_late=False) | Q(done_late__isnull=True))
    rated_q = ~Q(feedback="")
    satisfied_q = Q(feedback__in=SATISFIED)
    duplicate_q = Q(duplicate_of__isnull=False)
    counts = received.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=not_by("closed_on", end)),
        done=Count("pk", filter=done_q),
        on_time=Count("pk", filter=on_time_q),
        duplicates=Count("pk", filter=duplicate_q),
        rated=Count("pk", filter=rated_q),
        satisfied=Count("pk", filter=satisfied_q),
        **scope.whole(closed=closed_q),
    )
    shared = scope.shared(received, ["kind"], closed=closed_q)
    closed = scope.total(counts, shared, (MatterKind.PETITION,), "closed")

    def count(key, label, name, records, definition):
        return Figure(key, label, counts[name], "件", MODEL, records=records, definition=definition)

    f = {
        "received": count(
            "petitions.received",
            f"{period.label}受理环境信访",
            "total",
            received,
            "受理(交办)日期在期间内的环境信访件",
        ),
        "closed": Figure(
            "petitions.closed",
            "已办结",
            plain(closed),
            "件",
            MODEL,
            kind=Kind.CREDIT,
            records=scope.with_share(received.filter(closed_q)),
            field="share",
            definition="期间内受理、办结日期不晚于期末的信访件,按本范围内"
            "责任单位的计分份额计(与他单位共同办结的计0.5)",
        ),
        "open": count(
            "petitions.open",
            "办理中",
            "open",
            received.filter(not_by("closed_on", end)),
            "期间内受理、期末时尚未办结的信访件(此后办结的仍计入)",
        ),
        "done": count(
            "petitions.answered",
            "已答复",
            "done",
            received.filter(done_q),
            "期间内受理、答复(办理完成)日期不晚于期末的信访件",
        ),
        "on_time": count(
            "petitions.answered_on_time",
            "按期答复",
            "on_time",
            received.filter(on_time_q),
            "已答复信访件中答复时未超过办理时限的",
        ),
        "duplicates": count(
            "petitions.duplicates",
            "重复信访件",
            "duplicates",
            received.filter(duplicate_q),
            "期间内受理、已关联为重复件的信访件",
        ),
        "rated": count(
            "petitions.rated",
            "信访人已评价",
            "rated",
            received.filter(rated_q),
            "期间内受理、信访人已作满意度评价的信访件",
        ),
        "satisfied": count(
            "petitions.satisfied",
            "满意(含基本满意)",
            "satisfied",
            received.filter(satisfied_q),
            "评价为满意或基本满意的信访件",
        ),
    }
    figures = [
        f["received"],
        f["closed"],
        f["open"],
        ratio(
            "petitions.closure_rate",
            "办结率",
            f["closed"],
            f["received"],
            definition="已办结 ÷ 期间内受理",
        ),
        f["done"],
        f["on_time"],
        ratio(
            "petitions.on_time_rate",
            "按期答复率",
            f["on_time"],
            f["done"],
            definition="按期答复 ÷ 已答复",
        ),
        f["duplicates"],
        f["rated"],
        f["satisfied"],
    ]
    if counts["rated"]:
        figures.append(
            ratio(
                "petitions.satisfaction_rate",
                "满意率(含基本满意)",
                f["satisfied"],
                f["rated"],
                definition="满意和基本满意 ÷ 已评价",
            )
        )
    return figures

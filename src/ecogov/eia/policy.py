"""The EIA workflow's numbers (docs/eia.md §4), each overridable in settings.

Every number here must be signed off by the legal section (法规科) before it goes live
(docs/procedures.md, introduction); a deployment overrides any of them with
`ECOGOV_EIA_POLICY = {"decision_days": {...}, ...}` in its settings.
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # Decide on a report within 60 日, a form within 30 日, from acceptance: EIA law art. 22,
    # 条例 art. 9 [S]. The law says only 日, so both readings are computed (docs/procedures.md §2, [U]).
    "decision_days": {"report": 60, "form": 30},
    # Acceptance check: tell the applicant what is missing within 5 working days, else the
    # application counts as accepted (行政许可法 arts. 32, 82) [S].
    "acceptance_check_working_days": 5,
    # Public notices (公众参与办法 / 环办〔2013〕103号) [S2]: minimum working days each runs.
    "notice_min_working_days": {"acceptance": 10, "proposed": 5},
    # The decision is published in full within 7 working days of the decision [S2].
    "decision_publish_working_days": 7,
    # Re-review (重新审核) when construction starts more than 5 years after the approval; the
    # original approver answers within 10 日 (EIA law art. 24; 条例 art. 12) [S]; both readings.
    "rereview_after_years": 5,
    "rereview_answer_days": 10,
    # Completion acceptance report publicised at least 20 working days (建设项目竣工环境保护验收
    # 暂行办法, 国环规环评〔2017〕4号, art. 11) [M].
    "acceptance_publicity_min_working_days": 20,
    # Regional suspension (限批办法 arts. 7, 11, 13) [S]: 3–12 months, extended once by ≤ 6
    # months, the site check within 1 month of expiry.
    "suspension_months": (3, 12),
    "suspension_extension_months": 6,
    "suspension_site_check_months": 1,
    # Due items are listed on the dashboard this many calendar days ahead.
    "due_soon_days": 14,
}


def policy(name: str):
    override = getattr(settings, "ECOGOV_EIA_POLICY", {}) or {}
    return override.get(name, DEFAULTS[name])

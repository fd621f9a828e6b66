"""The permit workflow's numbers (docs/permits.md §4), each overridable in settings.

A deployment overrides any of them with `ECOGOV_PERMITS_POLICY = {...}`; the legal section
(法规科) signs each off before it goes live.
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "validity_years": 5,  # 排污许可管理条例 art. 14 [S]
    "renewal_lead_days": 60,  # apply for renewal at least 60 days before expiry, art. 14 [S]
    "renewal_reminder_days": 30,  # remind this many days before that application date
    "renewal_decision_days": 20,  # decide within 20 日 of accepting the renewal, art. 14 [S]
    # A registration's validity is not settled nationally (commonly said 5 years) [U].
    "registration_validity_years": 5,
    # Rectification period: MEE sets it; the 2019–20 clean-up gave 3–6 months, at most 1 year [M].
    "rectification_max_months": 12,
    # Execution reports per class (HJ 944 practice [M]): key = annual + quarterly (the annual
    # report covers the fourth quarter), simplified = annual.
    "reports": {"key": ["annual", "q1", "q2", "q3"], "simplified": ["annual"]},
    "annual_report_due": (1, 31),  # (month, day) of the next year
    "quarterly_report_due_day": 15,  # of the first month of the next quarter
    "due_soon_days": 14,
}


def policy(name: str):
    override = getattr(settings, "ECOGOV_PERMITS_POLICY", {}) or {}
    return override.get(name, DEFAULTS[name])

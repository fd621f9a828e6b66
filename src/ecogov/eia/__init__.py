"""Construction-project EIA approvals (环评审批).

The Django app lives here; ``ecogov.eia.zoning`` is the pure 三线一单 (control-unit) screening
engine it calls, which imports no Django.
"""

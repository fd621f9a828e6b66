"""Login security glue: django-axes reads the live SecurityPolicy."""

import datetime as dt

from ecogov.core.models import SecurityPolicy


def axes_failure_limit(request, credentials) -> int:
    return SecurityPolicy.current().lockout_failures


def axes_cooloff_time(request=None) -> dt.timedelta:
    return dt.timedelta(minutes=SecurityPolicy.current().lockout_minutes)

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecogov.core.models import AuditLogEntry


def test_lockout_after_repeated_failures(client, world):
    for _ in range(5):
        client.post("/admin/login/", {"username": "leader", "password": "nope-nope-nope"})
    response = client.post("/admin/login/", {"username": "leader", "password": "ecogov-demo-2026"})
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    assert AuditLogEntry.objects.filter(event="lockout", username="leader").exists()


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short1!", "10"),  # shorter than 10
        ("1234567890123", "数字"),  # all digits
        ("password123", "常见"),  # common
    ],
)
def test_password_policy(db, password, fragment):
    with pytest.raises(ValidationError) as info:
        validate_password(password, User(username="someone"))
    assert fragment in " ".join(info.value.messages)


def test_idle_session_expires(client, world, settings):
    client.post("/admin/login/", {"username": "leader", "password": "ecogov-demo-2026"})
    assert client.get("/admin/").status_code == 200
    session = client.session
    assert session.get_expiry_age() == 30 * 60
    # jump past the idle window: the session row is now expired
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get("/admin/").status_code == 302


def test_session_renewal_is_written_at_most_once_a_minute(client, world):
    """Reading pages does not write the session each time (a write per page locked SQLite),
    yet the idle expiry still moves on with the user's requests."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ecogov.core.middleware import IdleSessionMiddleware

    client.post("/admin/login/", {"username": "leader", "password": "ecogov-demo-2026"})
    client.get("/admin/")

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/").status_code == 200
        return [
            q for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"')
        ]

    assert session_writes() == []  # a second page within the minute
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    session = client.session
    session[IdleSessionMiddleware.RENEWED_KEY] -= IdleSessionMiddleware.RENEW_SECONDS  # a minute on
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=before - dt.timedelta(minutes=5))
    assert len(session_writes()) == 1
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > before - dt.timedelta(minutes=5)
    assert abs((renewed - timezone.now()).total_seconds() - 30 * 60) < 30

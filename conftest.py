"""Root fixtures: every test gets its own media folder; 示例市 is built once per test database.

Tests name the demo world's people and places (Zulip's "hamlet"): `world.user("beishan_staff")`.
"""

import pytest


@pytest.fixture(autouse=True)
def _isolated_files(request, tmp_path):
    if not request.config.pluginmanager.hasplugin("django"):
        return  # the pure engines' tests also run without Django
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ECOGOV_MAX_UPLOAD_MB = 1


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from ecogov.core.demo import build

    with django_db_blocker.unblock():
        build()


@pytest.fixture
def world(db):
    from ecogov.core.demo import World

    return World()


@pytest.fixture
def login(client):
    """Sign a demo user in to the test client by name: `login("beishan_staff")`."""

    def _login(username):
        from django.contrib.auth.models import User

        client.force_login(User.objects.get(username=username))
        return client

    return _login

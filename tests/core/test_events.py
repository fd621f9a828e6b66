"""The events' shared helpers (core/events.py): who an event names."""

from django.contrib.auth.models import AnonymousUser, User

from ecogov.core.events import signed_in_user


def test_an_event_names_only_a_signed_in_user():
    user = User(username="someone")
    assert signed_in_user(user) is user
    assert signed_in_user(AnonymousUser()) is None  # a request nobody signed in to
    assert signed_in_user(None) is None  # a command run without a user


def test_an_anonymous_actor_is_recorded_as_no_one(world):
    from ecogov.core.events import entity_registered_event
    from ecogov.core.models import RegulatedEntity

    entity = RegulatedEntity.objects.first()
    event = entity_registered_event(entity=entity, actor=AnonymousUser())
    assert event.actor is None
    event = entity_registered_event(entity=entity, actor=world.user("beishan_staff"))
    assert event.actor == world.user("beishan_staff")

"""示例市: the demo bureau, also the named fixture world the tests use ("beishan_staff", "北山县")."""

from .world import DEMO_PASSWORD, USERS, World, build

__all__ = ["DEMO_PASSWORD", "USERS", "World", "build"]

"""The matters area's part of 示例市 (registered with core.areas.register_demo)."""

from .build import build_demo

__all__ = ["build_demo"]

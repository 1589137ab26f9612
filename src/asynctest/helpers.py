"""asynctest 0.13's ``asynctest.helpers`` module path (re-exports only)."""

from ._engine.helpers import exhaust_callbacks

__all__ = ["exhaust_callbacks"]

"""asynctest: unittest for asyncio code (placeholder while the package is built)."""
from unittest import *  # noqa: F401,F403

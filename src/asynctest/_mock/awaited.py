"""``CoroutineMock.awaited``: know when a coroutine mock was awaited, from any loop.

asynctest 0.13 kept an ``asyncio.Condition`` made on the first loop that used
the mock, so a mock shared by tests (each with its own loop) broke in the
second test. Here nothing is bound to a loop: each waiter owns a future of the
loop it waits on, made when it starts waiting and dropped when it is woken.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

__all__ = ["Awaited"]


class Awaited:
    """Truthy once its mock was awaited; await its methods to wait for awaits.

    ``bool(mock.awaited)`` is ``mock.await_count > 0``. The ``wait*`` methods
    are coroutines usable on any event loop, by any number of waiters at once;
    they are woken each time an await of the mock ends (it returned, raised or
    was cancelled), then check their condition again.
    """

    __slots__ = ("_mock", "_waiters")

    def __init__(self, mock: Any) -> None:
        self._mock = mock
        self._waiters: list[asyncio.Future[None]] = []

    def __bool__(self) -> bool:
        return bool(self._mock.await_count)

    def __repr__(self) -> str:
        return f"<Awaited of {self._mock!r}: await_count={self._mock.await_count}>"

    async def wait(self, skip: int = 0) -> Any:
        """Return once the mock was awaited more than ``skip`` times in all.

        Returns at once if it already was. ``skip`` must be an int >= 0.
        """
        _check_skip(skip)
        return await self.wait_for(lambda mock: mock.await_count > skip)

    async def wait_next(self, skip: int = 0) -> Any:
        """Return once the mock was awaited ``skip + 1`` more times from now.

        Awaits that ended before the call do not count. ``skip`` must be an
        int >= 0.
        """
        _check_skip(skip)
        target = self._mock.await_count + skip + 1
        return await self.wait_for(lambda mock: mock.await_count >= target)

    async def wait_for(self, predicate: Callable[[Any], Any]) -> Any:
        """Return ``predicate(mock)`` once it is truthy.

        The predicate is called now, then again after each await of the mock
        ends, in the waiting task; if it raises, the exception reaches the
        waiter. Cancelling the waiter stops the wait and leaves nothing behind.
        """
        if not callable(predicate):
            raise TypeError(f"wait_for() needs a callable taking the mock, got {predicate!r}")
        loop = asyncio.get_running_loop()
        while True:
            result = predicate(self._mock)
            if result:
                return result
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def notify(self) -> None:
        """Wake every waiter so that it checks its condition again.

        Called when an await of the mock ends; safe from any thread. Waiters
        whose loop is closed (a previous test's) are dropped.
        """
        waiters, self._waiters = self._waiters, []
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for waiter in waiters:
            if waiter.done():
                continue
            loop = waiter.get_loop()
            if loop is running:
                waiter.set_result(None)
            elif not loop.is_closed():
                loop.call_soon_threadsafe(_wake, waiter)


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _check_skip(skip: int) -> None:
    if isinstance(skip, bool) or not isinstance(skip, int) or skip < 0:
        raise ValueError(f"skip must be an int >= 0 (how many awaits to let pass), got {skip!r}")

"""TestSelector: a selector that watches file mocks virtually and real files for real.

A selector event loop polls its selector once per iteration; with a TestSelector
in its place, a file mock registered by ``loop.add_reader()`` or by a transport
is reported ready when the test says so (:func:`set_read_ready`,
:func:`set_write_ready`), while real files and sockets (the loop's own wake-up
pipe included) go on being polled by the real selector it wraps.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Iterator, Mapping
from typing import Any, Callable, Optional

from .. import _compat
from .mocks import fd, isfilemock

__all__ = [
    "TestSelector",
    "install_test_selector",
    "set_read_ready",
    "set_write_ready",
    "uninstall_test_selector",
]

_EVENTS = (selectors.EVENT_READ, selectors.EVENT_WRITE)
_ALL_EVENTS = selectors.EVENT_READ | selectors.EVENT_WRITE


class _Map(Mapping[Any, selectors.SelectorKey]):
    """The keys of a TestSelector: virtual ones first, then the wrapped selector's."""

    def __init__(self, owner: TestSelector) -> None:
        self._owner = owner

    def __getitem__(self, fileobj: Any) -> selectors.SelectorKey:
        key = self._owner._lookup(fileobj)
        if key is None:
            raise KeyError(f"{fileobj!r} is not registered")
        return key

    def get(self, fileobj: Any, default: Any = None) -> Any:
        # Python 3.12+ selector loops look their keys up with get_map().get():
        # answered without raising and catching a KeyError.
        wrapped = self._owner.wrapped
        if type(fileobj) is int and wrapped is not None:
            return wrapped.get_map().get(fileobj, default)  # the loop's own registrations
        key = self._owner._lookup(fileobj)
        return default if key is None else key

    def __iter__(self) -> Iterator[Any]:
        yield from self._owner._virtual
        if self._owner.wrapped is not None:
            yield from self._owner.wrapped.get_map()

    def __len__(self) -> int:
        wrapped = self._owner.wrapped
        return len(self._owner._virtual) + (0 if wrapped is None else len(wrapped.get_map()))


class TestSelector(selectors.BaseSelector):
    """A selector for tests: file mocks are watched virtually, real files by ``selector``.

    ``TestSelector(selector)`` wraps a real selector: registrations of real files
    and sockets go to it and :meth:`select` reports its events together with the
    mocks'. ``TestSelector()`` alone keeps every registration virtually and its
    :meth:`select` never blocks. A file mock (see
    :func:`~asynctest.selector.isfilemock`) is ready only after
    :func:`set_read_ready` / :func:`set_write_ready` (or :meth:`set_ready`): each
    call is one notification, reported by one :meth:`select`.

    ``on_select``, if set, is called with the timeout of every :meth:`select`
    (None: block until an event) before the selector polls; a watchdog uses it to
    see when the loop is about to wait. ``on_block``, if set, is called (with the
    selector as argument) only before a :meth:`select` that would block with no
    timeout: deadlock detection uses it, at no cost to the loop's other turns;
    ``owner_loop`` is the loop polling the selector, for such hooks.
    ``clock``, if set, is the loop's virtual clock: before a wait with nothing
    virtual ready, it may turn the wait into a poll of real I/O followed by a
    jump of the clock (``VirtualClock.plan`` / ``jump``).
    """

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, selector: Optional[selectors.BaseSelector] = None) -> None:
        self.wrapped = selector
        self.on_select: Optional[Callable[[Optional[float]], None]] = None
        self.on_block: Optional[Callable[[TestSelector], None]] = None
        self.owner_loop: Any = None
        #: The loop's virtual clock, when it moves through this selector
        #: (``asynctest._engine.clock.VirtualClock``: advance, autojump).
        self.clock: Any = None
        self._virtual: dict[int, selectors.SelectorKey] = {}
        # descriptor -> [pending read notifications, pending write notifications]
        self._ready: dict[int, list[int]] = {}
        self._closed = False
        self._map: Optional[_Map] = None  # made on first use
        self.select_count = 0

    def _goes_virtual(self, fileobj: Any) -> bool:
        # A plain int is a real descriptor (FileDescriptor is a subclass): the
        # loop's own registrations take this fast path.
        if self.wrapped is None:
            return True
        return type(fileobj) is not int and isfilemock(fileobj)

    def get_key(self, fileobj: Any) -> selectors.SelectorKey:
        """The registration of ``fileobj``; KeyError if it is not registered."""
        wrapped = self.wrapped
        if type(fileobj) is int and wrapped is not None:
            return wrapped.get_key(fileobj)  # the loop's own registrations
        if not self._goes_virtual(fileobj):
            assert self.wrapped is not None
            return self.wrapped.get_key(fileobj)
        key = self._virtual.get(_descriptor(fileobj))
        if key is None:
            raise KeyError(f"{fileobj!r} is not registered")
        return key

    def _lookup(self, fileobj: Any) -> Optional[selectors.SelectorKey]:
        wrapped = self.wrapped
        if type(fileobj) is int and wrapped is not None:
            return wrapped.get_map().get(fileobj)  # the loop's own registrations
        if self._goes_virtual(fileobj):
            return self._virtual.get(_descriptor(fileobj))
        assert self.wrapped is not None
        return self.wrapped.get_map().get(fileobj)

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        """Watch ``fileobj`` for ``events``; see ``selectors.BaseSelector.register``."""
        wrapped = self.wrapped
        if type(fileobj) is int and wrapped is not None:
            return wrapped.register(fileobj, events, data)
        self._check_open()
        if not self._goes_virtual(fileobj):
            assert self.wrapped is not None
            return self.wrapped.register(fileobj, events, data)
        _check_events(events)
        descriptor = _descriptor(fileobj)
        if descriptor in self._virtual:
            raise KeyError(f"{fileobj!r} (fd {descriptor!r}) is already registered")
        key = selectors.SelectorKey(fileobj, descriptor, events, data)
        self._virtual[descriptor] = key
        return key

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        """Stop watching ``fileobj``; see ``selectors.BaseSelector.unregister``."""
        wrapped = self.wrapped
        if type(fileobj) is int and wrapped is not None:
            return wrapped.unregister(fileobj)
        self._check_open()
        if not self._goes_virtual(fileobj):
            assert self.wrapped is not None
            return self.wrapped.unregister(fileobj)
        descriptor = _descriptor(fileobj)
        key = self._virtual.pop(descriptor, None)
        if key is None:
            raise KeyError(f"{fileobj!r} is not registered")
        self._ready.pop(descriptor, None)
        return key

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        """Change the events or data of a registration; see ``BaseSelector.modify``."""
        self._check_open()
        if not self._goes_virtual(fileobj):
            assert self.wrapped is not None
            return self.wrapped.modify(fileobj, events, data)
        _check_events(events)
        descriptor = _descriptor(fileobj)
        if descriptor not in self._virtual:
            raise KeyError(f"{fileobj!r} is not registered")
        key = selectors.SelectorKey(fileobj, descriptor, events, data)
        self._virtual[descriptor] = key
        return key

    def set_ready(self, fileobj: Any, events: int) -> None:
        """Report ``events`` of the registered ``fileobj`` at a coming :meth:`select`.

        Each call is one notification: called twice, the reader runs twice (at two
        successive selects). Events that nothing watches on ``fileobj`` at a select
        are dropped. Real files can be made ready too (added to their real events).
        Not thread-safe: from another thread, use :func:`set_read_ready` /
        :func:`set_write_ready`.
        """
        _check_events(events)
        descriptor = _descriptor(fileobj) if self._goes_virtual(fileobj) else fd(fileobj)
        counts = self._ready.setdefault(descriptor, [0, 0])
        for index, event in enumerate(_EVENTS):
            if events & event:
                counts[index] += 1

    def has_virtual_keys(self) -> bool:
        """Whether a file mock is registered (watched virtually)."""
        return bool(self._virtual)

    def has_ready(self) -> bool:
        """Whether a :meth:`set_ready` event waits to be reported by :meth:`select`."""
        return bool(self._ready)

    def select(self, timeout: Optional[float] = None) -> list[tuple[selectors.SelectorKey, int]]:
        """Wait for events: the mocks' (set ready), then the wrapped selector's.

        With mock events pending, the wrapped selector is only polled (timeout 0);
        without a wrapped selector, nothing blocks. ``on_select`` is called first,
        with the timeout the wrapped selector will get. ``select_count`` counts
        the calls: one per iteration of the loop.
        """
        self.select_count += 1
        wrapped = self.wrapped
        if not self._ready and wrapped is not None:
            # The common case: nothing virtual is ready.
            clock = self.clock
            if clock is not None and timeout != 0:
                # The loop is idle: the virtual clock may jump (see clock.py).
                poll = clock.plan(timeout)
                if poll is not None:
                    if self.on_select is not None:
                        self.on_select(poll)
                    polled = wrapped.select(poll)
                    if not polled:
                        clock.jump()
                    return polled
            if timeout is None and self.on_block is not None:
                self.on_block(self)
            if self.on_select is not None:
                self.on_select(timeout)
            return wrapped.select(timeout)
        if self._ready:
            timeout = 0
        # Before any event is consumed, should they raise.
        if timeout is None and self.on_block is not None:
            self.on_block(self)
        if self.on_select is not None:
            self.on_select(timeout)
        events = self._take_ready()
        if self.wrapped is None:
            return list(events.values())
        for key, mask in self.wrapped.select(timeout):
            previous = events.get(key.fd)
            events[key.fd] = (key, mask | (previous[1] if previous else 0))
        return list(events.values())

    def _take_ready(self) -> dict[int, tuple[selectors.SelectorKey, int]]:
        """One notification of every pending event that is watched; drop the others."""
        events = {}
        for descriptor, counts in list(self._ready.items()):
            key = self._virtual.get(descriptor)
            if key is None and self.wrapped is not None:
                key = self.wrapped.get_map().get(descriptor)
            mask = 0
            for index, event in enumerate(_EVENTS):
                if counts[index] and key is not None and key.events & event:
                    mask |= event
                    counts[index] -= 1
                else:
                    counts[index] = 0
            if mask:
                assert key is not None
                events[key.fd] = (key, mask)
            if not any(counts):
                del self._ready[descriptor]
        return events

    def registrations(self) -> list[selectors.SelectorKey]:
        """Every registration, mocks' first: ``list(get_map().values())``, faster."""
        keys = list(self._virtual.values())
        if self.wrapped is not None:
            keys.extend(_compat.selector_keys(self.wrapped))
        return keys

    def get_map(self) -> Mapping[Any, selectors.SelectorKey]:
        """Every registration: mocks' and the wrapped selector's."""
        if self._map is None:
            self._map = _Map(self)
        return self._map

    def detach(self) -> Optional[selectors.BaseSelector]:
        """Forget the virtual registrations and return the wrapped selector, still open."""
        self._virtual.clear()
        self._ready.clear()
        self._closed = True
        wrapped, self.wrapped = self.wrapped, None
        return wrapped

    def close(self) -> None:
        """Close the wrapped selector and forget every registration."""
        wrapped = self.detach()
        if wrapped is not None:
            wrapped.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")

    def __repr__(self) -> str:
        return f"<TestSelector wrapping {self.wrapped!r}, {len(self._virtual)} virtual>"


def _check_events(events: int) -> None:
    if not isinstance(events, int) or not events or events & ~_ALL_EVENTS:
        raise ValueError(
            f"invalid events {events!r}: expected EVENT_READ, EVENT_WRITE or both"
        )


def _descriptor(fileobj: Any) -> int:
    """The key of a virtual registration; validates like the selectors module does."""
    try:
        descriptor = fd(fileobj)
    except ValueError as exc:
        raise ValueError(f"invalid file object {fileobj!r}: {exc}") from None
    if descriptor < 0:
        raise ValueError(f"invalid file descriptor {descriptor!r} of {fileobj!r}")
    return descriptor


def install_test_selector(loop: asyncio.AbstractEventLoop) -> Optional[TestSelector]:
    """Make a selector loop poll a TestSelector wrapping its selector; return it.

    Returns the TestSelector already installed if there is one, and None (doing
    nothing) when ``loop`` is not an asyncio selector loop (uvloop, proactor).
    Undo with :func:`uninstall_test_selector` before closing the loop.
    """
    selector = _compat.loop_selector(loop)
    if selector is None:
        return None
    if isinstance(selector, TestSelector):
        return selector
    test_selector = TestSelector(selector)
    _compat.set_loop_selector(loop, test_selector)
    return test_selector


def uninstall_test_selector(loop: asyncio.AbstractEventLoop) -> None:
    """Give ``loop`` back the selector that :func:`install_test_selector` wrapped.

    The real selector stays open (``loop.close()`` closes it); mocks still
    registered are forgotten. Does nothing if no TestSelector is installed.
    """
    selector = _compat.loop_selector(loop)
    if isinstance(selector, TestSelector):
        _compat.set_loop_selector(loop, selector.detach())


def set_read_ready(fileobj: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Make the loop see ``fileobj`` ready for reading and run its reader once.

    ``fileobj`` is a file mock (or its FileDescriptor) or a real file that
    ``loop`` watches; ``loop`` must use a TestSelector (the loop of an asynctest
    TestCase does when it is a selector loop). The event is reported at the
    loop's next poll, so the reader runs in a coming iteration, not now; if no
    reader is registered on ``fileobj`` by then, the event is dropped.
    Thread-safe. For example, with ``sock.recv.side_effect = [b"data",
    BlockingIOError()]`` on a :class:`SocketMock` given to
    ``asyncio.open_connection(sock=sock)``, ``set_read_ready(sock, loop)`` makes
    the stream's reader read ``b"data"``.
    """
    _schedule_ready(fileobj, loop, selectors.EVENT_READ, "set_read_ready")


def set_write_ready(fileobj: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Make the loop see ``fileobj`` ready for writing and run its writer once.

    The write counterpart of :func:`set_read_ready`, with the same rules: e.g.
    after ``sock.send`` raised BlockingIOError, the transport waits for this
    to send what it buffered.
    """
    _schedule_ready(fileobj, loop, selectors.EVENT_WRITE, "set_write_ready")


def _schedule_ready(fileobj: Any, loop: Any, events: int, caller: str) -> None:
    if not isinstance(loop, asyncio.AbstractEventLoop):
        raise TypeError(f"{caller}({fileobj!r}, {loop!r}): expected an event loop, got {loop!r}")
    if not _compat.is_selector_loop(loop):
        raise TypeError(
            f"{caller}({fileobj!r}, {loop!r}) needs an asyncio selector event loop "
            f"(asyncio.SelectorEventLoop), got a {type(loop).__name__}: "
            f"file mocks cannot be watched by other loops (uvloop, proactor)"
        )
    selector = _compat.loop_selector(loop)
    if not isinstance(selector, TestSelector):
        raise TypeError(
            f"{caller}({fileobj!r}, {loop!r}): the loop polls {selector!r}, not a "
            f"TestSelector; call asynctest.selector.install_test_selector(loop) first "
            f"(an asynctest.TestCase does it for its loop)"
        )
    # Validate now: an error raised in the loop's callback would be far from its cause.
    if isfilemock(fileobj):
        _descriptor(fileobj)
    else:
        fd(fileobj)
    # Through the loop's queue: thread-safe, and it wakes a loop blocked in select().
    loop.call_soon_threadsafe(_mark_ready, loop, fileobj, events)


def _mark_ready(loop: asyncio.AbstractEventLoop, fileobj: Any, events: int) -> None:
    selector = _compat.loop_selector(loop)
    if isinstance(selector, TestSelector):  # not uninstalled meanwhile
        selector.set_ready(fileobj, events)

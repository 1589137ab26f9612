"""A small price client: the code under test of the "Mocking" chapter.

``Session`` talks to a price server over TCP, one JSON object a line. The
tests never reach a server: they replace the session, or the functions that
make one, with mocks.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any


class Session:
    """A connection to the price server: send a request line, read a JSON reply line."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port

    async def request(self, method: str, path: str, data: Any = None) -> Any:
        """Send one request and return the decoded reply (one connection per request)."""
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            line = json.dumps({"method": method, "path": path, "data": data})
            writer.write(line.encode() + b"\n")
            await writer.drain()
            return json.loads(await reader.readline())
        finally:
            writer.close()
            await writer.wait_closed()

    async def get(self, path: str) -> Any:
        """The server's answer for ``path``."""
        return await self.request("GET", path)

    async def post(self, path: str, data: Any) -> None:
        """Send ``data`` to ``path``."""
        await self.request("POST", path, data)


async def fetch_price(session: Session, item: str) -> float:
    """The price of ``item``, in dollars."""
    reply = await session.get(f"/prices/{item}")
    return float(reply["price"])


async def exchange_rate(currency: str) -> float:
    """How many ``currency`` units one dollar buys today (asks the rates server)."""
    session = Session("rates.example.com", 4000)
    reply = await session.get(f"/rates/{currency}")
    return float(reply["rate"])


async def price_in(session: Session, item: str, currency: str) -> float:
    """The price of ``item`` in ``currency``, rounded to the cent."""
    price = await fetch_price(session, item)
    return round(price * await exchange_rate(currency), 2)


class Uploader:
    """Posts the orders given to ``send()`` to the server, one at a time, in a background task."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._task = asyncio.ensure_future(self._run())

    def send(self, order: dict[str, Any]) -> None:
        """Queue ``order``; it is posted later, after the orders queued before it."""
        self._queue.put_nowait(order)

    async def close(self) -> None:
        """Stop posting (orders still queued are dropped)."""
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass

    async def _run(self) -> None:
        while True:
            order = await self._queue.get()
            await self.session.post("/orders", order)

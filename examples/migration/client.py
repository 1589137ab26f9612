"""The code under test of the migration examples: a client and a dispatcher."""

import asyncio


class Client:
    """Answers ``fetch(key)`` with the key upper-cased, after a turn of the loop."""

    async def fetch(self, key):
        await asyncio.sleep(0)
        return key.upper().encode()


def parse(data):
    """Decode an answer (plain code: no loop needed)."""
    return data.decode().lower()


async def notify(handler, event):
    """Call ``handler(event)``, awaiting it when it is a coroutine function."""
    result = handler(event)
    if asyncio.iscoroutine(result):
        result = await result
    return result

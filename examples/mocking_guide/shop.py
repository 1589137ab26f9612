"""A shop's client, the code under test of docs/mock.md's example."""

import asyncio


async def fetch(item_id):
    """Ask the shop's server for an item (here: never called, the test patches it)."""
    raise ConnectionError("no server in the tests")


async def show(item_id):
    """Fetch an item and describe it."""
    item = await fetch(item_id)
    await asyncio.sleep(0)
    return f"item {item['id']}"

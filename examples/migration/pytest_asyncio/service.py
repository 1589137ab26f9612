"""The code under test of the pytest-asyncio migration example."""

import asyncio


class Service:
    """A connection to a service: ``ask(question)`` answers after a turn of the loop."""

    def __init__(self, settings):
        self.settings = settings
        self.closed = False

    async def ask(self, question):
        await asyncio.sleep(0)
        return f"{self.settings['name']}: {question}?"

    async def close(self):
        await asyncio.sleep(0)
        self.closed = True


async def connect(settings):
    await asyncio.sleep(0)
    return Service(settings)

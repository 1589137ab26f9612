"""Things the mock tests patch (imported as ``mock_targets``)."""

value = "original"
settings: dict[str, str] = {"mode": "real"}


async def fetch() -> str:
    return "real"


def compute() -> str:
    return "real"


class Service:
    async def load(self, key: str) -> str:
        return key

    def name(self) -> str:
        return "service"

    @property
    def size(self) -> int:
        return 1

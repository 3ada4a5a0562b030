"""Which URLs a crawl has already claimed.

The spider asks ``seen.add(key)`` before requesting a URL: True means the URL
is new and now claimed.  The default keeps the set in memory; a distributed
crawl plugs in a shared set (setting ``GOVAUDIT_SEEN_CLASS``), a resumed crawl
preloads what the store already holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class MemorySeen:
    def __init__(self) -> None:
        self._keys: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, spider: Any = None) -> "MemorySeen":
        return cls()

    def add(self, key: str) -> bool:
        if key in self._keys:
            return False
        self._keys.add(key)
        return True

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

"""Time the page extractor over the real pages: ms per page (median and mean).

Run: .venv/bin/python benchmarks/extract_speed.py [rounds]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from govaudit.extract import extract
from govaudit.extract.links import _classify

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "realpages"


def main(rounds: int = 5) -> None:
    pages = [(p.name, p.read_bytes()) for p in sorted(REAL.glob("*.html"))]
    per_page: dict[str, float] = {}
    for name, body in pages:
        times = []
        for _ in range(rounds):
            _classify.cache_clear()  # time a first visit, not a warm link cache
            t0 = time.perf_counter()
            extract(body, f"http://example.gov.cn/{name}")
            times.append((time.perf_counter() - t0) * 1000)
        per_page[name] = min(times)
    total_kb = sum(len(b) for _, b in pages) / 1024
    values = list(per_page.values())
    for name, ms in sorted(per_page.items(), key=lambda x: -x[1])[:5]:
        print(f"  slowest {ms:7.1f} ms  {name}")
    print(
        f"{len(pages)} pages, {total_kb:.0f} KB: median {statistics.median(values):.1f} ms/page, "
        f"mean {statistics.mean(values):.1f} ms/page, {sum(values) / total_kb:.2f} ms/KB"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

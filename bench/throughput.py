"""Throughput and memory: 1,000 variants of the corpus document through `budgetlint check`.

    python bench/throughput.py [--count 1000] [--jobs 1 2]

Peak memory is the largest sum of resident memory of budgetlint's process tree, sampled
from /proc (Linux) without taking much of the CPU it measures.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import interpreter  # noqa: E402
from variants import write_variants  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "corpus" / "urumqi-county-gov-office-2024-unit-budget.md"


def _tree(root: int) -> list[int]:
    """The process and its descendants, from one scan of /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_KB
        except (OSError, IndexError, ValueError):
            pass
    return total


def run(folder: Path, jobs: int) -> tuple[float, float]:
    """Seconds and peak tree RSS (MB) of one `budgetlint check FOLDER --jobs N`.

    The sampler must not take the CPU it measures: it reads the resident size of the known
    processes every 50 ms and scans /proc for new ones once a second."""
    command = [sys.executable, "-m", "budgetlint", "check", str(folder), "--format", "json", "--jobs", str(jobs)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0

    def sample():
        nonlocal peak
        pids, scanned = [process.pid], 0.0
        while process.poll() is None:
            if time.perf_counter() - scanned > (0.2 if len(pids) <= jobs else 1.0):
                pids, scanned = _tree(process.pid), time.perf_counter()
            peak = max(peak, _rss_kb(pids))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    sampler.join()
    return time.perf_counter() - start, peak / 1024


def scaling() -> float:
    """CPU time of a document ten times longer, over ten times that of the document (the least
    of several runs each: one run of either is too short to time alone on a shared machine)."""
    from budgetlint.engine import lint_text

    text = SOURCE.read_text("utf-8")
    long = "\n\n".join([text] * 10)

    def timed(document: str, runs: int) -> float:
        lint_text(document)
        best = float("inf")
        for _ in range(runs):
            start = time.process_time()
            lint_text(document)
            best = min(best, time.process_time() - start)
        return best

    return timed(long, 12) / (10 * timed(text, 40))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"interpreter: {interpreter()}")

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    with tempfile.TemporaryDirectory() as folder:
        write_variants(SOURCE, Path(folder), args.count)
        for jobs in args.jobs:
            seconds, peak = run(Path(folder), jobs)
            print(f"{args.count} documents, --jobs {jobs}: {seconds:6.1f} s, "
                  f"{seconds / args.count * 1000:5.1f} ms/doc, peak RSS {peak:6.1f} MB")
            if jobs == 2 and args.count == 1000:
                print(f"  target: 1,000 documents ≤ 20 s with --jobs 2: {verdict(seconds <= 20)}")
            print(f"  target: peak RSS ≤ 200 MB: {verdict(peak <= 200)}")
    ratio = scaling()
    print(f"10x longer document: {ratio:.2f} x ten times the time of one (1.00 = linear)")
    print(f"  target: about linear (≤ 1.25): {verdict(ratio <= 1.25)}")

if __name__ == "__main__":
    main()

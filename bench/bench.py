"""Measure budgetlint: in-process time per document, grammar time, cold CLI start.

    python bench/bench.py [--runs 50] [--cold 10] [--instructions]

Prints each figure next to its target (issue 8 targets on a 2-core machine). Linting the same
document again and again lets the caches of figures and names (parse_number, squeeze, normal)
answer from memory, so the time per document is also given over distinct variants (every figure
rescaled, bench/variants.py). A fixed pure-Python workload is timed first: shared machines vary
by a third from hour to hour, and the reference figure tells how fast the machine was. With
--instructions, the work of one lint is also counted in machine instructions (valgrind), a
figure the machine's moods do not change, and so is that of a document ten times longer.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
ROOT = Path(__file__).resolve().parent.parent
CORPUS_DOC = ROOT / "corpus" / "urumqi-county-gov-office-2024-unit-budget.md"


def median_seconds(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fastest_cpu_seconds(action, runs: int) -> float:
    """The least CPU time of `runs` runs: on a shared machine the median of wall time varies by
    a third from run to run, the fastest CPU time much less."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return min(times)


def reference_ms() -> float:
    """Median time of a fixed allocation-heavy pure-Python workload (about 23 ms on a quiet
    machine of the kind the targets were set for)."""
    def work():
        rows = []
        for index in range(60000):
            rows.append({"a": index, "b": str(index)})

    return median_seconds(work, 15) * 1000


def interpreter() -> str:
    """Which Python runs the figures: builds of one version differ by a fifth in speed (on the
    development machine, Debian's python3.11 against pyenv's, compiled without optimisations)."""
    return f"{platform.python_implementation()} {platform.python_version()} {Path(sys.executable).resolve()}"


def in_process(runs: int) -> dict[str, float]:
    from budgetlint.claims import extract_claims, parse, tokenize
    from budgetlint.engine import analyse, lint_text
    from budgetlint.reader import read_text

    from variants import factors, rescale

    text = CORPUS_DOC.read_text("utf-8")
    lint_text(text)  # warm: grammar built, rules loaded
    variants = iter([rescale(text, factor.quantize(Decimal("0.0001"))) for factor in factors(runs)])
    document = analyse(text)
    sentences = [s.text for s in document.sentences]
    return {
        "lint (read → rules), ms": median_seconds(lambda: lint_text(text), runs) * 1000,
        "lint, fastest CPU time, ms": fastest_cpu_seconds(lambda: lint_text(text), runs) * 1000,
        "lint of distinct variants (median), ms": median_seconds(lambda: lint_text(next(variants)), runs) * 1000,
        "grammar (tokenize + parse all sentences), ms":
            median_seconds(lambda: [parse(tokenize(s)) for s in sentences], runs) * 1000,
        "claims (incl. grammar), ms": median_seconds(lambda: extract_claims(document), runs) * 1000,
        "read only, ms": median_seconds(lambda: read_text(text), runs) * 1000,
    }


def instructions_per_lint(copies: int = 1) -> float | None:
    """Millions of machine instructions one lint of the corpus document (repeated `copies`
    times) executes, counted by valgrind's cachegrind: unlike times, the same on a busy machine
    as on a quiet one. The count of three lints less that of one, over two, leaves out start-up.
    None without valgrind."""
    if not shutil.which("valgrind"):
        return None

    def count(lints: int) -> int:
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                   sys.executable, __file__, "--lint-loop", str(lints), "--copies", str(copies)]
        result = subprocess.run(command, capture_output=True, text=True,
                                env={**os.environ, "PYTHONHASHSEED": "0"})  # the same dict layouts each time
        return int(re.search(r"I\s+refs:\s+([\d,]+)", result.stderr).group(1).replace(",", ""))

    return (count(3) - count(1)) / 2 / 1e6


def cold(runs: int) -> float:
    command = [sys.executable, "-m", "budgetlint", "check", str(CORPUS_DOC), "--format", "json"]
    return median_seconds(lambda: subprocess.run(command, capture_output=True), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of one lint with valgrind (about a minute)")
    parser.add_argument("--lint-loop", type=int, help=argparse.SUPPRESS)  # what valgrind runs
    parser.add_argument("--copies", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lint_loop is not None:
        from budgetlint.engine import lint_text

        text = "\n\n".join([CORPUS_DOC.read_text("utf-8")] * args.copies)
        for _ in range(args.lint_loop):
            lint_text(text)
        return
    print(f"{'interpreter':48s} {interpreter()}")
    print(f"{'reference workload (machine speed), ms':48s} {reference_ms():8.1f}")
    figures = in_process(args.runs)
    for name, value in figures.items():
        print(f"{name:48s} {value:8.1f}")
    target = 15.0
    lint = figures["lint (read → rules), ms"]
    print(f"{'target: in-process lint ≤ 15 ms':48s} {'met' if lint <= target else 'NOT met'}")
    seconds = cold(args.cold)
    print(f"{'cold budgetlint check (median of %d), s' % args.cold:48s} {seconds:8.3f}")
    print(f"{'target: cold check ≤ 0.5 s':48s} {'met' if seconds <= 0.5 else 'NOT met'}")
    if args.instructions:
        millions = instructions_per_lint()
        if millions is None:
            print(f"{'instructions per lint (cachegrind)':48s}     (valgrind not installed)")
            return
        print(f"{'instructions per lint (cachegrind), millions':48s} {millions:8.1f}")
        ratio = instructions_per_lint(10) / millions / 10
        print(f"{'instructions, 10x document / (10 x one)':48s} {ratio:8.2f}")


if __name__ == "__main__":
    main()

"""Reading and linting published PDFs: PDFium's reading against pdfplumber's own, side by side.

    python bench/pdf.py [--runs 3] [PDF ...]

For each PDF (by default the bundled corpus/pdf and ../shared/corpus/real), read + lint is timed
with each reader in a fresh process: the least CPU time of `--runs` runs (on a shared machine
the least varies much less than the median), in ms per page, and the process's peak resident
memory. The last line gives the whole corpus: total time over total pages, and the ratio.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import interpreter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "corpus" / "pdf").glob("*.pdf")) + sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.pdf"))
READERS = ("pdfplumber", "pdfium")


def measure(path: Path, reader: str, runs: int) -> dict:
    """Pages, least CPU seconds of read + lint, findings and peak memory of this process."""
    import pypdfium2

    from budgetlint.config import Config
    from budgetlint.engine import _lint  # what lint_path runs after reading
    from budgetlint.pdf_reader import read_pdf

    best, findings = float("inf"), 0
    for _ in range(runs):
        start = time.process_time()
        text, locations = read_pdf(path, pdfminer=reader == "pdfplumber")
        findings = len(_lint(text, str(path), "pdf", Config(), locations))
        best = min(best, time.process_time() - start)
    document = pypdfium2.PdfDocument(str(path))
    pages = len(document)
    document.close()
    return {"seconds": best, "findings": findings, "pages": pages,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def in_child(path: Path, reader: str, runs: int) -> dict:
    command = [sys.executable, __file__, "--child", reader, "--runs", str(runs), str(path)]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=READERS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.pdfs[0], args.child, args.runs)))
        return
    print(f"interpreter: {interpreter()}")
    print(f"{'document':44s} {'pages':>5s} {'pdfplumber':>10s} {'PDFium':>7s} {'ratio':>6s}"
          f" {'peak MB':>13s} {'findings':>9s}")
    totals = {reader: 0.0 for reader in READERS}
    pages, peaks = 0, {reader: 0.0 for reader in READERS}
    for path in args.pdfs:
        old, new = (in_child(path, reader, args.runs) for reader in READERS)
        pages += new["pages"]
        for reader, result in zip(READERS, (old, new)):
            totals[reader] += result["seconds"]
            peaks[reader] = max(peaks[reader], result["peak_mb"])
        per_page = [result["seconds"] * 1000 / new["pages"] for result in (old, new)]
        print(f"{path.stem[:44]:44s} {new['pages']:5d} {per_page[0]:10.1f} {per_page[1]:7.1f}"
              f" {per_page[0] / per_page[1]:6.1f} {old['peak_mb']:6.0f} {new['peak_mb']:6.0f}"
              f" {old['findings']:4d} {new['findings']:4d}")
    old_ms, new_ms = (totals[reader] * 1000 / pages for reader in READERS)
    print(f"{'all, ms per page (largest peak)':44s} {pages:5d} {old_ms:10.1f} {new_ms:7.1f}"
          f" {old_ms / new_ms:6.1f} {peaks['pdfplumber']:6.0f} {peaks['pdfium']:6.0f}")


if __name__ == "__main__":
    main()

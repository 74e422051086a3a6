"""How the time of a lint grows with the document, shape by shape.

    python bench/shapes.py [--small 500] [--factor 4]

Each shape (one very long sentence, many paragraphs, a table of many lines or many totals,
many tables, headings, list items, performance tables …) is linted at two sizes, the second
`--factor` times the first. Linear cost gives a ratio near the factor; a ratio near its square
is a quadratic path, which a long enough document turns into a hang.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

CORPUS_DOC = Path(__file__).resolve().parent.parent / "corpus" / "urumqi-county-gov-office-2024-unit-budget.md"

SHAPES = {
    "one long sentence": lambda n: "基本支出 1 万元，比上年增加 1 万元，增长 5%，" * n,
    "paragraphs with reasons": lambda n: "\n\n".join(
        f"{i}.项目支出 {i}.00 万元，比上年预算增加 1.00 万元，增长 {i}%，主要原因是：新增第{i}号项目。" for i in range(n)),
    "table of coded lines": lambda n: "## 单位支出总体情况表\n单位：万元\n类\t款\t项\t科目名称\t合计\n" + "\n".join(
        f"201\t{i // 100:02d}\t{i % 100:02d}\t行政运行\t1.00" for i in range(n)),
    "table of many totals": lambda n: "## 单位收入总体情况表\n单位：万元\n项目\t合计\n"
                                      + "一般公共预算\t1.00\n合计\t1.00\n" * n,
    "many tables": lambda n: "\n\n".join(
        f"表{i}\n## 一般公共预算支出情况表\n单位：万元\n类\t款\t名称\t合计\n201\t\t一般公共服务支出\t1.00\n201\t03\t行政运行\t1.00"
        for i in range(n)),
    "headings": lambda n: "\n\n".join(f"{'#' * (1 + i % 4)} {i}、标题{i}\n\n基本支出 {i} 万元。" for i in range(n)),
    "wide table": lambda n: "## 单位支出总体情况表\n" + "\t".join(["项目"] + [f"列{i}" for i in range(n)]) + "\n"
                            + "\t".join(["合计"] + ["1.00"] * n) + "\n" + "\t".join(["其中"] + ["1.00"] * n),
    "list items": lambda n: "\n".join(f"{i}.项目名称：项目{i}" for i in range(1, n)),
    "performance tables": lambda n: "\n\n".join(
        f"# 项目支出绩效目标表\n项目名称\t甲{i}\n一级指标\t二级指标\t三级指标\t指标值\t权重\n产出指标\t数量指标\t次数\t>=1次\t90"
        for i in range(n)),
    "the corpus document repeated": lambda n: "\n".join([CORPUS_DOC.read_text("utf-8")] * max(1, n // 100)),
}


def seconds(text: str) -> float:
    from budgetlint.engine import lint_text

    start = time.perf_counter()
    lint_text(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=500, help="size of the smaller document of each shape")
    parser.add_argument("--factor", type=int, default=4, help="how many times larger the second one is")
    args = parser.parse_args()
    seconds("基本支出 1 万元。")  # warm: grammar built, rules loaded
    print(f"{'shape':32s} {'small, s':>9s} {'large, s':>9s} {'ratio':>6s}  (linear ≈ {args.factor})")
    for name, make in SHAPES.items():
        small, large = seconds(make(args.small)), seconds(make(args.small * args.factor))
        ratio = large / small
        verdict = "" if ratio < args.factor * 1.6 else "  grows faster than linear"
        print(f"{name:32s} {small:9.3f} {large:9.3f} {ratio:6.1f}{verdict}")


if __name__ == "__main__":
    main()

"""BL5xx — performance targets (绩效目标表): weights, indicator categories, costs, budgets, counts."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from budgetlint.concepts import normal
from budgetlint.findings import Related
from budgetlint.interval import total
from budgetlint.performance import Target, targets
from budgetlint.registry import Hit, Option, number_between, rule


def _projects(doc) -> list[Target]:
    return doc.derive("performance_project", lambda d: targets(d.tables))


def _all_targets(doc) -> list[Target]:
    return _projects(doc) + doc.derive("performance_unit", lambda d: targets(d.tables, "performance_unit"))


def _anchor(target: Target):
    cell = target.project_cell or target.budget_cell
    return cell.span if cell else doc_span(target)


def doc_span(target: Target):
    from budgetlint.document import Span

    return Span(target.table.line, 1, target.table.line, 2)


def _name(target: Target) -> str:
    return target.project or target.table.title


@rule("BL501", "weights-total", severity="warning", messages={
    "default": ("绩效目标表“{project}”的指标权重合计为 {actual}，本文件其他表为 {expected}",
                "performance table '{project}': weights add up to {actual}; the document's other tables to {expected}"),
}, options=(Option("weight-total", "", "the weights' total (\"\" = what most of the document's tables use)",
                        type="number", check=number_between("0"), accepts=("不小于 0 的数", "a number, 0 or more")),))
def weights_total(doc):
    """绩效指标权重合计不符 — a performance table whose weights do not add up to the usual total.

    The total is the `weight-total` option, or else the total most of the document's tables
    share (commonly 90, with 10 kept for budget execution; 100 in some regions).

    Why: weights that add up to 60 mean indicators were dropped, and the score cannot be computed.

    Fails:
        # 项目支出绩效目标表
        项目名称	甲
        一级指标	二级指标	三级指标	指标值	指标分值权重
        产出指标	数量指标	次数	>=1次	60

        # 项目支出绩效目标表
        项目名称	乙
        一级指标	二级指标	三级指标	指标值	指标分值权重
        产出指标	数量指标	次数	>=1次	90

        # 项目支出绩效目标表
        项目名称	丙
        一级指标	二级指标	三级指标	指标值	指标分值权重
        产出指标	数量指标	次数	>=1次	90
    Passes:
        # 项目支出绩效目标表
        项目名称	甲
        一级指标	二级指标	三级指标	指标值	指标分值权重
        产出指标	数量指标	次数	>=1次	90

        # 项目支出绩效目标表
        项目名称	乙
        一级指标	二级指标	三级指标	指标值	指标分值权重
        产出指标	数量指标	次数	>=1次	90
    """
    found = [t for t in _all_targets(doc) if t.weight_total is not None]
    configured = doc.config.option("weight-total")
    if configured:
        expected = Decimal(configured)
    else:
        counts = Counter(t.weight_total for t in found)
        if len(found) < 2 or not counts:
            return
        expected, times = counts.most_common(1)[0]
        if times * 2 <= len(found):
            return  # no usual total to compare with
    for target in found:
        if target.weight_total != expected:
            yield Hit(_anchor(target), {"project": _name(target), "actual": target.weight_total,
                                        "expected": expected},
                      expected=str(expected), actual=str(target.weight_total),
                      related=tuple(Related(i.weight_cell.span, i.name) for i in target.indicators
                                    if i.weight_cell is not None))


@rule("BL502", "indicator-categories", severity="warning", messages={
    "default": ("绩效目标表“{project}”缺少一级指标：{missing}",
                "performance table '{project}' lacks first-level indicators: {missing}"),
}, options=(Option("indicator-categories", "产出,效益,满意度", "required first-level indicators, comma-separated"),))
def indicator_categories(doc):
    """缺少一级绩效指标 — a project's targets without 产出, 效益 or 满意度 indicators.

    The required categories are the `indicator-categories` option (产出,效益,满意度 by default;
    add 成本 where the region requires it).

    Why: a project with output targets only says what will be done, not what it achieves.

    Fails:
        # 项目支出绩效目标表
        项目名称	甲
        一级指标	二级指标	三级指标	指标值	指标分值权重
        产出指标	数量指标	次数	>=1次	90
    Passes:
        # 项目支出绩效目标表
        项目名称	甲
        一级指标	二级指标	三级指标	指标值	指标分值权重
        产出指标	数量指标	次数	>=1次	50
        效益指标	社会效益指标	效果	有所提升	20
        满意度指标	满意度指标	满意度	>=85%	20
    """
    option = doc.config.option("indicator-categories")
    required = tuple(c.strip() for c in option.split(",") if c.strip())
    for target in _projects(doc):
        if not target.indicators:
            continue
        missing = [c for c in required if c not in target.categories]
        if missing:
            yield Hit(_anchor(target), {"project": _name(target), "missing": "、".join(missing)})


@rule("BL503", "cost-above-budget", severity="error", messages={
    "default": ("成本指标“{indicator}”上限 {limit} 万元，超过项目预算 {budget} 万元",
                "cost indicator '{indicator}' allows {limit} 万元, above the project budget of {budget} 万元"),
    "sum": ("绩效目标表“{project}”的成本指标上限合计 {limit} 万元，超过项目预算 {budget} 万元",
            "performance table '{project}': cost ceilings add up to {limit} 万元, above the budget of {budget} 万元"),
})
def cost_above_budget(doc):
    """成本指标超出项目预算 — a cost ceiling (≤ x 万元) above the money the project has.

    Why: a ceiling the budget cannot pay for is no ceiling.

    Fails:
        # 项目支出绩效目标表
        项目名称	甲
        项目资金(万元)	年度预算总额:	12.00
        一级指标	二级指标	三级指标	指标值	指标分值权重
        成本指标	经济成本指标	维护费	<=20万元	20
    Passes:
        # 项目支出绩效目标表
        项目名称	甲
        项目资金(万元)	年度预算总额:	12.00
        一级指标	二级指标	三级指标	指标值	指标分值权重
        成本指标	经济成本指标	维护费	<=12万元	20
    """
    for target in _projects(doc):
        if target.budget is None:
            continue
        budget = target.budget.value
        limits = [(i, i.cost_limit) for i in target.indicators if i.cost_limit is not None]
        for indicator, limit in limits:
            if limit > budget:
                yield Hit(indicator.cell.span, {"indicator": indicator.name, "limit": limit, "budget": target.budget},
                          related=(Related(target.budget_cell.span, "年度预算总额"),))
        summed = sum((limit for _, limit in limits), Decimal(0))
        if len(limits) >= 2 and summed > budget and all(limit <= budget for _, limit in limits):
            yield Hit(_anchor(target), {"project": _name(target), "limit": summed, "budget": target.budget},
                      variant="sum", related=tuple(Related(i.cell.span, i.name) for i, _ in limits))


@lru_cache(maxsize=4096)
def _same_project(a: str, b: str) -> bool:
    a, b = normal(a), normal(b)
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.85


@rule("BL504", "project-budget-mismatch", severity="error", messages={
    "default": ("项目“{project}”绩效目标表的年度预算 {actual} 万元，与项目说明的预算安排规模 {expected} 不一致",
                "project '{project}': the performance table budgets {actual} 万元, the project "
                "description {expected}"),
})
def project_budget(doc):
    """项目预算前后不一 — the performance table's 年度预算总额 differs from the 预算安排规模.

    Projects are paired by name (small differences such as "…劝返经费" / "…劝返工作经费" allowed).

    Why: the same project cannot have two budgets.

    Fails:
        1.项目名称：政府网站维护费

        预算安排规模：12.00 万元

        # 项目支出绩效目标表
        项目名称	政府网站维护费
        项目资金(万元)	年度预算总额:	15.00
    Passes:
        1.项目名称：政府网站维护费

        预算安排规模：12.00 万元

        # 项目支出绩效目标表
        项目名称	政府网站维护费
        项目资金(万元)	年度预算总额:	12.00
    """
    described = [c for c in doc.claims if c.concept and c.concept.startswith("project:") and c.amount_value]
    for target in _projects(doc):
        if target.project is None or target.budget is None:
            continue
        match = next((c for c in described if _same_project(c.concept[8:], target.project)), None)
        if match and not doc.config.agrees(match.amount_value, target.budget.interval):
            yield Hit(target.budget_cell.span, {"project": target.project, "actual": target.budget,
                                                "expected": f"{match.amount}{match.unit}"},
                      expected=f"{match.amount}", actual=str(target.budget),
                      related=(Related(match.span_of(match.amount_at), match.label),))


_PROJECT_COUNT = re.compile(r"(?<!非)财政拨款项目$")


@rule("BL505", "project-count-mismatch", severity="error", messages={
    "default": ("文中称财政拨款项目 {stated} 个、金额 {stated_amount}，列出的项目为 {count} 个、合计 {amount} 万元",
                "the text counts {stated} projects for {stated_amount}; the projects listed are {count} "
                "for {amount} 万元"),
})
def project_count(doc):
    """项目个数或金额与所列项目不符 — "当年财政拨款项目 7 个，涉及预算金额 140.60 万元" against
    the projects the document actually lists.

    Why: a project left out of the list (or counted twice) escapes its performance review.

    Fails:
        当年财政拨款项目 3 个，涉及预算金额 17.00 万元。

        1.项目名称：甲

        预算安排规模：12.00 万元

        2.项目名称：乙

        预算安排规模：5.00 万元
    Passes:
        当年财政拨款项目 2 个，涉及预算金额 17.00 万元。

        1.项目名称：甲

        预算安排规模：12.00 万元

        2.项目名称：乙

        预算安排规模：5.00 万元
    """
    projects = {}
    for claim in doc.claims:
        if claim.concept and claim.concept.startswith("project:") and claim.amount_value is not None:
            projects.setdefault(claim.concept, claim)
    if not projects:
        return
    amount = total(c.amount_value for c in projects.values())
    for claim in doc.claims:
        if claim.count is None or not _PROJECT_COUNT.search(normal(claim.subject)):
            continue
        count_ok = claim.count.value == len(projects)
        amount_ok = claim.amount_value is None or doc.config.agrees(claim.amount_value, amount)
        if not (count_ok and amount_ok):
            yield Hit(claim.span, {"stated": claim.count, "count": len(projects), "amount": amount.format(2),
                                   "stated_amount": f"{claim.amount}{claim.unit}" if claim.amount else "—"},
                      expected=str(len(projects)), actual=str(claim.count),
                      related=tuple(Related(c.span, c.concept[8:]) for c in projects.values()))

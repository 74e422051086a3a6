"""The annotated HTML report, opened in a real headless Chromium (Debian's chromium + Playwright).

Skipped where no Chromium is installed, unless BUDGETLINT_REQUIRE_BROWSER=1 (as in CI), where a
missing browser is a failure. The screenshot goes to tests/artifacts/.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS_DOC

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"
REQUIRED = os.environ.get("BUDGETLINT_REQUIRE_BROWSER") == "1"

if not CHROMIUM and not REQUIRED:
    pytest.skip("no chromium on this machine (apt-get install chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api") if not REQUIRED else __import__(
    "playwright.sync_api", fromlist=["sync_playwright"])

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def budgetlint(*args):
    return subprocess.run([sys.executable, "-m", "budgetlint", *map(str, args)], capture_output=True,
                          timeout=120)


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "chromium is required here (BUDGETLINT_REQUIRE_BROWSER=1)"
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def open_report(browser, tmp_path, document: Path):
    report = tmp_path / "report.html"
    result = budgetlint("report", document, "-o", report)
    assert result.returncode in (0, 1), result.stderr
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(report.as_uri())
    return page


def test_every_finding_is_highlighted_at_its_place_and_links_its_counterpart(browser, tmp_path):
    findings = json.loads(budgetlint("check", CORPUS_DOC, "--format", "json").stdout)["files"][0]["findings"]
    lines = CORPUS_DOC.read_text("utf-8").split("\n")
    page = open_report(browser, tmp_path, CORPUS_DOC)
    items = page.eval_on_selector_all(
        "aside li[data-f]", "els => els.map(e => [e.dataset.f, +e.dataset.line, +e.dataset.column])")
    assert [(line, column) for _, line, column in items] == [(f["line"], f["column"]) for f in findings]
    for (fid, line, column), finding in zip(items, findings):
        marks = page.eval_on_selector_all(
            "mark[data-f]", """(els, fid) => els.filter(e => e.dataset.f.split(' ').includes(fid))
                .map(e => [e.textContent, e.closest('[data-line]').dataset.line])""", fid)
        assert marks, f"{finding['rule']} at {line}:{column} is not highlighted"
        text = "".join(piece for piece, _ in marks)
        if finding["end_line"] == line:
            expected = lines[line - 1][column - 1:finding["end_column"] - 1]
            assert text == expected.replace("\t", "") or "<" in expected, (finding["rule"], text, expected)
        # the block holding the mark starts on the finding's line (or the paragraph it continues)
        assert int(marks[0][1]) <= line
    # click the 项目支出 contradiction of section 五: its counterpart in section 三 lights up
    fid = next(fid for fid, line, _ in items if line == 410)
    page.click(f"mark[data-f~='{fid}']")
    counterpart = page.locator(f"mark.counterpart[data-r~='{fid}']").first
    assert counterpart.count() == 1
    assert counterpart.evaluate("e => e.closest('[data-line]').dataset.line") == "390"
    assert counterpart.is_visible() and counterpart.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    assert page.locator(f"#item-{fid}.active").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"))


def test_filters_hide_findings_by_severity(browser, tmp_path):
    page = open_report(browser, tmp_path, CORPUS_DOC)
    infos = page.locator("aside li[data-severity='info']")
    assert infos.count() >= 1 and infos.first.is_visible()
    page.uncheck(".filters input[value='info']")
    assert not infos.first.is_visible()


def test_injected_markup_renders_as_text_and_runs_nothing(browser, tmp_path):
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "基本支出 <script>window.__pwned = 1</script>394.08 万元，比上年预算增加 53.79 万元，增长 18.51%。\n\n"
        '<img src=x onerror="window.__pwned = 2">说明\t<svg onload="window.__pwned = 3">\t1.00\n', "utf-8")
    page = open_report(browser, tmp_path, hostile)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    body = page.inner_text("main")
    assert "<script>window.__pwned = 1</script>" in body
    assert 'onerror="window.__pwned = 2"' in body
    assert page.locator("main script, main img, main svg").count() == 0


@pytest.fixture
def two_documents(tmp_path):
    """Two documents whose findings stand on the same line numbers (L16 in both)."""
    second = tmp_path / "second.md"
    second.write_text(CORPUS_DOC.read_text("utf-8"), "utf-8")
    report = tmp_path / "two.html"
    result = budgetlint("report", CORPUS_DOC, second, "-o", report)
    assert result.returncode == 0, result.stderr
    return report, second


def test_a_report_of_two_documents_links_each_finding_into_its_own_document(browser, two_documents):
    report, second = two_documents
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(report.as_uri())
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids))
    index = page.eval_on_selector_all("nav.index tr", "rows => rows.map(r => r.innerText)")
    assert len(index) == 2 and str(second) in index[1] and index[0].split("\t")[1:] == index[1].split("\t")[1:]
    # the side list names each path once, above its findings
    aside = page.inner_text("aside")
    assert aside.count(str(second)) == 1 and aside.count(str(CORPUS_DOC)) == 1
    last = page.locator("aside li[data-f]").last
    href = last.locator("a").get_attribute("href")
    assert href.startswith("#d2-L")
    last.locator("a").click()
    target = page.locator(href)
    assert target.evaluate("e => e.closest('section').id") == "d2"
    assert target.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= -1 && r.bottom <= innerHeight; }")
    # each finding's message stands just below the block of its highlight
    fid = last.get_attribute("data-f")
    note = page.locator(f"#note-{fid}")
    assert note.is_visible() and note.evaluate("e => e.closest('section').id") == "d2"
    message = last.inner_text().split("\n", 1)[1]
    assert message.split("\n")[0] in note.inner_text()


def test_the_printed_report_holds_every_finding(browser, two_documents):
    report, _ = two_documents
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(report.as_uri())
    page.emulate_media(media="print")
    items = page.locator("aside li[data-f]")
    notes = page.locator(".note")
    assert items.count() == notes.count() > 0
    assert all(items.nth(i).is_visible() for i in range(items.count()))
    assert all(notes.nth(i).is_visible() for i in range(notes.count()))
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "report-print.pdf"
    page.pdf(path=str(pdf))
    import pdfplumber

    with pdfplumber.open(str(pdf)) as printed:
        text = "".join(p.extract_text() or "" for p in printed.pages)
    assert text.count("BL203") >= 4  # each document's growth-rate error, in the text and in the list


def test_the_report_is_usable_at_800_pixels(browser, two_documents):
    report, _ = two_documents
    page = browser.new_page(viewport={"width": 800, "height": 900})
    page.goto(report.as_uri())
    main, aside = page.locator("main").bounding_box(), page.locator("aside").bounding_box()
    assert main["width"] >= 700 and aside["y"] >= main["y"] + main["height"] - 1  # the list goes below
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    page.screenshot(path=str(ARTIFACTS / "report-800.png"))


def test_a_contradiction_across_files_checked_together_lights_up_in_the_other_file(browser, tmp_path):
    """`report --together`: the table figure a narrative amount contradicts is marked in the
    tables file's section, not at the same line number of the narrative."""
    narrative, tables = tmp_path / "附件1-说明.md", tmp_path / "附件2-报表.md"
    narrative.write_text("# 情况说明\n\n## 一、支出预算\n\n基本支出 349.08 万元，占 73.70%。\n", "utf-8")
    tables.write_text("表 1\n## 一般公共预算支出情况表\n单位：万元\n类\t款\t名称\t合计\t基本支出\t项目支出\n"
                      "\t\t合计\t534.68\t394.08\t140.60\n", "utf-8")
    report = tmp_path / "together.html"
    result = budgetlint("report", "--together", "--select", "BL201", narrative, tables, "-o", report)
    assert result.returncode == 0, result.stderr
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(report.as_uri())
    fid = page.locator("aside li[data-f]").first.get_attribute("data-f")
    page.click(f"mark[data-f~='{fid}']")
    counterpart = page.locator(f"mark.counterpart[data-r~='{fid}']")
    assert counterpart.count() == 1 and counterpart.inner_text() == "394.08"
    assert counterpart.evaluate("e => e.closest('section').id") == "d2"

"""The published Jiangsu PDFs: tables as they are, and exactly the reviewed findings."""
import json

import pytest

from conftest import CORPUS
from budgetlint.engine import analyse, lint_path
from budgetlint.reader import load

PDFS = sorted((CORPUS / "pdf").glob("*.pdf"))


@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
def test_findings_match_the_reviewed_golden_file(pdf):
    expected = json.loads(pdf.with_suffix(".expected.json").read_text("utf-8"))["findings"]
    findings = lint_path(pdf)
    assert sorted((f.rule, f.line, f.column) for f in findings) == sorted(
        (e["rule"], e["line"], e["column"]) for e in expected)
    for entry in expected:
        finding = next(f for f in findings if (f.rule, f.line, f.column) == (entry["rule"], entry["line"], entry["column"]))
        assert finding.location == entry["location"]
        for key in ("expected", "actual"):
            if key in entry:
                assert getattr(finding, key) == entry[key]


def test_tables_come_out_as_the_tables_they_are():
    golden = json.loads((CORPUS / "pdf" / "jiangsu-npc-office-2019-dept-budget-tables.tables.json").read_text("utf-8"))
    path = CORPUS / "pdf" / golden["document"]
    document = analyse(*load(path)[:2], locations=load(path)[2])
    assert [(t.number, t.title, t.kind, t.unit, len(t.rows)) for t in document.tables] == [
        (t["number"], t["title"], t["kind"], t["unit"], t["rows"]) for t in golden["tables"]]
    for table, expected in zip(document.tables, golden["tables"]):
        rows = [[cell.text for cell in row] for row in table.rows]
        for cells in expected["cells"]:
            assert any(all(value in row for value in cells) for row in rows), (table.number, cells)


def test_narrative_pdfs_are_fully_parsed_and_located():
    for name in ("jiangsu-npc-2019-dept-budget-narrative.pdf", "jiangsu-npc-office-2018-dept-budget.pdf"):
        path = CORPUS / "pdf" / name
        text, encoding, locations = load(path)
        document = analyse(text, str(path), encoding, locations=locations)
        assert document.numeric_sentences >= 70 and document.unparsed == []
        # running headers and page numbers are gone; a paragraph cut by the page break is one line
        assert not any(line.strip().isdigit() for line in document.lines)
    claim = next(c for c in document.claims if c.subject.startswith("单位预留机动经费") and c.rate)
    assert (str(claim.rate), str(claim.change)) == ("1312.56", "1557.29")
    assert locations.describe(claim.span_of(claim.rate_at), document.lines) == "第21页 第9行"


def test_a_scanned_pdf_without_text_is_an_input_error(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from budgetlint.errors import InputError

    scan = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(scan), pagesize=A4)
    page.rect(100, 100, 300, 400, fill=1)
    page.save()
    with pytest.raises(InputError) as caught:
        lint_path(scan)
    assert "没有文字层" in caught.value.message("zh")


def _printed(text: str, x0: float, index: int, full: bool = False) -> tuple:
    """A text line as the PDF reader lays it out: (top, kind, text, (page, line), box)."""
    box = {"x0": x0, "x1": 500.0, "size": 15.9, "full": full, "emphasised": False, "margin": False}
    return (index * 20.0, "text", text, (1, index), box)


def test_a_paragraph_set_short_of_the_margin_goes_on_in_its_unindented_lines():
    from budgetlint.pdf_reader import assemble

    text, _ = assemble([[
        _printed("截止2025年12月31日，固定资产账上共有机动车3辆。本单位固", 91, 1),
        _printed("定资产总量为4295.98万元，房屋和构筑物3773.63万元，占固定资", 60, 2),
        _printed("产总额的87.84%；设备335.24万元", 60, 3),
        _printed("另起一段，固定资产账上共有机动车3辆", 91, 4),  # indented: a new paragraph
        _printed("2026年部门预算", 200, 5),  # a title, not prose
        _printed("本部门收入预算 100 万元。", 91, 6)]])
    assert text.splitlines() == [
        "截止2025年12月31日，固定资产账上共有机动车3辆。本单位固定资产总量为4295.98万元，房屋和构筑物"
        "3773.63万元，占固定资产总额的87.84%；设备335.24万元",
        "另起一段，固定资产账上共有机动车3辆", "2026年部门预算", "本部门收入预算 100 万元。"]

"""PDFium's reading of PDF pages: the same characters and ruling lines as pdfplumber's own, and
figures kept in their sentence where a font's metrics are written in the wrong units."""
import re
from pathlib import Path

import pdfplumber
import pytest

from conftest import CORPUS, SHARED
from budgetlint import pdfium_pages
from budgetlint.engine import lint_path
from budgetlint.errors import InputError
from budgetlint.pdf_reader import read_pdf

SENTENCE = "本年收入合计2946.25万元，其中：财政拨款收入2946.25万元。"


@pytest.fixture(scope="module")
def wrong_metrics(tmp_path_factory) -> Path:
    """A sentence in two fonts (Chinese in STSong, figures in Vera) whose Latin font declares
    its descent in the wrong units, as ONLYOFFICE writes it (there −1033 for a font whose
    glyphs reach −0.2 em). reportlab writes sane metrics, so the descent is then rewritten in
    place (same length: the cross-reference table stays right)."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdfmetrics.registerFont(TTFont("Vera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
    path = tmp_path_factory.mktemp("pdf") / "wrong-metrics.pdf"
    page = canvas.Canvas(str(path), pagesize=(420, 200))
    line = page.beginText(20, 150)
    for piece in re.split(r"([\d.]+)", SENTENCE):
        line.setFont("Vera" if piece[:1].isdigit() else "STSong-Light", 12)
        line.textOut(piece)
    page.drawText(line)
    page.save()
    # the embedded font (Vera, a FontFile2) gets a descent of about −1 em
    wrong = re.sub(rb"/Descent -([\d.]+)(?=[^>]*/FontFile2)",
                   lambda m: b"/Descent -" + re.sub(rb"\d", b"9", m.group(1)), path.read_bytes())
    path.write_bytes(wrong)
    return path


def test_figures_in_a_font_with_wrong_metrics_stay_in_their_sentence(wrong_metrics):
    # the shape: pdfminer's boxes put the figures a line below their sentence
    assert SENTENCE not in read_pdf(wrong_metrics, pdfminer=True)[0]
    assert SENTENCE in read_pdf(wrong_metrics)[0]
    with pdfium_pages.pages(wrong_metrics) as pages:
        chars = next(pages).chars
    # boxes from the baseline and the size: the same size on one baseline, the same box
    # (the baseline is 50 pt from the top of the page)
    assert {(round(c["top"], 3), round(c["bottom"], 3), c["size"]) for c in chars} == {(40.4, 52.4, 12)}


def _baseline(char: dict, page) -> float:
    """pdfplumber's baseline of an upright character: its text matrix's origin."""
    return page.height - char["matrix"][5] + page.bbox[1]


def _edges(page) -> list[tuple]:
    return [(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"])
            for e in page.edges if e["orientation"] in ("h", "v")]


def _unmatched(ours: list[tuple], theirs: list[tuple]) -> list[tuple]:
    """Items of either list with no partner in the other: the same first field (text or
    orientation) and every number within 0.5 pt."""
    left = {}
    for item in ours:
        left.setdefault(item[0], []).append(item)
    missing = []
    for item in theirs:
        partners = left.get(item[0], [])
        partner = next((p for p in partners if all(abs(a - b) <= 0.5 for a, b in zip(p[1:], item[1:]))), None)
        if partner is None:
            missing.append(item)
        else:
            partners.remove(partner)
    return missing + [item for items in left.values() for item in items]


# PDFs from WPS, Word, Excel, iText and Acrobat Distiller (pages turned by /Rotate), the
# bundled ones always, the shared corpus where it is present. (Of the 28 real PDFs, 26 agree
# in full; in two, a page number's digit in a font whose widths PDFium and pdfminer take from
# different places is 1.4–1.8 pt wider.)
AGREEING = sorted((CORPUS / "pdf").glob("*.pdf")) + [
    SHARED / "corpus" / "real" / f"{name}.pdf" for name in (
        "guangdong-foshan-rail-transit-bureau-2019-dept-final",
        "shaanxi-xian-work-safety-bureau-2019-dept-budget-tables",
        "hunan-changsha-letters-visits-bureau-2026-dept-budget",
        "shanghai-municipal-audit-bureau-2026-unit-budget",
    )]


@pytest.mark.parametrize("pdf", AGREEING, ids=[p.stem for p in AGREEING])
def test_characters_and_ruling_lines_agree_with_pdfplumbers_own(pdf):
    """Every character (text, left and right edge, size, baseline) and every ruling line within
    0.5 pt of pdfplumber's. White space is left out: PDFium drops runs of spaces that pdfminer
    keeps, and the line grouping sets words apart by their gaps anyway."""
    if not pdf.exists():
        pytest.skip("the shared corpus is not here")
    with pdfplumber.open(pdf) as theirs, pdfium_pages.pages(pdf) as ours:
        for old, new in zip(theirs.pages, ours, strict=True):
            assert new.bbox == pytest.approx(old.bbox, abs=0.01)
            expected = [(c["text"], c["x0"], c["x1"], c["size"], _baseline(c, old))
                        for c in old.chars if not c["text"].isspace()]
            found = [(c["text"], c["x0"], c["x1"], c["size"], c["bottom"] - 0.2 * c["size"])
                     for c in new.chars if not c["text"].isspace()]
            assert _unmatched(found, expected) == [], f"page {old.page_number}"
            assert _unmatched(_edges(new), _edges(old)) == [], f"page {old.page_number}"


def test_single_characters_in_a_font_without_outlines_are_read(tmp_path):
    """STSong-Light is neither embedded nor (here) installed: PDFium has no outlines for it and
    its text page leaves out one-character text objects, which have no width then."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "cells.pdf"
    page = canvas.Canvas(str(path), pagesize=(300, 200))
    page.setFont("STSong-Light", 9)
    page.drawString(20, 150, "支出功能分类科目")
    for x, text in ((20, "类"), (60, "款"), (100, "项")):
        page.drawString(x, 130, text)
    page.save()
    assert "类 款 项" in read_pdf(path)[0]


def test_an_encrypted_pdf_is_an_input_error(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    page = canvas.Canvas(str(locked), pagesize=A4, encrypt="secret")
    page.drawString(100, 700, "2946.25")
    page.save()
    with pytest.raises(InputError) as caught:
        lint_path(locked)
    assert "PDF 已加密" in caught.value.message("zh")  # said as encrypted, not as damaged


def test_a_unit_at_the_start_of_a_line_finishes_the_figure_above_it(tmp_path):
    """"…专项业务经费 966.02" ⏎ "万元,较上年增加…": the unit is the rest of the figure, whatever
    the width of the line above."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from budgetlint.pdf_reader import read_pdf

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "split.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("STSong-Light", 10)
    for row, line in enumerate(["机关资本性支出254.55万元，全部为专项业务经费，较上年增加166.95万元，主要原因是新增办公设备。",
                                "对事业单位经常性补助2945.22万元，其中：人员经费1903.54万元。",
                                "机关资本性支出254.55万元，全部为专项业务经费，较上年增加166.95万元，主要原因是新增办公设备。",
                                "专项业务经费 966.02",
                                "万元，较上年增加346.16万元。"]):
        page.drawString(72, 760 - 15 * row, line)
    page.save()
    text, _ = read_pdf(path)
    assert "专项业务经费 966.02万元，较上年增加346.16万元。" in text, text


def test_white_boxes_behind_the_runs_of_a_paragraph_make_no_table(tmp_path):
    """A word processor's shading paints a white box behind each run of a sentence: boxes that
    touch, as a table's cells do, but draw nothing. The sentence is read once, as text; the
    same boxes outlined in black are a table."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    runs = ["2026年本单位", "一般公共预算拨款支出", "1935.36", "万元，其中："]

    def sentence(path, stroke):
        page = canvas.Canvas(str(path), pagesize=(420, 200))
        page.setFillColorRGB(1, 1, 1)
        x = 20
        for run in runs:
            width = 12 * len(run)
            page.rect(x, 140, width, 20, stroke=stroke, fill=1)
            x += width
        page.setFillColorRGB(0, 0, 0)
        page.setFont("STSong-Light", 12)
        x = 20
        for run in runs:
            page.drawString(x + 1, 145, run)
            x += 12 * len(run)
        page.save()
        return read_pdf(path)[0]

    shaded = sentence(tmp_path / "shaded.pdf", stroke=0)
    assert "\t" not in shaded and "一般公共预算拨款支出" in shaded, shaded
    assert "\t" in sentence(tmp_path / "ruled.pdf", stroke=1)

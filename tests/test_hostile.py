"""Hostile and careless input (issue 20): no hang, no bomb, no leak, no overwritten input, no
markup from the document.

Every file is made here and small: a bomb is big only against a limit lowered by its option.
Each run is a subprocess with a time limit and its memory capped at 1 GB, and must answer 0, 1
or 2 (130 when interrupted) with one clear line for an input problem, never a traceback.
"""
import io
import json
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import jsonschema
import pytest

from budgetlint.errors import InputError
from budgetlint.pdf_reader import read_pdf
from budgetlint.reader import unmapped
from conftest import CORPUS, CORPUS_DOC

GB = 1 << 30
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
SENTENCE = "基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.81%。"


def _capped():
    resource.setrlimit(resource.RLIMIT_DATA, (GB, GB))


def start(*args, cwd=None):
    return subprocess.Popen([sys.executable, "-m", "budgetlint", *map(str, args)], cwd=cwd, preexec_fn=_capped,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run(*args, cwd=None):
    """(exit code, stdout, stderr lines, seconds) of a bounded run."""
    began = time.monotonic()
    process = start(*args, cwd=cwd)
    out, err = process.communicate(timeout=60)
    seconds = time.monotonic() - began
    assert seconds < 30 and process.returncode in (0, 1, 2), (process.returncode, err)
    assert b"Traceback" not in err
    return process.returncode, out.decode("utf-8"), err.decode("utf-8").splitlines(), seconds


def input_error(args, *words, cwd=None) -> str:
    """The one line of a run that stops on an input problem (exit 2), holding `words`."""
    code, _, err, _ = run(*args, cwd=cwd)
    assert code == 2 and len(err) == 1, err
    assert all(word in err[0] for word in words), err
    return err[0]


def pdf(objects: dict[int, bytes]) -> bytes:
    """A PDF of these numbered objects (1 is the catalog), with an exact cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def page_pdf(content: bytes, extra: dict[int, bytes] | None = None, length: bytes | None = None) -> bytes:
    """One page showing `content` (a flate stream), in Helvetica."""
    stream = zlib.compress(content)
    return pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R "
                   b"/Resources << /Font << /F1 5 0 R >> >> >>",
                4: b"<< /Length %s /Filter /FlateDecode >>\nstream\n%s\nendstream" % (length or b"%d" % len(stream), stream),
                5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", **(extra or {})})


def reportlab_pdf(path: Path, pages: int = 1, encrypt=None) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    sheet = canvas.Canvas(str(path), encrypt=encrypt)
    for _ in range(pages):
        sheet.setFont("STSong-Light", 12)
        sheet.drawString(50, 780, SENTENCE)
        sheet.showPage()
    sheet.save()
    return path


# 1. hang ---------------------------------------------------------------------------------------

def cyclic_pdf(path: Path) -> Path:
    """A stream whose /Length is a reference in a cycle (7 → 8 → 7): pdfminer resolves it for ever."""
    path.write_bytes(page_pdf(b"BT /F1 12 Tf 20 700 Td (Hello) Tj ET", {7: b"8 0 R", 8: b"7 0 R"}, b"7 0 R"))
    return path


def slow_pdf(path: Path) -> Path:
    """6 KB drawing two million characters on one page: minutes of work for pdfplumber."""
    path.write_bytes(page_pdf(b"BT /F1 1 Tf 10 790 Td " + b"(%s) Tj 0 -1 Td " % (b"9" * 1000) * 2000 + b"ET"))
    return path


def test_objects_that_refer_to_each_other_in_a_circle_are_a_damaged_file_not_a_hang(tmp_path):
    cyclic = cyclic_pdf(tmp_path / "cyclic.pdf")
    code, out, err, seconds = run("check", cyclic, CORPUS_DOC, "--format", "json")
    assert code == 2 and err == [f"budgetlint: {cyclic}: 无法读取 PDF：对象互相引用成环（7 → 8 → 7），文件已损坏"]
    assert len(json.loads(out)["files"][1]["findings"]) >= 5


def test_a_file_that_runs_too_long_is_stopped_at_the_time_limit_and_the_others_are_linted(tmp_path):
    slow = slow_pdf(tmp_path / "slow.pdf")
    code, out, err, seconds = run("check", slow, CORPUS_DOC, "--max-glyphs", "0", "--timeout", "2", "--format", "json")
    assert code == 2 and err == [f"budgetlint: {slow}: 超出处理时间上限（2 秒），已停止；可用 --timeout 放宽"]
    files = json.loads(out)["files"]
    assert "error" in files[0] and len(files[1]["findings"]) >= 5
    assert seconds < 15
    assert input_error(("text", slow, "--max-glyphs", "0", "--timeout", "1", "--lang", "en"), "--timeout").endswith(
        "stopped after 1 s, the time limit (--timeout raises it)")


def test_one_ctrl_c_ends_the_run_at_once_with_130(tmp_path):
    process = start("check", slow_pdf(tmp_path / "slow.pdf"), "--max-glyphs", "0")
    time.sleep(3)  # well into the long read
    began = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130 and time.monotonic() - began < 5
    assert err.decode().splitlines() == ["budgetlint: interrupted"]


# 2. bombs --------------------------------------------------------------------------------------

def test_a_docx_that_unpacks_past_the_limit_is_refused_before_it_is_read(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph(SENTENCE)
    plain = io.BytesIO()
    document.save(plain)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":  # 3 MB of white space between elements
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * (3 << 20))
            target.writestr(item.filename, data)
    assert bomb.stat().st_size < 100_000
    assert input_error(("check", bomb, "--max-unpacked", "2", "--lang", "en"), "--max-unpacked").endswith(
        "past the limit on size once unpacked (3 MB, limit 2 MB; --max-unpacked raises it)")
    assert run("check", bomb)[0] == 1  # under the default limit it is an ordinary draft


def test_a_pdf_stream_that_inflates_past_the_limit_is_refused_before_it_is_read(tmp_path):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(page_pdf(b"BT /F1 12 Tf 20 700 Td (Hello) Tj ET" + b" " * (3 << 20)))
    assert bomb.stat().st_size < 20_000
    input_error(("check", bomb, "--max-unpacked", "2"), "--max-unpacked", "上限 2MB")


def test_a_pdf_of_too_many_characters_or_pages_is_refused_before_it_is_read(tmp_path):
    code, _, err, seconds = run("check", slow_pdf(tmp_path / "slow.pdf"), "--lang", "en")
    assert code == 2 and err[0].endswith("past the limit on text a PDF's pages draw (2000000+ bytes, "
                                         "limit 500000 bytes; --max-glyphs raises it)") and seconds < 15
    many = tmp_path / "many.pdf"
    many.write_bytes(page_pdf(b"BT /F1 4 Tf 10 790 Td " + b"(%s) Tj 0 -5 Td " % (b"9" * 200) * 150 + b"ET"))
    input_error(("check", many, "--max-chars", "20000", "--lang", "en"), "--max-chars", "limit 20000 characters")
    pages = reportlab_pdf(tmp_path / "pages.pdf", pages=3)
    input_error(("check", pages, "--max-pages", "2"), "--max-pages")
    assert run("check", pages, "--max-pages", "3")[0] in (0, 1)


def test_a_huge_text_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes((SENTENCE + "\n").encode() * 60_000)  # 5 MB
    code, _, err, seconds = run("check", big, "--max-chars", "1000000")
    assert code == 2 and "--max-chars" in err[0] and seconds < 10
    with open(big, "rb") as stdin:
        process = subprocess.run([sys.executable, "-m", "budgetlint", "check", "-", "--max-chars", "1000000"],
                                 stdin=stdin, capture_output=True, timeout=60, preexec_fn=_capped)
    assert process.returncode == 2 and b"--max-chars" in process.stderr


def test_running_out_of_memory_is_said_as_such(tmp_path):
    long = tmp_path / "long.md"  # 3.6 million characters: far more than 150 MB to analyse
    long.write_text(CORPUS_DOC.read_text("utf-8") * 180, "utf-8")
    line = input_error(("check", long, "--max-memory", "150", "--lang", "en"), "--max-memory")
    assert line.endswith("past the limit on memory (limit 150 MB; --max-memory raises it)")


# 3. leak ---------------------------------------------------------------------------------------

def test_a_folder_walk_never_reads_a_link_out_of_the_folder(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("机密内容 " + SENTENCE + "\n", "utf-8")
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "a.md").write_text(SENTENCE + "\n", "utf-8")
    (tree / "leak.md").symlink_to(secret)
    (tree / "sub" / "inside.md").symlink_to(tree / "a.md")  # a link that stays in the folder is read
    code, out, _, _ = run("check", tree, "--format", "json")
    assert [f["path"] for f in json.loads(out)["files"]] == [str(tree / "a.md"), str(tree / "sub" / "inside.md")]
    run("report", tree, "-o", tmp_path / "report.html")
    assert "机密内容" not in (tmp_path / "report.html").read_text("utf-8")
    assert run("check", tree / "leak.md")[0] == 1  # named on the command line, it is read as given


# 4. overwritten input --------------------------------------------------------------------------

def test_an_output_that_is_an_input_is_refused(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(SENTENCE + "\n", "utf-8")
    (tmp_path / "link.md").symlink_to(doc)
    before = doc.read_bytes()
    for args in (("report", doc, "-o", doc), ("check", doc, "--write-baseline", doc),
                 ("check", tmp_path / "link.md", "--write-baseline", doc), ("report", tmp_path, "-o", tmp_path / "link.md"),
                 ("check", doc, "--write-baseline", tmp_path / "link.md")):
        input_error(args, "budgetlint 不改写输入")
    assert doc.read_bytes() == before and (tmp_path / "link.md").is_symlink()


# 5. document text as console markup ------------------------------------------------------------

def test_document_text_is_never_console_markup(tmp_path):
    doc = tmp_path / "doc.md"
    lines = ["说明。"] * 99 + [SENTENCE.replace("基本支出", "基本支出[b]:100:"),
                              SENTENCE.replace("，比", "，[/bold] 比"), "", "项目\t金额",
                                                                               "[link=http://e.vil]点我[/link] [/bold]\t1.00", "合计\t1.00"]
    doc.write_text("\n".join(lines) + "\n", "utf-8")
    _, out, _, _ = run("check", doc)
    assert f"{doc}:100:" in out and "💯" not in out and "[b]:100:" in out
    code, out, err, _ = run("tables", doc)
    assert code == 0 and not err and "[link=http://e.vil]点我[/link] [/bold]" in out
    code, out, err, _ = run("claims", doc)
    assert code == 0 and not err and "[/bold]" in out


# 6. tracebacks and wrong exits -----------------------------------------------------------------

def test_an_unreadable_folder_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    from budgetlint import cli

    tree = tmp_path / "tree"
    (tree / "closed").mkdir(parents=True)
    (tree / "a.md").write_text(SENTENCE + "\n", "utf-8")
    scandir = os.scandir

    def refusing(path="."):  # what a folder without read permission does (tests may run as root)
        if Path(path).name in {"closed", "tree"} and refusing.closed == Path(path).name:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    for closed, linted in (("closed", 1), ("tree", 0)):
        refusing.closed = closed
        where = tree / "closed" if closed == "closed" else tree
        assert cli.main(["check", str(tree), "--format", "json"]) == 2
        out, err = capsys.readouterr()
        assert err.splitlines() == [f"budgetlint: {where}: 无法读取：Permission denied"]
        assert sum(1 for f in json.loads(out)["files"] if "error" not in f) == linted


def test_a_concepts_file_that_is_not_utf8_is_blamed_on_itself(tmp_path):
    (tmp_path / "aliases.tsv").write_bytes("agg:基本支出\t基本经费\n".encode("gbk"))
    (tmp_path / "budgetlint.toml").write_text('concepts = "aliases.tsv"\n', "utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text(SENTENCE + "\n", "utf-8")
    assert input_error(("check", doc, doc), "aliases.tsv").endswith("配置项 concepts 所指的文件不是 UTF-8 文本")


def test_a_folder_or_fifo_as_configuration_is_named_as_such(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    input_error(("check", CORPUS_DOC, "--config", tmp_path), "是目录")
    input_error(("check", CORPUS_DOC, "--config", fifo), "不是普通文件")
    input_error(("check", fifo), "不是普通文件")


# 7. encrypted PDFs -----------------------------------------------------------------------------

def test_encrypted_pdfs(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = reportlab_pdf(tmp_path / "locked.pdf", encrypt=StandardEncryption("secret", "owner"))
    input_error(("check", locked), "PDF 已加密")
    # opens without a password; pdfminer finds no Unicode map for its CID font and gives (cid:…),
    # PDFium reads the font's own CMap: the text is checked, not passed as clean
    owner = reportlab_pdf(tmp_path / "owner.pdf", encrypt=StandardEncryption("", "owner", canCopy=0))
    code, out, err, _ = run("check", owner)
    assert code in (0, 1) and err == []
    text, _ = read_pdf(owner)
    assert "基本支出 394.08 万元" in text
    with pytest.raises(InputError, match="Unicode"):
        unmapped(read_pdf(owner, pdfminer=True)[0], "owner.pdf")


def test_pdf_library_log_lines_do_not_reach_stderr(tmp_path):
    odd = tmp_path / "odd.pdf"  # a font without /FontDescriptor: pdfminer logs about its FontBBox
    odd.write_bytes(page_pdf(b"BT /F1 12 Tf 20 700 Td (" + SENTENCE.encode("ascii", "replace") + b") Tj ET")
                    .replace(b"/Subtype /Type1 /BaseFont /Helvetica", b"/Subtype /TrueType /BaseFont /Nothing"))
    code, _, err, _ = run("check", odd)
    assert code in (0, 1) and err == []


# 8. output injection ---------------------------------------------------------------------------

def test_markdown_shows_document_text_as_text(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(SENTENCE.replace("基本支出", "@octocat</details><img src=x onerror=alert(1)>[x](http://e.vil)"
                                                   "www.e.vil基本支出") + "\n", "utf-8")
    _, out, _, _ = run("check", doc, "--format", "markdown")
    row = next(line for line in out.splitlines() if "BL304" in line)
    for raw in ("<img", "</details>", "[x](", "@octocat", "http://", "www.e"):
        assert raw not in row
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in row and "@&#8203;octocat" in row


def test_sarif_uris_are_valid_and_carry_the_pdf_page(tmp_path):
    named = tmp_path / "预算 说明.md"
    named.write_text(SENTENCE + "\n", "utf-8")
    pdf_file = reportlab_pdf(tmp_path / "doc.pdf")
    code, out, _, _ = run("check", named.name, pdf_file, CORPUS_DOC, "--format", "sarif", cwd=tmp_path)
    sarif = json.loads(out)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    uris = [artifact["location"]["uri"] for artifact in sarif["runs"][0]["artifacts"]]
    assert uris == ["%E9%A2%84%E7%AE%97%20%E8%AF%B4%E6%98%8E.md", "doc.pdf", CORPUS_DOC.as_uri()]
    on_pdf = next(r for r in sarif["runs"][0]["results"]
                  if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "doc.pdf")
    assert on_pdf["locations"][0]["physicalLocation"]["region"]["message"]["text"] == "第1页 第1行"


# 9. edge cases ---------------------------------------------------------------------------------

def test_a_file_of_only_a_bom_is_empty(tmp_path):
    bom = tmp_path / "bom.md"
    bom.write_bytes(b"\xef\xbb\xbf")
    input_error(("check", bom), "文件为空")


def test_utf16_without_a_bom_is_read(tmp_path):
    expected = run("check", CORPUS_DOC, "--format", "json")[1]
    for encoding in ("utf-16-le", "utf-16-be"):
        copy = tmp_path / f"{encoding}.md"
        copy.write_bytes(CORPUS_DOC.read_text("utf-8").encode(encoding))
        code, out, err, _ = run("check", copy, "--format", "json")
        assert code == 1 and not err
        assert json.loads(out)["files"][0]["findings"] == json.loads(expected)["files"][0]["findings"]


def test_a_pdf_without_its_suffix_is_read_as_a_pdf(tmp_path):
    bare = tmp_path / "budget"
    bare.write_bytes(reportlab_pdf(tmp_path / "doc.pdf").read_bytes())
    code, out, err, _ = run("text", bare)
    assert code == 0 and not err and f"第1页 第1行  {SENTENCE}" in out

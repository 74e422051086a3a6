"""Machine formats, baselines, atomic writes and batches."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import CORPUS_DOC, replace_in_line

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def run(*args, cwd=None):
    result = subprocess.run([sys.executable, "-m", "budgetlint", *map(str, args)], capture_output=True,
                            cwd=cwd, timeout=300)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def test_sarif_validates_against_the_official_schema():
    code, out, _ = run("check", CORPUS_DOC, "--format", "sarif")
    assert code == 1
    sarif = json.loads(out)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    run_ = sarif["runs"][0]
    ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert "BL203" in ids and ids == sorted(ids)
    growth = next(r for r in run_["results"] if r["ruleId"] == "BL203")
    assert growth["locations"][0]["physicalLocation"]["region"]["startLine"] == 544
    assert ids[growth["ruleIndex"]] == "BL203"
    assert growth["partialFingerprints"]["budgetlint/v1"]
    assert growth["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 544


def test_sarif_says_which_files_could_not_be_read(tmp_path):
    missing = tmp_path / "missing.md"
    code, out, _ = run("check", CORPUS_DOC, missing, "--format", "sarif")
    sarif = json.loads(out)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    [invocation] = sarif["runs"][0]["invocations"]
    assert code == 2 and invocation["executionSuccessful"] is False
    [notice] = invocation["toolExecutionNotifications"]
    assert notice["message"]["text"] == f"{missing}: 文件不存在"
    assert notice["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == missing.as_uri()
    assert json.loads(run("check", CORPUS_DOC, "--format", "sarif")[1])["runs"][0]["invocations"] == [
        {"executionSuccessful": True, "toolExecutionNotifications": []}]


def test_github_annotations_and_markdown_comment():
    _, out, _ = run("check", CORPUS_DOC, "--format", "github")
    lines = out.splitlines()
    assert any(line.startswith("::error file=") and "line=544,col=33" in line and "title=BL203" in line
               for line in lines)
    assert any(line.startswith("::notice ") for line in lines)
    _, out, _ = run("check", CORPUS_DOC, "--format", "markdown")
    assert out.startswith("### budgetlint 检查结果")
    assert "| 🔴 | `544:33` | `BL203` growth-rate-mismatch |" in out


def test_fingerprints_survive_inserted_lines(tmp_path):
    from budgetlint.engine import lint_text
    from budgetlint.fingerprints import fingerprints

    text = CORPUS_DOC.read_text("utf-8")
    shifted = "# 新增的前言\n\n一段说明。\n\n" + text
    before = fingerprints(lint_text(text), text.split("\n"))
    after = fingerprints(lint_text(shifted), shifted.split("\n"))
    assert sorted(before) == sorted(after)


def test_baseline_silences_known_findings_and_lets_new_ones_through(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(CORPUS_DOC.read_text("utf-8"), "utf-8")
    baseline = tmp_path / "baseline.json"
    code, _, _ = run("check", doc, "--write-baseline", baseline)
    assert code == 1 and baseline.exists()
    code, out, _ = run("check", doc, "--baseline", baseline, "--format", "json")
    assert code == 0 and json.loads(out)["summary"] == {"files": 1, "errors": 0, "warnings": 0, "info": 0}
    # lines moved: still known
    doc.write_text("前言。\n\n" + CORPUS_DOC.read_text("utf-8"), "utf-8")
    assert run("check", doc, "--baseline", baseline)[0] == 0
    # a new error: reported
    doc.write_text(replace_in_line(CORPUS_DOC.read_text("utf-8"), 416, "16.94%", "19.64%"), "utf-8")
    code, out, _ = run("check", doc, "--baseline", baseline, "--format", "json")
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["files"][0]["findings"]] == ["BL202"]


def test_bad_baseline_is_an_input_error(tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("[]")
    code, _, err = run("check", CORPUS_DOC, "--baseline", bad)
    assert code == 2 and "不是 budgetlint 基线文件" in err


def test_interrupted_report_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    from budgetlint import output

    target = tmp_path / "report.html"
    target.write_text("previous report", "utf-8")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(target, "new report " * 1000)
    assert target.read_text("utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_failed_write_is_one_line_and_leaves_nothing_behind(tmp_path, monkeypatch):
    from budgetlint import output
    from budgetlint.errors import InputError

    folder = tmp_path / "reports"
    folder.mkdir()
    for args in (("report", CORPUS_DOC, "-o", folder), ("check", CORPUS_DOC, "--write-baseline", folder),
                 ("check", CORPUS_DOC, "--baseline", folder)):
        assert run(*args)[::2] == (2, f"budgetlint: {folder}: 是目录，不是文件\n")
    target = tmp_path / "report.html"
    target.write_text("previous report", "utf-8")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", disk_full)
    with pytest.raises(InputError) as failure:
        output.write_atomic(target, "new report")
    assert failure.value.message() == f"{target}: 无法写入：No space left on device"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "reports"]
    assert target.read_text("utf-8") == "previous report" and not any(folder.iterdir())


def test_inputs_are_never_written(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_bytes(CORPUS_DOC.read_bytes())
    before = (doc.read_bytes(), doc.stat().st_mtime_ns)
    for fmt in ("text", "json", "sarif", "github", "markdown", "html"):
        run("check", doc, "--format", fmt)
    run("report", doc, "-o", tmp_path / "r.html")
    assert (doc.read_bytes(), doc.stat().st_mtime_ns) == before


def test_jobs_give_the_same_output_in_the_same_order(tmp_path):
    for number in range(6):
        (tmp_path / f"doc{number}.md").write_text(
            replace_in_line(CORPUS_DOC.read_text("utf-8"), 416, "16.94%", f"1{number}.94%"), "utf-8")
    _, one, _ = run("check", tmp_path, "--format", "json")
    _, two, _ = run("check", tmp_path, "--format", "json", "--jobs", "2")
    assert one == two
    assert [f["path"] for f in json.loads(one)["files"]] == sorted(f["path"] for f in json.loads(one)["files"])
    assert run("check", tmp_path, "--jobs", "0")[0] == 2


@pytest.fixture(scope="module")
def pdf_growth():
    """The 2018 Jiangsu PDF's growth-rate error, with the page and line it stands on."""
    pdf = Path(__file__).parent.parent / "corpus" / "pdf" / "jiangsu-npc-office-2018-dept-budget.pdf"
    findings = json.loads(run("check", pdf, "--format", "json", "--select", "BL203")[1])["files"][0]["findings"]
    (growth,) = findings
    assert growth["location"].startswith("第") and "页" in growth["location"]
    return pdf, growth["location"]


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "sarif"])
def test_the_pdf_page_is_in_every_format(pdf_growth, fmt):
    pdf, location = pdf_growth
    code, out, _ = run("check", pdf, "--format", fmt, "--select", "BL203")
    assert code == 1 and location in out
    if fmt == "sarif":
        sarif = json.loads(out)
        jsonschema.validate(sarif, SARIF_SCHEMA)
        (result,) = sarif["runs"][0]["results"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["message"]["text"] == location == result["properties"]["location"]

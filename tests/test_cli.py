"""The command line as users and CI call it: exit codes, formats, bad input, configuration."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import CORPUS, CORPUS_DOC

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "report.schema.json").read_text("utf-8"))


def run(*args, stdin: bytes | None = None, cwd=None):
    result = subprocess.run([sys.executable, "-m", "budgetlint", *map(str, args)], input=stdin,
                            capture_output=True, cwd=cwd, timeout=120)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def findings_of(output: str):
    data = json.loads(output)
    return [(f["rule"], f["line"], f["column"], f["message"]) for file in data["files"] for f in file["findings"]]


def test_check_corpus_exits_1_with_valid_json():
    code, out, err = run("check", CORPUS, "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["errors"] >= 3
    paths = [file["path"] for file in data["files"]]
    assert paths[0].endswith("jiangsu-npc-2019-dept-budget-narrative.pdf")
    assert any(p.endswith("urumqi-county-gov-office-2024-unit-budget.md") for p in paths)


def test_text_report_marks_the_span_under_the_source_line():
    code, out, _ = run("check", CORPUS_DOC)
    assert code == 1
    assert "urumqi-county-gov-office-2024-unit-budget.md:544:33: BL203" in out
    lines = out.splitlines()
    index = next(i for i, line in enumerate(lines) if ":544:33: BL203" in line)
    assert lines[index + 1].lstrip().startswith("544 |")
    assert "^" in lines[index + 2]
    assert lines[-1].startswith("共 1 个文件")


def test_control_characters_of_a_document_do_not_reach_the_terminal(tmp_path):
    """An escape sequence in a document (clear screen, set title) is shown, not obeyed."""
    doc = tmp_path / "esc.md"
    doc.write_text("基本支出 349.08 万元，比上年预算增加 53.79 万元，增长 99.81%。\x1b[2J\x1b]0;x\x07\n", "utf-8")
    code, out, _ = run("check", doc)
    assert code == 1 and "\x1b" not in out and "\x07" not in out
    source = [line for line in out.splitlines() if line.lstrip().startswith("1 |")][0]
    assert source.endswith("99.81%。\ufffd[2J\ufffd]0;x\ufffd")


def test_gbk_copy_gives_exactly_the_same_findings(tmp_path):
    copy = tmp_path / "gbk.md"
    copy.write_bytes(CORPUS_DOC.read_text("utf-8").encode("gbk"))
    _, utf8, _ = run("check", CORPUS_DOC, "--format", "json")
    code, gbk, err = run("check", copy, "--format", "json")
    assert code == 1, err
    assert findings_of(gbk) == findings_of(utf8)


def test_crlf_and_bom_copy_gives_the_same_positions(tmp_path):
    copy = tmp_path / "crlf.md"
    copy.write_bytes(b"\xef\xbb\xbf" + CORPUS_DOC.read_text("utf-8").replace("\n", "\r\n").encode("utf-8"))
    _, original, _ = run("check", CORPUS_DOC, "--format", "json")
    _, crlf, _ = run("check", copy, "--format", "json")
    assert findings_of(crlf) == findings_of(original)


@pytest.mark.parametrize("name, content, message", [
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "不是文本文件（含二进制内容）"),
    ("empty.md", b"", "文件为空"),
    ("missing.md", None, "文件不存在"),
    ("empty.pdf", b"", "文件为空"),
    ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "无法读取 PDF：文件已损坏或不是 PDF 格式"),
    ("renamed.docx", b"PK\x03\x04" + b"\x00" * 40, "无法读取 Word 文件：文件已损坏或不是 .docx 格式（.doc 文件请先另存为 .docx）"),
])
def test_bad_input_exits_2_with_one_clear_line(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, _, err = run("check", path)
    assert code == 2
    assert err.strip().splitlines() == [f"budgetlint: {path}: {message}"]
    assert "Traceback" not in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_other_files_of_the_run_are_still_linted(tmp_path, jobs):
    code, out, err = run("check", tmp_path / "missing.md", CORPUS_DOC, CORPUS_DOC, "--format", "json", "--jobs", jobs)
    assert code == 2
    data = json.loads(out)
    assert data["files"][0]["error"].endswith("文件不存在")
    assert len(data["files"][1]["findings"]) >= 5 and data["files"][2] == data["files"][1]
    assert err.splitlines() == [f"budgetlint: {tmp_path / 'missing.md'}: 文件不存在"]


def test_a_bug_on_one_file_is_one_clear_line_and_the_other_files_are_still_linted(tmp_path, monkeypatch, capsys):
    from budgetlint import claims, cli

    extract = claims.extract_claims

    def broken_on_a(document, config=None):
        if document.path.endswith("a.md"):
            raise RuntimeError("a bug")
        return extract(document, config)

    monkeypatch.setattr(claims, "extract_claims", broken_on_a)
    bad = tmp_path / "a.md"
    bad.write_text("基本支出 394.08 万元。\n", "utf-8")
    line = f"budgetlint: {bad}: budgetlint 内部出错，未能检查此文件（RuntimeError: a bug），请报告此问题"
    assert cli.main(["check", str(bad), str(CORPUS_DOC), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    files = json.loads(out)["files"]
    assert err.splitlines() == [line]
    assert files[0]["error"] == line[len("budgetlint: "):] and len(files[1]["findings"]) >= 5
    assert cli.main(["claims", str(bad), str(CORPUS_DOC), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines() == [line]
    assert [(f["path"], len(f["claims"]) > 50) for f in json.loads(out)["files"]] == [(str(CORPUS_DOC), True)]


def test_a_bug_reading_a_file_is_one_clear_line_too(tmp_path, monkeypatch, capsys):
    from budgetlint import cli, reader

    def broken(path, limits):
        raise KeyError("w:tbl")

    monkeypatch.setattr(reader, "read_file", broken)
    doc = tmp_path / "a.md"
    doc.write_text("基本支出 394.08 万元。\n", "utf-8")
    for command in ("check", "tables", "text"):
        assert cli.main([command, str(doc)]) == 2
        assert capsys.readouterr().err.splitlines() == [
            f"budgetlint: {doc}: budgetlint 内部出错，未能检查此文件（KeyError: 'w:tbl'），请报告此问题"]


def test_stdin_select_ignore_and_english():
    text = CORPUS_DOC.read_bytes()
    code, out, _ = run("check", "-", "--format", "json", "--select", "BL203", "--lang", "en", stdin=text)
    assert code == 1
    data = json.loads(out)
    assert data["files"][0]["path"] == "<stdin>"
    [finding] = data["files"][0]["findings"]
    assert finding["rule"] == "BL203" and finding["message"].startswith("'2024 年财政拨款")
    code, out, _ = run("check", "-", "--format", "json", "--ignore", "BL2,BL3,BL4,BL5", stdin=text)
    assert code == 0 and findings_of(out) == []


def test_configuration_file_and_inline_suppression(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(CORPUS_DOC.read_text("utf-8"), "utf-8")
    (tmp_path / "budgetlint.toml").write_text(
        'select = ["BL2"]\nignore = ["BL205", "BL206"]\nzero-base-growth = "off"\n[severity]\nBL203 = "warning"\n')
    code, out, _ = run("check", doc, "--format", "json")
    rules = {(f[0]) for f in findings_of(out)}
    assert "BL205" not in rules and "BL206" not in rules
    assert json.loads(out)["summary"]["warnings"] == 1
    lines = doc.read_text("utf-8").split("\n")
    lines[543] += "<!-- budgetlint: disable=BL203 -->"
    doc.write_text("\n".join(lines), "utf-8")
    code, out, _ = run("check", doc, "--format", "json")
    assert "BL203" not in {f[0] for f in findings_of(out)}
    assert code == 0


def test_bad_configuration_is_an_input_error(tmp_path):
    (tmp_path / "budgetlint.toml").write_text("selekt = 1\n")
    (tmp_path / "doc.md").write_text("基本支出 1.00 万元。\n", "utf-8")
    code, _, err = run("check", tmp_path / "doc.md")
    assert code == 2 and "未知配置项 selekt" in err and "Traceback" not in err


def test_a_rule_that_does_not_exist_is_an_input_error_not_a_silent_pass(tmp_path):
    """A misspelt code in --select would otherwise run no rule at all and exit 0."""
    doc = tmp_path / "doc.md"
    doc.write_bytes(CORPUS_DOC.read_bytes())
    code, out, err = run("check", doc, "--select", "BL2O3")
    assert (code, out, err) == (2, "", "budgetlint: --select/--ignore: 没有规则 BL2O3（用 budgetlint rules 查看全部规则）\n")
    code, _, err = run("check", doc, "--ignore", "bl1,footing,BL9", "--lang", "en")
    assert (code, err) == (2, "budgetlint: --select/--ignore: no rule BL9 (budgetlint rules lists them)\n")
    (tmp_path / "budgetlint.toml").write_text('ignore = ["growth-rate-mismatch"]\n[severity]\nBL230 = "off"\n')
    code, _, err = run("check", doc)
    assert (code, err) == (2, f"budgetlint: {tmp_path / 'budgetlint.toml'}: 没有规则 BL230（用 budgetlint rules 查看全部规则）\n")
    (tmp_path / "budgetlint.toml").write_text('ignore = ["growth-rate-mismatch"]\n[severity]\nBL203 = "off"\n')
    assert run("check", doc, "--select", "BL2,footing")[0] == 1


@pytest.mark.parametrize("setting, message", [
    ('zero-base-growth = "loud"', "配置项 zero-base-growth 应为 error、warning、info 或 off，而不是“loud”"),
    ('reuse-similarity = 1.5', "配置项 reuse-similarity 应为 0 到 1 之间的数，而不是“1.5”"),
    ('missing-reason-amount = "ten"', "配置项 missing-reason-amount 应为不小于 0 的数（万元），而不是“ten”"),
    ('weight-total = "x"', "配置项 weight-total 应为不小于 0 的数，而不是“x”"),
    ('profile = "决算"', "配置项 profile 应为部门决算、单位预算、部门预算、表格附件、说明部分、上海市预算、新疆单位预算、"
                         "江苏省部门预算、西安市综合预算、广东省部门预算 之一，而不是“决算”"),
    ('indicator-categories = ["产出"]', "配置项 indicator-categories 应为文字或数字"),
    ('concepts = "more.tsv"', "配置项 concepts 所指的文件不存在：{folder}/more.tsv"),
])
def test_a_bad_option_value_is_an_input_error_before_any_rule_runs(tmp_path, setting, message):
    """Each of these made rules crash one by one (BL000), or was silently ignored (profile)."""
    (tmp_path / "budgetlint.toml").write_text(setting + "\n", "utf-8")
    (tmp_path / "doc.md").write_bytes(CORPUS_DOC.read_bytes())
    code, out, err = run("check", tmp_path / "doc.md")
    assert (code, out) == (2, "")
    assert err == f"budgetlint: {tmp_path / 'budgetlint.toml'}: {message.format(folder=tmp_path)}\n"


def test_the_profiles_a_configuration_accepts_are_those_the_rules_know():
    from budgetlint.rules.compliance import profiles

    data = profiles()
    assert set(data["baseline"]) == set(data["kinds"])
    for template in data["templates"].values():
        assert set(template.get("kinds", data["kinds"])) <= set(data["kinds"])
        assert set(template["sections"]) <= set(data["sections"])
        assert set(template.get("since", {})) <= set(template["sections"])


def test_verbose_names_the_profile_chosen_and_why(tmp_path):
    doc = tmp_path / "doc.md"
    tables = "".join(f"\n{title}\n" for title in ("部门财务收支预算总表", "部门收入预算总表", "部门支出预算总表",
                                                   "部门财政拨款收支预算总表", "部门一般公共预算支出功能分类预算表"))
    doc.write_text(f"上海市某区2025年部门预算\n\n## 四、部门预算编制说明\n\n收入预算 10.00 万元。\n{tables}", "utf-8")
    code, _, err = run("check", doc, "--verbose")
    assert f"budgetlint: {doc}: 部门预算，选用“上海市预算”：标题含“上海市”，有“预算编制说明”一节" in err.splitlines()
    assert run("check", doc)[2] == ""


def test_option_files_are_found_beside_the_configuration(tmp_path):
    (tmp_path / "budgetlint.toml").write_text('concepts = "more.tsv"\n', "utf-8")
    (tmp_path / "more.tsv").write_text("agg:基本支出\t日常开销\n", "utf-8")
    (tmp_path / "doc.md").write_text("日常开销 394.08 万元。\n", "utf-8")
    code, out, _ = run("claims", tmp_path / "doc.md", "--format", "json", cwd="/")
    assert code == 0
    assert [c["concept"] for c in json.loads(out)["files"][0]["claims"]] == ["agg:基本支出"]


def test_clean_document_exits_0(tmp_path):
    (tmp_path / "ok.md").write_text("基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.81%，主要原因是：工资调整增资。\n", "utf-8")
    code, out, _ = run("check", tmp_path)
    assert code == 0 and "0 个错误" in out


def test_tables_and_claims_json():
    code, out, _ = run("tables", CORPUS_DOC, "--format", "json")
    assert code == 0
    tables = json.loads(out)["files"][0]["tables"]
    basic = next(t for t in tables if t["number"] == "表6")
    assert basic["kind"] == "basic_expenditure" and basic["unit"] == "万元" and len(basic["rows"]) == 23
    assert basic["columns"][3] == "总计" and basic["line"] == 258
    code, out, _ = run("claims", CORPUS_DOC, "--format", "json")
    data = json.loads(out)["files"][0]
    assert data["coverage"]["parsed"] == data["coverage"]["total"]
    first = next(c for c in data["claims"] if c["line"] == 388)
    assert first == {"subject": "基本支出", "concept": "agg:基本支出", "amount": "394.08", "unit": "万元",
                     "identity": {"scope": "all", "stage": "未注明", "period": "current",
                                  "change": "against previous 预算"},
                     "change": "53.79", "rate": "15.81", "share": "73.70",
                     "reason": "在职人员增加及工资调整增资", "line": 388, "column": 1, "end_line": 388,
                     "end_column": 71,
                     "table": {"value": "394.08", "where": "表3《单位支出总体情况表》 合计（基本支出）",
                               "line": 163, "column": 14, "end_line": 163, "end_column": 20, "agrees": True}}


def test_rules_explain_and_usage_errors():
    code, out, _ = run("rules", "--format", "json")
    codes = [r["code"] for r in json.loads(out)["rules"]]
    assert codes == sorted(codes) and "BL101" in codes and "BL203" in codes
    code, out, _ = run("explain", "growth-rate-mismatch")
    assert code == 0 and "Fails:" in out and "BL203" in out
    assert run("explain", "BL999")[0] == 2
    code, _, err = run("check", "--format", "xml", CORPUS_DOC)
    assert code == 2 and "invalid choice" in err


def test_folder_without_documents_is_an_input_error(tmp_path):
    code, _, err = run("check", tmp_path)
    assert code == 2 and "没有 .md、.txt、.docx 或 .pdf 文件" in err


@pytest.mark.parametrize("select, options, expected", [
    ("BL3", (), 1),                            # warnings fail a check by default
    ("BL3", ("--fail-on", "error"), 0),        # … not when only errors should
    ("BL207", (), 0),                          # info never fails by default
    ("BL207", ("--fail-on", "info"), 1),       # … unless the repository says so
    ("BL2", ("--exit-zero",), 0),              # errors found, and still 0
])
def test_fail_on_and_exit_zero_decide_what_fails_a_check(select, options, expected):
    code, out, err = run("check", CORPUS_DOC, "--select", select, *options)
    assert code == expected, err
    assert "BL" in out  # the findings are still reported


def test_report_exits_0_once_written_unless_fail_on_says_otherwise(tmp_path):
    report = tmp_path / "r.html"
    assert run("report", CORPUS_DOC, "-o", report)[0] == 0 and report.exists()
    assert run("report", CORPUS_DOC, "-o", report, "--fail-on", "error")[0] == 1
    assert run("report", tmp_path / "missing.md", "-o", report)[0] == 2


def test_piped_rules_claims_and_tables_keep_every_column_whole():
    """Piped (not a terminal), the listings are as wide as their content: nothing is cut at 80."""
    from budgetlint.registry import all_rules

    out = run("rules")[1]
    assert all(rule.summary in out for rule in all_rules())
    out = run("claims", CORPUS_DOC)[1]
    assert "乌鲁木齐县人民政府办公室本级下设" in out and "= 394.08 163" in out
    reasons = [c["reason"] for c in json.loads(run("claims", CORPUS_DOC, "--format", "json")[1])["files"][0]["claims"]
               if len(c.get("reason", "")) > 40]
    assert reasons and all(reason in out for reason in reasons)
    out = run("tables", CORPUS_DOC)[1]
    assert "其他政府办公厅（室）及相关机构事务支出" in out

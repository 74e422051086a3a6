"""A disclosure published in several files (narrative and tables apart) checked as one:
`budgetlint check --together a b` — claims meet the other file's tables, findings point into
the file they stand in."""
import json
from pathlib import Path

from conftest import CORPUS
from budgetlint.cli import main

TABLES = """表 1
## 一般公共预算支出情况表
单位：万元
类	款	名称	合计	基本支出	项目支出
		合计	534.68	394.08	140.60
"""
NARRATIVE = """# 情况说明

## 一、支出预算

基本支出 {amount} 万元，占 73.70%。
"""
PAIR = [CORPUS / "pdf" / "jiangsu-npc-2019-dept-budget-narrative.pdf",
        CORPUS / "pdf" / "jiangsu-npc-office-2019-dept-budget-tables.pdf"]


def files(tmp_path, amount="349.08"):
    narrative, tables = tmp_path / "附件1-说明.md", tmp_path / "附件2-报表.md"
    narrative.write_text(NARRATIVE.format(amount=amount), "utf-8")
    tables.write_text(TABLES, "utf-8")
    return str(narrative), str(tables)


def run(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_a_claim_is_checked_against_the_other_files_table(tmp_path, capsys):
    narrative, tables = files(tmp_path)
    code, out = run(capsys, "check", "--format", "json", "--select", "BL201", narrative, tables)
    assert code == 0 and json.loads(out)["summary"]["errors"] == 0  # apart, nothing to compare
    code, out = run(capsys, "check", "--together", "--format", "json", "--select", "BL201", narrative, tables)
    report = json.loads(out)
    assert code == 1 and [f["path"] for f in report["files"]] == [narrative, tables]
    (finding,) = report["files"][0]["findings"]
    assert (finding["line"], finding["column"], finding["actual"], finding["expected"]) == (5, 6, "349.08万元", "394.08")
    assert finding["related"][0]["path"] == tables and finding["related"][0]["line"] == 5
    assert report["files"][1]["findings"] == []


def test_together_in_the_terminal_names_the_other_file(tmp_path, capsys):
    narrative, tables = files(tmp_path)
    code, out = run(capsys, "check", "--together", "--select", "BL201", narrative, tables)
    assert f"{narrative}:5:6" in out and f"{tables}:5:" in out


def test_files_that_agree_are_clean_together(tmp_path, capsys):
    narrative, tables = files(tmp_path, amount="394.08")
    code, out = run(capsys, "check", "--together", "--select", "BL2", narrative, tables)
    assert code == 0


def test_the_jiangsu_narrative_meets_its_tables_file(capsys):
    """The 2019 narrative's amounts are compared with the figures of the tables PDF (25 claims,
    all agreeing, checked on the pages: 行政运行 7448.2 万元 ↔ 表5 2010101 7,448.20)."""
    code, out = run(capsys, "claims", "--together", "--format", "json", *map(str, PAIR))
    claims = [c for f in json.loads(out)["files"] for c in f["claims"] if "table" in c]
    across = [c for c in claims if c["path"] == str(PAIR[0]) and c["table"]["path"] == str(PAIR[1])]
    assert len(across) >= 20 and all(c["table"]["agrees"] for c in across)
    running = next(c for c in across if c["concept"] == "fn:2010101")
    assert running["amount"] == "7448.2" and running["table"]["value"] == "7,448.20"
    code, out = run(capsys, "check", "--together", "--format", "json", *map(str, PAIR))
    assert code == 0 and json.loads(out)["summary"] == {"files": 2, "errors": 0, "warnings": 0, "info": 0}


def test_an_unreadable_file_of_the_set_is_an_input_error(tmp_path, capsys):
    narrative, _ = files(tmp_path)
    code = main(["check", "--together", narrative, str(tmp_path / "missing.pdf")])
    assert code == 2 and "missing.pdf" in capsys.readouterr().err


def test_tables_read_together_name_their_file(capsys):
    code, out = run(capsys, "tables", "--together", "--format", "json", *map(str, PAIR))
    first = json.loads(out)["files"][0]["tables"][0]
    assert code == 0 and (first["path"], first["title"]) == (str(PAIR[1]), "收支预算总表")
    assert (first["line"], first["end_line"]) == (4, 30)


def test_a_folder_can_say_which_files_go_together(tmp_path, capsys):
    """`together = [[…]]` in budgetlint.toml: a run over the folder reads those files as one."""
    narrative, tables = files(tmp_path)
    (tmp_path / "other.md").write_text(NARRATIVE.format(amount="349.08"), "utf-8")
    (tmp_path / "budgetlint.toml").write_text('together = [["附件1-说明.md", "附件2-报表.md"]]\n', "utf-8")
    code, out = run(capsys, "check", "--format", "json", "--select", "BL201", str(tmp_path))
    report = json.loads(out)
    found = {Path(f["path"]).name: [x["line"] for x in f["findings"]] for f in report["files"]}
    assert code == 1 and found == {"other.md": [], "附件1-说明.md": [5], "附件2-报表.md": []}


def test_a_malformed_together_setting_is_an_input_error(tmp_path, capsys):
    narrative, _ = files(tmp_path)
    (tmp_path / "budgetlint.toml").write_text('together = ["附件1-说明.md"]\n', "utf-8")
    assert main(["check", narrative]) == 2
    assert "together" in capsys.readouterr().err


def test_a_set_checked_together_is_read_under_the_limits(tmp_path, capsys):
    """The files of a set are read in a worker like any other: a limit stops them, said per file."""
    narrative, tables = files(tmp_path)
    assert main(["check", "--together", "--max-chars", "20", narrative, tables]) == 2
    err = capsys.readouterr().err
    assert f"{narrative}: 超出文字字数上限" in err and f"{tables}: 超出文字字数上限" in err


def test_a_set_checked_together_is_stopped_at_the_time_limit(capsys):
    assert main(["check", "--together", "--timeout", "0.01", *map(str, PAIR)]) == 2
    err = capsys.readouterr().err
    assert all(f"{path}: 超出处理时间上限" in err for path in map(str, PAIR))

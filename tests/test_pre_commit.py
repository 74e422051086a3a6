"""The pre-commit hook, run by the real `pre-commit` tool on a temporary git repository.

`pre-commit try-repo` installs budgetlint from this checkout into its own environment (from the
package registry: it needs network access to PyPI), then runs the hook on the staged files.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, CORPUS_DOC, ROOT

CLEAN = "基本支出 394.08 万元，比上年预算增加 53.79 万元，增长 15.81%，主要原因是：工资调整增资。\n"

if shutil.which("git") is None:
    pytest.skip("git is not installed", allow_module_level=True)
pytest.importorskip("pre_commit")


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, home: Path, name: str):
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "budgetlint",
                           "--files", name], cwd=repo, capture_output=True, text=True, env=env, timeout=1200)


@pytest.fixture
def repo(tmp_path):
    git("init", "-q", cwd=tmp_path)
    git("config", "user.email", "ci@example.invalid", cwd=tmp_path)
    git("config", "user.name", "CI", cwd=tmp_path)
    return tmp_path


def test_a_bad_document_fails_the_hook_and_a_clean_one_passes(repo, hook_home):
    (repo / "bad.md").write_text(CORPUS_DOC.read_text("utf-8"), "utf-8")
    (repo / "clean.md").write_text(CLEAN, "utf-8")
    git("add", "bad.md", "clean.md", cwd=repo)
    bad = try_repo(repo, hook_home, "bad.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "BL203" in bad.stdout
    clean = try_repo(repo, hook_home, "clean.md")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


def test_the_hook_checks_published_pdfs(repo, hook_home):
    """A binary PDF is a file the hook runs on (types: [file]), with the exit code of `check`."""
    for name in ("jiangsu-npc-office-2018-dept-budget.pdf", "jiangsu-npc-office-2019-dept-budget-tables.pdf"):
        shutil.copy(CORPUS / "pdf" / name, repo / name)
    git("add", ".", cwd=repo)
    bad = try_repo(repo, hook_home, "jiangsu-npc-office-2018-dept-budget.pdf")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "BL203" in bad.stdout and "第" in bad.stdout
    clean = try_repo(repo, hook_home, "jiangsu-npc-office-2019-dept-budget-tables.pdf")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

"""Each file's findings are written as soon as that file is done (in input order), and a run
that takes more than a few seconds shows a progress line on a terminal's stderr."""
import os
import pty
import shutil
import subprocess
import sys

import pytest

from conftest import CORPUS_DOC
from budgetlint import cli



@pytest.mark.parametrize("fmt", ["text", "github"])
def test_findings_of_a_file_are_written_before_the_next_file_is_read(tmp_path, monkeypatch, capfd, fmt):
    """Each file is read in a worker process (forked: it reads with the patched `_read`), which
    announces it on the same standard output, so the order of the two is the order of events."""
    paths = []
    for name in ("a.md", "b.md"):
        shutil.copy(CORPUS_DOC, tmp_path / name)
        paths.append(str(tmp_path / name))
    read = cli._read

    def announcing(name, source, limits):
        os.write(1, f"<reading {name}>\n".encode())
        return read(name, source, limits)

    monkeypatch.setattr(cli, "_read", announcing)
    assert cli.main(["check", "--format", fmt, "--select", "BL203", *paths]) == 1
    out = capfd.readouterr().out
    first, second = out.index(f"<reading {paths[0]}>"), out.index(f"<reading {paths[1]}>")
    finding_of_a = out.index(paths[0], first + len(paths[0]) + 10)
    assert first < finding_of_a < second < out.index(paths[1], second + len(paths[1]) + 10)


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_long_run_on_a_terminal_shows_a_progress_line_on_stderr(tmp_path, fmt):
    """Past PROGRESS_AFTER seconds (set to 0 here, so any run is long) stderr, a terminal, gets
    the progress line; the findings still go whole to stdout, a pipe, and none to stderr."""
    paths = []
    for number in range(3):
        shutil.copy(CORPUS_DOC, tmp_path / f"{number}.md")
        paths.append(str(tmp_path / f"{number}.md"))
    program = ("import sys, budgetlint.cli as cli; cli.PROGRESS_AFTER = 0; "
               "raise SystemExit(cli.main(sys.argv[1:]))")
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", program, "check", "--format", fmt, "--select", "BL203", *paths],
                               stdout=subprocess.PIPE, stderr=follower, env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    err = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        err += chunk
    out = process.communicate(timeout=300)[0].decode("utf-8")
    os.close(leader)
    assert process.returncode == 1
    found = [line for line in out.splitlines() if "BL203" in line]
    assert len(found) == len(paths) and all(path in line for path, line in zip(paths, found))
    assert "━" in err.decode("utf-8", "replace") and b"BL203" not in err


def test_no_progress_line_when_stderr_is_not_a_terminal(tmp_path):
    paths = [str(CORPUS_DOC)] * 2
    program = ("import sys, budgetlint.cli as cli; cli.PROGRESS_AFTER = 0; "
               "raise SystemExit(cli.main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", program, "check", "--select", "BL203", *paths],
                            capture_output=True, timeout=300)
    assert result.returncode == 1 and result.stderr == b""

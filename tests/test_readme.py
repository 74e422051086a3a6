"""The README's quick start is what CI runs."""
import re

from conftest import ROOT


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme.split("## Quick start")[1].split("##")[0])
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text("utf-8")


def test_the_configuration_block_lists_every_declared_option_with_its_default():
    from budgetlint.config import declared_options, option_line

    block = (ROOT / "README.md").read_text("utf-8").split("### Configuration")[1].split("```")[1]
    assert [line for line in block.splitlines() if line.split(" = ")[0] in declared_options()] == [
        option_line(option) for option in declared_options().values()]

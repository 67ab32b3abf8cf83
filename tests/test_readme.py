"""README.md keeps its promises: exactly two commands for a fresh machine, the second of which `.ci/run` runs
verbatim, and a tour whose every ``$ ccgkg`` example prints what the README shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .doc_examples import examples, matches, run

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"


def quick_start_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_gives_exactly_two_commands_and_ci_runs_the_test_command() -> None:
    main_job, tests = quick_start_commands()
    assert main_job.endswith("ccgkg validate")
    assert "pytest" in tests
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci


def test_tour_examples_print_what_the_readme_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tour = examples(README, start="<!-- tour -->", end="<!-- /tour -->")
    assert len(tour) >= 8
    monkeypatch.chdir(tmp_path)  # the tour writes files and reads them back, in order
    for example in tour:
        lines, code = run(example)
        assert code == example.exit_code, f"{example}\n" + "\n".join(lines)
        assert matches(lines, example.expected), f"{example}\n" + "\n".join(lines)


def test_every_shown_command_is_valid_shell() -> None:
    """Issue 9 s.5: `ccgkg law show s.194(2)` unquoted is a bash syntax error; every ``$ ccgkg`` line of the README
    and docs/ must parse as a shell command, as a user pastes it."""
    import shutil
    import subprocess

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash on this machine")
    pages = [README, *sorted((REPO / "docs").glob("*.md"))]
    bad = []
    for page in pages:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("$ ccgkg"):
                check = subprocess.run([bash, "-n", "-c", line[2:]], capture_output=True, text=True, check=False)
                if check.returncode != 0:
                    bad.append(f"{page.name}:{number}: {line}")
    assert bad == []

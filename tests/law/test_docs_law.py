"""docs/law.md shows real output: every ``$ ccgkg law ...`` example in it is run and compared, line by line, with
what the command prints now (lines cut at 120 columns, as the doc cuts wide tables). The ``Shapes:`` and
``Queries:`` sections of ``law show`` depend on the bundled shapes and queries of the other parts, so a ``show``
example is compared up to its ``Shapes:`` line."""

from __future__ import annotations

import shlex
from pathlib import Path

from click.testing import CliRunner

from ccgkg.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "law.md"


def examples() -> list[tuple[list[str], list[str], int | None]]:
    """(argv, expected lines, expected exit code or None) for each ``$ ccgkg`` line in a fenced block."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                blocks.append(current)
                current = None
        elif current is not None:
            current.append(line)
    found = []
    for lines in blocks:
        i = 0
        while i < len(lines):
            if lines[i].startswith("$ ccgkg "):
                argv = shlex.split(lines[i][len("$ ccgkg "):])
                j = i + 1
                while j < len(lines) and not lines[j].startswith("$ "):
                    j += 1
                code = None
                if j < len(lines) and lines[j] == "$ echo $?":
                    code = int(lines[j + 1])
                found.append((argv, lines[i + 1:j], code))
                i = j
            else:
                i += 1
    return found


def test_doc_has_examples_of_both_commands() -> None:
    commands = {tuple(argv[:2]) for argv, _, _ in examples()}
    assert commands == {("law", "duties"), ("law", "show")}
    assert len(examples()) >= 5


def test_every_example_prints_what_the_doc_shows() -> None:
    for argv, expected, code in examples():
        result = CliRunner().invoke(cli, argv)
        actual = result.output.splitlines()
        if argv[:2] == ["law", "show"]:
            actual, expected = _before_shapes(actual), _before_shapes(expected)
        assert len(actual) == len(expected), " ".join(argv)
        for got, shown in zip(actual, expected):
            assert shown.rstrip() in (got.rstrip(), got[:120].rstrip()), " ".join(argv)
        assert result.exit_code == (0 if code is None else code), " ".join(argv)


def _before_shapes(lines: list[str]) -> list[str]:
    """The lines before the first ``Shapes:`` line (all of them when there is none)."""
    for i, line in enumerate(lines):
        if line.startswith("Shapes:"):
            return lines[:i]
    return lines

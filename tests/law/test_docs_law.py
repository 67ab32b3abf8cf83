"""docs/law.md shows real output: every ``$ ccgkg law ...`` example in it is run and compared, line by line, with
what the command prints now (lines cut at 120 columns, as the doc cuts wide tables). The ``Shapes:`` and
``Queries:`` sections of ``law show`` depend on the bundled shapes and queries of the other parts, so a ``show``
example is compared up to its ``Shapes:`` line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ccgkg.cli import cli

from .. import doc_examples

DOC = Path(__file__).resolve().parents[2] / "docs" / "law.md"


def examples() -> list[tuple[list[str], list[str], int]]:
    """(argv, expected lines, expected exit code) for each ``$ ccgkg`` line in a fenced block."""
    return [(list(e.argv), list(e.expected), e.exit_code) for e in doc_examples.examples(DOC)]


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
        assert result.exit_code == code, " ".join(argv)


def _before_shapes(lines: list[str]) -> list[str]:
    """The lines before the first ``Shapes:`` line (all of them when there is none)."""
    for i, line in enumerate(lines):
        if line.startswith("Shapes:"):
            return lines[:i]
    return lines

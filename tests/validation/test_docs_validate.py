"""docs/validate.md shows real output: every ``$ ccgkg`` example in it is run and compared, line by line, with what
the command prints now, and its exit code with the ``$ echo $?`` line that follows."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ccgkg.cli import cli

from .conftest import load_test_module

doc_examples = load_test_module("doc_examples.py")

DOC = Path(__file__).resolve().parents[2] / "docs" / "validate.md"


def examples() -> list[tuple[list[str], list[str], int]]:
    """(argv, expected lines, expected exit code) for each ``$ ccgkg`` line of docs/validate.md."""
    return [(list(e.argv), list(e.expected), e.exit_code) for e in doc_examples.examples(DOC)]


def test_doc_has_examples_of_both_commands() -> None:
    commands = {argv[0] for argv, _, _ in examples()}
    assert commands == {"validate", "explain"}
    assert len(examples()) == 5


def test_every_example_prints_what_the_doc_shows() -> None:
    for argv, expected, code in examples():
        result = CliRunner().invoke(cli, argv)
        assert result.stdout.splitlines() == expected, " ".join(argv)
        assert result.exit_code == code, " ".join(argv)


def test_json_contract_keys_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for key in ("conforms", "as_of", "summary", "results", "severity", "organisation_code", "organisation", "focus",
                "date", "provisions", "uri", "citation", "title", "force", "shape", "path", "value", "message"):
        assert f'"{key}"' in text, key

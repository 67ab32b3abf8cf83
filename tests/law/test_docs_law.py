"""docs/law.md shows real output: every ``$ ccgkg law ...`` example in it is run and compared, line by line, with
what the command prints now (lines cut at 120 columns, as the doc cuts wide tables), whole: the ``Shapes:`` and
``Queries:`` sections of ``law show`` too, so the page cannot show "Shapes: -" where the command lists shapes
(issue 9 s.5)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ccgkg.cli import cli

from .. import doc_examples

DOC = Path(__file__).resolve().parents[2] / "docs" / "law.md"


def examples() -> list[tuple[list[str], list[str], int]]:
    """(argv, expected lines, expected exit code) for each ``$ ccgkg`` line in a fenced block."""
    return [(list(e.argv), list(e.expected), e.exit_code) for e in doc_examples.examples(DOC)]


def test_the_show_example_lists_the_shapes_and_queries_of_s194_2() -> None:
    (shown,) = [expected for argv, expected, _ in examples() if argv == ["law", "show", "HSCA 2012 s.194(2)"]]
    assert "Shapes: -" not in shown
    assert [line.split()[0] for line in shown[shown.index("Shapes:") + 1:shown.index("Queries:")]] == [
        "hsca12-sh:BoardHasCouncillor", "hsca12-sh:BoardHasDirectorOfAdultSocialServices",
        "hsca12-sh:BoardHasDirectorOfChildrensServices", "hsca12-sh:BoardHasDirectorOfPublicHealth",
        "hsca12-sh:BoardHasHealthwatchRepresentative", "hsca12-sh:BoardRepresentsEachRelevantGroup"]


def test_doc_has_examples_of_both_commands() -> None:
    commands = {tuple(argv[:2]) for argv, _, _ in examples()}
    assert commands == {("law", "duties"), ("law", "show")}
    assert len(examples()) >= 5


def test_every_example_prints_what_the_doc_shows() -> None:
    for argv, expected, code in examples():
        result = CliRunner().invoke(cli, argv)
        actual = result.output.splitlines()
        assert len(actual) == len(expected), " ".join(argv)
        for got, shown in zip(actual, expected):
            assert shown.rstrip() in (got.rstrip(), got[:120].rstrip()), " ".join(argv)
        assert result.exit_code == code, " ".join(argv)

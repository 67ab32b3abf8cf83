"""docs/queries.md shows real output: every ``$ ccgkg ...`` example in it is run from the repository root and
compared, line by line, with what the command prints now. The ``push``/``--endpoint`` examples run against the
Oxigraph server of the test fixture (its address replaces ``http://127.0.0.1:7878``); the number of triples pushed
and the HTTP status are read as ``N``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgkg.cli import cli

from .. import doc_examples
from .conftest import Server

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "queries.md"
DOC_SERVER = "http://127.0.0.1:7878"


def examples() -> list[tuple[list[str], list[str], int]]:
    """(argv, expected lines, expected exit code) for each ``$ ccgkg`` line in a fenced block."""
    return [(list(e.argv), list(e.expected), e.exit_code) for e in doc_examples.examples(DOC)]


def _normal(line: str) -> str:
    return re.sub(r"^\d+(?= triples loaded)|(?<=HTTP )\d+", "N", line.rstrip())


def _check(argv: list[str], expected: list[str], code: int, server: str | None = None) -> None:
    if server:
        argv = [a.replace(DOC_SERVER, server) for a in argv]
        expected = [e.replace(DOC_SERVER, server) for e in expected]
    result = CliRunner().invoke(cli, argv)
    actual = result.output.splitlines()
    assert [_normal(a) for a in actual] == [_normal(e) for e in expected], " ".join(argv)
    assert result.exit_code == code, " ".join(argv)


def test_doc_shows_every_command() -> None:
    commands = {argv[0] for argv, _, _ in examples()}
    assert commands == {"query", "sparql", "push"} and len(examples()) >= 9


@pytest.mark.parametrize(("argv", "expected", "code"),
                         [e for e in examples() if not any(DOC_SERVER in a for a in e[0])])
def test_example_prints_what_the_doc_shows(argv: list[str], expected: list[str], code: int,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    _check(argv, expected, code)


@pytest.mark.server
def test_store_examples_print_what_the_doc_shows(oxigraph: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    store_examples = [e for e in examples() if any(DOC_SERVER in a for a in e[0])]
    assert [argv[0] for argv, _, _ in store_examples] == ["push", "query"]
    for argv, expected, code in store_examples:
        _check(argv, expected, code, server=oxigraph.base)


def test_store_table_names_each_store() -> None:
    text = DOC.read_text(encoding="utf-8")
    for store in ("Oxigraph", "Apache Jena Fuseki", "Ontotext GraphDB", "OpenLink Virtuoso"):
        assert f"| {store} |" in text
    for variable in ("CCGKG_ENDPOINT_USER", "CCGKG_ENDPOINT_PASSWORD", "CCGKG_ENDPOINT_TOKEN"):
        assert variable in text and variable in (REPO / "ccgkg" / "endpoint.py").read_text(encoding="utf-8")

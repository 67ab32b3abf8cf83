"""Hygiene rules (tests/hygiene/*.rq): each is a SPARQL SELECT ?error whose first line states the rule. The bundled
ontology and shapes must give no error; each rule must find exactly the faults planted in fixtures/broken.ttl,
which shows the rule can fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from ccgkg.namespaces import PREFIXES

HERE = Path(__file__).parent
RULES = sorted(HERE.glob("*.rq"))
EXPECTED = json.loads((HERE / "fixtures" / "broken.expected.json").read_text(encoding="utf-8"))


def errors(graph: Graph, rule: Path) -> list[str]:
    return sorted(str(row[0]) for row in graph.query(rule.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def bundled(ontology: Graph) -> Graph:
    from ccgkg.store import shapes_graph

    g = Graph()
    g += ontology
    g += shapes_graph()
    return g


@pytest.fixture(scope="session")
def broken() -> Graph:
    return Graph().parse(HERE / "fixtures" / "broken.ttl")


def test_every_rule_has_an_expected_broken_result() -> None:
    assert [r.name for r in RULES] == sorted(EXPECTED)
    assert len(RULES) >= 9


@pytest.mark.parametrize("rule", RULES, ids=lambda p: p.stem)
def test_rule_states_itself_and_selects_error(rule: Path) -> None:
    text = rule.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("# rule: ")
    query = prepareQuery(text, initNs=PREFIXES)
    assert [str(v) for v in query.algebra["PV"]] == ["error"]


@pytest.mark.parametrize("rule", RULES, ids=lambda p: p.stem)
def test_bundled_ontology_and_shapes_are_clean(bundled: Graph, rule: Path) -> None:
    assert errors(bundled, rule) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda p: p.stem)
def test_rule_finds_the_planted_faults(broken: Graph, rule: Path) -> None:
    found = errors(broken, rule)
    assert found, f"{rule.name} found nothing in the broken fixture: it cannot fail"
    assert found == EXPECTED[rule.name]

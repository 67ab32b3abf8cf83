"""``ccgkg.guards``: the IRI check, the LIMIT rewriting and what the query guard reports, engine-agnostic."""

from __future__ import annotations

import pytest

from ccgkg import guards
from ccgkg.errors import InputError


@pytest.mark.parametrize("iri", ["https://w3id.org/ccgkg/graph/kg", "urn:ccgkg:test", "http://example.org/a%20b",
                                 "https://example.org/é"])
def test_iris_that_pass(iri: str) -> None:
    assert guards.check_iri(iri, what="--graph") == iri


@pytest.mark.parametrize(("value", "problem"), [
    ("not an iri", "it does not start with a scheme such as https: or urn:"),
    ("urn:", "it does not start with a scheme such as https: or urn:"),
    ("urn:a b", "it contains ' ', which an IRI may not contain"),
    ("urn:a>;DROP ALL", "it contains '>', which an IRI may not contain"),
    ("urn:a\nb", "it contains '\\n', which an IRI may not contain"),
    ("http://x/{y}", "it contains '{', which an IRI may not contain"),
    ("http://x/%zz", "'%' must start a %XX escape"),
])
def test_values_that_are_not_iris(value: str, problem: str) -> None:
    with pytest.raises(InputError) as err:
        guards.check_iri(value, what="--graph")
    assert err.value.message.startswith(f"--graph {value!r} is not an IRI: {problem}")


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("SELECT * WHERE { ?s ?p ?o }", 5, "SELECT * WHERE { ?s ?p ?o }\nLIMIT 5\n"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 100", 5, "SELECT * WHERE { ?s ?p ?o } LIMIT 5"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 2 OFFSET 4", 5, "SELECT * WHERE { ?s ?p ?o } LIMIT 2 OFFSET 4"),
    ("SELECT * WHERE { { SELECT * { ?s ?p ?o } LIMIT 50 } } ORDER BY ?s", 5,
     "SELECT * WHERE { { SELECT * { ?s ?p ?o } LIMIT 50 } } ORDER BY ?s\nLIMIT 5\n"),
    ("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <urn:a> }", 1,
     "SELECT * WHERE { ?s ?p ?o }\nLIMIT 1\nVALUES ?s { <urn:a> }"),
    ("SELECT * WHERE { ?s ?p \"LIMIT 9\" } # LIMIT 9", 3, "SELECT * WHERE { ?s ?p \"LIMIT 9\" } # LIMIT 9\nLIMIT 3\n"),
    ("SELECT * WHERE { ?s ?p ?o }", None, "SELECT * WHERE { ?s ?p ?o }"),
])
def test_with_limit_sets_the_outer_limit(text: str, limit: int | None, expected: str) -> None:
    out = guards.with_limit(text, limit)
    assert out == expected
    guards.parse(out)  # still a query


def test_inspect_reports_services_graphs_and_datasets() -> None:
    shape = guards.inspect("SELECT * FROM <urn:d> FROM NAMED <urn:n> WHERE { GRAPH ?g { ?s ?p ?o } "
                           "OPTIONAL { SERVICE <https://x.example/sparql> { ?s ?q ?v } } }")
    assert shape == guards.QueryShape(form="SELECT", services=("https://x.example/sparql",), graph_patterns=True,
                                      datasets=("urn:d", "urn:n"))

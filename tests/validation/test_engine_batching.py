"""The fast engine keeps the findings of SPARQL constraints whose only mention of ``$this`` is inside
``FILTER NOT EXISTS`` (it used to run them with ``$this`` unbound, so NOT EXISTS matched any post and every finding
was lost): it binds ``?this`` to the focus nodes with a VALUES block."""

from __future__ import annotations

from rdflib import Graph

from ccgkg.engines import FastEngine, PyShaclEngine, report_results

SHAPES = """
@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex: sh:declare [ sh:prefix "ccgkg" ; sh:namespace "https://w3id.org/ccgkg/ont/core/"^^xsd:anyURI ] .
ex:BoardHasDirector a sh:NodeShape ; sh:targetClass ccgkg:HealthAndWellbeingBoard ;
    sh:sparql [ sh:prefixes ex: ; sh:message "no director of public health" ;
        sh:select \"\"\"SELECT $this WHERE {
            FILTER NOT EXISTS { ?post ccgkg:postIn $this ; ccgkg:role ccgkg:DirectorOfPublicHealth . } }\"\"\" ] .
"""
DATA = """
@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> . @prefix ex: <http://example.org/> .
ex:H1 a ccgkg:HealthAndWellbeingBoard . ex:H2 a ccgkg:HealthAndWellbeingBoard . ex:H3 a ccgkg:HealthAndWellbeingBoard .
ex:p1 ccgkg:postIn ex:H1 ; ccgkg:role ccgkg:DirectorOfPublicHealth .
ex:p2 ccgkg:postIn ex:H2 ; ccgkg:role ccgkg:Councillor .
"""


def test_not_exists_on_this_keeps_findings_and_equals_pyshacl() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    fast, reference = FastEngine(), PyShaclEngine()
    found = report_results(fast.validate(data, shapes))
    assert sorted(str(r[0]) for r in found) == ["http://example.org/H2", "http://example.org/H3"]
    assert found == report_results(reference.validate(data, shapes))
    assert fast.last_stats == {"fallback": [], "sparql_batched": 1, "sparql_per_node": 0}


def test_variables_named_like_keywords_are_still_batched() -> None:
    """``?limit`` or ``?count`` are variables, not LIMIT/COUNT: the query still runs once for all nodes."""
    shapes = Graph().parse(data=SHAPES.replace("SELECT $this WHERE {", "SELECT $this ?limit WHERE { BIND(1 AS ?limit)"),
                           format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    fast = FastEngine()
    assert len(report_results(fast.validate(data, shapes))) == 2
    assert fast.last_stats["sparql_batched"] == 1

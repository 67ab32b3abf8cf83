"""The fast SHACL engine against pySHACL (the reference): the same results, result by result, on a case that uses
every supported feature and on a generated slice of England; the fallbacks and errors."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from ccgkg.engines import DEFAULT_ENGINE, ENGINES, FastEngine, OxigraphMirror, PyShaclEngine, get_engine, report_results
from ccgkg.errors import ShapesError, UnknownProfileError
from ccgkg.reasoning import closure

from .conftest import CASES

EX = "http://example.org/"
EXSH = "http://example.org/shapes/"


def both(data: Graph, shapes: Graph) -> tuple[set, set, FastEngine]:
    fast = FastEngine()
    return report_results(PyShaclEngine().validate(data, shapes)), report_results(fast.validate(data, shapes)), fast


@pytest.fixture(scope="module")
def features():
    shapes = Graph().parse(CASES / "features.shapes.ttl")
    data = Graph().parse(CASES / "features.data.ttl")
    return both(data, shapes)


def test_features_same_results_as_pyshacl(features):
    reference, fast, engine = features
    assert fast == reference
    assert len(fast) == 28
    assert engine.last_stats == {"fallback": [], "sparql_batched": 5, "sparql_per_node": 1}


def by(results: set, component: str) -> set:
    return {r for r in results if str(r[4]) == str(SH) + component}


def test_features_exact_sparql_results(features):
    _reference, fast, _engine = features
    sparql = {(str(r[0]), str(r[2]), r[6], str(r[5])) for r in by(fast, "SPARQLConstraintComponent")}
    assert sparql == {
        (EX + "M2", EX + "M2", ("Membership http://example.org/M2 ends (2016-03-31) before it starts (2017-04-01)",),
         str(SH.Violation)),
        (EX + "M2", EX + "P1", (), str(SH.Violation)),  # ?value row, no message: pySHACL writes none
        (EX + "M2", EX + "M2", ("Membership has 2 groups",), str(SH.Violation)),  # GROUP BY $this: batched
        (EX + "M2", EX + "M2", ("Membership http://example.org/M2 names 2 groups (sub-query)",),
         str(SH.Violation)),  # sub-query: pySHACL's per-node run
        (EX + "M3", EX + "G3", ("http://example.org/G3 via $PATH is not a practice",), str(SH.Warning)),
        (EX + "G2", EX + "G2", (), str(SH.Violation)),  # ?failure
    }


def test_features_exact_core_results(features):
    _reference, fast, _engine = features
    core = {(str(r[0]), str(r[4]).split("#")[1], str(r[2]) if r[2] is not None else None)
            for r in fast if str(r[4]) != str(SH.SPARQLConstraintComponent)}
    assert core == {
        (EX + "G2", "MinCountConstraintComponent", None),  # inverse path, sh:Warning
        (EX + "G2", "MaxCountConstraintComponent", None),
        (EX + "G2", "MinLengthConstraintComponent", "2X"),
        (EX + "G2", "PatternConstraintComponent", "2X"),
        (EX + "G2", "HasValueConstraintComponent", None),
        (EX + "G3", "HasValueConstraintComponent", None),
        (EX + "G2", "InConstraintComponent", EX + "Huge"),
        (EX + "G2", "MaxExclusiveConstraintComponent", "1.0"),
        (EX + "G2", "MaxExclusiveConstraintComponent", "1.00"),
        (EX + "G2", "MinInclusiveConstraintComponent", "2012-01-01"),
        (EX + "G2", "MinInclusiveConstraintComponent", "2016"),
        (EX + "G2", "MaxInclusiveConstraintComponent", "2016"),
        (EX + "G2", "DatatypeConstraintComponent", "2016"),
        (EX + "G2", "ClassConstraintComponent", "G9"),
        (EX + "G2", "ClassConstraintComponent", EX + "P1"),
        (EX + "G2", "NodeKindConstraintComponent", "G9"),
        (EX + "G2", "MinCountConstraintComponent", None),  # rdfs:label, sh:Info (targetSubjectsOf)
        (EX + "P2", "MinCountConstraintComponent", None),
        (EX + "G3", "QualifiedMinCountConstraintComponent", None),  # sequence path
        (EX + "Nowhere", "AndConstraintComponent", EX + "Nowhere"),  # targetNode
        (EX + "Nowhere", "OrConstraintComponent", EX + "Nowhere"),
        (EX + "P1", "NotConstraintComponent", EX + "P1"),  # targetObjectsOf
    }


def test_generated_england_slice_same_results_as_pyshacl(england_module):
    shapes = Graph().parse(CASES / "england.shapes.ttl")
    data = closure(england_module.england(england_module.Size().scaled(0.03)), "owlrl")
    reference, fast, engine = both(data, shapes)
    assert fast == reference
    assert engine.last_stats == {"fallback": [], "sparql_batched": 5, "sparql_per_node": 0}
    components = {str(r[4]).split("#")[1] for r in fast}
    assert "SPARQLConstraintComponent" in components and len(fast) > 10


def test_shapes_with_rules_go_to_pyshacl_whole():
    shapes = Graph().parse(data=f"""@prefix sh: <{SH}> . @prefix ex: <{EX}> .
        ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:rule [ a sh:TripleRule ; sh:subject sh:this ;
            sh:predicate ex:p ; sh:object ex:o ] ; sh:property [ sh:path ex:p ; sh:maxCount 0 ] .""", format="turtle")
    data = Graph().parse(data=f"@prefix ex: <{EX}> . ex:a a ex:T .", format="turtle")
    reference, fast, engine = both(data, shapes)
    assert fast == reference and len(fast) == 1  # the rule's triple exists for both
    assert engine.last_stats == {"fallback": [str(SH.rule)]}


def test_broken_sparql_is_a_shapes_error():
    shapes = Graph().parse(data=f"""@prefix sh: <{SH}> . @prefix ex: <{EX}> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select "SELECT $this WHERE {{ $this ex:p }}" ] .""",
                           format="turtle")
    for engine in (PyShaclEngine(), FastEngine()):
        with pytest.raises(ShapesError) as err:
            engine.validate(Graph(), shapes)
        assert err.value.message.startswith("the shapes could not be")


def test_mirror_gives_back_the_data_graph_literals():
    data = Graph()
    lexical = [("1.0", XSD.decimal), ("01", XSD.integer), ("2013-04-01", XSD.date), ("1", XSD.boolean)]
    for i, (text, dt) in enumerate(lexical):
        data.add((URIRef(f"{EX}s{i}"), URIRef(EX + "p"), Literal(text, datatype=dt)))
    data.add((URIRef(EX + "s9"), URIRef(EX + "p"), Literal("two\nlines \"quoted\"", lang="en")))
    mirror = OxigraphMirror(data)
    values = {row["o"] for row in mirror.select("SELECT ?o WHERE { ?s ?p ?o }")}
    assert values == set(data.objects())
    # rdflib itself normalises "01" to "1" and "1" to "true"; Oxigraph would also turn "1.0" into "1"
    assert {str(v) for v in values} == {"1.0", "1", "2013-04-01", "true", "two\nlines \"quoted\""}


def test_engine_registry():
    assert set(ENGINES) == {"pyshacl", "fast"} and DEFAULT_ENGINE == "pyshacl"
    assert get_engine("fast").name == "fast"
    with pytest.raises(UnknownProfileError) as err:
        get_engine("topbraid")
    assert err.value.hint == "use one of: pyshacl, fast"

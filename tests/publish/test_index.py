"""``ccgkg.rdfout.TripleIndex``, the published graph a site reads, answers as an rdflib graph of the same triples
does (rdflib is the oracle), and the site's graph holds what ``queries.query_graph`` builds plus the run's report."""

from __future__ import annotations

from collections import Counter

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from ccgkg import queries, store
from ccgkg.namespaces import CCGKG
from ccgkg.publish import Site
from ccgkg.rdfout import TripleIndex, describe

S, P, Q = URIRef("http://example.org/s"), URIRef("http://example.org/p"), URIRef("http://example.org/q")


def test_answers_as_rdflib_does(site: Site) -> None:
    index = site.graph
    g = Graph()
    for t in index:
        g.add(t)
    assert len(index) == len(g)
    assert Counter(index.predicates()) == Counter(g.predicates())
    subjects = sorted({s for s in g.subjects() if isinstance(s, URIRef)})[::7]
    for s in subjects:
        assert sorted(index.predicate_objects(s)) == sorted(g.predicate_objects(s))
        assert sorted(index.subject_predicates(s)) == sorted(g.subject_predicates(s))
        assert sorted(describe(index, s)) == sorted(describe(g, s))
        for p in {p for p, _ in g.predicate_objects(s)}:
            assert sorted(index.objects(s, p)) == sorted(g.objects(s, p))
            values = list(g.objects(s, p))
            assert index.value(s, p) in values
            assert (s, p, None) in index and (None, p, values[0]) in index and (s, None, values[0]) in index
    for p, o in ((RDF.type, CCGKG.ClinicalCommissioningGroup), (CCGKG.group, URIRef(str(CCGKG) + "x"))):
        assert sorted(index.subjects(p, o)) == sorted(g.subjects(p, o))
    assert sorted(index.subject_objects(CCGKG.enforces)) == sorted(g.subject_objects(CCGKG.enforces))
    assert sorted(index.objects(None, RDF.type)) == sorted(g.objects(None, RDF.type))
    assert (URIRef("http://example.org/nothing"), None, None) not in index


def test_value_of_several_is_the_first_by_kind_and_text() -> None:
    index = TripleIndex([(S, P, Literal("b")), (S, P, Literal("a")), (S, P, URIRef("http://a/")), (S, Q, BNode("x"))])
    assert index.value(S, P) == Literal("a")  # Literal before URIRef by kind name, then "a" before "b"
    assert index.value(S, Q) == BNode("x")
    assert index.value(Q, P) is None
    assert sorted(index.triples((None, None, Literal("b")))) == [(S, P, Literal("b"))]


def test_the_site_publishes_the_query_graph_and_the_report(site: Site) -> None:
    expected = queries.query_graph(store.sample_graph(), inference="rdfs")
    run = URIRef(site.run_iri)
    published = Graph()
    for t in site.graph:
        if t[0] != run and (t[0], RDF.type, URIRef("http://www.w3.org/ns/shacl#ValidationResult")) not in site.graph:
            published.add(t)
    assert isomorphic(published, expected)
    assert (run, RDFS.label, Literal("validation run " + site.run_iri.rsplit("/", 1)[-1])) in site.graph

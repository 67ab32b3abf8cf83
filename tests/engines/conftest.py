"""Fixtures of the engine tests: the synthetic England generator (benchmarks/england.py) and comparison helpers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

CASES = Path(__file__).parent / "cases"
REPO = Path(__file__).resolve().parents[2]
NS = "https://w3id.org/ccgkg/"


@pytest.fixture(scope="session")
def england_module():
    """benchmarks/england.py, imported by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("ccgkg_bench_england", REPO / "benchmarks" / "england.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def matters(triple) -> bool:
    """The triples the equality proof covers: a ccgkg predicate, or rdf:type to a ccgkg class."""
    s, p, o = triple
    if isinstance(s, Literal) or isinstance(p, BNode):
        return False
    if str(p).startswith(NS):
        return True
    return p == RDF.type and isinstance(o, URIRef) and str(o).startswith(NS)


def held_norms(*classes: URIRef) -> set[URIRef]:
    """The norms of the bundled law whose ``ccgkg:dutyHolder`` is one of ``classes``, read straight from the
    ontology (not through a reasoner), so a test can state which ``ccgkg:boundBy`` triples a reasoner owes."""
    from ccgkg.namespaces import CCGKG
    from ccgkg.store import ontology_graph

    law = ontology_graph()
    return {norm for cls in classes for norm in law.subjects(CCGKG.dutyHolder, cls) if isinstance(norm, URIRef)}

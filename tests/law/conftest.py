"""Fixtures of the law tests: the OWL 2 RL closure of the bundled ontology plus one CCG, computed once."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ccgkg.namespaces import CCGKG, ORG

CCG = ORG["02H"]


@pytest.fixture(scope="session")
def closure(ontology: Graph) -> Graph:
    """Bundled ontology + ``org:02H a ccgkg:ClinicalCommissioningGroup``, closed under OWL 2 RL by owlrl."""
    import owlrl

    g = Graph()
    g += ontology
    g.add((CCG, RDF.type, CCGKG.ClinicalCommissioningGroup))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    return g


def act(prefix: str, local: str) -> URIRef:
    from ccgkg.namespaces import ACT_NS

    return ACT_NS[prefix][local]

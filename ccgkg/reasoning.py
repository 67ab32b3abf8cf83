"""Inference: the closure of data plus ontology under a profile, with inferred triples kept apart.

Reasoners sit behind a small interface (:class:`Reasoner`) in a registry, so a faster engine can replace a slow
one. ``owlrl`` (the owlrl package: RDFS or OWL 2 RL forward chaining) is the reference.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph

from ccgkg.errors import UnknownProfileError
from ccgkg.namespaces import bind_prefixes


class Profile(enum.Enum):
    """How much to infer. ``NONE`` adds nothing; ``RDFS`` applies RDFS entailment; ``OWLRL`` the OWL 2 RL rules."""

    NONE = "none"
    RDFS = "rdfs"
    OWLRL = "owlrl"


def parse_profile(name: str | Profile) -> Profile:
    """The profile called ``name``.

    Raises:
        UnknownProfileError: listing the known profiles.
    """
    if isinstance(name, Profile):
        return name
    try:
        return Profile(str(name).strip().lower())
    except ValueError:
        known = ", ".join(p.value for p in Profile)
        raise UnknownProfileError(f"unknown inference profile {name!r}", hint=f"use one of: {known}") from None


@dataclass(frozen=True)
class InferenceResult:
    """The input triples and, apart from them, the triples inference added."""

    asserted: Graph
    inferred: Graph
    profile: Profile
    reasoner: str

    @property
    def closure(self) -> Graph:
        """A new graph holding asserted and inferred triples together."""
        g = bind_prefixes(Graph())
        g += self.asserted
        g += self.inferred
        return g


class Reasoner(Protocol):
    """Computes the triples a profile entails from a graph, without changing the graph."""

    name: str

    def entailments(self, graph: Graph, profile: Profile) -> Graph:
        """The triples entailed by ``graph`` under ``profile`` that are not already in it."""
        ...


class OwlrlReasoner:
    """The reference reasoner: the owlrl package's RDFS or OWL 2 RL closure (slow on large data)."""

    name = "owlrl"

    def entailments(self, graph: Graph, profile: Profile) -> Graph:
        import owlrl

        if profile is Profile.NONE:
            return Graph()
        semantics = owlrl.RDFS_Semantics if profile is Profile.RDFS else owlrl.OWLRL_Semantics
        work = Graph()
        work += graph  # DeductiveClosure.expand works in place: never on the caller's graph
        owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
        inferred = Graph()
        for triple in work:
            if triple not in graph and _is_useful(triple):
                inferred.add(triple)
        return inferred


def _is_useful(triple: tuple) -> bool:
    """Drop owlrl's noise: triples with literal subjects and reflexive owl:sameAs."""
    from rdflib import Literal
    from rdflib.namespace import OWL

    s, p, o = triple
    if isinstance(s, Literal):
        return False
    return not (p == OWL.sameAs and s == o)


#: reasoner name -> factory. The first entry is the default.
REASONERS: dict[str, Callable[[], Reasoner]] = {"owlrl": OwlrlReasoner}
DEFAULT_REASONER = "owlrl"


def get_reasoner(name: str | None = None) -> Reasoner:
    """The reasoner registered as ``name`` (default: ``DEFAULT_REASONER``)."""
    key = name or DEFAULT_REASONER
    try:
        return REASONERS[key]()
    except KeyError:
        raise UnknownProfileError(f"unknown reasoner {key!r}", hint="use one of: " + ", ".join(REASONERS)) from None


def infer(graph: Graph, profile: str | Profile = Profile.RDFS, *, ontology: Graph | None = None,
          reasoner: str | None = None) -> InferenceResult:
    """Infer over ``graph`` merged with ``ontology`` (default: the bundled ontology).

    The ontology is merged into the data before reasoning, so its individuals (provisions, roles) take part;
    pySHACL's ``ont_graph=`` would mix in only class and property axioms. Inputs are not changed.

    Returns:
        The asserted triples (data plus ontology) and, apart, the inferred ones.
    """
    from ccgkg.store import ontology_graph

    prof = parse_profile(profile)
    asserted = bind_prefixes(Graph())
    asserted += graph
    asserted += ontology if ontology is not None else ontology_graph()
    engine = get_reasoner(reasoner)
    inferred = bind_prefixes(engine.entailments(asserted, prof))
    return InferenceResult(asserted=asserted, inferred=inferred, profile=prof, reasoner=engine.name)


__all__ = ["Profile", "parse_profile", "InferenceResult", "Reasoner", "OwlrlReasoner", "REASONERS",
           "DEFAULT_REASONER", "get_reasoner", "infer"]

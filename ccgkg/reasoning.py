"""Inference: the closure of data plus ontology under a profile, with inferred triples kept apart.

Reasoners sit behind a small interface (:class:`Reasoner`) in a registry, so a faster engine can replace a slow
one. ``owlrl`` (the owlrl package: RDFS or OWL 2 RL forward chaining) is the reference; ``rules`` (the default)
compiles the ontology's axioms into a few joins (:func:`compile_rules`) and runs them to a fixpoint
(:func:`run_rules`), giving the same triples as owlrl on everything ccgkg uses (proved in tests/engines, the
deliberate omissions listed in docs/engines.md).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ccgkg.errors import InputError, UnknownProfileError
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
    note: str | None = field(default=None, compare=False)

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


# --------------------------------------------------------------------------------------------------------------
# The rule reasoner: the ontology's axioms compiled into a few joins, run to a fixpoint (semi-naive) over indexes.
# --------------------------------------------------------------------------------------------------------------

#: OWL constructs the rule reasoner does not compile. When the graph uses one of them under ``Profile.OWLRL`` the
#: rule reasoner hands the whole closure to owlrl (and says so in ``RuleSet.unsupported``), never skipping it.
UNSUPPORTED_OWL = (
    OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.someValuesFrom, OWL.allValuesFrom,
    OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.cardinality, OWL.qualifiedCardinality, OWL.hasKey,
    OWL.sameAs,
)

Step = tuple[Node, bool]  # (property, inverted): one link of a property chain


@dataclass(frozen=True)
class RuleSet:
    """The ontology's axioms compiled for one profile: lookup tables that the fixpoint joins against.

    Attributes:
        class_supers: class -> every strict superclass (transitive; equivalence counts both ways under OWLRL).
        property_supers: property -> every strict superproperty (likewise).
        domains / ranges: property -> classes its subjects / objects belong to.
        inverses: property -> properties that hold in the other direction (both sides of each owl:inverseOf).
        symmetric / transitive: the symmetric and the transitive properties.
        chains: (derived property, its steps); a step is (property, inverted), ``rdf:type`` allowed.
        has_value: restriction class -> (property, value) pairs; ``value_classes`` the way back.
        unsupported: what the graph uses that the rules do not compile (non-empty -> owlrl does the work).
    """

    profile: Profile
    class_supers: dict[Node, frozenset[Node]]
    property_supers: dict[Node, frozenset[Node]]
    domains: dict[Node, frozenset[Node]]
    ranges: dict[Node, frozenset[Node]]
    inverses: dict[Node, frozenset[Node]]
    symmetric: frozenset[Node]
    transitive: frozenset[Node]
    chains: tuple[tuple[Node, tuple[Step, ...]], ...]
    has_value: dict[Node, tuple[tuple[Node, Node], ...]]
    value_classes: dict[tuple[Node, Node], frozenset[Node]]
    unsupported: tuple[str, ...]


def _closure(edges: dict[Node, set[Node]]) -> dict[Node, frozenset[Node]]:
    """Every node's strict successors under the transitive closure of ``edges``."""
    out: dict[Node, frozenset[Node]] = {}
    for start in edges:
        seen: set[Node] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
        seen.discard(start)
        if seen:
            out[start] = frozenset(seen)
    return out


def _grouped(pairs: Iterable[tuple[Node, Node]]) -> dict[Node, frozenset[Node]]:
    table: dict[Node, set[Node]] = {}
    for key, value in pairs:
        table.setdefault(key, set()).add(value)
    return {k: frozenset(v) for k, v in table.items()}


def compile_rules(graph: Graph, profile: Profile) -> RuleSet:
    """Compile the axioms found in ``graph`` (ontology merged with data) into a :class:`RuleSet` for ``profile``."""
    owl = profile is Profile.OWLRL
    sub_c: dict[Node, set[Node]] = {}
    sub_p: dict[Node, set[Node]] = {}
    for s, o in graph.subject_objects(RDFS.subClassOf):
        sub_c.setdefault(s, set()).add(o)
    for s, o in graph.subject_objects(RDFS.subPropertyOf):
        sub_p.setdefault(s, set()).add(o)
    inverse_pairs: list[tuple[Node, Node]] = []
    symmetric: set[Node] = set()
    transitive: set[Node] = set()
    chains: list[tuple[Node, tuple[Step, ...]]] = []
    has_value: dict[Node, list[tuple[Node, Node]]] = {}
    unsupported: list[str] = []
    if owl:
        for s, o in graph.subject_objects(OWL.equivalentClass):
            sub_c.setdefault(s, set()).add(o)
            sub_c.setdefault(o, set()).add(s)
        for s, o in graph.subject_objects(OWL.equivalentProperty):
            sub_p.setdefault(s, set()).add(o)
            sub_p.setdefault(o, set()).add(s)
        chain_inverse: dict[Node, Node] = {}
        for s, o in graph.subject_objects(OWL.inverseOf):
            if isinstance(s, BNode):
                chain_inverse[s] = o  # an anonymous inverse: usable as a chain step
            else:
                inverse_pairs += [(s, o), (o, s)]
        symmetric = set(graph.subjects(RDF.type, OWL.SymmetricProperty))
        transitive = set(graph.subjects(RDF.type, OWL.TransitiveProperty))
        for prop, head in graph.subject_objects(OWL.propertyChainAxiom):
            steps: list[Step] = []
            for item in Collection(graph, head):
                if item in chain_inverse:
                    steps.append((chain_inverse[item], True))
                elif isinstance(item, BNode):
                    unsupported.append(f"property chain of {prop} has an anonymous step other than owl:inverseOf")
                    break
                else:
                    steps.append((item, False))
            else:
                chains.append((prop, tuple(steps)))
        for restriction, value in graph.subject_objects(OWL.hasValue):
            for prop in graph.objects(restriction, OWL.onProperty):
                has_value.setdefault(restriction, []).append((prop, value))
        for construct in UNSUPPORTED_OWL:
            for s, _o in graph.subject_objects(construct):
                unsupported.append(f"{construct.n3(graph.namespace_manager)} on {s.n3(graph.namespace_manager)}")
                break
    domains = _grouped(graph.subject_objects(RDFS.domain))
    ranges = _grouped(graph.subject_objects(RDFS.range))
    value_classes = _grouped(((pv, r) for r, pvs in has_value.items() for pv in pvs))
    return RuleSet(
        profile=profile, class_supers=_closure(sub_c), property_supers=_closure(sub_p), domains=domains,
        ranges=ranges, inverses=_grouped(inverse_pairs), symmetric=frozenset(symmetric),
        transitive=frozenset(transitive), chains=tuple(sorted(chains)),
        has_value={k: tuple(v) for k, v in has_value.items()}, value_classes=value_classes,
        unsupported=tuple(sorted(unsupported)),
    )


class _Index:
    """The triples known so far (``seen``), and for the properties that rules join on (transitive properties and
    chain steps) two indexes: by predicate then subject, and by predicate then object."""

    __slots__ = ("joined", "new", "pos", "seen", "spo")

    def copy(self) -> _Index:
        """An independent copy (adding to it leaves this index as it is)."""
        out = _Index(self.joined)
        out.seen = set(self.seen)
        out.spo = {p: {k: set(v) for k, v in table.items()} for p, table in self.spo.items()}
        out.pos = {p: {k: set(v) for k, v in table.items()} for p, table in self.pos.items()}
        out.new = list(self.new)
        return out

    def __init__(self, joined: set[Node]) -> None:
        self.seen: set[tuple[Node, Node, Node]] = set()
        self.joined = joined
        self.spo: dict[Node, dict[Node, set[Node]]] = {p: {} for p in joined}
        self.pos: dict[Node, dict[Node, set[Node]]] = {p: {} for p in joined}
        self.new: list[tuple[Node, Node, Node]] = []

    def add(self, s: Node, p: Node, o: Node) -> None:
        triple = (s, p, o)
        if triple in self.seen:
            return
        self.seen.add(triple)
        self.new.append(triple)
        if p in self.joined:
            self.spo[p].setdefault(s, set()).add(o)
            self.pos[p].setdefault(o, set()).add(s)

    def step(self, node: Node, step: Step, forward: bool) -> set[Node] | frozenset[Node]:
        """The nodes one ``step`` away from ``node``, walking the chain forwards or backwards."""
        prop, inverted = step
        table = self.spo if forward != inverted else self.pos
        return table[prop].get(node, frozenset())


def _walk(index: _Index, starts: set[Node], steps: Sequence[Step], forward: bool) -> set[Node]:
    nodes = starts
    for step in steps:
        nxt: set[Node] = set()
        for node in nodes:
            nxt.update(index.step(node, step, forward))
        if not nxt:
            return nxt
        nodes = nxt
    return nodes


def run_rules(triples: Iterable[tuple[Node, Node, Node]], rules: RuleSet) -> _Index:
    """Run ``rules`` over ``triples`` to a fixpoint; the index then holds asserted and inferred triples."""
    joined = set(rules.transitive) | {prop for _derived, steps in rules.chains for prop, _inv in steps}
    index = _Index(joined)
    for s, p, o in triples:
        index.add(s, p, o)
    _fixpoint(index, rules, None)
    return index


def extend_rules(base: _Index, triples: Iterable[tuple[Node, Node, Node]],
                 rules: RuleSet) -> set[tuple[Node, Node, Node]]:
    """The triples that ``triples`` and what they entail add to ``base`` (an index :func:`run_rules` returned for
    the same ``rules``), ``base`` left as it is. The rules are monotone, so ``base`` plus these is exactly the
    closure of ``base``'s triples and ``triples`` together (semi-naive: every new derivation uses a new triple)."""
    index = base.copy()
    for s, p, o in triples:
        index.add(s, p, o)
    added: set[tuple[Node, Node, Node]] = set()
    _fixpoint(index, rules, added)
    return added


def _fixpoint(index: _Index, rules: RuleSet, added: set[tuple[Node, Node, Node]] | None) -> None:
    """Apply ``rules`` to the index's new triples until nothing new is found (each new triple put in ``added``)."""
    chain_at: dict[Node, list[tuple[Node, tuple[Step, ...], int]]] = {}
    for derived, steps in rules.chains:
        for i, (prop, _inv) in enumerate(steps):
            chain_at.setdefault(prop, []).append((derived, steps, i))
    typ = RDF.type
    add = index.add
    while index.new:
        delta, index.new = index.new, []
        if added is not None:
            added.update(delta)
        for s, p, o in delta:
            literal_o = isinstance(o, Literal)
            if p == typ:
                for c in rules.class_supers.get(o, ()):
                    add(s, typ, c)
                for q, v in rules.has_value.get(o, ()):
                    add(s, q, v)
            for sup in rules.property_supers.get(p, ()):
                add(s, sup, o)
            for c in rules.domains.get(p, ()):
                add(s, typ, c)
            for r in rules.value_classes.get((p, o), ()):
                add(s, typ, r)
            if not literal_o:
                for c in rules.ranges.get(p, ()):
                    add(o, typ, c)
                for q in rules.inverses.get(p, ()):
                    add(o, q, s)
                if p in rules.symmetric:
                    add(o, p, s)
                if p in rules.transitive:
                    for z in list(index.spo[p].get(o, ())):
                        add(s, p, z)
                    for w in list(index.pos[p].get(s, ())):
                        add(w, p, o)
            for derived, steps, i in chain_at.get(p, ()):
                head, tail = (o, s) if steps[i][1] else (s, o)
                if isinstance(head, Literal):
                    continue
                starts = _walk(index, {head}, steps[i - 1::-1] if i else (), forward=False)
                ends = _walk(index, {tail}, steps[i + 1:], forward=True)
                for a in starts:
                    if isinstance(a, Literal):
                        continue
                    for b in ends:
                        add(a, derived, b)


def run_rules_over_time(labelled: Iterable[tuple[tuple[Node, Node, Node], int]],
                        rules: RuleSet) -> dict[tuple[Node, Node, Node], int]:
    """Run ``rules`` once for many states at once: each triple comes with a bit mask of the states it holds in
    (bit ``i``: state ``i``, e.g. a judging day); the result maps every asserted or entailed triple to the states
    in which it holds. Bit ``i`` of a triple's mask is set exactly when :func:`run_rules` over the triples of
    state ``i`` finds it: a derivation holds in the states all its premises hold in, a triple in the union over
    its derivations (the rules are monotone, so the fixpoint over masks is the fixpoint of every state at once).
    This is how derived relations carry the days of the facts they rest on (docs/design.md, "Time model")."""
    joined = set(rules.transitive) | {prop for _derived, steps in rules.chains for prop, _inv in steps}
    seen: dict[tuple[Node, Node, Node], int] = {}
    spo: dict[Node, dict[Node, set[Node]]] = {p: {} for p in joined}
    pos: dict[Node, dict[Node, set[Node]]] = {p: {} for p in joined}
    queue: list[tuple[tuple[Node, Node, Node], int]] = []

    def add(s: Node, p: Node, o: Node, mask: int) -> None:
        if not mask:
            return
        triple = (s, p, o)
        old = seen.get(triple, 0)
        grown = mask & ~old
        if not grown:
            return
        seen[triple] = old | grown
        queue.append((triple, grown))
        if not old and p in joined:
            spo[p].setdefault(s, set()).add(o)
            pos[p].setdefault(o, set()).add(s)

    def walk(starts: dict[Node, int], steps: Sequence[Step], forward: bool) -> dict[Node, int]:
        nodes = starts
        for prop, inverted in steps:
            nxt: dict[Node, int] = {}
            by_subject = forward != inverted
            table = spo if by_subject else pos
            for node, mask in nodes.items():
                for other in table[prop].get(node, ()):
                    edge = seen[(node, prop, other) if by_subject else (other, prop, node)]
                    if mask & edge:
                        nxt[other] = nxt.get(other, 0) | (mask & edge)
            if not nxt:
                return nxt
            nodes = nxt
        return nodes

    chain_at: dict[Node, list[tuple[Node, tuple[Step, ...], int]]] = {}
    for derived, steps in rules.chains:
        for i, (prop, _inv) in enumerate(steps):
            chain_at.setdefault(prop, []).append((derived, steps, i))
    for (s, p, o), mask in labelled:
        add(s, p, o, mask)
    typ = RDF.type
    while queue:
        delta, queue = queue, []
        for (s, p, o), m in delta:
            literal_o = isinstance(o, Literal)
            if p == typ:
                for c in rules.class_supers.get(o, ()):
                    add(s, typ, c, m)
                for q, v in rules.has_value.get(o, ()):
                    add(s, q, v, m)
            for sup in rules.property_supers.get(p, ()):
                add(s, sup, o, m)
            for c in rules.domains.get(p, ()):
                add(s, typ, c, m)
            for r in rules.value_classes.get((p, o), ()):
                add(s, typ, r, m)
            if not literal_o:
                for c in rules.ranges.get(p, ()):
                    add(o, typ, c, m)
                for q in rules.inverses.get(p, ()):
                    add(o, q, s, m)
                if p in rules.symmetric:
                    add(o, p, s, m)
                if p in rules.transitive:
                    for z in list(spo[p].get(o, ())):
                        add(s, p, z, m & seen[(o, p, z)])
                    for w in list(pos[p].get(s, ())):
                        add(w, p, o, m & seen[(w, p, s)])
            for derived, steps, i in chain_at.get(p, ()):
                head, tail = (o, s) if steps[i][1] else (s, o)
                if isinstance(head, Literal):
                    continue
                starts = walk({head: m}, steps[i - 1::-1] if i else (), forward=False)
                ends = walk({tail: m}, steps[i + 1:], forward=True)
                for a, ma in starts.items():
                    if isinstance(a, Literal):
                        continue
                    for b, mb in ends.items():
                        add(a, derived, b, ma & mb)
    return seen


class RulesReasoner:
    """The fast reasoner: ``compile_rules`` then ``run_rules`` in plain Python (see docs/engines.md).

    Under ``Profile.OWLRL`` a graph that uses a construct the rules do not compile (``RuleSet.unsupported``) is
    handed to :class:`OwlrlReasoner` whole; ``last_note`` then says why.
    """

    name = "rules"

    def __init__(self) -> None:
        self.last_note: str | None = None

    def entailments(self, graph: Graph, profile: Profile) -> Graph:
        inferred = Graph()
        inferred.addN((s, p, o, inferred) for s, p, o in self.entailed_triples(graph, profile))
        return inferred

    def entailed_triples(self, graph: Graph, profile: Profile) -> list[tuple[Node, Node, Node]]:
        """Like :meth:`entailments`, as a list of triples (no rdflib graph is built: the fast path)."""
        return self.asserted_and_entailed(graph, profile)[1]

    def asserted_and_entailed(self, graph: Graph, profile: Profile,
                              asserted: set[tuple[Node, Node, Node]] | None = None,
                              ) -> tuple[set[tuple[Node, Node, Node]], list[tuple[Node, Node, Node]]]:
        """The triples of ``graph`` as a set (read once) and :meth:`entailed_triples`. With ``asserted`` (the
        triples to reason over, already a set), ``graph`` need hold only their axioms (:func:`axioms_of`)."""
        self.last_note = None
        if asserted is None:
            asserted = set(graph)
        if profile is Profile.NONE:
            return asserted, []
        rules = compile_rules(graph, profile)
        if rules.unsupported:
            self.last_note = "owlrl used instead of rules: the graph uses " + "; ".join(rules.unsupported)
            return asserted, list(OwlrlReasoner().entailments(_graph_of(asserted), profile))
        index = run_rules(asserted, rules)
        out = [t for t in index.seen if t not in asserted]
        for relation, supers in ((RDFS.subClassOf, rules.class_supers), (RDFS.subPropertyOf, rules.property_supers)):
            for sub, sups in supers.items():
                out.extend((sub, relation, sup) for sup in sups if (sub, relation, sup) not in asserted)
        return asserted, out


def closure(graph: Graph, profile: str | Profile = Profile.OWLRL, *, ontology: Graph | None = None,
            reasoner: str | None = None) -> Graph:
    """One new graph holding ``graph``, the ontology (default: the bundled one) and what they entail.

    The fast path for validation: unlike :func:`infer` it keeps no separate copies of the asserted and the
    inferred triples.

    Raises:
        UnknownProfileError: an unknown profile or reasoner name.
    """
    from ccgkg.store import ontology_graph

    prof = parse_profile(profile)
    engine = get_reasoner(reasoner)
    merged = bind_prefixes(Graph())
    merged += graph
    merged += ontology if ontology is not None else ontology_graph()
    fast = getattr(engine, "entailed_triples", None)
    triples = fast(merged, prof) if fast is not None else list(engine.entailments(merged, prof))
    merged.addN((s, p, o, merged) for s, p, o in triples)
    return merged


#: reasoner name -> factory. ``DEFAULT_REASONER`` names the default.
REASONERS: dict[str, Callable[[], Reasoner]] = {"rules": lambda: RulesReasoner(), "owlrl": OwlrlReasoner}
DEFAULT_REASONER = "rules"


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
    return InferenceResult(asserted=asserted, inferred=inferred, profile=prof, reasoner=engine.name,
                           note=getattr(engine, "last_note", None))


@dataclass(frozen=True)
class Entailment:
    """What :func:`entail` found: the asserted triples (data and ontology, each once), the inferred ones, and the
    reasoner that found them."""

    asserted: frozenset[tuple[Node, Node, Node]]
    triples: frozenset[tuple[Node, Node, Node]]
    profile: Profile
    reasoner: str
    note: str | None = None


#: the predicates :func:`compile_rules` reads (with ``rdf:type`` to the property characteristics it reads)
_AXIOM_PREDICATES = frozenset({
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass, OWL.equivalentProperty,
    OWL.inverseOf, OWL.propertyChainAxiom, OWL.hasValue, OWL.onProperty, RDF.first, RDF.rest, *UNSUPPORTED_OWL})
_AXIOM_TYPES = frozenset({OWL.SymmetricProperty, OWL.TransitiveProperty})


def axioms_of(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """A graph of the triples among ``triples`` that :func:`compile_rules` reads (the ontology's axioms, and
    any the data states): compiling from it gives the rules compiling from all of them gives."""
    graph = bind_prefixes(Graph())
    graph.addN((s, p, o, graph) for s, p, o in triples
               if p in _AXIOM_PREDICATES or (p == RDF.type and o in _AXIOM_TYPES))
    return graph


def _graph_of(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def entail(graph: Graph | set[tuple[Node, Node, Node]], profile: str | Profile = Profile.RDFS, *,
           ontology: Graph | None = None, reasoner: str | None = None) -> Entailment:
    """The triples :func:`infer` puts in ``inferred``, without copying ``graph`` and the ontology into a merged
    graph (the reasoner reads both through a read-only view; on all of England the copies took longer than the
    rules). ``graph`` may be a set of triples (:func:`ccgkg.store.read_triples`): then no graph of the data is
    built at all, only one of its axioms. Inputs are not changed."""
    from rdflib.graph import ReadOnlyGraphAggregate

    from ccgkg.store import ontology_graph

    prof = parse_profile(profile)
    engine = get_reasoner(reasoner)
    law = ontology if ontology is not None else ontology_graph()
    given = None if isinstance(graph, Graph) else graph | set(law)
    data = axioms_of(graph) if not isinstance(graph, Graph) else graph
    both = ReadOnlyGraphAggregate([data, law])
    if isinstance(engine, RulesReasoner):
        asserted, found = engine.asserted_and_entailed(both, prof, given)
    elif given is not None:
        asserted, found = given, list(engine.entailments(_graph_of(given), prof)) if prof is not Profile.NONE else []
    else:
        asserted, found = set(both), list(engine.entailments(both, prof)) if prof is not Profile.NONE else []
    return Entailment(frozenset(asserted), frozenset(found), prof, engine.name, getattr(engine, "last_note", None))


# --------------------------------------------------------------------------------------------------------------
# Writing a closure: asserted and inferred triples kept apart, sorted, deterministic.
# --------------------------------------------------------------------------------------------------------------

ASSERTED_GRAPH = URIRef("https://w3id.org/ccgkg/graph/asserted")
INFERRED_GRAPH = URIRef("https://w3id.org/ccgkg/graph/inferred")
#: --out suffix -> what is written. Dataset formats carry both graphs; triple formats the inferred triples only.
CLOSURE_FORMATS = {".nq": "nquads", ".trig": "trig", ".nt": "nt", ".ttl": "turtle"}

_BNODE_RE = re.compile(r"_:(\S+)")


def _sorted_lines(triples: Iterable[tuple[Node, Node, Node]], graph_name: URIRef | None) -> list[str]:
    """N-Triples (or N-Quads) lines, sorted, with blank nodes renamed b0, b1, ... in order of appearance."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    suffix = f" {graph_name.n3()} .\n" if graph_name is not None else " .\n"
    # what rdflib's N-Triples serialiser writes for each triple (IRIs and blank nodes formatted directly: the same
    # text as their n3(), without its per-call checks)

    def n3(term: Node) -> str:
        kind = type(term)
        if kind is URIRef:
            return f"<{term}>"
        if kind is BNode:
            return f"_:{term}"
        return _quoteLiteral(term) if isinstance(term, Literal) else term.n3()

    rows = [f"{n3(s)} {n3(p)} {n3(o)}{suffix}" for s, p, o in triples]
    # order by (line with blank node labels blanked, line): sort by line, then stably by the blanked line
    rows.sort()
    rows.sort(key=lambda line: _BNODE_RE.sub("_:", line) if "_:" in line else line)
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        return "_:" + names.setdefault(match.group(1), f"b{len(names)}")

    return [_BNODE_RE.sub(rename, line) if "_:" in line else line for line in rows]


def serialize_closure(result: InferenceResult, fmt: str) -> bytes:
    """The closure in ``fmt`` (a value of ``CLOSURE_FORMATS``), sorted and byte-for-byte deterministic.

    ``nquads`` and ``trig`` hold the asserted triples in ``ASSERTED_GRAPH`` and the inferred ones in
    ``INFERRED_GRAPH``; ``nt`` and ``turtle`` hold only the inferred triples.
    """
    if fmt in ("nt", "nquads"):
        return serialize_closure_lines(result.asserted if fmt == "nquads" else (), result.inferred, fmt)
    if fmt == "turtle":
        return result.inferred.serialize(format="longturtle").encode("utf-8")
    if fmt == "trig":
        parts = []
        for name, graph in ((ASSERTED_GRAPH, result.asserted), (INFERRED_GRAPH, result.inferred)):
            body = graph.serialize(format="longturtle")
            prefixes = [line for line in body.splitlines() if line.startswith("PREFIX ")]
            triples = [line for line in body.splitlines() if line and not line.startswith("PREFIX ")]
            parts.append((prefixes, f"{name.n3()} {{\n" + "\n".join("    " + t for t in triples) + "\n}\n"))
        header = sorted(set(parts[0][0]) | set(parts[1][0]))
        return ("\n".join(header) + "\n\n" + "\n".join(p[1] for p in parts)).encode("utf-8")
    raise ValueError(f"unknown closure format {fmt!r}")


def serialize_closure_lines(asserted: Iterable[tuple[Node, Node, Node]],
                            inferred: Iterable[tuple[Node, Node, Node]], fmt: str) -> bytes:
    """``nt`` (the inferred triples) or ``nquads`` (both, in their two graphs) from triples, as
    :func:`serialize_closure` writes them; no graph needed. Each iterable must hold each triple once."""
    if fmt == "nt":
        return "".join(_sorted_lines(inferred, None)).encode("utf-8")
    if fmt == "nquads":
        return "".join(_sorted_lines(asserted, ASSERTED_GRAPH) + _sorted_lines(inferred, INFERRED_GRAPH)).encode(
            "utf-8")
    raise ValueError(f"{fmt!r} is not written from triples: use serialize_closure")


def write_closure(result: InferenceResult, path: str | Path) -> Path:
    """Write the closure to ``path`` atomically, in the format its suffix names (see ``CLOSURE_FORMATS``).

    Raises:
        InputError: the suffix is not one of ``CLOSURE_FORMATS`` or the folder cannot be written.
    """
    from ccgkg.fileio import atomic_write

    target = Path(path)
    fmt = CLOSURE_FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot tell the output format of {target} from its suffix",
                         hint="use .nq or .trig (asserted and inferred graphs) or .nt or .ttl (inferred triples "
                              "only)")
    return atomic_write(target, serialize_closure(result, fmt))


__all__ = ["Profile", "parse_profile", "InferenceResult", "Reasoner", "OwlrlReasoner", "RulesReasoner", "RuleSet",
           "compile_rules", "run_rules", "run_rules_over_time", "closure", "Entailment", "entail",
           "serialize_closure_lines", "UNSUPPORTED_OWL", "REASONERS",
           "DEFAULT_REASONER", "get_reasoner", "infer", "ASSERTED_GRAPH", "INFERRED_GRAPH", "CLOSURE_FORMATS",
           "serialize_closure", "write_closure"]

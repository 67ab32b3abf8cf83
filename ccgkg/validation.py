"""Validate organisation data against the bundled SHACL shapes, each fact judged against the law of its own date.

``validate(data)`` returns a :class:`ValidationResult`: the findings (frozen :class:`Finding` records, each with the
provisions its shape enforces, the organisation it is about and the first day it holds) and a standard
``sh:ValidationReport`` graph whose results also carry ``ccgkg:provision``, ``ccgkg:organisation`` and
``ccgkg:onDate`` (docs/validate.md, "Report graph").

How time is handled (issue 4, rule 9):

* Core shapes (``shapes/core.shapes.ttl``, no ``ccgkg:enforces``) check the form of the data once, on all of it.
* Legal shapes are judged day by day. The judging days are the days on which something can change: every start
  date, the day after every end date, the start of every financial year, the publication of guidance and the
  first and last days of the provisions in force, clipped to the life of clinical commissioning groups
  (2013-04-01 to 2022-06-30). On each day ccgkg takes ``temporal.snapshot`` of the data, merges the ontology,
  infers, and applies only the shapes whose provisions are all in force that day.
* Shapes marked ``ccgkg:judgesAfterRepeal`` (a group existing after its abolition) are applied instead on the
  days AFTER their provisions ceased, found in the data (at least 2022-07-01).
* The same finding on consecutive judging days is reported once, dated its first day (``Finding.until`` is the
  day before the first judging day on which it no longer holds, None when it holds to the last one).

Inference: ``none`` merges the ontology only; ``rdfs`` adds RDFS entailment plus the relations the ontology
derives by ``owl:inverseOf``, transitive properties and property chains between data (``memberOf``,
``relevantGroup``, ``commissionsFrom``: docs/design.md says they are derived, never entered; ``boundBy``, a chain
through ``rdf:type`` no rule reads, is left to ``owlrl``); ``owlrl`` the OWL 2 RL closure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

from ccgkg import coverage, judging, law, reasoning, store, temporal
from ccgkg.coverage import Coverage
from ccgkg.engines import (
    FastEngine,
    OxigraphMirror,
    ValidationEngine,
    _render,
    get_engine,
)
from ccgkg.errors import InputError
from ccgkg.namespaces import CCGKG, bind_prefixes, expand_curie, fact_iri, org_iri

#: severity keyword of each SHACL severity, strongest first.
SEVERITIES: dict[URIRef, str] = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
SEVERITY_RANK = {"violation": 0, "warning": 1, "info": 2}
#: the first and last financial years judged (their starts are judging days).
FIRST_FY, LAST_FY = 2013, 2022
#: where the organisation of a finding is found when the focus node is not itself an organisation, in order.
ORGANISATION_LINKS = (CCGKG.postIn, CCGKG.returnOf, CCGKG.commissioner, CCGKG.publisher, CCGKG.practice,
                      CCGKG.areaOf, CCGKG.group)


@dataclass(frozen=True)
class ProvisionRef:
    """A provision a finding cites: its IRI, CURIE, citation, title, force and legislation.gov.uk address."""

    iri: str
    curie: str
    citation: str
    title: str
    force: str
    uri: str | None


@dataclass(frozen=True)
class Finding:
    """One validation result, merged over the consecutive days it holds.

    Attributes:
        severity: ``violation``, ``warning`` or ``info``.
        focus: IRI (or blank node label) of the node the result is about.
        organisation: IRI of the organisation the finding is about (None when none is linked).
        organisation_code / organisation_label: that organisation's ``ccgkg:code`` and ``rdfs:label``.
        date: the first judging day it holds (None for the undated core checks).
        until: the day before the first judging day on which it no longer holds (None: to the end).
        provisions: the provisions the shape enforces (empty for core shapes).
        shape: IRI of the shape (the node shape for a blank property shape).
        path / value: ``sh:resultPath`` and ``sh:value`` as text, where any.
        message: ``sh:resultMessage``.
    """

    severity: str
    focus: str
    organisation: str | None
    organisation_code: str | None
    organisation_label: str | None
    date: dt.date | None
    until: dt.date | None
    provisions: tuple[ProvisionRef, ...]
    shape: str
    path: str | None
    value: str | None
    message: str
    sources: tuple[str, ...] = ()  # where the facts it rests on come from (ccgkg.coverage.Scope.sources)


@dataclass(frozen=True)
class ValidationResult:
    """The findings of one validation, the ``sh:ValidationReport`` graph that carries them, and the coverage
    section (:class:`ccgkg.coverage.Coverage`: per rule, organisation-days judged, passed, breached, not judged)."""

    conforms: bool
    as_of: dt.date | None
    findings: tuple[Finding, ...]
    report_graph: Graph
    coverage: Coverage | None = None

    @property
    def not_judged(self) -> int:
        """Organisation-days that some rule could not judge because its evidence was out of scope."""
        return self.coverage.not_judged if self.coverage is not None else 0

    def count(self, severity: str) -> int:
        """How many findings have this severity."""
        return sum(f.severity == severity for f in self.findings)

    def fails(self, fail_on: str) -> bool:
        """Whether any finding is at or above ``fail_on`` (``violation``, ``warning`` or ``info``)."""
        limit = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] <= limit for f in self.findings)


# ------------------------------------------------------------------------------------------------- the shapes

@dataclass(frozen=True)
class ShapeRule:
    """A top-level shape and the days it applies: legal shapes by the provisions they enforce."""

    node: Node
    provisions: tuple[str, ...]  # provision IRIs (empty: a core shape)
    after_repeal: bool

    def applies_on(self, day: dt.date) -> bool:
        """Whether the shape is applied on ``day``: every cited provision in force (or, for a shape that judges
        after repeal, every cited provision no longer in force)."""
        ranges = [_in_force(iri) for iri in self.provisions]
        if self.after_repeal:
            return all(until is not None and day > until for _from, until in ranges)
        return all(temporal.holds_on(start, until, day) for start, until in ranges)


def _in_force(iri: str) -> tuple[dt.date | None, dt.date | None]:
    idx = law.index()
    found = idx.provisions.get(idx.curie(iri))
    if found is None:  # a provision of user shapes unknown to the ontology: always in force
        return None, None
    return found.in_force_from, found.in_force_until


def shape_rules(shapes: Graph) -> list[ShapeRule]:
    """Every shape with a target (``sh:targetClass`` and the like) or with ``ccgkg:enforces``, as a rule."""
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    nodes = {s for p in targets for s in shapes.subjects(p, None)}
    nodes |= {s for s in shapes.subjects(CCGKG.enforces, None) if not isinstance(s, BNode)}
    rules = []
    for node in sorted(nodes, key=str):
        provisions = tuple(sorted(str(o) for o in shapes.objects(node, CCGKG.enforces)))
        after = any(bool(o.toPython()) for o in shapes.objects(node, CCGKG.judgesAfterRepeal)
                    if isinstance(o, Literal))
        rules.append(ShapeRule(node=node, provisions=provisions, after_repeal=after))
    return rules


def select_rules(rules: Sequence[ShapeRule], provisions: Iterable[str]) -> list[ShapeRule]:
    """The legal rules enforcing any of ``provisions`` (citations, CURIEs or addresses) or any of their parts;
    all rules when none are given.

    Raises:
        UnknownCitation: a citation names no provision.
        InputError: no rule enforces any of the cited provisions or their parts (a check of nothing is no pass;
            issue 9). When only some have no rule, :func:`unchecked_provisions` names them.
    """
    wanted: set[str] = set()
    unchecked: list[str] = []
    provisions = list(provisions)
    for citation in provisions:
        mine = _with_parts(citation)
        if not any(mine.intersection(r.provisions) for r in rules):
            unchecked.append(law.show(citation).provision.citation)
        wanted |= mine
    if not wanted:
        return list(rules)
    if unchecked and len(unchecked) == len(provisions):
        raise InputError(f"no rule checks {' or '.join(unchecked)} or its parts: validating against it would find "
                         "nothing and prove nothing",
                         hint=f"`ccgkg law show '{provisions[0]}'` lists the rules that enforce a provision (under "
                              "Shapes:); choose a provision that has some")
    return [r for r in rules if wanted.intersection(r.provisions)]


def unchecked_provisions(provisions: Iterable[str], extra_shapes: Graph | None = None) -> list[str]:
    """The citations of those of ``provisions`` that no rule (bundled, or in ``extra_shapes``) enforces, neither
    them nor any of their parts.

    Raises:
        UnknownCitation: a citation names no provision.
    """
    rules = shape_rules(_shapes(extra_shapes))
    return [law.show(c).provision.citation for c in provisions
            if not any(_with_parts(c).intersection(r.provisions) for r in rules)]


def _with_parts(citation: str) -> set[str]:
    """The IRIs of the provision ``citation`` names, of all its parts and of their versions (``law.related``)."""
    detail = law.show(citation)
    return {str(expand_curie(c)) for c in law.related(detail.provision.curie)}


# ------------------------------------------------------------------------------------------------ the data

def with_financial_years(data: Graph) -> Graph:
    """A copy of ``data`` with a ``ccgkg:FinancialYear`` node for every year from 2013-14 to 2022-23 that it lacks."""
    out = store.copy_graph(data)
    out.addN((s, p, o, out) for s, p, o in _financial_years(data))
    return out


def _financial_years(data: Graph) -> list[Triple]:
    """The triples :func:`with_financial_years` adds to ``data``."""
    out: list[Triple] = []
    for year in range(FIRST_FY, LAST_FY + 1):
        label = f"{year}-{(year + 1) % 100:02d}"
        node = fact_iri("fy", label)
        if (node, RDF.type, CCGKG.FinancialYear) in data:
            continue
        out += [(node, RDF.type, CCGKG.FinancialYear), (node, RDFS.label, Literal(label)),
                (node, CCGKG.startDate, Literal(dt.date(year, 4, 1), datatype=XSD.date)),
                (node, CCGKG.endDate, Literal(dt.date(year + 1, 3, 31), datatype=XSD.date))]
    return out


@lru_cache(maxsize=4)
def _ruleset(profile: reasoning.Profile) -> reasoning.RuleSet | None:
    """The bundled ontology's axioms compiled once for ``profile``: ``rdfs`` with the inverse and transitive
    properties and the property chains between data (``memberOf``, ``relevantGroup``, ``commissionsFrom``); the
    chain through ``rdf:type`` (``boundBy``, organisation to norm) is left to ``owlrl``."""
    ontology = store.ontology_graph()
    if profile is reasoning.Profile.NONE:
        return None
    compiled = reasoning.compile_rules(ontology, profile)
    if profile is reasoning.Profile.RDFS:
        owl = reasoning.compile_rules(ontology, reasoning.Profile.OWLRL)
        data_chains = tuple(c for c in owl.chains if all(prop != RDF.type for prop, _inv in c[1]))
        compiled = dataclasses.replace(compiled, inverses=owl.inverses, transitive=owl.transitive, chains=data_chains)
    return compiled


@lru_cache(maxsize=4)
def _ontology_closure(profile: reasoning.Profile) -> tuple[tuple[Triple, ...], tuple[Triple, ...]]:
    """The bundled ontology closed under ``profile`` (computed once), and the part of it that joins with data
    (triples whose property is transitive or a step of a property chain)."""
    rules = _ruleset(profile)
    ontology = store.ontology_graph()
    if rules is None:
        return tuple(ontology), ()
    closed = reasoning.run_rules(set(ontology), rules).seen
    closed |= _hierarchy(rules)
    joined = set(rules.transitive) | {prop for _derived, steps in rules.chains for prop, _inv in steps}
    return tuple(closed), tuple(t for t in closed if t[1] in joined)


def _hierarchy(rules: reasoning.RuleSet) -> set[Triple]:
    """The rdfs:subClassOf and rdfs:subPropertyOf closures (the rule reasoner keeps them in its tables)."""
    return {(sub, relation, sup) for relation, supers in ((RDFS.subClassOf, rules.class_supers),
                                                         (RDFS.subPropertyOf, rules.property_supers))
            for sub, sups in supers.items() for sup in sups}


def _entailed(triples: Iterable[Triple], profile: reasoning.Profile) -> set[Triple]:
    """The data ``triples`` and what they entail with the ontology, minus the ontology's own closure."""
    joins = _ontology_closure(profile)[1]
    known = _ontology_set(profile)
    rules = _ruleset(profile)
    found = set(triples) if rules is None else reasoning.run_rules([*triples, *joins], rules).seen
    return {t for t in found if t not in known}


@lru_cache(maxsize=4)
def _ontology_set(profile: reasoning.Profile) -> frozenset[Triple]:
    return frozenset(_ontology_closure(profile)[0])


def _unsupported(profile: reasoning.Profile) -> bool:
    rules = _ruleset(profile)
    return rules is not None and bool(rules.unsupported)


def infer(data: Graph, inference: str = "rdfs") -> Graph:
    """``data`` merged with the bundled ontology and closed under ``inference`` (see the module docstring).

    The ontology's own closure is computed once per process; each call runs the rules over the data and the
    ontology triples that can join with it (the same closure as reasoning over everything, faster).

    Raises:
        UnknownProfileError: an unknown inference name.
    """
    profile = reasoning.parse_profile(inference)
    if _unsupported(profile):  # OWL the rules do not compile: the reference reasoner does it
        return reasoning.closure(data, profile, reasoner="owlrl")
    merged = bind_prefixes(Graph())
    merged.addN((s, p, o, merged) for s, p, o in _ontology_closure(profile)[0])
    merged.addN((s, p, o, merged) for s, p, o in _entailed(data, profile))
    return merged


class _Lifetimes:
    """The dated nodes of some triples: each node's latest ``ccgkg:startDate`` and earliest ``ccgkg:endDate``, the
    nodes ``temporal.snapshot`` drops on a day (those triples that name one of them go with them)."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.latest_start: dict[Node, dt.date] = {}
        self.earliest_end: dict[Node, dt.date] = {}
        for node, p, value in triples:
            if p == CCGKG.startDate and (day := temporal.to_date(value)) is not None:
                self.latest_start[node] = max(day, self.latest_start.get(node, day))
            elif p == CCGKG.endDate and (day := temporal.to_date(value)) is not None:
                self.earliest_end[node] = min(day, self.earliest_end.get(node, day))

    def dropped(self, day: dt.date) -> set[Node]:
        """The nodes that do not hold on ``day``."""
        drop = {n for n, start in self.latest_start.items() if start > day}
        return drop | {n for n, end in self.earliest_end.items() if end < day}


def _snapshot_node(day: dt.date) -> list[Triple]:
    """The ``ccgkg:Snapshot`` triples ``temporal.snapshot`` adds for ``day``."""
    node = URIRef(f"https://w3id.org/ccgkg/id/snapshot/{day.isoformat()}")
    return [(node, RDF.type, CCGKG.Snapshot), (node, CCGKG.onDate, Literal(day, datatype=XSD.date))]


class _DayView:
    """One state of :class:`_DayGraphs` (all the data, or one judging day) read off the masks, without an rdflib
    graph: the few reads the compiled path and ``explain`` make (``in``, ``value``, ``objects``, ``subjects``,
    ``predicate_objects``, iteration), each answered from per-predicate indexes over the triples of every state
    (built once, on first use of a predicate) and kept to the triples whose mask has the state's bit."""

    def __init__(self, graphs: _DayGraphs, bit: int) -> None:
        self._graphs = graphs
        self.bit = bit
        self.namespace_manager = graphs.namespaces

    def has(self, triple: Triple) -> bool:
        """Whether ``triple`` holds in this state."""
        g = self._graphs
        assert g.masks is not None
        return bool(g.masks.get(triple, 0) & self.bit) or triple in g.base_seen or triple in g.known

    def __contains__(self, pattern: tuple[Node, Node, Node | None]) -> bool:
        s, p, o = pattern
        if o is not None:
            return self.has((s, p, o))
        return next(iter(self.objects(s, p)), None) is not None

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return [o for o in self._graphs.index(predicate)[0].get(subject, ()) if self.has((subject, predicate, o))]

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        return [s for s in self._graphs.index(predicate)[1].get(obj, ()) if self.has((s, predicate, obj))]

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(iter(self.objects(subject, predicate)), None)

    def predicate_objects(self, subject: Node) -> list[tuple[Node, Node]]:
        return [(p, o) for p in self._graphs.predicates() for o in self.objects(subject, p)]

    def __iter__(self) -> Iterator[Triple]:
        return (t for t in self._graphs.every() if self.has(t))

    def __len__(self) -> int:
        return sum(1 for _t in self)


class _DayGraphs:
    """The graphs of one validation: all the data (``on(None)``, for the core shapes) and each judged day's
    snapshot, each merged with the ontology and closed under the inference profile, held in ONE rdflib graph
    (and, for the fast engine, one Oxigraph mirror) that moves from one state to the next by the difference.

    The data splits into the triples that hold on every judged day (no dated node they name is dropped on any of
    them) and the rest. The first part is closed once (:func:`reasoning.run_rules`) and loaded once with the
    ontology's closure; each state adds only the rest of its triples and what they entail on top of that
    (:func:`reasoning.extend_rules`, exact because the rules are monotone). Going from one state to the next adds
    and removes only the triples in which the two differ, so consecutive days cost what changed between them."""

    def __init__(self, data: Graph, fy: list[Triple], days: Sequence[dt.date], inference: str,
                 mirrored: bool, over_time: bool = True, light: bool = False) -> None:
        self.data = data
        self.fy = fy
        self.days = list(days)
        self.profile = reasoning.parse_profile(inference)
        self.inference = inference
        self.shared = not _unsupported(self.profile)
        self.mirrored = mirrored
        self.over_time = over_time  # reason once for every day (False: day by day, the reference way)
        self.graph = bind_prefixes(Graph())
        self.mirror: Any = None
        self.loaded: set[Triple] = set()  # triples of the current state beyond what every state holds
        self._ready = False
        self.whole: Graph | None = None  # the data with its financial years, when the rules cannot reason
        #: the subjects of the triples the last move changed (None: the graph was built anew)
        self.changed: set[Node] | None = None
        #: reasoning over time, ``on`` yields a :class:`_DayView` (no rdflib graph is kept) unless asked for a graph
        self.light = light and over_time
        self.namespaces = self.graph.namespace_manager
        self.position: int | None = None  # the state the mirror (and graph) hold: 0 all the data, i + 1 day i
        self._index: dict[Node, tuple[dict[Node, list[Node]], dict[Node, list[Node]]]] = {}
        self._by_predicate: dict[Node, list[Triple]] | None = None
        self._owned: dict[dt.date | None, set[Triple]] = {}  # one judging day: its state and all the data's

    def _setup(self) -> None:
        """Split the data, close the shared part and load it (once, on first use)."""
        from ccgkg.engines import OxigraphMirror

        self._ready = True
        triples = [*self.data, *self.fy]
        self.lifetimes = _Lifetimes(triples)
        self.drops = {day: self.lifetimes.dropped(day) for day in self.days}
        variant: set[Node] = set().union(*self.drops.values())
        shared = [t for t in triples if t[0] not in variant and t[2] not in variant]
        self.dated = [t for t in triples if t[0] in variant or t[2] in variant]
        self.rules = _ruleset(self.profile)
        self.known = _ontology_set(self.profile)
        self.masks: dict[Triple, int] | None = None
        if self.rules is not None and self.over_time and len(self.days) > 1:  # reason once for all the days
            self.base = None
            self._over_time(shared)
        else:
            self.base = None if self.rules is None else \
                reasoning.run_rules([*shared, *_ontology_closure(self.profile)[1]], self.rules)
            self.base_seen = set(shared) if self.base is None else self.base.seen
        if self.light and self.masks is not None:  # the mirror from the triples, no graph kept
            base = [*_ontology_closure(self.profile)[0], *(t for t in self.base_seen if t not in self.known)]
            self.mirror = OxigraphMirror(base) if self.mirrored else None
            if self.mirror is not None:
                self.mirror.index_values()
                self.mirror.graph = ()
            return
        self.light = False
        self.graph.addN((s, p, o, self.graph) for s, p, o in _ontology_closure(self.profile)[0])
        self.graph.addN((s, p, o, self.graph) for s, p, o in self.base_seen if (s, p, o) not in self.known)
        self.mirror = OxigraphMirror(self.graph) if self.mirrored else None

    def _over_time(self, shared: list[Triple]) -> None:
        """Close the data ONCE for every state (all the data, then each day), each triple labelled with the states
        it holds in (:func:`reasoning.run_rules_over_time`): a dated triple holds on the days both its nodes do, a
        derived one on the days its premises do. The triples of every state are loaded once; each state adds
        those of its own bit."""
        assert self.rules is not None
        self.bit: dict[dt.date | None, int] = {None: 1} | {day: 2 << i for i, day in enumerate(self.days)}
        every = (2 << len(self.days)) - 1
        alive: dict[Node, int] = {}
        for day, dropped in self.drops.items():
            for node in dropped:
                alive[node] = alive.get(node, every) & ~self.bit[day]
        labelled = [(t, every) for t in (*shared, *_ontology_closure(self.profile)[1])]
        labelled += [(t, alive.get(t[0], every) & alive.get(t[2], every)) for t in self.dated]
        labelled += [(t, self.bit[day]) for day in self.days for t in _snapshot_node(day)]
        masks = reasoning.run_rules_over_time(labelled, self.rules)
        del labelled
        self.base_seen = {t for t, m in masks.items() if m == every}
        self.masks = {t: m for t, m in masks.items() if m != every and t not in self.known}
        del masks
        self.drops, self.dated = {}, []  # read off the masks from now on
        # the moves from each state to the next, read once off the masks: bit k of m ^ (m << 1) is set where the
        # triple enters (its bit k set) or leaves (unset) state k coming from state k - 1
        self.enter: list[list[Triple]] = [[] for _ in range(len(self.days) + 1)]
        self.leave: list[list[Triple]] = [[] for _ in range(len(self.days) + 1)]
        for t, m in self.masks.items():
            moves = (m ^ (m << 1)) & every
            while moves:
                low = moves & -moves
                k = low.bit_length() - 1
                (self.enter if m & low else self.leave)[k].append(t)
                moves ^= low

    def _own(self, day: dt.date | None) -> set[Triple]:
        """The triples of ``day``'s state (None: all the data) beyond the shared closure: its dated triples and
        what they entail, minus the ontology's closure."""
        if self.masks is not None:
            bit = self.bit[day]
            return {t for t, m in self.masks.items() if m & bit}
        if day in self._owned:
            return self._owned[day]
        self._owned[day] = found = self._extended(day)
        if len(self.days) > 1:  # many states: each computed when needed, none kept
            del self._owned[day]
        return found

    def _extended(self, day: dt.date | None) -> set[Triple]:
        """:meth:`_own` without masks: the base closure extended by the state's dated triples."""
        if day is None:
            facts = self.dated
        else:
            drop = self.drops[day]
            facts = [t for t in self.dated if t[0] not in drop and t[2] not in drop] + _snapshot_node(day)
        if self.base is None or self.rules is None:
            found = {t for t in facts if t not in self.base_seen}
        else:
            found = reasoning.extend_rules(self.base, facts, self.rules)
        return {t for t in found if t not in self.known}

    def _move(self, day: dt.date | None) -> tuple[list[Triple], list[Triple]]:
        """The triples to remove and to add to go from the state held to ``day``'s (reasoning over time)."""
        assert self.masks is not None
        target = 0 if day is None else self.days.index(day) + 1
        current, self.position = self.position, target
        if current == target:
            return [], []
        if current is not None and target == current + 1:
            return self.leave[target], self.enter[target]
        if current is None and target == 0:
            return [], self.enter[0]
        bit = self.bit[day]
        if current is None:
            return [], [t for t, m in self.masks.items() if m & bit]
        was = 1 << current
        return ([t for t, m in self.masks.items() if m & was and not m & bit],
                [t for t, m in self.masks.items() if m & bit and not m & was])

    def every(self) -> Iterator[Triple]:
        """Every triple of some state (ontology closure first, then those of every state, then the rest)."""
        assert self.masks is not None
        yield from _ontology_closure(self.profile)[0]
        yield from (t for t in self.base_seen if t not in self.known)
        yield from self.masks

    def predicates(self) -> list[Node]:
        if self._by_predicate is None:
            by: dict[Node, list[Triple]] = {}
            for t in self.every():
                by.setdefault(t[1], []).append(t)
            self._by_predicate = by
        return list(self._by_predicate)

    def index(self, predicate: Node) -> tuple[dict[Node, list[Node]], dict[Node, list[Node]]]:
        """Subject -> objects and object -> subjects of ``predicate`` over every state (built on first use)."""
        found = self._index.get(predicate)
        if found is None:
            self.predicates()
            assert self._by_predicate is not None
            forward: dict[Node, list[Node]] = {}
            backward: dict[Node, list[Node]] = {}
            for s, _p, o in self._by_predicate.get(predicate, ()):
                forward.setdefault(s, []).append(o)
                backward.setdefault(o, []).append(s)
            found = self._index[predicate] = (forward, backward)
        return found

    def _graph_of_state(self, day: dt.date | None) -> Graph:
        """A new rdflib graph of ``day``'s state (light mode: for the shapes that need one)."""
        graph = bind_prefixes(Graph())
        view = _DayView(self, self.bit[day])
        graph.addN((s, p, o, graph) for s, p, o in view)
        return graph

    @contextmanager
    def on(self, day: dt.date | None, graph: bool = False) -> Iterator[Any]:
        """The graph of ``day`` (one of the days given; None: all the data), valid only inside the block: an
        rdflib graph, or in light mode a :class:`_DayView` unless ``graph`` is true."""
        self.changed = None
        if not self.shared:  # OWL the rules do not compile: the reference reasoner closes each graph
            if self.whole is None:
                self.whole = with_financial_years(self.data)
            yield infer(self.whole, self.inference) if day is None else prepare(self.whole, day, self.inference)
            return
        if not self._ready:
            self._setup()
        if self.masks is not None:
            gone, new = self._move(day)
            if self.mirror is not None:
                self.mirror.remove(gone)
                self.mirror.add(new)
            self.changed = {t[0] for t in gone} | {t[0] for t in new}
            if self.light:
                yield self._graph_of_state(day) if graph else _DayView(self, self.bit[day])
                return
            for triple in gone:
                self.graph.remove(triple)
            self.graph.addN((s, p, o, self.graph) for s, p, o in new)
            yield self.graph
            return
        own = self._own(day)
        gone, new = list(self.loaded - own), list(own - self.loaded)
        for triple in gone:
            self.graph.remove(triple)
        self.graph.addN((s, p, o, self.graph) for s, p, o in new)
        if self.mirror is not None:
            self.mirror.remove(gone)
            self.mirror.add(new)
        self.loaded = own
        self.changed = {t[0] for t in gone} | {t[0] for t in new}
        yield self.graph

    @property
    def options(self) -> dict[str, Any]:
        """The engine options that hand it the mirror of the current state (none for pySHACL)."""
        return {"mirror": self.mirror} if self.mirror is not None else {}


def prepare(data: Graph, day: dt.date, inference: str = "rdfs") -> Graph:
    """The graph the legal shapes are applied to on ``day``: the snapshot of ``data`` (give it
    :func:`with_financial_years` first), the ontology, and what they entail."""
    return infer(temporal.snapshot(data, day), inference)


def judging_days(data: Graph, rules: Sequence[ShapeRule],
                 window: tuple[dt.date, dt.date] = temporal.CCG_ERA) -> list[dt.date]:
    """The days legal shapes are judged on (see the module docstring), sorted: the change days within ``window``
    (first and last day, inclusive; the CCG era by default, the era whose law the bundled shapes enforce) and,
    for shapes that judge after repeal, the change days after it."""
    found: set[dt.date] = {dt.date(y, 4, 1) for y in range(FIRST_FY, LAST_FY + 1)}
    for p, shift in ((CCGKG.startDate, 0), (CCGKG.endDate, 1)):
        for value in data.objects(None, p):
            day = temporal.to_date(value)
            if day is not None and day < dt.date.max:
                found.add(day + dt.timedelta(days=shift))
    graph = store.ontology_graph()
    for guidance in (*graph.subjects(RDF.type, CCGKG.Guidance), *data.subjects(RDF.type, CCGKG.Guidance)):
        for g in (graph, data):
            for value in g.objects(guidance, CCGKG.published):
                if (day := temporal.to_date(value)) is not None:
                    found.add(day)
    for rule in rules:
        for start, until in map(_in_force, rule.provisions):
            found |= {d for d in (start, until + dt.timedelta(days=1) if until else None) if d}
    first, last = window
    days = {d for d in found if first <= d <= last}
    if any(r.after_repeal or any(start is not None and start > last for start, _ in map(_in_force, r.provisions))
           for r in rules):
        days |= {d for d in found if d > last} | {last + dt.timedelta(days=1)}
    return sorted(days)


# ---------------------------------------------------------------------------------------------- validation

@dataclass
class _Raw:
    """One result of one day's report, before merging."""

    key: tuple[Any, ...]  # focus, shape, constraint, component, severity, path, value, messages
    result: Node | None  # the result in an engine's report (None for a compiled result)
    report: Graph | None
    organisation: Node | None
    code: str | None
    label: str | None
    compiled: judging.Result | None = None


#: validation engine names: ``fast`` (legal shapes compiled to SPARQL on Oxigraph, :mod:`ccgkg.judging`, the rest
#: by the batched engine), ``batched`` (every shape by :class:`ccgkg.engines.FastEngine`, pySHACL's shape model with
#: batched SPARQL; the path before compilation, kept as a second reference) and ``pyshacl`` (the reference).
ENGINE_NAMES = ("fast", "batched", "pyshacl")

#: called with (what, done, total) as the work goes on (``what``: "judging days").
Progress = Callable[[str, int, int], None]


def validate(data: Graph, *, as_of: dt.date | None = None, orgs: Sequence[str] = (), provisions: Sequence[str] = (),
             inference: str = "rdfs", extra_shapes: Graph | None = None, engine: str | None = None,
             progress: Progress | None = None) -> ValidationResult:
    """Validate ``data`` against the bundled shapes (plus ``extra_shapes``).

    Args:
        data: organisations and dated facts (without the ontology: it is merged here).
        as_of: judge the state on this day only (legal shapes); None judges every change day.
        orgs: organisation codes; only findings about these organisations are kept (with the ``fast`` engine only
            their focus nodes are judged: the organisations and the records linked to them).
        provisions: citations; only the legal shapes enforcing these provisions (or their parts) run.
        inference: ``none``, ``rdfs`` or ``owlrl``.
        extra_shapes: more shapes; those citing provisions are judged day by day like the bundled legal shapes.
        engine: ``fast`` (default), ``batched`` or ``pyshacl`` (the reference); see ``ENGINE_NAMES``.
        progress: told after each judging day (what, done, total).

    Raises:
        UnknownCitation: a provision citation names nothing.
        InputError: an organisation code names no organisation in the data.
        UnknownProfileError: an unknown inference or engine name.
        ShapesError: the shapes do not load.
    """
    return _validate(data, as_of=as_of, orgs=orgs, provisions=provisions, inference=inference,
                     extra_shapes=extra_shapes, engine=engine, progress=progress)[0]


def _validate(data: Graph, *, as_of: dt.date | None = None, orgs: Sequence[str] = (),
              provisions: Sequence[str] = (), inference: str = "rdfs", extra_shapes: Graph | None = None,
              engine: str | None = None, progress: Progress | None = None) -> tuple[ValidationResult, _DayGraphs]:
    """:func:`validate`, and its day graphs (``explain`` reads the states again: no second inference)."""
    shapes = _shapes(extra_shapes)
    rules = select_rules(shape_rules(shapes), provisions)
    wanted_orgs = _organisations(data, orgs)
    name = engine or "fast"
    runner: ValidationEngine = get_engine("fast" if name == "batched" else name)
    fy = _financial_years(data)  # the data is not copied: its financial years are added to the day graphs
    reasoning.parse_profile(inference)
    raws: dict[dt.date | None, list[_Raw]] = {}
    core = [r.node for r in rules if not r.provisions]
    legal = [r for r in rules if r.provisions]
    with_years = ReadOnlyGraphAggregate([data, _graph_of(fy)])
    days = [as_of] if as_of is not None else judging_days(with_years, legal)
    active_on = {day: [r.node for r in legal if r.applies_on(day)] for day in days}
    compiled = _compiled(shapes, legal) if name == "fast" else None
    graphs = _DayGraphs(data, fy, [d for d in days if active_on[d]], inference,
                        mirrored=isinstance(runner, FastEngine), over_time=name == "fast",
                        light=compiled is not None and not compiled.unsupported)
    narrow = wanted_orgs if compiled is not None and wanted_orgs else None
    if core and not provisions:
        with graphs.on(None, graph=True) as full:
            options = dict(graphs.options)
            if narrow is not None:
                options["focus"] = _focus_of(full, narrow)
            raws[None] = _results(runner.validate(full, shapes, core, **options), full)
    judged = [d for d in days if active_on[d]]
    owners: dict[Node, tuple[Node | None, str | None, str | None]] = {}  # focus -> organisation, code, label
    for done, day in enumerate(judged, 1):
        with graphs.on(day) as graph:
            _forget(owners, graphs.changed)
            focus = None if narrow is None else _focus_of(graph, narrow)
            raws[day] = _judge_day(runner, compiled, graph, shapes, active_on[day], graphs, focus, owners)
        if progress is not None:
            progress("judging days", done, len(judged))
    scope = coverage.Scope(data, shapes, legal, as_of)  # evidence scope (issue 10): the one hook
    findings, report = _merge(raws, days, shapes, wanted_orgs, scope.clip)
    if as_of is not None:  # one day judged: every dated finding holds on that day only
        findings = tuple(dataclasses.replace(f, until=as_of) if f.date else f for f in findings)
    table = scope.table(findings, wanted_orgs, {str(r.node): provision_refs(shapes, r.node) for r in legal})
    coverage.add_to_report(report, next(report.subjects(RDF.type, SH.ValidationReport)), table)
    return ValidationResult(conforms=not findings, as_of=as_of, findings=findings, report_graph=report,
                            coverage=table), graphs


def _focus_of(graph: Graph, orgs: set[Node]) -> set[Node]:
    """Every node a finding about ``orgs`` can be about: the organisations and the records linking to them by one
    of ``ORGANISATION_LINKS`` (a superset of the focus nodes :func:`_merge` keeps for them)."""
    return set(orgs) | {s for org in orgs for link in ORGANISATION_LINKS for s in graph.subjects(link, org)}


def _compiled(shapes: Graph, legal: Sequence[ShapeRule]) -> judging.Compiled:
    """The legal shapes compiled for :mod:`ccgkg.judging`; a notice names those that are not (they go to the fast
    engine)."""
    compiled = judging.Compiled(shapes, [r.node for r in legal])
    if compiled.unsupported:
        names = "; ".join(f"{node} ({why})" for node, why in sorted(compiled.unsupported.items(), key=str))
        warnings.warn(judging.FallbackNotice(f"judged by the fast engine, not compiled to SPARQL: {names}"),
                      stacklevel=3)
    return compiled


def _forget(owners: dict[Node, tuple[Node | None, str | None, str | None]], changed: set[Node] | None) -> None:
    """Drop the organisations found for focus nodes whose answer may differ in the new state: those where the
    focus node or its organisation is the subject of a changed triple (:func:`_organisation_of` and the code and
    label read only such triples); everything when the graph was built anew."""
    if changed is None:
        owners.clear()
        return
    for node in [n for n, (org, _c, _l) in owners.items() if n in changed or org in changed]:
        del owners[node]


def _judge_day(runner: ValidationEngine, compiled: judging.Compiled | None, graph: Graph, shapes: Graph,
               active: list[Node], graphs: _DayGraphs, focus: set[Node] | None = None,
               owners: dict[Node, tuple[Node | None, str | None, str | None]] | None = None) -> list[_Raw]:
    """The results of the ``active`` legal shapes on one day's graph: compiled shapes straight on its Oxigraph
    store, the rest by ``runner`` (with ``focus``, only for those focus nodes)."""
    if compiled is None:
        return _results(runner.validate(graph, shapes, active, **graphs.options), graph)
    mirror = graphs.mirror if graphs.mirror is not None else OxigraphMirror(graph)
    found = compiled.judge(mirror, [n for n in active if n in compiled.plans], focus)
    rest = [n for n in active if n not in compiled.plans and n not in compiled.skipped]
    raws = _compiled_results(found, graph, {} if owners is None else owners, compiled)
    if rest:
        raws += _results(runner.validate(graph, shapes, rest, mirror=mirror, focus=focus),  # type: ignore[call-arg]
                         graph)
    return raws


def _compiled_results(found: Iterable[judging.Result], graph: Any,
                      owners: dict[Node, tuple[Node | None, str | None, str | None]],
                      compiled: judging.Compiled | None = None) -> list[_Raw]:
    """The results of compiled shapes as :class:`_Raw` records (each result's key worked out once: ``compiled``
    keeps the same result objects for the same rows on any day)."""
    keys: dict[Any, Any] = {} if compiled is None else compiled.cache
    out = []
    for r in found:
        known = keys.get(id(r))
        if known is None or known[0] is not r or isinstance(r.path, BNode):
            path = _render(graph, r.path) if isinstance(r.path, BNode) else r.path
            key = (r.focus, r.shape, r.constraint, SH.SPARQLConstraintComponent, r.severity, path, r.value,
                   tuple(sorted(str(m) for m in r.messages)))
            keys[id(r)] = (r, key)
        else:
            key = known[1]
        owner = owners.get(r.focus)
        if owner is None:
            owner = owners[r.focus] = _owner_of(graph, r.focus)
        org, code, label = owner
        out.append(_Raw(key=key, result=None, report=None, organisation=org, code=code, label=label, compiled=r))
    return out


def _owner_of(graph: Graph, focus: Node | None) -> tuple[Node | None, str | None, str | None]:
    """The organisation of a finding about ``focus``, its code and its name."""
    org = _organisation_of(graph, focus)
    if org is None:
        return None, None, None
    return org, _text(graph.value(org, CCGKG.code)), _text(graph.value(org, RDFS.label))


def _graph_of(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def _shapes(extra: Graph | None) -> Graph:
    if extra is None:
        return store.shapes_graph()
    merged = bind_prefixes(Graph())
    merged += store.shapes_graph()
    merged += extra
    return merged


def _organisations(data: Graph, codes: Sequence[str]) -> set[Node]:
    out: set[Node] = set()
    for code in codes:
        iri = org_iri(code)
        if (iri, None, None) not in data:
            known = sorted(str(c) for c in data.objects(None, CCGKG.code))
            hint = ("codes in the data: " + ", ".join(known[:20]) + (" ..." if len(known) > 20 else "")) if known \
                else "the data holds no organisation codes"
            raise InputError(f"--org {code}: no organisation with this code in the data", hint=hint)
        out.add(iri)
    return out


def _results(report: Graph, graph: Graph) -> list[_Raw]:
    out = []
    values: dict[Node, dict[Node, list[Node]]] = {}  # every result's properties, read in one pass
    for s, p, o in report:
        values.setdefault(s, {}).setdefault(p, []).append(o)
    owners: dict[Node | None, tuple[Node | None, str | None, str | None]] = {}  # focus -> organisation, code, label

    def value(result: Node, p: Node) -> Node | None:
        found = values[result].get(p, ())
        return found[0] if len(found) == 1 else report.value(result, p)  # several: rdflib's choice, as before

    for result in report.objects(None, SH.result):
        key: tuple[Any, ...] = tuple(value(result, p) for p in (
            SH.focusNode, SH.sourceShape, SH.sourceConstraint, SH.sourceConstraintComponent, SH.resultSeverity))
        key += (_term_key(report, value(result, SH.resultPath)), value(result, SH.value),
                tuple(sorted(str(m) for m in values[result].get(SH.resultMessage, ()))))
        if key[0] not in owners:
            owners[key[0]] = _owner_of(graph, key[0])
        org, code, label = owners[key[0]]
        out.append(_Raw(key=key, result=result, report=report, organisation=org, code=code, label=label))
    return out


def _term_key(graph: Graph, node: Node | None) -> Node | str | None:
    return _render(graph, node) if isinstance(node, BNode) else node


def _merge(raws: dict[dt.date | None, list[_Raw]], judged: list[dt.date], shapes: Graph,
           orgs: set[Node], scope: Callable[[Finding], list[Finding]] = lambda f: [f]) \
        -> tuple[tuple[Finding, ...], Graph]:
    """One finding per run of consecutive judging days, and the report graph holding them."""
    by_key: dict[tuple[Any, ...], dict[dt.date | None, _Raw]] = {}
    for day, results in raws.items():
        for raw in results:
            by_key.setdefault(raw.key, {})[day] = raw
    report = bind_prefixes(Graph())
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    findings: list[tuple[Finding, _Raw]] = []
    owners: dict[Node | None, Node] = {}  # the owner of each source shape and its provision_refs, worked out once
    refs: dict[Node, tuple[ProvisionRef, ...]] = {}
    for key, found in by_key.items():
        if key[1] not in owners:
            owners[key[1]] = _owner(shapes, key[1])
        owner = owners[key[1]]  # a day its shape did not apply ends a run like a day without the finding
        if owner not in refs:
            refs[owner] = provision_refs(shapes, owner)
        for start, until in _runs(sorted(d for d in found if d is not None), judged) \
                if None not in found else [(None, None)]:
            raw = found[start]
            finding = _finding(raw, owner, start, until, refs[owner])
            if orgs and not ({URIRef(finding.organisation) if finding.organisation else None,
                              raw.key[0]} & orgs):
                continue
            findings.extend((piece, raw) for piece in scope(finding))
    findings.sort(key=lambda pair: _sort_key(pair[0]))
    triples: list[Triple] = []
    for finding, raw in findings:
        _add_result(triples, root, finding, raw, shapes)
    report.addN((s, p, o, report) for s, p, o in triples)
    report.add((root, SH.conforms, Literal(not findings)))
    return tuple(f for f, _ in findings), report


def _runs(days: list[dt.date], judged: list[dt.date]) -> list[tuple[dt.date, dt.date | None]]:
    """Runs of consecutive judging days in ``days``: (first day, the day before the next judging day on which it
    is absent or its shape no longer applies; None when it holds to the last judging day)."""
    runs: list[tuple[dt.date, dt.date | None]] = []
    present = set(days)
    start: dt.date | None = None
    for day in judged:
        if day in present and start is None:
            start = day
        elif day not in present and start is not None:
            runs.append((start, day - dt.timedelta(days=1)))
            start = None
    if start is not None:
        runs.append((start, None))
    return runs


def _owner(shapes: Graph, shape: Node | None) -> Node:
    """The top-level shape holding ``shape`` (itself unless it is a blank property shape)."""
    node = shape
    seen = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parent = next(iter(shapes.subjects(SH.property, node)), None)
        if parent is None:
            break
        node = parent
    return node  # type: ignore[return-value]


def _finding(raw: _Raw, owner: Node, start: dt.date | None, until: dt.date | None,
             provisions: tuple[ProvisionRef, ...]) -> Finding:
    focus, _shape, _constraint, _component, severity, path, value, messages = raw.key
    org = raw.organisation
    return Finding(
        severity=SEVERITIES.get(severity, "violation"),
        focus=str(focus), organisation=str(org) if org is not None else None,
        organisation_code=raw.code, organisation_label=raw.label,
        date=start, until=until, provisions=provisions, shape=str(owner),
        path=path,
        value=str(value) if value is not None else None,
        message=" ".join(messages))


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _organisation_of(graph: Graph, focus: Node | None) -> Node | None:
    if focus is None:
        return None
    if (focus, RDF.type, CCGKG.Organisation) in graph or (focus, CCGKG.code, None) in graph:
        return focus
    for link in ORGANISATION_LINKS:
        found = graph.value(focus, link)
        if found is not None:
            return found
    return None


def provision_refs(shapes: Graph, shape: Node) -> tuple[ProvisionRef, ...]:
    """The provisions ``shape`` enforces, in citation order."""
    idx = law.index()
    refs = []
    for iri in sorted(str(o) for o in shapes.objects(shape, CCGKG.enforces)):
        p = idx.provisions.get(idx.curie(iri))
        if p is None:
            refs.append(ProvisionRef(iri=iri, curie=iri, citation=iri, title="", force="unspecified", uri=None))
        else:
            refs.append(ProvisionRef(iri=iri, curie=p.curie, citation=p.citation, title=p.title,
                                     force=p.force or "unspecified", uri=p.legislation_uri))
    order = _citation_order()
    return tuple(sorted(refs, key=lambda r: (order.get(r.curie, ()), r.iri)))


def _citation_order() -> dict[str, tuple[Any, ...]]:
    """``law.citation_key`` of every provision of ``law.index()`` by CURIE, computed once per index."""
    idx = law.index()
    cached = _CITATION_ORDER.get(id(idx))
    if cached is None or cached[0] is not idx:
        cached = (idx, {p.curie: law.citation_key(p) for p in idx.provisions.values()})
        _CITATION_ORDER.clear()
        _CITATION_ORDER[id(idx)] = cached
    return cached[1]


_CITATION_ORDER: dict[int, tuple[law.LawIndex, dict[str, tuple[Any, ...]]]] = {}


def _sort_key(f: Finding) -> tuple[Any, ...]:
    idx = law.index()
    first = idx.provisions.get(f.provisions[0].curie) if f.provisions else None
    order = (0, _citation_order()[first.curie]) if first is not None \
        else (1, (f.provisions[0].iri,) if f.provisions else ())
    return (order, f.date or dt.date.min, f.organisation_code or "",
            SEVERITY_RANK[f.severity], f.focus, f.value or "", f.message)


def _add_result(report: list[Triple], root: Node, finding: Finding, raw: _Raw, shapes: Graph) -> None:
    """Copy one engine result (with the blank nodes it points to) and add the ccgkg links (as triples to add)."""
    node = BNode()
    report.append((root, SH.result, node))
    if raw.compiled is not None:
        report += raw.compiled.triples(node, shapes)
    else:
        assert raw.report is not None
        for p, o in raw.report.predicate_objects(raw.result):
            report.append((node, p, _copy(raw.report, report, o)))
    for ref in finding.provisions:
        report.append((node, CCGKG.provision, URIRef(ref.iri)))
    if finding.organisation:
        report.append((node, CCGKG.organisation, URIRef(finding.organisation)))
    if finding.date is not None:
        report.append((node, CCGKG.onDate, Literal(finding.date, datatype=XSD.date)))
    if finding.until is not None:
        report.append((node, CCGKG.untilDate, Literal(finding.until, datatype=XSD.date)))
    report.extend((node, DCTERMS.source, Literal(src)) for src in finding.sources)


def _copy(source: Graph, target: list[Triple], node: Node, depth: int = 0) -> Node:
    if not isinstance(node, BNode) or depth > 10:
        return node
    for p, o in source.predicate_objects(node):
        target.append((node, p, _copy(source, target, o, depth + 1)))
    return node


__all__ = [
    "ENGINE_NAMES",
    "SEVERITIES",
    "SEVERITY_RANK",
    "Finding",
    "ProvisionRef",
    "ShapeRule",
    "ValidationResult",
    "infer",
    "judging_days",
    "prepare",
    "provision_refs",
    "select_rules",
    "shape_rules",
    "unchecked_provisions",
    "validate",
    "with_financial_years",
]

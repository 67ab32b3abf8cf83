"""Validation inside a SPARQL store: the legal shapes judged by the store itself, the data never downloaded.

``validate_endpoint(url, graph=G, materialise=True)`` gives the findings, report and coverage section of
:func:`ccgkg.validation.validate` on the same data (tested against a real Oxigraph server), with the store doing
the work (docs/design.md, "Validation inside a store"):

* the judging days come from the store (the distinct start and end dates of graph ``G``, its guidance
  publications) through :func:`ccgkg.validation.judging_days`, so they are the in-process days;
* for each judging day the day's state is built in a work graph of the store with SPARQL Update (never in ``G``):
  the triples of ``G`` whose nodes hold on that day (``temporal.snapshot``: no start after it, no end before it),
  the financial years and the snapshot node ccgkg adds, the ontology closure (uploaded once into a graph of its
  own), and then the derived relations (relevant group, membership, commissioning, types), by the rules
  :mod:`ccgkg.reasoning` runs in-process, each written as one ``INSERT ... WHERE`` and repeated until nothing new
  is found (the rules are monotone, so the store reaches the same closure);
* each compiled legal shape (:class:`ccgkg.judging.Compiled`) runs its own query text against the work graph;
  findings are merged over days and cut by the evidence scope exactly as in-process (the scope reads only the
  organisation register, the coverage statements and the sources of the findings from the store);
* the core shapes (the form of the data) are judged once on the state of all the data, each constraint of each
  property shape one query (:class:`CoreShapes`), their results written as pySHACL writes them;
* a shape that compiles neither way (only ``--shapes`` can bring one) is not judged at an endpoint: a
  :class:`ccgkg.judging.FallbackNotice` names it.

Read-only evaluation (the derived relations computed inside the queries, nothing written) is designed in
docs/design.md but not built: without ``materialise`` this module refuses with a clear error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import urllib.parse
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ccgkg import coverage, endpoint, judging, reasoning, temporal, validation
from ccgkg.errors import EndpointError, InputError
from ccgkg.namespaces import CCGKG, org_iri
from ccgkg.queries import term_sparql

#: the named graph ``--materialise`` writes each day's state into unless told otherwise (the ontology closure goes
#: into this IRI + ``/ontology``); both are cleared at the end of the run.
DEFAULT_WORK_GRAPH = "https://w3id.org/ccgkg/graph/validation-work"
_MAX_ROUNDS = 64
_CHUNK = 400  # IRIs per VALUES block


@dataclass(frozen=True)
class Materialised:
    """What ``--materialise`` wrote: the work graph, the judging days built in it (and whether the state of all
    the data was, for the core shapes), the triples of the data copied into it (each state's, summed), the triples
    the rules derived there (summed), the size of the ontology graph, and whether both graphs were cleared at the
    end."""

    graph: str
    ontology_graph: str
    days: int
    whole: bool
    copied: int
    derived: int
    ontology: int
    cleared: bool


@dataclass(frozen=True)
class RemoteValidation:
    """The result of a validation inside a store, and what was written there."""

    result: validation.ValidationResult
    materialised: Materialised | None
    endpoint: str
    graph: str


class _Store:
    """The store: reads through :func:`ccgkg.endpoint.query`, writes one SPARQL Update request at a time."""

    def __init__(self, url: str, update_url: str | None, graph: str, timeout: float) -> None:
        self.target = endpoint.check_endpoint(url)
        self.url = url
        self.update_target = None if update_url is None else endpoint.check_endpoint(update_url,
                                                                                       what="--update-endpoint")
        self.graph = graph
        self.timeout = timeout

    def select(self, text: str, graph: str | None = None, url: str | None = None) -> list[dict[str, Node]]:
        found = endpoint.query(url or self.url, text, form="SELECT", graph=graph or self.graph,
                               timeout=self.timeout)
        return [{v: t for v, t in zip(found.variables, row, strict=True) if t is not None} for row in found.rows]

    def ask(self, text: str, graph: str | None = None) -> bool:
        return bool(endpoint.query(self.url, text, form="ASK", graph=graph or self.graph,
                                   timeout=self.timeout).boolean)

    def update(self, text: str) -> None:
        assert self.update_target is not None
        target = self.update_target
        endpoint._send(target, target.url, method="POST", body=text.encode("utf-8"),
                       headers={"Content-Type": "application/sparql-update; charset=utf-8"}, error=EndpointError,
                       what="update at", shown=target.shown, write=True, timeout=self.timeout)


class _WorkMirror:
    """What :meth:`ccgkg.judging.Compiled.judge` reads a day's state through: SELECT on the work graph and the
    ontology graph together (``url`` names the ontology graph, ``graph`` is the work graph)."""

    def __init__(self, store: _Store, url: str, graph: str) -> None:
        self.store, self.url, self.graph = store, url, graph

    #: the store's terms are rdflib terms already, spelled as the store returns them: no literal of the data to
    #: map a value back to, so results never depend on a values table (see OxigraphMirror.to_rdflib)
    values_version: int | None = None
    value_lookups = 0

    def select(self, query: str) -> list[dict[str, Node]]:
        return self.store.select(query, self.graph, url=self.url)

    def select_terms(self, query: str) -> tuple[list[str], list[tuple[object, ...]]]:
        """The rows of ``query`` as tuples in the order of its variables (None where unbound), as
        :meth:`ccgkg.engines.OxigraphMirror.select_terms` gives them."""
        found = endpoint.query(self.url, query, form="SELECT", graph=self.graph, timeout=self.store.timeout)
        return list(found.variables), [tuple(row) for row in found.rows]

    @staticmethod
    def to_rdflib(value: object) -> Node:
        return value  # type: ignore[return-value]


def update_endpoint_for(url: str) -> str | None:
    """The SPARQL Update endpoint beside the query endpoint ``url``, where the stores' conventions put it
    (docs/design.md, "Validation inside a store"): ``.../query`` -> ``.../update`` (Oxigraph, Fuseki),
    ``.../DATASET/sparql`` -> ``.../DATASET/update`` (Fuseki), ``/sparql`` at the root itself (Virtuoso),
    ``.../repositories/R`` -> ``.../repositories/R/statements`` (GraphDB); None for anything else (QLever)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit(parts._replace(path=new_path, query="", fragment=""))

    if path.endswith("/query"):
        return at(path[: -len("/query")] + "/update")
    if path == "/sparql":
        return at(path)
    if path.endswith("/sparql"):
        return at(path[: -len("/sparql")] + "/update")
    _head, sep, repository = path.rpartition("/repositories/")
    if sep and repository and "/" not in repository:
        return at(path + "/statements")
    return None


def _in(graph: str, pattern: str) -> str:
    """``pattern`` read from ``graph`` (the store's default graph for ``"default"``)."""
    return pattern if graph == endpoint.STORE_DEFAULT else f"GRAPH {term_sparql(URIRef(graph))} {{ {pattern} }}"


def _chunks(nodes: Iterable[Node]) -> Iterable[list[Node]]:
    items: list[Node] = sorted({n for n in nodes if isinstance(n, URIRef)}, key=str)
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _values(var: str, nodes: Sequence[Node]) -> str:
    return f"VALUES ?{var} {{ {' '.join(term_sparql(n) for n in nodes)} }}"


# ------------------------------------------------------------------------------------------------- the rules

def rule_updates(rules: reasoning.RuleSet, work: str, ontology: str) -> str:
    """The rules of ``rules`` as one SPARQL Update request writing into the graph ``work``, which holds a day's
    data beside the graph ``ontology`` holding the ontology's closure (the two never share a triple, so a query
    reading both as its default graph sees each triple once).

    Each rule of :func:`ccgkg.reasoning.run_rules` (inverses, property hierarchy, property chains, transitive and
    symmetric properties, ``owl:hasValue``, domains, ranges, class hierarchy; in that order, so that one round
    derives most of what the next rules read) is one ``INSERT ... WHERE``. A rule with one premise reads ``work``
    only (the ontology's closure is closed), one with two or more reads each premise from either graph; nothing
    already in ``ontology`` is written. Repeated until nothing new is found, it gives the closure
    :func:`ccgkg.reasoning.run_rules` gives. Blank-node classes, which a VALUES block cannot name, are left out
    (no bundled rule has one)."""
    w, o = term_sparql(URIRef(work)), term_sparql(URIRef(ontology))

    def rows(pairs: Iterable[tuple[Node, Node]]) -> str:
        return " ".join(f"({term_sparql(a)} {term_sparql(b)})" for a, b in sorted(pairs, key=str)
                        if not isinstance(a, BNode) and not isinstance(b, BNode))

    def table(t: dict[Node, frozenset[Node]]) -> list[tuple[Node, Node]]:
        return [(a, b) for a, bs in t.items() for b in bs]

    def op(head: str, body: str, values: str = "") -> str:
        return (f"INSERT {{ GRAPH {w} {{ {head} }} }} WHERE {{ {values} GRAPH {w} {{ {body} }} "
                f"FILTER NOT EXISTS {{ GRAPH {o} {{ {head} }} }} }}")

    def either(pattern: str) -> str:
        return f"{{ GRAPH {w} {{ {pattern} }} }} UNION {{ GRAPH {o} {{ {pattern} }} }}"

    def joined(head: str, premises: list[str], extra: str = "") -> str:
        return (f"INSERT {{ GRAPH {w} {{ {head} }} }} WHERE {{ {' '.join(either(p) for p in premises)} {extra} "
                f"FILTER NOT EXISTS {{ GRAPH {o} {{ {head} }} }} }}")

    nonliteral = "FILTER(!isLiteral(?o))"
    ops: list[str] = []

    def by_table(pairs: list[tuple[Node, Node]], head: str, body: str) -> None:
        if values := rows(pairs):
            ops.append(op(head, body, f"VALUES (?a ?b) {{ {values} }}"))

    by_table(table(rules.inverses), "?o ?b ?s", f"?s ?a ?o {nonliteral}")
    by_table(table(rules.property_supers), "?s ?b ?o", "?s ?a ?o")
    for derived, steps in rules.chains:
        patterns = [f"?x{i + 1} {term_sparql(prop)} ?x{i}" if inverted else f"?x{i} {term_sparql(prop)} ?x{i + 1}"
                    for i, (prop, inverted) in enumerate(steps)]
        ops.append(joined(f"?x0 {term_sparql(derived)} ?x{len(steps)}", patterns, "FILTER(!isLiteral(?x0))"))
    for prop in sorted(rules.transitive, key=str):
        p = term_sparql(prop)
        ops.append(joined(f"?s {p} ?z", [f"?s {p} ?o", f"?o {p} ?z"]))
    for prop in sorted(rules.symmetric, key=str):
        ops.append(op(f"?o {term_sparql(prop)} ?s", f"?s {term_sparql(prop)} ?o {nonliteral}"))
    for restriction, pvs in sorted(rules.has_value.items(), key=str):
        if not isinstance(restriction, BNode):
            for prop, value in pvs:
                ops.append(op(f"?s {term_sparql(prop)} {term_sparql(value)}", f"?s a {term_sparql(restriction)}"))
    for (prop, value), classes in sorted(rules.value_classes.items(), key=str):
        for cls in sorted(classes, key=str):
            if not isinstance(cls, BNode):
                ops.append(op(f"?s a {term_sparql(cls)}", f"?s {term_sparql(prop)} {term_sparql(value)}"))
    by_table(table(rules.domains), "?s a ?b", "?s ?a ?o")
    by_table(table(rules.ranges), "?o a ?b", f"?s ?a ?o {nonliteral}")
    by_table(table(rules.class_supers), "?s a ?b", "?s a ?a")
    return " ;\n".join(ops)


# ------------------------------------------------------------------------------------------------ the days

def _holds(var: str, data: str, day: dt.date, dropped: Sequence[Node]) -> str:
    """A FILTER condition: the node ``?var`` holds on ``day`` in ``data`` (no start after it, no end before it:
    ``temporal.snapshot``), and is none of the ``dropped`` nodes ccgkg adds itself (financial years)."""
    d = term_sparql(Literal(day.isoformat()))
    start = _in(data, f"?{var} <{CCGKG.startDate}> ?{var}Start")
    end = _in(data, f"?{var} <{CCGKG.endDate}> ?{var}End")
    cond = (f"NOT EXISTS {{ {start} FILTER(SUBSTR(STR(?{var}Start), 1, 10) > {d}) }} && "
            f"NOT EXISTS {{ {end} FILTER(SUBSTR(STR(?{var}End), 1, 10) < {d}) }}")
    if dropped:
        cond += f" && ?{var} NOT IN ({', '.join(term_sparql(n) for n in dropped)})"
    return cond


def _ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    def term(t: Node) -> str:
        return f"_:b{t}" if isinstance(t, BNode) else term_sparql(t)
    return "\n".join(f"{term(s)} {term(p)} {term(o)} ." for s, p, o in triples)


class _Materialiser:
    """Builds each judging day's state in the work graph (see the module docstring) and counts what it wrote."""

    def __init__(self, store: _Store, work: str, profile: reasoning.Profile,
                 fy: list[tuple[Node, Node, Node]]) -> None:
        self.store, self.work, self.profile = store, work, profile
        self.ontology_graph = work.rstrip("/") + "/ontology"
        self.fy = fy
        self.fy_nodes = sorted({s for s, _p, _o in fy}, key=str)
        rules = validation._ruleset(profile)
        self.rules = "" if rules is None else rule_updates(rules, work, self.ontology_graph)
        self.copied = self.derived = self.days = self.ontology = 0
        self.whole = False

    @property
    def graphs(self) -> str:
        """The query endpoint with the ontology graph as one of the default graphs (the work graph is the other:
        SPARQL 1.1 Protocol, two ``default-graph-uri``)."""
        url = self.store.url
        return url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"default-graph-uri":
                                                                              self.ontology_graph})

    def check_and_claim(self) -> None:
        """Refuse work graphs that hold anything (they may be someone's data), then write the first triple of the
        ontology graph: without write access this is where the store says no, before anything else is written."""
        for graph in (self.work, self.ontology_graph):
            if graph == self.store.graph:
                raise InputError(f"--work-graph {graph} is the data graph: ccgkg never writes into the data",
                                 hint="leave --work-graph out, or give a graph of its own")
            if self.store.ask(f"ASK {{ {_in(graph, '?s ?p ?o')} }}", graph=endpoint.STORE_DEFAULT):
                raise InputError(f"the graph <{graph}> at {self.store.target.shown} already holds data; ccgkg "
                                 "writes day states only into empty graphs, so nothing was written",
                                 hint="give --work-graph the IRI of an empty graph (ccgkg clears it after); if a "
                                      f"stopped run of ccgkg left it, drop it: DROP GRAPH <{graph}>")
        closure = validation._ontology_closure(self.profile)[0]
        first = next((t for t in closure if not any(isinstance(x, BNode) for x in t)), None)
        try:
            self.store.update(f"INSERT DATA {{ GRAPH {term_sparql(URIRef(self.ontology_graph))} "
                              f"{{ {_ntriples([first] if first else [])} }} }}")
        except EndpointError as exc:
            raise EndpointError(f"--materialise needs write access to the store, and the update endpoint refused "
                                f"a write: {exc.message}",
                                hint="give --update-endpoint the store's SPARQL Update URL and credentials that "
                                     "may write (CCGKG_ENDPOINT_USER/PASSWORD or TOKEN), or validate a file "
                                     "in-process") from None

    def load_ontology(self) -> None:
        """The ontology's closure, once, into its own graph."""
        closure = validation._ontology_closure(self.profile)[0]
        self.ontology = len(closure)
        self.store.update(f"INSERT DATA {{ GRAPH {term_sparql(URIRef(self.ontology_graph))} {{\n"
                          f"{_ntriples(closure)}\n}} }}")

    def build(self, day: dt.date | None) -> None:
        """The state of ``day`` in the work graph (beside the ontology graph), closed under the rules; None: all
        the data (the state the core shapes judge)."""
        work, onto = term_sparql(URIRef(self.work)), term_sparql(URIRef(self.ontology_graph))
        dropped = [] if day is None else [n for n in self.fy_nodes if not self._fy_holds(n, day)]
        extra = [t for t in self.fy if t[0] not in dropped and t[2] not in dropped]
        extra += [] if day is None else validation._snapshot_node(day)
        data = self.store.graph
        holds = "true" if day is None else f"{_holds('s', data, day, dropped)} && {_holds('o', data, day, dropped)}"
        self.store.update(
            f"CLEAR SILENT GRAPH {work} ;\n"
            f"INSERT {{ GRAPH {work} {{ ?s ?p ?o }} }} WHERE {{ {_in(data, '?s ?p ?o')} "
            f"FILTER({holds}) "
            f"FILTER NOT EXISTS {{ GRAPH {onto} {{ ?s ?p ?o }} }} }} ;\n"
            f"INSERT {{ GRAPH {work} {{ ?s ?p ?o }} }} WHERE {{ VALUES (?s ?p ?o) {{ "
            + " ".join(f"({_ntriples([t])[:-2]})" for t in extra) +
            f" }} FILTER NOT EXISTS {{ GRAPH {onto} {{ ?s ?p ?o }} }} }}")
        before = count = self._count()
        for _round in range(_MAX_ROUNDS):
            if not self.rules:
                break
            self.store.update(self.rules)
            now = self._count()
            if now == count:
                break
            count = now
        else:
            raise EndpointError(f"the rules did not reach a fixpoint in {_MAX_ROUNDS} rounds in <{self.work}>",
                                hint="this is a bug in ccgkg or the store; validate a file in-process")
        self.copied += before
        self.derived += count - before
        self.days += day is not None
        self.whole |= day is None

    def _fy_holds(self, node: Node, day: dt.date) -> bool:
        dates = [(p, d) for s, p, o in self.fy if s == node and (d := temporal.to_date(o)) is not None]
        return not any(p == CCGKG.startDate and d > day or p == CCGKG.endDate and d < day for p, d in dates)

    def _count(self) -> int:
        rows = self.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", self.work)
        value = rows[0]["n"]
        return int(value.toPython()) if isinstance(value, Literal) else 0

    def clear(self) -> None:
        self.store.update(f"DROP SILENT GRAPH {term_sparql(URIRef(self.work))} ;\n"
                          f"DROP SILENT GRAPH {term_sparql(URIRef(self.ontology_graph))}")

    def summary(self, cleared: bool) -> Materialised:
        return Materialised(graph=self.work, ontology_graph=self.ontology_graph, days=self.days, whole=self.whole,
                            copied=self.copied,
                            derived=self.derived, ontology=self.ontology, cleared=cleared)


# ------------------------------------------------------------------------------------------ reading the data

def _check_data(store: _Store) -> None:
    """The data graph holds triples (else: which graphs there are)."""
    if store.ask(f"ASK {{ {_in(store.graph, '?s ?p ?o')} }}", graph=endpoint.STORE_DEFAULT):
        return
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g LIMIT 21",
                        graph=endpoint.STORE_DEFAULT)
    names = [str(r["g"]) for r in rows if "g" in r]
    where = "the store's default graph" if store.graph == endpoint.STORE_DEFAULT else f"the graph <{store.graph}>"
    hint = ("graphs in the store: " + ", ".join(names[:20]) + (" ..." if len(names) > 20 else "") +
            "; give one as --graph (or --graph default)") if names else \
        "the store holds no named graph with data: load the data first (`ccgkg push`)"
    raise InputError(f"{where} at {store.target.shown} holds no triples: there is nothing to validate", hint=hint)


def _dates_graph(store: _Store) -> Graph:
    """A graph with one triple per distinct start date, end date and guidance publication of the data: all
    :func:`ccgkg.validation.judging_days` and the coverage horizon read of it."""
    out = Graph()
    for prop in (CCGKG.startDate, CCGKG.endDate):
        for row in store.select(f"SELECT DISTINCT ?d WHERE {{ ?s <{prop}> ?d }}"):
            out.add((BNode(), prop, row["d"]))
    for row in store.select(f"SELECT DISTINCT ?g ?d WHERE {{ ?g a <{CCGKG.Guidance}> ; <{CCGKG.published}> ?d }}"):
        out.add((row["g"], RDF.type, CCGKG.Guidance))
        out.add((row["g"], CCGKG.published, row["d"]))
    return out


def _financial_years(store: _Store) -> list[tuple[Node, Node, Node]]:
    """The financial-year triples ccgkg adds to the data (those of :func:`validation.with_financial_years`)."""
    typed = Graph()
    years = [triple[0] for triple in validation._financial_years(Graph()) if triple[1] == RDF.type]
    for row in store.select(f"SELECT ?n WHERE {{ {_values('n', years)} ?n a <{CCGKG.FinancialYear}> }}"):
        typed.add((row["n"], RDF.type, CCGKG.FinancialYear))
    return validation._financial_years(typed)


_FACTS = (RDF.type, CCGKG.startDate, CCGKG.endDate, CCGKG.code, CCGKG.nationalGrouping, CCGKG.gpSettingFrom,
          DCTERMS.source, PROV.wasDerivedFrom)


def _facts_of(store: _Store, nodes: Iterable[Node], out: Graph) -> None:
    """Add to ``out`` what the evidence scope reads of ``nodes``: types, dates, codes, grouping, sources."""
    for chunk in _chunks(nodes):
        for row in store.select(f"SELECT ?s ?p ?o WHERE {{ {_values('s', chunk)} {_values('p', _FACTS)} "
                                "?s ?p ?o }"):
            out.add((row["s"], row["p"], row["o"]))


def _scope_graph(store: _Store, shapes: Graph, legal: Sequence[validation.ShapeRule]) -> Graph:
    """What :class:`ccgkg.coverage.Scope` reads of the data, read from the store: the coverage statements and
    gaps, the organisations the rules target (their types, dates, codes, national grouping) and, per organisation,
    one record of each kind a rule checks one by one. The findings' nodes are added later (:func:`_facts_of`)."""
    out = Graph()
    for cls in (CCGKG.CoverageStatement, CCGKG.CoverageGap):
        for row in store.select(f"SELECT ?s ?p ?o WHERE {{ ?s a <{cls}> ; ?p ?o }}"):
            out.add((row["s"], row["p"], row["o"]))
    probe = coverage.Scope(Graph(), shapes, legal, None)
    classes: set[Node] = set()
    for rule in legal:
        targets: set[Node] = set(shapes.objects(rule.node, SH.targetClass))
        if not targets or not all(probe._is_organisation_class(c) for c in targets):
            targets = {CCGKG.ClinicalCommissioningGroup}
        for target in targets:
            classes |= probe._subclasses(target)
    members: set[Node] = set()
    for chunk in _chunks(classes):
        for row in store.select(f"SELECT DISTINCT ?s WHERE {{ {_values('c', chunk)} ?s a ?c }}"):
            members.add(row["s"])
    _facts_of(store, members, out)
    kinds = {k for rule in legal for k in shapes.objects(rule.node, CCGKG.checksEachRecord)}
    for kind in sorted(kinds, key=str):
        record_class = probe.ontology.value(kind, CCGKG.recordClass)
        link = probe.ontology.value(kind, CCGKG.recordLink)
        if record_class is None or link is None:
            continue
        for row in store.select(f"SELECT ?org (SAMPLE(?r) AS ?record) WHERE {{ ?r {term_sparql(link)} ?org ; "
                                f"a {term_sparql(record_class)} }} GROUP BY ?org"):
            if "record" in row:
                out.add((row["record"], link, row["org"]))
                out.add((row["record"], RDF.type, record_class))
    return out


# ------------------------------------------------------------------------------------------- core shapes

#: the core constraint components compiled to SPARQL (what shapes/core.shapes.ttl uses), with their components.
_COMPONENTS = {SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
               SH.datatype: SH.DatatypeConstraintComponent, SH["class"]: SH.ClassConstraintComponent,
               SH.nodeKind: SH.NodeKindConstraintComponent, SH.minInclusive: SH.MinInclusiveConstraintComponent,
               SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
               SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent}
_NODE_KINDS = {SH.IRI: "isIRI(?value)", SH.BlankNode: "isBlank(?value)", SH.Literal: "isLiteral(?value)",
               SH.BlankNodeOrIRI: "!isLiteral(?value)", SH.BlankNodeOrLiteral: "!isIRI(?value)",
               SH.IRIOrLiteral: "!isBlank(?value)"}
#: datatypes whose lexical form the check reads by casting (an ill-typed literal does not cast).
_CASTS = {XSD.date, XSD.decimal, XSD.boolean, XSD.integer, XSD.dateTime, XSD.double, XSD.float}


@dataclass(frozen=True)
class CoreCheck:
    """One constraint of a core property shape as a SPARQL query selecting ``?this`` (and ``?value``)."""

    shape: Node  # the property shape
    component: Node
    severity: Node
    path: Node
    query: str


class CoreShapes:
    """The core shapes among ``nodes`` compiled to SPARQL (property shapes with a predicate or an
    ``sh:alternativePath`` of predicates, the components of :data:`_COMPONENTS`, class / subjects-of / objects-of
    / node targets). ``unsupported`` names those that do not compile and why."""

    def __init__(self, shapes: Graph, nodes: Iterable[Node]) -> None:
        self.shapes = shapes
        self.checks: list[CoreCheck] = []
        self.unsupported: dict[Node, str] = {}
        for node in nodes:
            found = self._compile(node)
            if isinstance(found, str):
                self.unsupported[node] = found
            else:
                self.checks += found

    def _targets(self, node: Node) -> str | None:
        g = self.shapes
        branches = [f"{{ ?ccgkgClass <{RDFS.subClassOf}>* {term_sparql(c)} . ?this a ?ccgkgClass }}"
                    for c in sorted(g.objects(node, SH.targetClass), key=str)]
        branches += [f"{{ ?this {term_sparql(p)} ?ccgkgObject }}"
                     for p in sorted(g.objects(node, SH.targetSubjectsOf), key=str)]
        branches += [f"{{ ?ccgkgSubject {term_sparql(p)} ?this }}"
                     for p in sorted(g.objects(node, SH.targetObjectsOf), key=str)]
        branches += [f"{{ BIND({term_sparql(n)} AS ?this) }}" for n in sorted(g.objects(node, SH.targetNode), key=str)]
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(branches) + " } }" if branches else None

    def _path(self, path: Node) -> str | None:
        if isinstance(path, URIRef):
            return term_sparql(path)
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is None:
            return None
        from rdflib.collection import Collection

        items = list(Collection(self.shapes, alternatives))
        if not items or not all(isinstance(i, URIRef) for i in items):
            return None
        return "(" + "|".join(term_sparql(i) for i in items) + ")"

    def _compile(self, node: Node) -> list[CoreCheck] | str:
        g = self.shapes
        own = {p for p, _o in g.predicate_objects(node)} & (set(_COMPONENTS) | {SH.sparql, SH.node, SH["or"],
                                                                              SH["and"], SH["not"], SH.xone})
        if own or (node, RDF.type, RDFS.Class) in g or (node, SH.target, None) in g:
            return "constraints on the node shape itself"
        targets = self._targets(node)
        if targets is None:
            return []
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS

        checks: list[CoreCheck] = []
        for prop in sorted(g.objects(node, SH.property), key=str):
            if (prop, SH.deactivated, Literal(True)) in g:
                continue
            path_node = g.value(prop, SH.path)
            path = None if path_node is None else self._path(path_node)
            others = {p for p, _o in g.predicate_objects(prop) if p in ALL_CONSTRAINT_PARAMETERS} - set(_COMPONENTS)
            if path is None or path_node is None or others:
                return f"a property shape with {', '.join(sorted(map(str, others))) or 'a complex path'}"
            severity = g.value(prop, SH.severity) or SH.Violation
            for parameter, component in _COMPONENTS.items():
                for value in g.objects(prop, parameter):
                    query = self._query(targets, path, parameter, value)
                    if query is None:
                        return f"{parameter} {value}"
                    checks.append(CoreCheck(shape=prop, component=component, severity=severity, path=path_node,
                                            query=query))
        return checks

    @staticmethod
    def _query(targets: str, path: str, parameter: Node, value: Node) -> str | None:
        """The query selecting the focus nodes (and values) that break ``parameter value`` (SHACL 1.0, section 4:
        https://www.w3.org/TR/shacl/#core-components)."""
        v = term_sparql(value) if isinstance(value, URIRef | Literal) else None
        if v is None:
            return None
        if parameter in (SH.minCount, SH.maxCount):
            op = "<" if parameter == SH.minCount else ">"
            return (f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?value) {op} {v})")
        if parameter == SH.lessThanOrEquals:
            return (f"SELECT DISTINCT ?this ?value WHERE {{ {targets} ?this {path} ?value . ?this {v} ?other "
                    "FILTER(!COALESCE(?value <= ?other, false)) }")
        if parameter == SH.datatype:
            good = f"isLiteral(?value) && datatype(?value) = {v}"
            if value in _CASTS:
                good += f" && COALESCE({v}(STR(?value)) = ?value, false)"
            test = f"!({good})"
        elif parameter == SH["class"]:
            test = f"NOT EXISTS {{ ?value a/<{RDFS.subClassOf}>* {v} }}"
        elif parameter == SH.nodeKind:
            kind = _NODE_KINDS.get(value) if isinstance(value, URIRef) else None
            if kind is None:
                return None
            test = f"!({kind})"
        elif parameter in (SH.minInclusive, SH.maxInclusive):
            test = f"!COALESCE(?value {'>=' if parameter == SH.minInclusive else '<='} {v}, false)"
        else:
            return None
        return f"SELECT DISTINCT ?this ?value WHERE {{ {targets} ?this {path} ?value FILTER({test}) }}"

    def judge(self, mirror: _WorkMirror,
              owners: Callable[[set[Node]], dict[Node, tuple[Node | None, str | None, str | None]]]) \
            -> list[validation._Raw]:
        """The results of every check on the work graph's state, as pySHACL reports them (focus node, path,
        value, severity, component, source shape and its message, the shape's description copied)."""
        found: list[tuple[CoreCheck, Node, Node | None]] = []
        for check in self.checks:
            for row in mirror.select(check.query):
                found.append((check, row["this"], row.get("value")))
        who = owners({focus for _c, focus, _v in found})
        out = []
        for check, focus, value in found:
            report = Graph()
            node = BNode()
            messages = sorted(self.shapes.objects(check.shape, SH.message), key=str)
            triples: list[tuple[Node, Node, Node]] = []
            path_node = _fresh_copy(self.shapes, check.path, triples)  # pySHACL writes the path anew
            triples += [
                (node, RDF.type, SH.ValidationResult), (node, SH.sourceConstraintComponent, check.component),
                (node, SH.sourceShape, check.shape), (node, SH.resultSeverity, check.severity),
                (node, SH.focusNode, focus), (node, SH.resultPath, path_node)]
            triples += [(node, SH.resultMessage, m) for m in messages]
            if value is not None:
                triples.append((node, SH.value, value))
            judging._copy_blank(self.shapes, check.shape, triples, set())
            for t in triples:
                report.add(t)
            path = validation._term_key(report, path_node)
            key = (focus, check.shape, None, check.component, check.severity, path, value,
                   tuple(sorted(str(m) for m in messages)))
            org, code, label = who.get(focus, (None, None, None))
            out.append(validation._Raw(key=key, result=node, report=report, organisation=org, code=code,
                                       label=label))
        return out


def _fresh_copy(shapes: Graph, node: Node, out: list[tuple[Node, Node, Node]]) -> Node:
    """``node`` itself, or for a blank node a new blank node with a copy of what ``shapes`` says of it (deep)."""
    if not isinstance(node, BNode):
        return node
    copy = BNode()
    for p, o in shapes.predicate_objects(node):
        out.append((copy, p, _fresh_copy(shapes, o, out)))
    return copy


# ----------------------------------------------------------------------------------------------- judging

def _owners(store: _WorkMirror, focus: set[Node]) \
        -> dict[Node, tuple[Node | None, str | None, str | None]]:
    """The organisation of a finding about each of ``focus`` on the work graph's day, with its code and name
    (:func:`ccgkg.validation._owner_of`: the node itself when it is an organisation, else the first of
    ``ORGANISATION_LINKS`` it has)."""
    links = validation.ORGANISATION_LINKS
    own: dict[Node, dict[Node, list[Node]]] = {}
    for chunk in _chunks(focus):
        text = (f"SELECT ?f ?p ?o WHERE {{ {_values('f', chunk)} "
                f"{{ ?f a <{CCGKG.Organisation}> BIND(<{RDF.type}> AS ?p) BIND(<{CCGKG.Organisation}> AS ?o) }} "
                f"UNION {{ {_values('p', [CCGKG.code, *links])} ?f ?p ?o }} }}")
        for row in store.select(text):
            own.setdefault(row["f"], {}).setdefault(row["p"], []).append(row["o"])
    orgs: dict[Node, Node | None] = {}
    for f in focus:
        facts = own.get(f, {})
        if RDF.type in facts or CCGKG.code in facts:
            orgs[f] = f
        else:
            orgs[f] = next((min(facts[link], key=str) for link in links if link in facts), None)
    names: dict[Node, dict[Node, list[Node]]] = {}
    for chunk in _chunks(o for o in orgs.values() if o is not None):
        text = (f"SELECT ?s ?p ?o WHERE {{ {_values('s', chunk)} "
                f"VALUES ?p {{ <{CCGKG.code}> <{RDFS.label}> }} ?s ?p ?o }}")
        for row in store.select(text):
            names.setdefault(row["s"], {}).setdefault(row["p"], []).append(row["o"])
    out: dict[Node, tuple[Node | None, str | None, str | None]] = {}
    for f, org in orgs.items():
        if org is None:
            out[f] = (None, None, None)
            continue
        facts = names.get(org, {})
        code = min(facts[CCGKG.code], key=str) if CCGKG.code in facts else None
        label = min(facts[RDFS.label], key=str) if RDFS.label in facts else None
        out[f] = (org, None if code is None else str(code), None if label is None else str(label))
    return out


def _raws(found: Sequence[judging.Result],
          owners: dict[Node, tuple[Node | None, str | None, str | None]]) -> list[validation._Raw]:
    """The compiled results of one day as :func:`ccgkg.validation._merge` takes them."""
    out = []
    for r in found:
        if isinstance(r.path, BNode):
            raise EndpointError(f"shape {r.shape} reports a blank-node path, which cannot be read back from a store",
                                hint="validate this data in-process")
        key = (r.focus, r.shape, r.constraint, SH.SPARQLConstraintComponent, r.severity, r.path, r.value,
               tuple(sorted(str(m) for m in r.messages)))
        org, code, label = owners.get(r.focus, (None, None, None))
        out.append(validation._Raw(key=key, result=None, report=None, organisation=org, code=code, label=label,
                                   compiled=r))
    return out


def _organisations(store: _Store, codes: Sequence[str]) -> set[Node]:
    out: set[Node] = set()
    for code in codes:
        iri = org_iri(code)
        if not store.ask(f"ASK {{ {term_sparql(iri)} ?p ?o }}"):
            raise InputError(f"--org {code}: no organisation with this code in the graph <{store.graph}> at "
                             f"{store.target.shown}", hint="give the ODS code of an organisation in that graph")
        out.add(iri)
    return out


def validate_endpoint(url: str, *, graph: str | None = None, materialise: bool = False,
                      update_url: str | None = None, work_graph: str | None = None, as_of: dt.date | None = None,
                      orgs: Sequence[str] = (), provisions: Sequence[str] = (), inference: str = "rdfs",
                      extra_shapes: Graph | None = None, keep: bool = False,
                      progress: Callable[[str, int, int], None] | None = None,
                      timeout: float = endpoint.TIMEOUT_S) -> RemoteValidation:
    """Validate the graph ``graph`` of the store at the SPARQL query endpoint ``url`` inside the store.

    Args:
        url: the store's SPARQL 1.1 query endpoint.
        graph: the named graph holding the data (``endpoint.DEFAULT_GRAPH``, where ``push`` writes, when None;
            ``"default"``: the store's default graph).
        materialise: build each day's state with SPARQL Update in ``work_graph`` (required for now: the read-only
            way is not built).
        update_url: the store's SPARQL Update endpoint (default: :func:`update_endpoint_for`).
        work_graph: where the day states go (default :data:`DEFAULT_WORK_GRAPH`); never the data graph.
        keep: leave the last day's state in the work graph (default: both graphs cleared at the end).
        as_of, orgs, provisions, inference, extra_shapes, progress: as :func:`ccgkg.validation.validate`.

    Raises:
        InputError: a bad URL or graph IRI, no data in the graph, a work graph holding other data, an unknown
            organisation, or no ``materialise``.
        EndpointError: the store cannot be reached, refuses a query, or refuses to be written to.
        UnknownCitation, UnknownProfileError: as :func:`ccgkg.validation.validate`.
    """
    graph = endpoint.check_graph(graph or endpoint.DEFAULT_GRAPH) or endpoint.DEFAULT_GRAPH
    work = endpoint.check_graph(work_graph or DEFAULT_WORK_GRAPH, what="--work-graph") or DEFAULT_WORK_GRAPH
    if work == endpoint.STORE_DEFAULT:
        raise InputError("--work-graph default: the day states go into a named graph, never the default graph",
                         hint=f"leave --work-graph out (it is {DEFAULT_WORK_GRAPH}) or give an IRI")
    profile = reasoning.parse_profile(inference)
    if validation._unsupported(profile):
        raise InputError(f"--inference {inference}: the ontology uses OWL the rule reasoner does not compile, so "
                         "the store cannot derive it", hint="use --inference rdfs, or validate a file in-process")
    if not materialise:
        raise InputError("validation at an endpoint needs --materialise for now: the read-only way (derived "
                         "relations computed inside the queries) is designed (docs/design.md, \"Validation inside "
                         "a store\") but not built",
                         hint="add --materialise (it writes each day's state into a work graph of its own, never "
                              "into the data, and clears it after), or validate a file in-process")
    update_url = update_url or update_endpoint_for(url)
    if update_url is None:
        raise InputError(f"--materialise: cannot tell the SPARQL Update endpoint of {endpoint.redact(url)}",
                         hint="give it as --update-endpoint (docs/design.md lists each store's)")
    store = _Store(url, update_url, graph, timeout)
    shapes = validation._shapes(extra_shapes)
    rules = validation.select_rules(validation.shape_rules(shapes), provisions)
    _check_data(store)
    wanted = _organisations(store, orgs)
    core = [r.node for r in rules if not r.provisions]
    legal = [r for r in rules if r.provisions]
    compiled = judging.Compiled(shapes, [r.node for r in legal])
    core_shapes = CoreShapes(shapes, core if not provisions else [])
    _notice(core_shapes, compiled)
    fy = _financial_years(store)
    dates = _dates_graph(store)
    with_years = Graph()
    for triple in (*dates, *fy):
        with_years.add(triple)
    days = [as_of] if as_of is not None else validation.judging_days(with_years, legal)
    active_on = {day: [r.node for r in legal if r.applies_on(day) and r.node in compiled.plans] for day in days}
    judged = [d for d in days if active_on[d]]
    builder = _Materialiser(store, work, profile, fy)
    builder.check_and_claim()
    raws: dict[dt.date | None, list[validation._Raw]] = {}
    cleared = False
    try:
        builder.load_ontology()
        mirror = _WorkMirror(store, builder.graphs, work)
        if core_shapes.checks:  # judged once, on all the data (as in-process)
            builder.build(None)
            raws[None] = core_shapes.judge(mirror, lambda focus: _owners(mirror, focus))
        for done, day in enumerate(judged, 1):
            builder.build(day)
            found = compiled.judge(mirror, active_on[day])  # type: ignore[arg-type]
            owners = _owners(mirror, {r.focus for r in found})
            raws[day] = _raws(found, owners)
            if progress is not None:
                progress("judging days", done, len(judged))
    finally:
        if not keep:
            builder.clear()
            cleared = True
    scope_data = _scope_graph(store, shapes, legal)
    for triple in dates:
        scope_data.add(triple)
    _facts_of(store, {n for rs in raws.values() for raw in rs for n in (raw.key[0], raw.key[6], raw.organisation)
                      if n is not None}, scope_data)
    scope = coverage.Scope(scope_data, shapes, legal, as_of)
    findings, report = validation._merge(raws, days, shapes, wanted, scope.clip)
    if as_of is not None:
        findings = tuple(dataclasses.replace(f, until=as_of) if f.date else f for f in findings)
    table = scope.table(findings, wanted, {str(r.node): validation.provision_refs(shapes, r.node) for r in legal})
    coverage.add_to_report(report, next(report.subjects(RDF.type, SH.ValidationReport)), table)
    result = validation.ValidationResult(conforms=not findings, as_of=as_of, findings=findings, report_graph=report,
                                         coverage=table)
    return RemoteValidation(result=result, materialised=builder.summary(cleared), endpoint=store.target.shown,
                            graph=graph)


def _notice(core: CoreShapes, compiled: judging.Compiled) -> None:
    """Say which shapes are not judged at an endpoint (never silently)."""
    missing = sorted({**core.unsupported, **compiled.unsupported}.items(), key=str)
    if missing:
        names = "; ".join(f"{node} ({why})" for node, why in missing)
        warnings.warn(judging.FallbackNotice(f"not judged at an endpoint, since they do not compile to SPARQL: "
                                             f"{names}"), stacklevel=3)


__all__ = ["DEFAULT_WORK_GRAPH", "CoreCheck", "CoreShapes", "Materialised", "RemoteValidation", "rule_updates", "update_endpoint_for",
           "validate_endpoint"]

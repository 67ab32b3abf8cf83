"""SHACL validation engines behind one small interface, so a faster engine can replace a slow one.

``pyshacl`` is the reference engine: every other engine must return the same results on the same graphs.
An engine takes a data graph that already holds the ontology and any inferred triples (ccgkg reasons first,
see :mod:`ccgkg.reasoning`) and returns a standard ``sh:ValidationReport`` graph.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from ccgkg.errors import ShapesError, UnknownProfileError


class ValidationEngine(Protocol):
    """Validates a prepared data graph against a shapes graph."""

    name: str

    def validate(self, data: Graph, shapes: Graph, shape_nodes: Collection[Node] | None = None) -> Graph:
        """The ``sh:ValidationReport`` graph for ``data`` against ``shapes`` (no inference is run here); with
        ``shape_nodes``, only those shapes (and the shapes they reach) are applied."""
        ...


def _query_error_types() -> tuple[type[BaseException], ...]:
    from pyparsing import ParseException

    return (ParseException, SyntaxError)


_QUERY_ERRORS = _query_error_types()


def _query_error(exc: BaseException) -> ShapesError:
    first = " ".join(str(exc).split())[:300]
    return ShapesError(f"the shapes could not be applied: a SPARQL query in them does not parse: {first}",
                       hint="fix the sh:select text of that constraint")


def pyshacl_shapes(shapes: Graph) -> Graph:
    """``shapes`` as pySHACL may be given it: a copy, unless it already holds pySHACL's system triples.

    pySHACL's ``ShapesGraph`` adds its system triples (``owl:Class rdfs:subClassOf rdfs:Class`` and one more) to
    the graph it is handed. Handed the bundled shapes (``store.shapes_graph()``, shared by the whole process) it
    grew them by two triples, so what ``push`` and ``query`` sent depended on whether a validation had run first.
    """
    from pyshacl.shapes_graph import ShapesGraph

    if all(triple in shapes for triple in ShapesGraph.system_triples):
        return shapes
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace, override=False)
    copy += shapes
    return copy


class PyShaclEngine:
    """The reference engine: pySHACL with SHACL-SPARQL (``advanced=True``) and no inference of its own."""

    name = "pyshacl"

    def validate(self, data: Graph, shapes: Graph, shape_nodes: Collection[Node] | None = None) -> Graph:
        import pyshacl
        from pyshacl.errors import ReportableRuntimeError

        if shape_nodes is not None and not shape_nodes:
            return _empty_report()
        try:
            _conforms, report, _text = pyshacl.validate(
                data, shacl_graph=pyshacl_shapes(shapes), inference="none", advanced=True, allow_warnings=True,
                abort_on_first=False, meta_shacl=False, debug=False,
                use_shapes=None if shape_nodes is None else list(shape_nodes),
            )
        except ReportableRuntimeError as exc:
            raise ShapesError(f"the shapes could not be loaded: {exc.message}",
                              hint="check the shapes files with `ccgkg validate --shapes FILE`") from None
        except _QUERY_ERRORS as exc:
            raise _query_error(exc) from None
        if isinstance(report, ReportableRuntimeError):  # pySHACL returns, not raises, a ValidationFailure
            raise ShapesError(f"the shapes could not be loaded: {report.message}",
                              hint="check the shapes files with `ccgkg validate --shapes FILE`")
        return report


# --------------------------------------------------------------------------------------------------------------
# The fast engine: pySHACL's own shape model and constraint components (so results, messages and report layout
# are pySHACL's), with each SPARQL constraint run ONCE over all focus nodes on Oxigraph instead of once per node.
# --------------------------------------------------------------------------------------------------------------

#: shapes-graph features the fast engine does not take on: when any is present, pySHACL validates the whole graph
#: (SHACL rules change the data; SPARQL-based targets and functions run inside pySHACL's own SPARQL engine).
WHOLE_GRAPH_FALLBACK = (SH.rule, SH.target, SH.SPARQLFunction, SH.SPARQLTargetType, SH.js, SH.jsFunctionName)

_THIS_RE = re.compile(r"([\s{}()])[$?]this\b")
_SELECT_RE = re.compile(r"\bSELECT\b", re.IGNORECASE)
_PER_NODE_RE = re.compile(r"(?<![?$\w])(LIMIT|OFFSET|HAVING|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\b",
                          re.IGNORECASE)  # keywords, not variables such as ?limit
_GROUP_BY_RE = re.compile(r"\bGROUP\s+BY\b([^}]*)$", re.IGNORECASE | re.DOTALL)
_PROJECTION_RE = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE\b|\{)", re.IGNORECASE | re.DOTALL)
_NUMERIC_OR_BOOLEAN = {str(XSD[n]) for n in (
    "decimal", "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "double", "float", "boolean")}


class OxigraphMirror:
    """An rdflib graph copied into an in-memory Oxigraph store, with the way back for query results.

    Oxigraph stores numbers and booleans by value (``"1.0"^^xsd:decimal`` comes back as ``"1"``), so results are
    mapped back to the data graph's own literal with the same value, keeping reports equal to pySHACL's.
    """

    def __init__(self, graph: Graph | Collection[tuple[Node, Node, Node]]) -> None:
        """``graph``: an rdflib graph or any collection of triples (read again by :meth:`index_values`)."""
        import pyoxigraph as ox

        self.graph = graph
        self.store = ox.Store()
        self._ox = ox
        self._bnodes: dict[str, BNode] = {}
        self._iris: dict[object, URIRef] = {}  # each IRI of a result converted once
        #: (datatype, value) -> the graph's literals with that value (in the order met) and how many triples have each
        self._by_value: dict[tuple[str, object], dict[Literal, int]] | None = None
        self.values_version = 0  # grows when the table above changes (see _count_values)
        self.value_lookups = 0  # how many results were mapped through that table
        try:
            self.store.bulk_load(self._ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
        except (SyntaxError, ValueError):  # a term N-Triples cannot carry as written (e.g. an IRI with a space)
            self.store = ox.Store()
            self.store.bulk_extend(self._quads(graph))

    def _bnode_label(self, node: BNode) -> str:
        label = "b" + hashlib.sha1(str(node).encode()).hexdigest()[:20]
        self._bnodes[label] = node
        return label

    def _ntriples(self, graph: Iterable[tuple[Node, Node, Node]]) -> bytes:
        """The graph as N-Triples, each term written once and cached (much faster than rdflib's serializer)."""
        from rdflib.plugins.serializers.nt import _quoteLiteral

        cache: dict[Node, str] = {}

        def text(node: Node) -> str:
            found = cache.get(node)
            if found is None:
                if isinstance(node, URIRef):
                    found = f"<{node}>"
                elif isinstance(node, BNode):
                    found = "_:" + self._bnode_label(node)
                else:
                    found = _quoteLiteral(node)
                cache[node] = found
            return found

        return "".join(f"{text(s)} {text(p)} {text(o)} .\n" for s, p, o in graph).encode("utf-8")

    def _quads(self, graph: Iterable[tuple[Node, Node, Node]]) -> Iterator[object]:
        ox = self._ox
        default = ox.DefaultGraph()

        def term(node: Node) -> object:
            if isinstance(node, URIRef):
                return ox.NamedNode(str(node))
            if isinstance(node, BNode):
                return ox.BlankNode(self._bnode_label(node))
            if node.language:
                return ox.Literal(str(node), language=node.language)
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string)))

        return (ox.Quad(term(s), term(p), term(o), default) for s, p, o in graph)

    def add(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add triples not in ``graph`` (the caller adds them to ``graph`` too)."""
        triples = list(triples)
        self.store.bulk_extend(list(self._quads(triples)))
        self._count_values(triples, 1)

    def remove(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Remove triples of ``graph`` (the caller removes them from ``graph`` too)."""
        triples = list(triples)
        for quad in self._quads(triples):
            self.store.remove(quad)
        self._count_values(triples, -1)

    def _count_values(self, triples: Iterable[tuple[Node, Node, Node]], step: int) -> None:
        """Keep the literals by value up to date (once built) as triples come and go; ``values_version`` grows
        whenever a literal form appears or goes (results mapped through :meth:`to_rdflib` may then differ)."""
        if self._by_value is None:
            return
        for _s, _p, o in triples:
            if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) in _NUMERIC_OR_BOOLEAN:
                key = (str(o.datatype), o.toPython())
                counts = self._by_value.setdefault(key, {})
                counts[o] = counts.get(o, 0) + step
                if counts[o] == step:
                    self.values_version += 1
                if counts[o] <= 0:
                    self.values_version += 1
                    del counts[o]
                    if not counts:
                        del self._by_value[key]

    def index_values(self) -> None:
        """Build the literals-by-value table now, from ``graph``, so that later results need no graph (the caller
        may then drop it and keep the mirror up to date by :meth:`add` and :meth:`remove` alone)."""
        if self._by_value is None:
            self._by_value = {}
            self._count_values(((None, None, o) for _s, _p, o in self.graph), 1)  # type: ignore[misc]

    def to_rdflib(self, value: object) -> Node:
        """The rdflib term of an Oxigraph result term (the data graph's own literal where one has that value)."""
        ox = self._ox
        if isinstance(value, ox.NamedNode):
            iri = self._iris.get(value)
            if iri is None:
                iri = self._iris[value] = URIRef(value.value)
            return iri
        if isinstance(value, ox.BlankNode):
            return self._bnodes.get(value.value, BNode(value.value))
        if value.language:
            return Literal(value.value, lang=value.language)
        datatype = value.datatype.value
        if datatype == str(XSD.string):
            return Literal(value.value)
        lit = Literal(value.value, datatype=URIRef(datatype))
        if datatype in _NUMERIC_OR_BOOLEAN:
            self.index_values()
            assert self._by_value is not None
            self.value_lookups += 1
            found = self._by_value.get((datatype, lit.toPython()))
            return next(iter(found)) if found else lit
        return lit

    def select_terms(self, query: str) -> tuple[list[str], list[tuple[object, ...]]]:
        """Run a SELECT query; its variable names and its rows as tuples of Oxigraph terms (None where unbound),
        not converted (the caller converts what it has not met before with :meth:`to_rdflib`)."""
        solutions = self.store.query(query)
        assert isinstance(solutions, self._ox.QuerySolutions)
        return [v.value for v in solutions.variables], [tuple(solution) for solution in solutions]

    def select(self, query: str) -> list[dict[str, Node]]:
        """Run a SELECT query; each row as variable name -> rdflib term (bound variables only)."""
        solutions = self.store.query(query)
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = self.to_rdflib(value)
            rows.append(row)
        return rows


class _Run:
    """State of one fast validation: the Oxigraph mirror and each SPARQL constraint's results by focus node."""

    def __init__(self, data: Graph, mirror: OxigraphMirror | None = None) -> None:
        self.data = data
        self._mirror = mirror
        self.batches: dict[tuple, dict[Node, list[dict[str, Node]]] | None] = {}

    @property
    def mirror(self) -> OxigraphMirror:
        if self._mirror is None:
            self._mirror = OxigraphMirror(self.data)
        return self._mirror


_RUN: contextvars.ContextVar[_Run | None] = contextvars.ContextVar("ccgkg_fast_run", default=None)


def _batch_text(helper: object, focus: Iterable[Node]) -> tuple[str, bool] | None:
    """The constraint's query with ``?this`` bound to each of ``focus`` by a ``VALUES`` block (so a pattern that
    only mentions ``$this`` inside ``FILTER NOT EXISTS`` still sees it bound, as in pySHACL's per-node run) and
    projected, and whether pySHACL would see ``?this`` in a row; None when the query cannot be run once for all
    nodes (sub-queries, aggregates not grouped by ``$this``, LIMIT/OFFSET, ``$currentShape``, ``$shapesGraph``,
    blank focus nodes: pySHACL's per-node run is used for those).
    (``$value`` is never pre-bound in a constraint's own query, so it needs nothing.)"""
    text: str = helper.select_text  # type: ignore[attr-defined]
    if len(_SELECT_RE.findall(text)) != 1 or any(
            rx.search(text) for rx in (helper.bind_cs_regex, helper.bind_sg_regex)):  # type: ignore[attr-defined]
        return None
    if not _THIS_RE.search(text):
        return None
    _binds, text = helper.pre_bind_variables(URIRef("urn:ccgkg:unused"))  # type: ignore[attr-defined]
    text = _THIS_RE.sub(r"\g<1>?this", text)
    grouped = _GROUP_BY_RE.search(text)
    if grouped is not None and "?this" not in grouped.group(1).split():
        return None  # grouping would mix focus nodes
    if grouped is None and _PER_NODE_RE.search(text):
        return None  # aggregates or slices over one focus node's rows
    match = _PROJECTION_RE.search(text)
    nodes = list(focus)
    if match is None or any(isinstance(n, BNode) for n in nodes):
        return None
    brace = text.find("{", match.end(1))
    if brace < 0:
        return None
    values = " VALUES ?this { " + " ".join(n.n3() for n in nodes) + " } "
    text = text[:brace + 1] + values + text[brace + 1:]
    projection = match.group(1)
    projects_this = projection.strip() == "*" or "?this" in projection.split()
    if not projects_this:
        text = text[:match.start(1)] + "?this " + text[match.start(1):]
    return helper.apply_prefixes(text), projects_this  # type: ignore[attr-defined]


def _batched_sparql_class() -> type:
    from pyshacl.constraints.sparql.sparql_based_constraints import (
        SPARQLBasedConstraint,
    )

    class BatchedSPARQLConstraint(SPARQLBasedConstraint):
        """pySHACL's SPARQL constraint, its query run once with ``$this`` unbound, rows grouped by ``?this``."""

        def _evaluate_sparql_constraint(self, sparql_constraint, target_graph, f_v_dict):
            run = _RUN.get()
            if run is None:
                return super()._evaluate_sparql_constraint(sparql_constraint, target_graph, f_v_dict)
            key = (self.shape.node, sparql_constraint.node, frozenset(f_v_dict))
            if key not in run.batches:
                prepared = _batch_text(sparql_constraint, f_v_dict)
                if prepared is None:
                    run.batches[key] = None
                else:
                    query, projects_this = prepared
                    groups: dict[Node, list[dict[str, Node]]] = {}
                    for row in run.mirror.select(query):
                        this = row["this"] if projects_this else row.pop("this")
                        groups.setdefault(this, []).append(row)
                    run.batches[key] = groups
            groups = run.batches[key]
            if groups is None:
                return super()._evaluate_sparql_constraint(sparql_constraint, target_graph, f_v_dict)
            return self._report_rows(sparql_constraint, target_graph, f_v_dict, groups)

        def _report_rows(self, sparql_constraint, target_graph, f_v_dict, groups):
            # The same steps as pySHACL's _evaluate_sparql_constraint/_validate_sparql_query, on grouped rows.
            reports = []
            non_conformant = False
            extra_messages = sparql_constraint.messages or None
            kwargs = {'source_constraint': sparql_constraint.node, 'extra_messages': extra_messages}
            result_val_default = None if self.shape.is_property_shape else True
            for f in f_v_dict:
                rows = groups.get(f)
                if not rows:
                    continue
                result_val = f if result_val_default else None
                for v in _violations(rows):
                    non_conformant = True
                    if v[0] is True:
                        reports.append(self.make_v_result(target_graph, f, value_node=result_val,
                                                          bound_vars=v[1], **kwargs))
                        continue
                    t, p, val, var_dict = v
                    if val is None:
                        val = result_val
                    reports.append(self.make_v_result(target_graph, t or f, value_node=val, result_path=p,
                                                      bound_vars=(t, p, val, var_dict), **kwargs))
            return (not non_conformant), reports

    return BatchedSPARQLConstraint


def _batched_property_class() -> type:
    from pyshacl.constraints.core.shape_based_constraints import (
        PropertyConstraintComponent,
    )

    class BatchedPropertyConstraint(PropertyConstraintComponent):
        """pySHACL's sh:property, the property shape validated once for all value nodes instead of once each
        (a value node met again under another focus node is validated again, so duplicate results stay)."""

        def _evaluate_property_shape(self, executor, prop_shape, target_graph, focus_value_nodes,
                                     potentially_recursive, _evaluation_path):
            found = self.shape.get_other_shape(prop_shape)
            if not found or not found.is_property_shape or (potentially_recursive and found in potentially_recursive):
                return super()._evaluate_property_shape(executor, prop_shape, target_graph, focus_value_nodes,
                                                        potentially_recursive, _evaluation_path)
            first: dict[Node, None] = {}
            again: list[Node] = []
            for value_nodes in focus_value_nodes.values():
                for v in value_nodes:
                    if v in first:
                        again.append(v)
                    else:
                        first[v] = None
            reports: list = []
            conform, found_reports = (True, []) if not first else found.validate(
                executor, target_graph, focus=list(first), _evaluation_path=_evaluation_path[:])
            reports.extend(found_reports)
            for v in again:
                ok, more = found.validate(executor, target_graph, focus=v, _evaluation_path=_evaluation_path[:])
                conform = conform and ok
                reports.extend(more)
            return (not conform), reports

    return BatchedPropertyConstraint


def _violations(rows: list[dict[str, Node]]) -> list[tuple]:
    violations: list[tuple] = []
    failed = False
    for row in rows:
        var_dict = dict(row)
        if var_dict.pop("failure", None) is not None:
            if not failed:
                violations.append((True, var_dict))
                failed = True
            continue
        p = var_dict.pop("path", None)
        v = var_dict.pop("value", None)
        t = var_dict.pop("this", None)
        if (p is not None or v is not None or t is not None) and (t, p, v, var_dict) not in violations:
            violations.append((t, p, v, var_dict))
    return violations


def _no_description(*_args: object, **_kwargs: object) -> str:
    """Stands in for pySHACL's text description of a result, which only its text report uses (pure text)."""
    return ""


@contextlib.contextmanager
def _batched_sparql(run: _Run) -> Iterator[None]:
    """Within this block pySHACL builds the batched classes for ``sh:sparql`` and ``sh:property`` and writes no
    text description of each result (the fast engine builds no text report) (module state: not thread-safe)."""
    import pyshacl.shape as shape_module
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    from pyshacl.constraints.constraint_component import ConstraintComponent

    mapping = dict(CONSTRAINT_PARAMETERS_MAP)
    mapping[SH.sparql] = _batched_sparql_class()
    mapping[SH.property] = _batched_property_class()
    previous = getattr(shape_module, "CONSTRAINT_PARAMS", None)
    token = _RUN.set(run)
    shape_module.CONSTRAINT_PARAMS = (list(ALL_CONSTRAINT_PARAMETERS), mapping)  # type: ignore[attr-defined]
    describe = ConstraintComponent.make_v_result_description
    ConstraintComponent.make_v_result_description = _no_description  # type: ignore[method-assign]
    try:
        yield
    finally:
        ConstraintComponent.make_v_result_description = describe  # type: ignore[method-assign]
        _RUN.reset(token)
        if previous is None:
            del shape_module.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
        else:
            shape_module.CONSTRAINT_PARAMS = previous  # type: ignore[attr-defined]


def _validation_report(sg: object, conforms: bool, results: list) -> Graph:
    """The graph of pySHACL's ``Validator.create_validation_report`` (the same triples, added in the same order),
    without its text report, which grows quadratically with the results and which the fast engine does not use."""
    from pyshacl.rdfutil import clone_blank_node

    if not conforms and not results:
        raise RuntimeError("A Non-Conformant Validation Report must have at least one result.")
    report = Graph(store="SimpleMemory", bind_namespaces="core")  # no named graphs: a faster store, the same triples
    for prefix, namespace in sg.graph.namespace_manager.namespaces():  # type: ignore[attr-defined]
        report.namespace_manager.bind(prefix, namespace)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    cloned: dict[tuple[Graph, str], Node] = {}
    triples: list[tuple[Node, Node, Node]] = []
    for _text, node, result_triples in results:
        triples.append((root, SH.result, node))
        for s, p, o in result_triples:
            if isinstance(o, tuple):
                source, term = o
                if isinstance(term, Literal):
                    o = term
                elif (source, str(term)) in cloned:
                    o = cloned[(source, str(term))]
                elif isinstance(term, BNode):
                    report.addN((*t, report) for t in triples)  # the clone's triples come after these, as in pySHACL
                    triples = []
                    o = cloned[(source, str(term))] = clone_blank_node(source, term, report, keepid=True)
                else:
                    o = cloned[(source, str(term))] = URIRef(str(term))
            triples.append((s, p, o))
    report.addN((*t, report) for t in triples)
    return report


def _empty_report() -> Graph:
    """A conforming ``sh:ValidationReport`` with no results."""
    report = Graph()
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(True)))
    return report


class FastEngine:
    """The fast engine: pySHACL's shapes and constraint components, SPARQL constraints set-at-a-time on Oxigraph.

    ``last_stats`` says how the last run went: SPARQL constraints answered from one batched query, those run per
    focus node (pySHACL's way), and whether the whole graph went to pySHACL (``WHOLE_GRAPH_FALLBACK``).
    """

    name = "fast"

    def __init__(self) -> None:
        self.last_stats: dict[str, object] = {}
        self._shapes: tuple[Graph, object] | None = None  # the last shapes graph and pySHACL's model of it

    def _shapes_graph(self, shapes: Graph) -> object:
        """pySHACL's model of ``shapes``, built once per shapes graph (so many data graphs reuse it)."""
        from pyshacl.shapes_graph import ShapesGraph

        if self._shapes is None or self._shapes[0] is not shapes:
            self._shapes = (shapes, ShapesGraph(pyshacl_shapes(shapes)))
        return self._shapes[1]

    def validate(self, data: Graph, shapes: Graph, shape_nodes: Collection[Node] | None = None,
                 mirror: OxigraphMirror | None = None, focus: Collection[Node] | None = None) -> Graph:
        """Like :meth:`PyShaclEngine.validate`; ``mirror``, when given, must hold exactly the triples of ``data``
        (a caller validating many similar graphs keeps one mirror up to date instead of copying each graph);
        ``focus``, when given, limits the top-level shapes to those focus nodes (IRIs; pySHACL's focus filter)."""
        fallback = sorted(str(p) for p in WHOLE_GRAPH_FALLBACK if (None, p, None) in shapes
                          or (None, RDF.type, p) in shapes)
        if fallback:
            self.last_stats = {"fallback": fallback}
            return PyShaclEngine().validate(data, shapes, shape_nodes)
        if shape_nodes is not None and not shape_nodes:
            return _empty_report()
        from pyshacl.errors import ReportableRuntimeError
        from pyshacl.pytypes import SHACLExecutor

        run = _Run(data, mirror)
        executor = SHACLExecutor(advanced_mode=True, allow_warnings=True)
        if focus is not None:
            executor.focus_nodes = [n for n in focus if isinstance(n, URIRef)] or [URIRef("urn:ccgkg:none")]
        wanted = None if shape_nodes is None else set(shape_nodes)
        try:
            sg = self._shapes_graph(shapes)
            reports: list = []
            conforms = True
            with _batched_sparql(run):
                for shape in sg.shapes:  # type: ignore[attr-defined]
                    if wanted is not None and shape.node not in wanted:
                        continue
                    shape.set_advanced(True)
                    ok, shape_reports = shape.validate(executor, data)
                    conforms = conforms and ok
                    reports.extend(shape_reports)
            report = _validation_report(sg, conforms, reports)
        except ReportableRuntimeError as exc:
            raise ShapesError(f"the shapes could not be loaded: {exc.message}",
                              hint="check the shapes files with `ccgkg validate --shapes FILE`") from None
        except _QUERY_ERRORS as exc:
            raise _query_error(exc) from None
        batches = run.batches.values()
        self.last_stats = {"fallback": [], "sparql_batched": sum(b is not None for b in batches),
                           "sparql_per_node": sum(b is None for b in batches)}
        return report


def report_results(report: Graph) -> set[tuple]:
    """The results of a ``sh:ValidationReport`` as comparable tuples.

    Each tuple: (focusNode, resultPath, value, sourceShape, sourceConstraintComponent, resultSeverity,
    sorted messages, sourceConstraint), a missing term as None; blank-node paths and shapes by their
    Turtle-like rendering so that two reports over the same shapes graph compare equal.
    """
    def one(node: Node, prop: URIRef) -> Node | str | None:
        value = report.value(node, prop)
        if isinstance(value, BNode):
            return _render(report, value)
        return value

    out = set()
    for result in report.objects(None, SH.result):
        messages = tuple(sorted(str(m) for m in report.objects(result, SH.resultMessage)))
        out.add((one(result, SH.focusNode), one(result, SH.resultPath), one(result, SH.value),
                 one(result, SH.sourceShape), one(result, SH.sourceConstraintComponent),
                 one(result, SH.resultSeverity), messages, one(result, SH.sourceConstraint)))
    return out


def _render(graph: Graph, node: Node, depth: int = 0) -> str:
    if not isinstance(node, BNode) or depth > 8:
        return node.n3()
    if (node, RDF.first, None) in graph:
        from rdflib.collection import Collection

        return "(" + " ".join(_render(graph, item, depth + 1) for item in Collection(graph, node)) + ")"
    parts = sorted(f"{p.n3()} {_render(graph, o, depth + 1)}" for p, o in graph.predicate_objects(node))
    return "[" + " ; ".join(parts) + "]"


#: engine name -> factory. The first entry is the default.
ENGINES: dict[str, Callable[[], ValidationEngine]] = {"pyshacl": PyShaclEngine, "fast": FastEngine}
DEFAULT_ENGINE = "pyshacl"


def get_engine(name: str | None = None) -> ValidationEngine:
    """The engine registered as ``name`` (default: ``DEFAULT_ENGINE``)."""
    key = name or DEFAULT_ENGINE
    try:
        return ENGINES[key]()
    except KeyError:
        raise UnknownProfileError(f"unknown validation engine {key!r}",
                                  hint="use one of: " + ", ".join(ENGINES)) from None


__all__ = ["DEFAULT_ENGINE", "ENGINES", "WHOLE_GRAPH_FALLBACK", "FastEngine", "OxigraphMirror", "PyShaclEngine", "ValidationEngine", "get_engine", "report_results"]

"""The fast store: the query graph in an in-process pyoxigraph store, and named queries evaluated there.

rdflib stays the reference engine (``ccgkg query --engine rdflib``); this module gives the same answers, as
:class:`ccgkg.queries.QueryResult` objects with rdflib terms, much faster on large data (all of England: each named
query in milliseconds instead of tens of seconds).

- :func:`entailed` infers over data and ontology without copying them into a merged rdflib graph (the copies, not
  the rules, were most of the time of ``query_graph`` on large data).
- :func:`query_store` builds the store a named query runs on: data, ontology, the triples inference adds, the
  bundled shapes, the named-query catalogue and (when given) a validation report, all in the default graph; the
  same triples as :func:`ccgkg.queries.query_graph`. ``ccgkg push`` sends this store's N-Triples dump, and a
  server can keep the store to answer many queries.
- :func:`run` evaluates a bound query on a store: the same text as the rdflib path and an endpoint receive, the
  typed parameter values bound through the one ``VALUES`` row :func:`ccgkg.queries.bind` places in the outer
  WHERE group (checked and escaped terms, never text pasted into the query). pyoxigraph's own ``substitutions``
  are not used: the installed pyoxigraph (0.5) refuses a substituted variable that is not in the SELECT
  projection, which most parameters (``?day``) are not, and its substitution reaches into nested groups where
  the ``VALUES`` row does not; one binding for every engine keeps their answers identical.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ccgkg.errors import CcgkgError, QuerySyntaxError
from ccgkg.namespaces import bind_prefixes

if TYPE_CHECKING:
    from ccgkg.queries import BoundQuery, QueryResult

Triple = tuple[Node, Node, Node]

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


class _Terms:
    """rdflib terms converted by ``convert`` (default: to pyoxigraph terms), each distinct term once (terms repeat a
    lot in a graph)."""

    def __init__(self, convert: Callable[[Node], Any] | None = None) -> None:
        self.cache: dict[Node, Any] = {}
        self.convert = convert or to_ox

    def __call__(self, term: Node) -> Any:
        found = self.cache.get(term)
        if found is None:
            found = self.cache[term] = self.convert(term)
        return found


def to_ox(term: Node) -> Any:
    """The pyoxigraph term for an rdflib IRI, blank node or literal.

    Raises:
        CcgkgError: for anything else (a variable or a quoted graph cannot be stored).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise CcgkgError(f"cannot put {term!r} in a store: only IRIs, blank nodes and literals can be stored")


def from_ox(term: Any) -> Node | None:
    """The rdflib term for a pyoxigraph term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise CcgkgError(f"the store answered a term ccgkg cannot read: {term!r}")


def build_store(*sources: Iterable[Triple]) -> ox.Store:
    """A new in-memory pyoxigraph store holding every triple of ``sources`` in its default graph."""
    convert = _Terms()
    default = ox.DefaultGraph()
    store = ox.Store()
    for source in sources:
        store.extend(ox.Quad(convert(s), convert(p), convert(o), default) for s, p, o in source)
    return store


def entailed(data: Graph, inference: str, *, ontology: Graph | None = None,
             reasoner: str | None = None) -> frozenset[Triple]:
    """The triples ``inference`` (a profile name) adds to ``data`` and the ontology (default: the bundled one),
    the same as ``ccgkg.reasoning.infer(...).inferred``; neither graph is copied or changed."""
    from ccgkg import reasoning

    return reasoning.entail(data, inference, ontology=ontology, reasoner=reasoner).triples


def query_sources(data: Graph | set[Triple], *, inference: str = "rdfs", report: Graph | None = None,
                  reasoner: str | None = None) -> list[Iterable[Triple]]:
    """The triple sources of the graph named queries run on (see :func:`ccgkg.queries.query_graph`), uncopied:
    data, ontology, inferred triples, shapes, catalogue and report. ``data`` may be a set of triples
    (:func:`ccgkg.store.read_triples`)."""
    from ccgkg import reasoning
    from ccgkg.queries import catalogue_graph
    from ccgkg.store import shapes_graph

    found = reasoning.entail(data, inference, reasoner=reasoner)
    sources: list[Iterable[Triple]] = [found.asserted, found.triples, shapes_graph(), catalogue_graph()]
    if report is not None:
        sources.append(report)
    return sources


def query_store(data: Graph, *, inference: str = "rdfs", report: Graph | None = None,
                reasoner: str | None = None) -> ox.Store:
    """The store named queries run on: the triples of :func:`ccgkg.queries.query_graph`, without building it."""
    return build_store(*query_sources(data, inference=inference, report=report, reasoner=reasoner))


def query_ntriples(sources: Iterable[Iterable[Triple]]) -> tuple[bytes, int]:
    """The distinct triples of ``sources`` (:func:`query_sources`) as sorted N-Triples, and how many: what a store
    loading them holds (what ``ccgkg push`` sends), written without building a store or a graph.

    Terms are written as RDF 1.1 and a store read them: ``"x"^^xsd:string`` as ``"x"``, language tags in lower
    case; so two rdflib triples a store holds as one are written, and counted, once.
    """
    text = _Terms(_n_triples)
    lines: set[str] = set()
    for source in sources:
        lines.update(f"{text(s)} {text(p)} {text(o)} .\n" for s, p, o in source)
    return "".join(sorted(lines)).encode("utf-8"), len(lines)


def _n_triples(term: Node) -> str:
    from rdflib.plugins.serializers.nt import _quote_encode

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        quoted = _quote_encode(str(term))
        if term.language:
            return f"{quoted}@{term.language.lower()}"
        if term.datatype is None or str(term.datatype) == _XSD_STRING:
            return quoted
        return f"{quoted}^^<{term.datatype}>"
    raise CcgkgError(f"cannot put {term!r} in a store: only IRIs, blank nodes and literals can be stored")


def store_from_graphs(graphs: Sequence[Graph]) -> ox.Store:
    """A store holding the triples of ``graphs`` (for callers that already have the graphs to serve)."""
    return build_store(*graphs)


def dump_ntriples(store: ox.Store) -> bytes:
    """The store's default graph as N-Triples (unsorted; what ``push`` sends)."""
    out = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return out if isinstance(out, bytes) else b""


def run(bound: BoundQuery | str, store: ox.Store, *, allow_service: bool = False,
        timeout: float | None = None, limit: int | None = None) -> QueryResult:
    """Evaluate a bound named query (:class:`ccgkg.queries.BoundQuery`) or a query text on ``store``.

    A bound query runs as ``bound.text``: its own text with the parameters' ``VALUES`` row (see the module
    docstring for why not pyoxigraph's ``substitutions``).

    Returns:
        A :class:`ccgkg.queries.QueryResult` equal to what :func:`ccgkg.queries.run` gives on the same triples.

    The query is checked first as on the rdflib path (:func:`ccgkg.guards.guard_query`: no SERVICE unless
    ``allow_service``, no GRAPH or FROM, no update), ``limit`` becomes its outer LIMIT, and ``timeout`` bounds the
    time spent (:func:`ccgkg.guards.call_within`).

    Raises:
        QueryRefused: the query asks for something in-process evaluation refuses.
        QuerySyntaxError: the query does not parse or fails in the store.
        QueryTimeout: it took longer than ``timeout``.
    """
    from ccgkg import guards
    from ccgkg.queries import BoundQuery

    if isinstance(bound, BoundQuery):
        text, name = bound.text, bound.query.name
    else:
        text, name = str(bound), "query"
    form = guards.guard_query(text, name=name, allow_service=allow_service)  # as ccgkg.queries.run checks
    if form == "SELECT":
        text = guards.with_limit(text, limit)
    # pyoxigraph evaluates in native code with the GIL released, where SIGALRM would wait for it: a thread instead
    return guards.call_within(timeout, lambda: _evaluate(store, text, form, name), what=name)


def _evaluate(store: ox.Store, text: str, form: str, name: str) -> QueryResult:
    from ccgkg.queries import QueryResult, canonical

    try:
        answer = store.query(text)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(form=form, boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            g = bind_prefixes(Graph())
            for triple in answer:
                g.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))  # type: ignore[arg-type]
            return QueryResult(form=form, graph=g)
        variables = tuple(v.value for v in answer.variables)
        rows = tuple(tuple(canonical(from_ox(solution[i])) for i in range(len(variables))) for solution in answer)
    except CcgkgError:
        raise
    except (SyntaxError, OSError, ValueError, TypeError, RuntimeError) as exc:
        raise QuerySyntaxError(f"{name}: the query failed: {' '.join(str(exc).split())}") from None
    return QueryResult(form=form, variables=variables, rows=rows)


def triples_of(store: ox.Store) -> Iterator[Triple]:
    """The default graph of ``store`` as rdflib triples."""
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)  # type: ignore[misc]


__all__ = ["build_store", "dump_ntriples", "entailed", "from_ox", "query_ntriples", "query_sources", "query_store",
           "run", "store_from_graphs", "to_ox", "triples_of"]

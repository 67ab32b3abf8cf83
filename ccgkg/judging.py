"""Legal shapes judged straight on Oxigraph: each SPARQL constraint one query per judging day, results as records.

The fast engine (:class:`ccgkg.engines.FastEngine`) already runs each SPARQL constraint once for all focus nodes,
but it still goes through pySHACL's shape loop, builds a report graph per day and reads it back. The legal shapes
are plain: a node shape, its targets (``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``) and ``sh:sparql`` constraints. For those this module

* finds the focus nodes with one SPARQL query on the day's Oxigraph store (``rdf:type/rdfs:subClassOf*``, the
  closure pySHACL walks),
* runs each constraint's query once with ``?this`` bound to them (the text pySHACL would run, from
  :func:`ccgkg.engines._batch_text`),
* turns the rows into :class:`Result` records with pySHACL's own rules for focus node, value, path and messages
  (``{?var}`` substituted as pySHACL does), without a report graph: :mod:`ccgkg.validation` writes one result per
  merged finding at the end.

A shape using anything else (property shapes, core constraint components, SPARQL-based targets, a shape that is
also a class) is not compiled: :class:`Compiled` lists it in ``unsupported`` with the reason, and the caller
judges it with the fast engine (and says so). pySHACL stays the reference: tests and the benchmark compare.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ccgkg.engines import OxigraphMirror, _batch_text, _violations, pyshacl_shapes

#: the predicates a compiled node shape may carry (beyond its own description).
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_MARKER = URIRef("urn:ccgkg:focus-nodes")


class FallbackNotice(UserWarning):
    """Some shapes are judged by the fast engine because they do not compile (the message names them)."""


@dataclass(frozen=True)
class Result:
    """One validation result of a compiled shape: the fields of pySHACL's ``sh:ValidationResult``."""

    focus: Node
    shape: Node
    constraint: Node
    severity: Node
    path: Node | None
    value: Node | None
    messages: tuple[Literal, ...]

    def triples(self, node: Node, shapes: Graph) -> list[tuple[Node, Node, Node]]:
        """The triples of the ``sh:ValidationResult`` ``node`` (pySHACL's, with the constraint's blank node and
        what it points to copied from ``shapes``)."""
        out: list[tuple[Node, Node, Node]] = [
            (node, RDF.type, SH.ValidationResult), (node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent),
            (node, SH.sourceShape, self.shape), (node, SH.resultSeverity, self.severity),
            (node, SH.focusNode, self.focus), (node, SH.sourceConstraint, self.constraint)]
        if self.value is not None:
            out.append((node, SH.value, self.value))
        if self.path is not None:
            out.append((node, SH.resultPath, self.path))
        out += [(node, SH.resultMessage, m) for m in self.messages]
        _copy_blank(shapes, self.constraint, out, set())
        return out


def _copy_blank(shapes: Graph, node: Node, out: list[tuple[Node, Node, Node]], seen: set[Node]) -> None:
    if not isinstance(node, BNode) or node in seen:
        return
    seen.add(node)
    for p, o in shapes.predicate_objects(node):
        out.append((node, p, o))
        _copy_blank(shapes, o, out, seen)


@dataclass
class _Plan:
    """How one node shape is judged: its focus-node query and its constraints' batched queries."""

    node: Node
    severity: Node
    messages: tuple[Literal, ...]
    targets: str  # the UNION of patterns selecting the focus nodes as ?this
    constraints: list[tuple[Node, str, bool, tuple[Literal, ...], Any]]  # node, query, projects ?this, messages


class Compiled:
    """The shapes of ``shapes`` among ``nodes`` that compile, ready to be judged on any day's Oxigraph store.

    ``unsupported`` maps each shape that does not compile to the reason (the caller judges it another way).
    """

    def __init__(self, shapes: Graph, nodes: Iterable[Node]) -> None:
        from pyshacl.constraints.sparql.sparql_based_constraints import (
            SPARQLBasedConstraint,
        )
        from pyshacl.shapes_graph import ShapesGraph

        self.shapes = shapes
        self.plans: dict[Node, _Plan] = {}
        self.unsupported: dict[Node, str] = {}
        self.skipped: set[Node] = set()  # deactivated shapes: no results
        #: for callers: what they work out once per result object (the same rows on any day give the same objects)
        self.cache: dict[Any, Any] = {}
        #: (constraint, focus, rows as Oxigraph terms) -> (results, the mirror's values_version they depend on)
        self._memo: dict[tuple[Any, ...], tuple[list[Result], int | None]] = {}
        model = ShapesGraph(pyshacl_shapes(shapes))  # not the shared graph itself: pySHACL adds to it
        by_node = {s.node: s for s in model.shapes}
        for node in nodes:
            shape = by_node.get(node)
            reason = self._reason(shapes, node, shape)
            if reason is not None:
                self.unsupported[node] = reason
                continue
            plan = self._plan(shapes, shape, SPARQLBasedConstraint)
            if isinstance(plan, str):
                self.unsupported[node] = plan
            elif plan is None:
                self.skipped.add(node)
            else:
                self.plans[node] = plan

    @staticmethod
    def _reason(shapes: Graph, node: Node, shape: Any) -> str | None:
        """Why ``node`` does not compile (None: it does)."""
        if shape is None or shape.is_property_shape:
            return "not a node shape"
        if (node, RDF.type, RDFS.Class) in shapes or (node, SH.target, None) in shapes:
            return "implicit class target or SPARQL-based target"
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS

        others = sorted({str(p) for p, _o in shapes.predicate_objects(node)
                         if p in ALL_CONSTRAINT_PARAMETERS and p != SH.sparql} |
                        {str(p) for p in (SH.expression, SH.js, SH.rule) if (node, p, None) in shapes})
        return f"uses {', '.join(others)}" if others else None

    @staticmethod
    def _plan(shapes: Graph, shape: Any, constraint_class: Any) -> _Plan | str | None:
        if shape.deactivated:
            return None
        constraint = constraint_class(shape) if (shape.node, SH.sparql, None) in shapes else None
        constraints = []
        for helper in ([] if constraint is None else sorted(constraint.sparql_constraints, key=lambda h: str(h.node))):
            if helper.deactivated:
                continue
            prepared = _batch_text(helper, [_MARKER])
            if prepared is None:
                return "a SPARQL constraint that cannot run once for all focus nodes"
            text, projects_this = prepared
            constraints.append((helper.node, text, projects_this, tuple(helper.messages or ()), constraint))
        nodes, classes, _implicit, objects_of, subjects_of = shape.target()
        branches = [f"{{ ?ccgkgClass <{RDFS.subClassOf}>* {c.n3()} . ?this a ?ccgkgClass }}"
                    for c in sorted(classes, key=str)]
        branches += [f"{{ ?this {p.n3()} ?ccgkgObject }}" for p in sorted(subjects_of, key=str)]
        branches += [f"{{ ?ccgkgSubject {p.n3()} ?this }}" for p in sorted(objects_of, key=str)]
        if nodes:
            branches.append("{ VALUES ?this { " + " ".join(n.n3() for n in sorted(nodes, key=str)) + " } }")
        if not branches:
            return None
        return _Plan(node=shape.node, severity=shape.severity, messages=tuple(shape.message),
                     targets=" UNION ".join(branches), constraints=constraints)

    def judge(self, mirror: OxigraphMirror, nodes: Collection[Node],
              focus: Collection[Node] | None = None) -> list[Result]:
        """The results of the compiled shapes among ``nodes`` on the store's current state (with ``focus``, only
        for the focus nodes among those: exact, since a SPARQL constraint judges each focus node on its own).

        Each constraint's query is run once, joined with the shape's focus nodes as a sub-query at the start of
        its WHERE group: the same join as pySHACL's batched ``VALUES ?this`` (and as fast whatever their number;
        Oxigraph joins a long VALUES block slowly)."""
        results: list[Result] = []
        memo = self._memo
        only = "" if focus is None else \
            "VALUES ?this { " + " ".join(n.n3() for n in sorted(focus, key=str) if not isinstance(n, BNode)) + " } "
        for node in nodes:
            plan = self.plans[node]
            targets = "{ SELECT DISTINCT ?this WHERE { " + only + "{ " + plan.targets + " } } }"
            for constraint_node, text, projects_this, messages, component in plan.constraints:
                query = text.replace(f"VALUES ?this {{ {_MARKER.n3()} }}", targets, 1)
                names, rows = mirror.select_terms(query)
                at = names.index("this")
                groups: dict[object, list[tuple[object, ...]]] = {}
                for row in rows:
                    groups.setdefault(row[at], []).append(row)
                for this, found_rows in groups.items():  # the same rows on another day give the same results
                    key = (constraint_node, this, tuple(found_rows))
                    known = memo.get(key)
                    if known is None or (known[1] is not None and known[1] != mirror.values_version):
                        before = mirror.value_lookups
                        converted = [{name: mirror.to_rdflib(v) for name, v in zip(names, row)
                                      if v is not None and (projects_this or name != "this")} for row in found_rows]
                        f = mirror.to_rdflib(this)
                        found = self._results(plan, constraint_node, messages, component, f, converted)
                        # a row holding a number or boolean maps to the data's own literal of that value, which
                        # depends on the state: such results are kept only while the literals stay the same
                        known = memo[key] = (found, None if mirror.value_lookups == before else mirror.values_version)
                    results += known[0]
        return results

    @staticmethod
    def _results(plan: _Plan, constraint: Node, extra: tuple[Literal, ...], component: Any, focus: Node,
                 rows: list[dict[str, Node]]) -> list[Result]:
        """pySHACL's results for one focus node's rows (``_evaluate_sparql_constraint`` and ``make_v_result`` of a
        node shape: the value is the focus node unless the row binds ``?value``)."""
        out = []
        for v in _violations(rows):
            if v[0] is True:
                this, path, value, bound = focus, None, focus, v[1]
            else:
                t, path, value, var_dict = v
                value = focus if value is None else value
                this, bound = t or focus, (t, path, value, var_dict)
            messages = _messages(component, plan.messages, extra, bound)
            out.append(Result(focus=this, shape=plan.node, constraint=constraint, severity=plan.severity,
                              path=path, value=value, messages=messages))
        return out


def _messages(component: Any, shape_messages: tuple[Literal, ...], extra: tuple[Literal, ...],
              bound: Any) -> tuple[Literal, ...]:
    """The ``sh:resultMessage`` values pySHACL's ``make_v_result`` writes (constraint messages not also on the
    shape, then the shape's), each with ``{?var}`` replaced by the bound value."""
    def one(m: Literal) -> Literal:
        if isinstance(m, Literal):
            return Literal(component._format_sparql_based_result_message(str(m.value), bound))
        return m

    out = [one(m) for m in extra if m not in shape_messages]
    return tuple(out + [one(m) for m in shape_messages])


__all__ = ["Compiled", "FallbackNotice", "Result"]

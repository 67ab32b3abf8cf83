"""Deterministic RDF output for publishing: N-Triples, Turtle and JSON-LD written from sorted triples, with blank
nodes labelled by their content, and IRIs moved to another base on the way out.

rdflib's serialisers order triples by their in-memory hashing and label blank nodes at random, so two runs give
different bytes; these writers give the same bytes for the same graph. They are also several times faster on the
small descriptions a site has one of per resource.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

from ccgkg.namespaces import BASE, PREFIXES

Triple = tuple[Node, Node, Node]
_RDF_TYPE = RDF.type  # read once: each attribute of an rdflib namespace is a lookup in Python code
_XSD_STRING = XSD.string
#: ``p in _TYPE`` rather than ``p == RDF.type``: set membership compares hashes in C and calls rdflib's ``__eq__``
#: (Python code) only on a hash match
_TYPE = frozenset([_RDF_TYPE])


class Distinct(list[tuple[Node, Node, Node]]):
    """Triples known to hold no duplicate (a description read from a set), which the writers need not dedupe."""


def _distinct(triples: Iterable[Triple]) -> Iterable[Triple]:
    return triples if isinstance(triples, (Distinct, TripleIndex, set, frozenset)) else set(triples)
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


def canonical_bnodes(graph: Graph) -> list[Triple]:
    """The triples of ``graph`` with every blank node relabelled by a hash of what it says and what points to it.

    Two blank nodes that say the same and hang from the same place get the same label (they are the same
    description); otherwise labels do not depend on how the graph was parsed.
    """
    return relabel(list(graph))


def canonicalise(graph: Graph) -> Graph:
    """:func:`canonical_bnodes` done in place: only the triples with a blank node are replaced."""
    with_bnodes = [t for t in graph if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    if with_bnodes:
        for t in with_bnodes:
            graph.remove(t)
        for t in relabel(with_bnodes):
            graph.add(t)
    return graph


def relabel(triples: list[Triple]) -> list[Triple]:
    """The triples with their blank nodes labelled by content (see :func:`canonical_bnodes`)."""
    out_edges: dict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    in_edges: dict[BNode, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in triples:
        if isinstance(s, BNode):
            out_edges[s].append((p, o))
        if isinstance(o, BNode):
            in_edges[o].append((s, p))
    if not out_edges and not in_edges:
        return triples
    memo: dict[BNode, str] = {}

    def content(node: BNode, stack: set[BNode]) -> str:
        if node in memo:
            return memo[node]
        if node in stack:
            return "cycle"
        stack.add(node)
        parts = sorted(f"{p.n3()} {content(o, stack) if isinstance(o, BNode) else o.n3()}"
                       for p, o in out_edges.get(node, ()))
        stack.discard(node)
        memo[node] = hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()
        return memo[node]

    labels: dict[BNode, BNode] = {}

    def label(node: BNode, depth: int = 0) -> BNode:
        if node in labels:
            return labels[node]
        where = sorted(f"{label(s, depth + 1) if isinstance(s, BNode) and depth < 8 else s.n3()} {p.n3()}"
                       for s, p in in_edges.get(node, ()))
        text = content(node, set()) + "|" + "\n".join(where)
        found = BNode("b" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16])
        if depth == 0:
            labels[node] = found
        return found

    def term(node: Node) -> Node:
        return label(node) if isinstance(node, BNode) else node

    return [(term(s), p, term(o)) for s, p, o in triples]


class Writer:
    """Writes terms and triples for one base: IRIs under ``https://w3id.org/ccgkg/`` are moved to ``base``."""

    def __init__(self, base: str = BASE) -> None:
        self.base = base
        self.prefixes = {p: self.iri(ns) for p, ns in PREFIXES.items()}
        self._by_length = sorted(((ns, p) for p, ns in self.prefixes.items()), key=lambda x: -len(x[0]))
        self._nt: dict[Node, str] = {}
        self._ttl: dict[Node, tuple[str, str | None]] = {}
        self._ttl_terms: dict[Node, tuple[str, str | None]] = {}
        self._json_ids: dict[Node, tuple[str, str | None]] = {}
        self._json_values: dict[Node, tuple[dict[str, str], str | None]] = {}

    def iri(self, value: str) -> str:
        """``value`` moved to this writer's base."""
        if self.base != BASE and value.startswith(BASE):
            return self.base + value[len(BASE):]
        return value

    # ------------------------------------------------------------------ N-Triples
    def nt_term(self, node: Node) -> str:
        found = self._nt.get(node)
        if found is None:
            if isinstance(node, URIRef):
                found = f"<{self.iri(str(node))}>"
            elif isinstance(node, BNode):
                found = f"_:{node}"
            else:
                found = _quoteLiteral(node)  # type: ignore[arg-type]
            self._nt[node] = found
        return found

    def ntriples_lines(self, triples: Iterable[Triple]) -> list[str]:
        """Sorted, distinct N-Triples lines (each ending in a newline)."""
        t = self.nt_term
        return sorted({f"{t(s)} {t(p)} {t(o)} .\n" for s, p, o in triples})

    def ntriples(self, triples: Iterable[Triple]) -> bytes:
        return "".join(self.ntriples_lines(triples)).encode("utf-8")

    # ------------------------------------------------------------------ Turtle
    def _curie(self, node: URIRef) -> tuple[str, str | None]:
        found = self._ttl.get(node)
        if found is None:
            value = self.iri(str(node))
            found = (f"<{value}>", None)
            for ns, prefix in self._by_length:
                if value.startswith(ns) and _LOCAL.match(value[len(ns):]):
                    found = (f"{prefix}:{value[len(ns):]}", prefix)
                    break
            self._ttl[node] = found
        return found

    def _ttl_term(self, node: Node) -> tuple[str, str | None]:
        """A term as Turtle, and the prefix it uses (None: none)."""
        found = self._ttl_terms.get(node)
        if found is None:
            if isinstance(node, URIRef):
                found = self._curie(node)
            elif isinstance(node, BNode):
                found = (f"_:{node}", None)
            elif node.datatype is not None and node.datatype != _XSD_STRING and node.language is None:  # type: ignore[attr-defined]
                datatype, prefix = self._curie(node.datatype)  # type: ignore[attr-defined]
                found = (f"{_quoteLiteral(Literal(str(node)))}^^{datatype}", prefix)
            else:
                found = (_quoteLiteral(node), None)  # type: ignore[arg-type]
            self._ttl_terms[node] = found
        return found

    def turtle(self, triples: Iterable[Triple]) -> bytes:
        """Turtle: used prefixes, then one block per subject (sorted), ``a`` first, predicates and objects sorted."""
        used: set[str | None] = set()
        term = self._ttl_term
        by_subject: dict[str, dict[str, set[str]]] = {}
        for s, p, o in _distinct(triples):
            subject, prefix = term(s)
            used.add(prefix)
            if p in _TYPE:
                pred = "a"
            else:
                pred, prefix = term(p)
                used.add(prefix)
            obj, prefix = term(o)
            used.add(prefix)
            preds = by_subject.get(subject)
            if preds is None:
                preds = by_subject[subject] = {}
            objs = preds.get(pred)
            if objs is None:
                preds[pred] = {obj}
            else:
                objs.add(obj)
        blocks = []
        for subject in sorted(by_subject):
            preds = by_subject[subject]
            order = sorted(preds, key=lambda k: (k != "a", k))
            lines = [f"{pred} {' , '.join(sorted(preds[pred]))}" for pred in order]
            blocks.append(subject + " " + " ;\n    ".join(lines) + " .\n")
        head = "".join(f"@prefix {p}: <{self.prefixes[p]}> .\n" for p in sorted(filter(None, used)))
        return (head + "\n" + "\n".join(blocks)).encode("utf-8")

    # ------------------------------------------------------------------ JSON-LD
    def _json_id(self, node: Node) -> tuple[str, str | None]:
        """An IRI or blank node as a JSON-LD identifier (a CURIE when a prefix fits), and the prefix it uses."""
        found = self._json_ids.get(node)
        if found is None:
            if isinstance(node, BNode):
                found = (f"_:{node}", None)
            else:
                curie, prefix = self._curie(node)  # type: ignore[arg-type]
                found = (curie, prefix) if prefix else (curie[1:-1], None)
            self._json_ids[node] = found
        return found

    def _json_value(self, node: Node) -> tuple[dict[str, str], str | None]:
        """A term as a JSON-LD value object (shared: never changed), and the prefix it uses."""
        found = self._json_values.get(node)
        if found is None:
            if not isinstance(node, Literal):
                ident, prefix = self._json_id(node)
                found = ({"@id": ident}, prefix)
            else:
                value, prefix = {"@value": str(node)}, None
                if node.language:
                    value["@language"] = node.language
                elif node.datatype is not None and node.datatype != _XSD_STRING:
                    value["@type"], prefix = self._json_id(node.datatype)
                found = (value, prefix)
            self._json_values[node] = found
        return found

    def jsonld_data(self, triples: Iterable[Triple]) -> dict[str, object]:
        """Flattened JSON-LD with a prefix context: one node object per subject, in subject order; the values of
        a property in N-Triples order."""
        used: set[str | None] = set()
        ident, value, nt = self._json_id, self._json_value, self.nt_term
        by_subject: dict[Node, dict[Node, list[Node]]] = {}
        for s, p, o in _distinct(triples):
            by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        nodes: list[tuple[str, dict[str, list[object]]]] = []
        for s, preds in by_subject.items():
            sid, prefix = ident(s)
            used.add(prefix)
            props: dict[str, list[object]] = {}
            for p, objs in preds.items():
                objs.sort(key=nt)
                key = None
                is_type = p in _TYPE
                for o in objs:
                    if is_type and not isinstance(o, Literal):
                        item, prefix = ident(o)
                        props.setdefault("@type", []).append(item)
                    else:
                        if key is None:
                            key, kprefix = ident(p)
                            used.add(kprefix)
                        obj, prefix = value(o)
                        props.setdefault(key, []).append(obj)
                    used.add(prefix)
            nodes.append((sid, props))
        nodes.sort(key=lambda n: n[0])
        graph = [{"@id": sid, **{k: props[k] for k in sorted(props)}} for sid, props in nodes]
        context = {p: self.prefixes[p] for p in sorted(filter(None, used))}
        return {"@context": context, "@graph": graph}

    def jsonld(self, triples: Iterable[Triple]) -> bytes:
        return (json.dumps(self.jsonld_data(triples), ensure_ascii=False) + "\n").encode("utf-8")

    # ------------------------------------------------------------------ plain JSON and CSV (one resource)
    def plain_json(self, subject: Node, triples: Sequence[Triple], label: str) -> bytes:
        """``{"iri", "label", "statements": [{"predicate", "object", "type", ...}]}`` for people and scripts."""
        rows = [self._row(p, o) for s, p, o in sorted(triples, key=lambda t: (self.nt_term(t[1]),
                                                                             self.nt_term(t[2])))
                if s == subject]
        data = {"iri": self.iri(str(subject)), "label": label, "statements": rows}
        return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")

    def _row(self, p: Node, o: Node) -> dict[str, str]:
        row = {"predicate": self.iri(str(p))}
        if isinstance(o, Literal):
            row.update({"object": str(o), "type": "literal"})
            if o.language:
                row["language"] = o.language
            elif o.datatype is not None:
                row["datatype"] = str(o.datatype)
        else:
            row.update({"object": self.iri(str(o)) if isinstance(o, URIRef) else f"_:{o}",
                        "type": "iri" if isinstance(o, URIRef) else "bnode"})
        return row

    def plain_csv(self, subject: Node, triples: Sequence[Triple]) -> bytes:
        """``predicate,object`` rows (RFC 4180, CRLF line ends) of the statements about ``subject``."""
        import csv
        import io

        buffer = io.StringIO()
        out = csv.writer(buffer, lineterminator="\r\n")
        out.writerow(["predicate", "object"])
        for s, p, o in sorted(triples, key=lambda t: (self.nt_term(t[1]), self.nt_term(t[2]))):
            if s == subject:
                out.writerow([self.iri(str(p)), self._row(p, o)["object"]])
        return buffer.getvalue().encode("utf-8")


def _put(index: dict[Node, dict[Node, list[Node]]], key: Node, sub: Node, item: Node) -> None:
    """Append ``item`` to ``index[key][sub]``, making what is missing."""
    inner = index.get(key)
    if inner is None:
        index[key] = {sub: [item]}
        return
    items = inner.get(sub)
    if items is None:
        inner[sub] = [item]
    else:
        items.append(item)


def term_key(node: Node) -> tuple[str, str]:
    """A fixed order of terms: by kind, then text (what :meth:`TripleIndex.value` picks the first of)."""
    return (type(node).__name__, str(node))


class TripleIndex:
    """A set of triples with the lookups a site makes of it, each a dictionary access.

    It answers the part of :class:`rdflib.Graph`'s reading API publishing uses (``value``, ``objects``,
    ``subjects``, ``predicate_objects``, ``subject_objects``, ``subject_predicates``, ``predicates``, ``in``,
    ``len``, iteration) with the same results: on a graph of all England, rdflib's memory store took most of the
    time of publishing in these calls (each one walks its context bookkeeping). Where a subject has several values
    of a property, :meth:`value` gives the first by :func:`term_key`, not whichever the store met first.
    """

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._triples = triples if isinstance(triples, (set, frozenset)) else set(triples)
        spo: dict[Node, dict[Node, list[Node]]] = {}
        pos: dict[Node, dict[Node, list[Node]]] = {}
        osp: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p, o in self._triples:
            _put(spo, s, p, o)
            _put(pos, p, o, s)
            incoming = osp.get(o)
            if incoming is None:
                osp[o] = [(s, p)]
            else:
                incoming.append((s, p))
        self._spo, self._pos, self._osp = spo, pos, osp

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __contains__(self, pattern: tuple[Node | None, Node | None, Node | None]) -> bool:
        s, p, o = pattern
        if s is not None and p is not None and o is not None:
            return (s, p, o) in self._triples
        return next(iter(self.triples(pattern)), None) is not None

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        """The triples matching ``pattern`` (None matches anything)."""
        s, p, o = pattern
        if s is not None:
            for p2, objs in self._spo.get(s, {}).items():
                if p is None or p2 == p:
                    yield from ((s, p2, o2) for o2 in objs if o is None or o2 == o)
        elif p is not None:
            for o2, subs in self._pos.get(p, {}).items():
                if o is None or o2 == o:
                    yield from ((s2, p, o2) for s2 in subs)
        elif o is not None:
            yield from ((s2, p2, o) for s2, p2 in self._osp.get(o, ()))
        else:
            yield from self._triples

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """The value of ``predicate`` for ``subject`` (the first by :func:`term_key` when there are several)."""
        found = self._spo.get(subject)
        values = found.get(predicate) if found is not None else None
        if not values:
            return None
        return values[0] if len(values) == 1 else min(values, key=term_key)

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is not None and predicate is not None:
            return iter(self._spo.get(subject, {}).get(predicate, ()))
        return (t[2] for t in self.triples((subject, predicate, None)))

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        if predicate is not None and object is not None:
            return iter(self._pos.get(predicate, {}).get(object, ()))
        if predicate is None and object is None:
            return iter(self._spo)
        return (t[0] for t in self.triples((None, predicate, object)))

    def predicates(self) -> Iterator[Node]:
        """Every triple's predicate (once per triple, as rdflib's ``predicates()``)."""
        for p, by_o in self._pos.items():
            for subs in by_o.values():
                yield from (p for _ in subs)

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        for p, objs in self._spo.get(subject, {}).items():
            yield from ((p, o) for o in objs)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for o, subs in self._pos.get(predicate, {}).items():
            yield from ((s, o) for s in subs)

    def subject_predicates(self, object: Node) -> Iterator[tuple[Node, Node]]:
        return iter(self._osp.get(object, ()))


def describe(graph: Graph | TripleIndex, subject: Node,
             extra: Callable[[Node], Iterable[Triple]] | None = None) -> list[Triple]:
    """The concise bounded description of ``subject``: its statements and, through blank nodes, theirs."""
    out: list[Triple] = Distinct() if extra is None else []
    todo = [subject]
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            out.append((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
        if extra is not None and node == subject:
            out.extend(extra(node))
    return out


MEDIA_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}

__all__ = ["MEDIA_TYPES", "Distinct", "Triple", "TripleIndex", "Writer", "canonical_bnodes", "canonicalise", "describe", "relabel",
           "term_key"]

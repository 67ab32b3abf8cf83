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
from collections.abc import Callable, Iterable, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

from ccgkg.namespaces import BASE, PREFIXES

Triple = tuple[Node, Node, Node]
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

    def turtle(self, triples: Iterable[Triple]) -> bytes:
        """Turtle: used prefixes, then one block per subject (sorted), ``a`` first, predicates and objects sorted."""
        used: set[str] = set()

        def text(node: Node) -> str:
            if isinstance(node, URIRef):
                curie, prefix = self._curie(node)
                if prefix:
                    used.add(prefix)
                return curie
            if isinstance(node, BNode):
                return f"_:{node}"
            assert isinstance(node, Literal)
            if node.datatype is not None and node.datatype != XSD.string and node.language is None:
                lexical = _quoteLiteral(Literal(str(node)))
                return f"{lexical}^^{text(node.datatype)}"
            return _quoteLiteral(node)

        by_subject: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for s, p, o in set(triples):
            pred = "a" if p == RDF.type else text(p)
            by_subject[text(s)][pred].add(text(o))
        blocks = []
        for subject in sorted(by_subject):
            preds = by_subject[subject]
            order = sorted(preds, key=lambda k: (k != "a", k))
            lines = [f"{pred} {' , '.join(sorted(preds[pred]))}" for pred in order]
            blocks.append(subject + " " + " ;\n    ".join(lines) + " .\n")
        head = "".join(f"@prefix {p}: <{self.prefixes[p]}> .\n" for p in sorted(used))
        return (head + "\n" + "\n".join(blocks)).encode("utf-8")

    # ------------------------------------------------------------------ JSON-LD
    def jsonld_data(self, triples: Iterable[Triple]) -> dict[str, object]:
        """Flattened JSON-LD with a prefix context: one node object per subject, in subject order."""
        used: set[str] = set()

        def iri(node: Node) -> str:
            if isinstance(node, BNode):
                return f"_:{node}"
            curie, prefix = self._curie(node)  # type: ignore[arg-type]
            if prefix:
                used.add(prefix)
                return curie
            return curie[1:-1]

        def value(node: Node) -> dict[str, str]:
            if not isinstance(node, Literal):
                return {"@id": iri(node)}
            out = {"@value": str(node)}
            if node.language:
                out["@language"] = node.language
            elif node.datatype is not None and node.datatype != XSD.string:
                out["@type"] = iri(node.datatype)
            return out

        nodes: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in sorted(set(triples), key=lambda t: (self.nt_term(t[0]), self.nt_term(t[1]),
                                                           self.nt_term(t[2]))):
            node = nodes[iri(s)]
            if p == RDF.type and not isinstance(o, Literal):
                node["@type"].append(iri(o))
            else:
                node[iri(p)].append(value(o))
        graph = [{"@id": sid, **{k: props[k] for k in sorted(props)}} for sid, props in sorted(nodes.items())]
        context = {p: self.prefixes[p] for p in sorted(used)}
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


def describe(graph: Graph, subject: Node, extra: Callable[[Node], Iterable[Triple]] | None = None) -> list[Triple]:
    """The concise bounded description of ``subject``: its statements and, through blank nodes, theirs."""
    out: list[Triple] = []
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

__all__ = ["MEDIA_TYPES", "Triple", "Writer", "canonical_bnodes", "canonicalise", "describe", "relabel"]

"""Query results written out: an aligned table, and the W3C formats exactly as their specifications define them.

- ``json``: SPARQL 1.1 Query Results JSON Format (https://www.w3.org/TR/sparql11-results-json/): ``head.vars``
  and ``results.bindings``; each bound value ``{"type": "uri" | "literal" | "bnode", "value": ...}`` with
  ``datatype`` (not for xsd:string) or ``xml:lang``; an ASK result is ``{"head": {}, "boolean": ...}``.
- ``csv``: SPARQL 1.1 Query Results CSV (https://www.w3.org/TR/sparql11-results-csv-tsv/): a header of variable
  names, plain values (IRIs bare, literals as their lexical form, blank nodes ``_:label``), unbound as empty,
  RFC 4180 quoting, CRLF line ends.
- ``tsv``: the TSV format of the same note: a header of ``?name``, values in RDF term syntax (``<iri>``,
  ``"text"@en``, ``"1"^^<...#integer>``), tabs and newlines in strings escaped, LF line ends.
- ``jsonl``: one JSON object per row, each value the W3C JSON binding object (unbound variables left out).
- ``table``: for people: IRIs shortened to ccgkg CURIEs, literals as text, unbound as ``-``.
- ``turtle`` / ``jsonld``: the graph of a CONSTRUCT or DESCRIBE query.

A CONSTRUCT or DESCRIBE result asked for as rows is given as sorted ``subject predicate object`` rows.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ccgkg.errors import InputError
from ccgkg.namespaces import PREFIXES
from ccgkg.queries import QueryResult

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "turtle", "jsonld")
GRAPH_FORMATS = {"turtle": "turtle", "jsonld": "json-ld"}


def render(result: QueryResult, fmt: str) -> bytes:
    """``result`` in ``fmt`` (one of :data:`FORMATS`), as UTF-8 bytes.

    Raises:
        InputError: ``turtle``/``jsonld`` asked of a SELECT or ASK result, or an unknown format.
    """
    if fmt in GRAPH_FORMATS:
        if result.graph is None:
            raise InputError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; this is a {result.form} query",
                             hint="use table, csv, tsv, json or jsonl for SELECT and ASK results")
        return result.graph.serialize(format=GRAPH_FORMATS[fmt], encoding="utf-8")
    if fmt not in FORMATS:
        raise InputError(f"unknown result format {fmt!r}", hint="use one of " + ", ".join(FORMATS))
    if result.boolean is not None:
        return _render_boolean(result.boolean, fmt)
    rows = _rows_of(result)
    writer = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "jsonl": _jsonl}[fmt]
    return writer(*rows).encode("utf-8")


def _rows_of(result: QueryResult) -> tuple[tuple[str, ...], tuple[tuple[Node | None, ...], ...]]:
    if result.graph is not None:
        return ("subject", "predicate", "object"), tuple(sorted(result.graph))
    return result.variables, result.rows


def _render_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps({"head": {}, "boolean": value}, indent=2) + "\n").encode("utf-8")
    if fmt == "jsonl":
        return (json.dumps({"boolean": value}) + "\n").encode("utf-8")
    return (("true" if value else "false") + ("\r\n" if fmt == "csv" else "\n")).encode("utf-8")


def binding(term: Node) -> dict[str, str]:
    """The SPARQL 1.1 JSON binding object of one term."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    raise InputError(f"cannot write {term!r} as a SPARQL result value")


def _json(variables: tuple[str, ...], rows: tuple[tuple[Node | None, ...], ...]) -> str:
    bindings = [{v: binding(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    doc: dict[str, Any] = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _jsonl(variables: tuple[str, ...], rows: tuple[tuple[Node | None, ...], ...]) -> str:
    lines = [json.dumps({v: binding(t) for v, t in zip(variables, row) if t is not None}, ensure_ascii=False)
             for row in rows]
    return "".join(line + "\n" for line in lines)


def _plain(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _csv(variables: tuple[str, ...], rows: tuple[tuple[Node | None, ...], ...]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_plain(t) for t in row])
    return buf.getvalue()


_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def term_syntax(term: Node | None) -> str:
    """One term in the RDF term syntax of SPARQL TSV results (Turtle/N-Triples forms; unbound is empty)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    body = "".join(_TSV_ESCAPES.get(ch, ch) for ch in str(term))
    if term.language:
        return f'"{body}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{body}"^^<{term.datatype}>'
    return f'"{body}"'


def _tsv(variables: tuple[str, ...], rows: tuple[tuple[Node | None, ...], ...]) -> str:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(term_syntax(t) for t in row) for row in rows]
    return "".join(line + "\n" for line in lines)


def short(term: Node | None) -> str:
    """A term for people: an IRI as a CURIE where a ccgkg prefix fits, a literal as its text, unbound as ``-``."""
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        text = str(term)
        best = max(((p, ns) for p, ns in PREFIXES.items() if text.startswith(ns)), key=lambda pn: len(pn[1]),
                   default=None)
        if best and text[len(best[1]):] and all(c not in text[len(best[1]):] for c in "/#?"):
            return f"{best[0]}:{text[len(best[1]):]}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split()) or '""'


def _table(variables: tuple[str, ...], rows: tuple[tuple[Node | None, ...], ...]) -> str:
    cells = [tuple(short(t) for t in row) for row in rows]
    widths = [max(len(x) for x in col) for col in zip(variables, *cells)] if variables else []
    lines = []
    for row in [variables, tuple("-" * w for w in widths), *cells]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def parse_json_results(payload: bytes | str) -> QueryResult:
    """A SPARQL 1.1 JSON results document (as an endpoint sends it) read back into a :class:`QueryResult`.

    Raises:
        InputError: the document is not SPARQL JSON results.
    """
    from ccgkg.queries import canonical

    try:
        doc = json.loads(payload)
        if "boolean" in doc:
            return QueryResult(form="ASK", boolean=bool(doc["boolean"]))
        variables = tuple(doc["head"]["vars"])
        rows = tuple(tuple(canonical(_term(b[v])) if v in b else None for v in variables)
                     for b in doc["results"]["bindings"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"the endpoint's answer is not SPARQL JSON results: {exc}") from None
    return QueryResult(form="SELECT", variables=variables, rows=rows)


def _term(value: dict[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        dtype = value.get("datatype")
        return Literal(value["value"], datatype=URIRef(dtype) if dtype and dtype != str(XSD.string) else None,
                       normalize=False)
    raise ValueError(f"unknown term type {kind!r}")


__all__ = ["FORMATS", "GRAPH_FORMATS", "binding", "parse_json_results", "render", "short", "term_syntax"]

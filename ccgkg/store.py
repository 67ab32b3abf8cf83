"""Load RDF, and the tabular inputs of ``ccgkg import``, into rdflib graphs; give the bundled graphs.

This is the one place inputs are read. ``load(*sources)`` takes RDF files in any common syntax, folders of them,
and folders or files that the importers recognise (an analyst workbook, ODS or ONS CSV files); it returns one
merged :class:`rdflib.Graph`. Parse failures raise :class:`ParseError` naming the file and line.

The bundled ontology and shapes are parsed once per process (``ontology_graph()``, ``shapes_graph()``); callers
must not mutate them: take ``copy_graph()`` first.
"""

from __future__ import annotations

import functools
import json
import re
import xml.parsers.expat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node
from rdflib.util import guess_format

from ccgkg import resources
from ccgkg.errors import ParseError, SourceNotFound
from ccgkg.namespaces import bind_prefixes

RDF_SUFFIXES = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".n3": "n3", ".nq": "nquads",
    ".trig": "trig", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".jsonld": "json-ld", ".json-ld": "json-ld",
}
TABULAR_SUFFIXES = {".csv", ".tsv", ".txt"}

_LINE_RE = re.compile(r"line (\d+)", re.IGNORECASE)


def rdf_format(path: Path) -> str | None:
    """The rdflib parser name for a file, from its suffix; None when it is not an RDF file."""
    return RDF_SUFFIXES.get(path.suffix.lower()) or guess_format(str(path))


def parse_into(graph: Graph, data: str | bytes, *, fmt: str, name: str) -> None:
    """Parse ``data`` into ``graph``; on failure raise :class:`ParseError` naming ``name`` and the line.

    Before parsing, JSON-LD is checked to name no remote or file ``@context`` (rdflib would fetch it) and RDF/XML
    to declare no external, parameter or nested entities (a "billion laughs" expands to gigabytes). After
    parsing, a literal whose lexical form is not in its XSD datatype (``"2016-02-30"^^xsd:date``,
    ``"abc"^^xsd:decimal``) is refused, naming the line, value and datatype.
    """
    if fmt == "json-ld":
        check_jsonld(data, name=name)
    elif fmt == "xml":
        check_xml_entities(data, name=name)
    target = graph if len(graph) == 0 else Graph(bind_namespaces="none")
    try:
        target.parse(data=data, format=fmt)
    except Exception as exc:  # rdflib raises many types (BadSyntax, ParserError, SAXParseException, JSONDecodeError)
        line, reason = _locate(exc, data)
        where = f"{name} (line {line})" if line else name
        raise ParseError(f"cannot parse {where} as {fmt}: {reason}", path=name, line=line,
                         hint="fix the syntax at that line, or give the file a suffix that names its format "
                              "(.ttl, .nt, .jsonld, .rdf, .trig)") from None
    check_literals(target, data, name=name)
    if target is not graph:
        known = {str(ns) for _prefix, ns in graph.namespaces()}
        for prefix, ns in target.namespaces():
            if str(ns) not in known:
                graph.bind(prefix, ns, override=False)
        graph += target


def check_literals(graph: Graph, data: str | bytes = "", *, name: str = "input") -> None:
    """Refuse the first ill-typed literal of ``graph`` (a lexical form outside its XSD datatype's lexical space).

    Raises:
        ParseError: naming ``name``, the line of ``data`` where the value first appears, the value and datatype.
    """
    _check_objects(graph.objects(), data, name=name)


def _check_objects(objects: Iterable[Node], data: str | bytes, *, name: str) -> None:
    for term in objects:
        if isinstance(term, Literal) and term.ill_typed:
            datatype = term.datatype or XSD.string
            short = str(datatype).replace(str(XSD), "xsd:")
            line = _line_of(data, str(term))
            where = f"{name} (line {line})" if line else name
            raise ParseError(f"{where}: {str(term)!r} is not a valid {short}", path=name, line=line,
                             hint=_LITERAL_HINTS.get(short, f"write a value in the lexical space of {short}"))


_LITERAL_HINTS = {
    "xsd:date": "write a real calendar date as YYYY-MM-DD, e.g. 2016-02-29",
    "xsd:dateTime": "write YYYY-MM-DDThh:mm:ss, e.g. 2016-02-29T09:00:00",
    "xsd:decimal": "write a decimal number such as 1250.50 (digits, one '.', an optional sign; no commas)",
    "xsd:integer": "write a whole number such as 42",
    "xsd:boolean": "write true, false, 1 or 0",
}


def _line_of(data: str | bytes, value: str) -> int | None:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    for number, line in enumerate(text.splitlines(), start=1):
        if value in line:
            return number
    return None


def check_jsonld(data: str | bytes, *, name: str) -> None:
    """Refuse a JSON-LD document whose ``@context`` (or ``@import``) names another document.

    rdflib would fetch it: from the network, or from a file for a relative or ``file:`` reference. Loading input
    never reads anything but the files named.

    Raises:
        ParseError: naming the context and how to supply it locally.
    """
    try:
        document = json.loads(data)
    except ValueError:
        return  # the parser reports the syntax error with its line
    stack: list[Any] = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    for ref in value if isinstance(value, list) else [value]:
                        if isinstance(ref, str):
                            raise ParseError(
                                f"{name}: the JSON-LD {key} {ref!r} is another document; ccgkg does not fetch "
                                "contexts from the network or other files", path=name,
                                hint=f"copy the context object that {ref} serves into the file in place of the "
                                     f"reference (\"{key}\": {{ ... }})")
                stack.append(value)


class _EntityRefused(Exception):
    pass


def check_xml_entities(data: str | bytes, *, name: str) -> None:
    """Refuse an RDF/XML document that declares external or parameter entities, or entities whose value uses
    another entity (the nesting of a "billion laughs"), or whose entities would expand past a few megabytes.

    Plain internal entities such as ``<!ENTITY owl "http://www.w3.org/2002/07/owl#">`` (common in exported
    ontologies) are allowed.

    Raises:
        ParseError: naming the entity and why it is refused.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if b"<!ENTITY" not in raw:
        return
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    declared: dict[str, int] = {}

    def entity(entity_name: str, is_parameter: int, value: str | None, _base: str | None, system_id: str | None,
               public_id: str | None, _notation: str | None) -> None:
        if is_parameter:
            raise _EntityRefused(f"the parameter entity %{entity_name} is refused")
        if value is None:
            raise _EntityRefused(f"the external entity &{entity_name}; ({system_id or public_id}) is refused: "
                                 "loading input never reads other files or URLs")
        if re.search(r"&[A-Za-z_:][\w.:-]*;|%[A-Za-z_:][\w.:-]*;", value):
            raise _EntityRefused(f"the entity &{entity_name}; uses another entity: nested entities can expand "
                                 "to gigabytes (a \"billion laughs\") and are refused")
        declared[entity_name] = len(value)

    def stop_at_content(*_args: Any) -> None:
        raise StopIteration

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = stop_at_content
    try:
        parser.Parse(raw, True)
    except _EntityRefused as exc:
        raise ParseError(f"{name} (line {parser.CurrentLineNumber}): {exc}", path=name, line=parser.CurrentLineNumber,
                         hint="write the values out in full instead of declaring entities") from None
    except (StopIteration, xml.parsers.expat.ExpatError):
        pass  # the declarations are read; syntax errors are the parser's to report
    expanded = sum(size * raw.count(f"&{ent};".encode()) for ent, size in declared.items())
    if expanded > max(_MAX_ENTITY_EXPANSION, 10 * len(raw)):
        raise ParseError(f"{name}: its entities would expand to {expanded:,} characters; refused", path=name,
                         hint="write the values out in full instead of declaring entities")


_MAX_ENTITY_EXPANSION = 16 * 1024 * 1024


def _locate(exc: Exception, data: str | bytes) -> tuple[int | None, str]:
    """The 1-based line and a one-line reason for a parser exception."""
    why = getattr(exc, "_why", None)
    if why is not None and isinstance(getattr(exc, "lines", None), int):  # rdflib's Turtle/N3 BadSyntax
        return exc.lines + 1, str(why)  # type: ignore[attr-defined]
    text = " ".join(str(exc).split())[:300]
    bad = re.match(r"Invalid line: (.*)", str(exc))  # rdflib's N-Triples/N-Quads ParserError
    if bad:
        body = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        for number, candidate in enumerate(body.splitlines(), start=1):
            if candidate.strip().endswith(bad.group(1).strip()):  # rdflib quotes the unparsed rest of the line
                return number, "invalid statement"
    for attr in ("lineno", "_linenumber"):
        if isinstance(getattr(exc, attr, None), int):
            return getattr(exc, attr), text
    getter = getattr(exc, "getLineNumber", None)  # xml.sax.SAXParseException
    if callable(getter):
        return getter(), text
    match = _LINE_RE.search(text)
    return (int(match.group(1)) if match else None), text


def _expand(sources: Iterable[str | Path]) -> list[Path]:
    paths: list[Path] = []
    for source in sources:
        path = Path(source)
        if not path.exists():
            raise SourceNotFound(f"no such file or folder: {path}",
                                 hint="check the path; ccgkg reads RDF files, folders of them, workbooks and ODS files")
        paths.append(path)
    return paths


def _tabular_loader() -> Callable[[Path], Graph | None]:  # lazy: store must not import the importers at load
    from ccgkg.importers import load_tabular

    return load_tabular


def load(*sources: str | Path, graph: Graph | None = None) -> Graph:
    """Load every source into one graph (a new one unless ``graph`` is given) and return it.

    A folder is read as a workbook or an ODS/ONS folder when the importers recognise it, and every RDF file
    below it is read too, in sorted order. A CSV file is handed to the importers.

    Raises:
        SourceNotFound: a source does not exist.
        ParseError: an RDF file does not parse.
        InputError: the importers reject tabular input (with file, row and column).
    """
    target = bind_prefixes(graph if graph is not None else Graph())
    for path in _expand(sources):
        if path.is_dir():
            loaded = _load_tabular(path)
            if loaded is not None:
                target += loaded
            rdf_files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in RDF_SUFFIXES)
            for file in rdf_files:
                parse_into(target, file.read_bytes(), fmt=rdf_format(file) or "turtle", name=str(file))
        elif path.suffix.lower() in TABULAR_SUFFIXES:
            loaded = _load_tabular(path)
            if loaded is None:
                raise ParseError(f"cannot read {path}: not a workbook file, ODS file or ONS lookup ccgkg knows",
                                 path=str(path), hint="see `ccgkg import --help` for the files ccgkg reads")
            target += loaded
        else:
            fmt = rdf_format(path)
            if fmt is None:
                raise ParseError(f"cannot tell the RDF syntax of {path} from its suffix", path=str(path),
                                 hint="use one of " + ", ".join(sorted(RDF_SUFFIXES)))
            parse_into(target, path.read_bytes(), fmt=fmt, name=str(path))
    return target


Triple = tuple[Node, Node, Node]

#: the rdflib parser names of the syntaxes :func:`read_triples` parses with pyoxigraph
_NATIVE_SYNTAXES = {"turtle": "TURTLE", "nt": "N_TRIPLES"}
#: where pyoxigraph and rdflib read the same text as different terms: an explicit ``xsd:string`` (rdflib keeps the
#: datatype, RDF 1.1 and pyoxigraph drop it) and a language tag with a capital (pyoxigraph lowercases it). A file
#: that may hold either is read by rdflib.
_RDFLIB_ONLY = re.compile(rb"\^\^\s*(?:<http://www\.w3\.org/2001/XMLSchema#string>|[A-Za-z_][\w.-]*:string\b|:string\b)"
                          rb"|[\"']@[A-Za-z0-9-]*[A-Z]")


def read_triples(*sources: str | Path) -> set[Triple]:
    """The triples :func:`load` gives for ``sources``, as a set, without building a graph (the fast path of
    ``infer`` and ``push``).

    A Turtle or N-Triples file is parsed by pyoxigraph (about twenty times faster than rdflib) into the terms
    rdflib's parser makes, ill-typed literals refused as :func:`parse_into` refuses them; any other source, and a
    file pyoxigraph cannot read or may read differently (see ``_RDFLIB_ONLY``), goes through :func:`load`, so its
    errors are the ones ``load`` reports.

    Raises:
        SourceNotFound, ParseError, InputError: as :func:`load`.
    """
    out: set[Triple] = set()
    rest: list[Path] = []
    for path in _expand(sources):
        triples = None if path.is_dir() else _native_triples(path)
        if triples is None:
            rest.append(path)
        else:
            out |= triples
    if rest:
        out.update(load(*rest))
    return out


def _native_triples(path: Path) -> set[Triple] | None:
    """The triples of one RDF file parsed by pyoxigraph; None when rdflib must read it."""
    import pyoxigraph as ox

    from ccgkg.errors import CcgkgError
    from ccgkg.oxstore import from_ox

    syntax = _NATIVE_SYNTAXES.get(rdf_format(path) or "")
    if syntax is None:
        return None
    data = path.read_bytes()
    if _RDFLIB_ONLY.search(data):
        return None
    terms: dict[Any, Node] = {}

    def term(value: Any) -> Node:
        found = terms.get(value)
        if found is None:
            found = terms[value] = from_ox(value)  # type: ignore[assignment]
        return found  # type: ignore[return-value]

    try:  # blank nodes renamed, as rdflib names them afresh in each parse; no base: a relative IRI goes to rdflib
        quads = ox.parse(data, getattr(ox.RdfFormat, syntax), rename_blank_nodes=True)
        triples = {(term(q.subject), term(q.predicate), term(q.object)) for q in quads}
    except (SyntaxError, ValueError, CcgkgError):  # rdflib reads it and reports what is wrong
        return None
    _check_objects((t for t in terms.values() if isinstance(t, Literal)), data, name=str(path))
    return triples


def _load_tabular(path: Path) -> Graph | None:
    try:
        loader = _tabular_loader()
    except ImportError:
        return None
    return loader(path)


def load_dataset(*sources: str | Path) -> Dataset:
    """Load every RDF source file into its own named graph (named by the file's URI)."""
    ds = Dataset()
    bind_prefixes(ds)
    for path in _expand(sources):
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in RDF_SUFFIXES) if path.is_dir() else [path]
        for file in files:
            g = ds.graph(URIRef(file.resolve().as_uri()))
            parse_into(g, file.read_bytes(), fmt=rdf_format(file) or "turtle", name=str(file))
    return ds


@functools.lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The bundled ontology (core, concepts and every Act module), parsed once. Do not mutate it."""
    g = bind_prefixes(Graph())
    for res in resources.ontology_files():
        parse_into(g, res.read_bytes(), fmt="turtle", name=f"ontology/{res.name}")
    return g


@functools.lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The bundled SHACL shapes, parsed once. Do not mutate it."""
    g = bind_prefixes(Graph())
    for res in resources.shapes_files():
        parse_into(g, res.read_bytes(), fmt="turtle", name=f"shapes/{res.name}")
    return g


def sample_graph() -> Graph:
    """The bundled sample data (a slice of England around Wigan, Warrington and Halton)."""
    g = bind_prefixes(Graph())
    for res in resources.bundled_files("sample", tuple(RDF_SUFFIXES)):
        parse_into(g, res.read_bytes(), fmt=RDF_SUFFIXES.get(Path(res.name).suffix, "turtle"),
                   name=f"data/sample/{res.name}")
    return g


def copy_graph(graph: Graph) -> Graph:
    """A mutable copy of ``graph`` with the same prefixes."""
    out = bind_prefixes(Graph())
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=False)
    out += graph
    return out


__all__ = ["RDF_SUFFIXES", "TABULAR_SUFFIXES", "check_jsonld", "check_literals", "check_xml_entities", "copy_graph",
           "load", "load_dataset", "ontology_graph", "parse_into", "rdf_format", "read_triples", "sample_graph",
           "shapes_graph"]

"""Load RDF, and the tabular inputs of ``ccgkg import``, into rdflib graphs; give the bundled graphs.

This is the one place inputs are read. ``load(*sources)`` takes RDF files in any common syntax, folders of them,
and folders or files that the importers recognise (an analyst workbook, ODS or ONS CSV files); it returns one
merged :class:`rdflib.Graph`. Parse failures raise :class:`ParseError` naming the file and line.

The bundled ontology and shapes are parsed once per process (``ontology_graph()``, ``shapes_graph()``); callers
must not mutate them: take ``copy_graph()`` first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
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
    """Parse ``data`` into ``graph``; on failure raise :class:`ParseError` naming ``name`` and the line."""
    try:
        graph.parse(data=data, format=fmt)
    except Exception as exc:  # rdflib raises many types (BadSyntax, ParserError, SAXParseException, JSONDecodeError)
        line, reason = _locate(exc, data)
        where = f"{name} (line {line})" if line else name
        raise ParseError(f"cannot parse {where} as {fmt}: {reason}", path=name, line=line,
                         hint="fix the syntax at that line, or give the file a suffix that names its format "
                              "(.ttl, .nt, .jsonld, .rdf, .trig)") from None


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


def _tabular_loader():  # lazy: store must not import the importers at module load
    from ccgkg.importers import load_tabular  # type: ignore[attr-defined]

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


__all__ = [
    "RDF_SUFFIXES",
    "TABULAR_SUFFIXES",
    "copy_graph",
    "load",
    "load_dataset",
    "ontology_graph",
    "parse_into",
    "rdf_format",
    "sample_graph",
    "shapes_graph",
]

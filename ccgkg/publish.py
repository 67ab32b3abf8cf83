"""Linked-data publishing: the knowledge graph as dereferenceable resources, a static site, dumps and a dataset
description. ``ccgkg publish`` writes :meth:`Site.files` to a folder; ``ccgkg serve`` (:mod:`ccgkg.server`) answers
the same documents over HTTP with content negotiation.

IRI scheme (docs/publishing.md): a resource lives at the path of its IRI below the base. Identifiers of things
in the world (``id/org/02H``, ``id/post/...``, findings ``id/finding/<run>/<key>``, runs ``id/run/<key>``) answer
303 to their document ``doc/...``; terms, provisions, shapes and named queries (``ont/...``, ``shapes/...``,
``queries/...``) are their own documents. A document ``P`` is offered as ``P.html``, ``P.ttl``, ``P.jsonld``,
``P.nt``, ``P.json`` and ``P.csv``.

Output is deterministic: triples are written sorted, blank nodes are labelled by content, gzip carries no time.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import html
import io
import posixpath
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files as package_files
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from ccgkg import __version__, law, queries, results, validation
from ccgkg.errors import CcgkgError, PublishError
from ccgkg.namespaces import BASE, CCGKG, DCTERMS, ORG
from ccgkg.rdfout import (
    MEDIA_TYPES,
    Triple,
    TripleIndex,
    Writer,
    canonical_bnodes,
    describe,
    relabel,
)
from ccgkg.service import Limits, QueryService, load_store, results_xml

Progress = Callable[[str], None]

DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
SPDX = "http://spdx.org/rdf/terms#"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
LEGISLATION = "https://www.legislation.gov.uk/"
RDF_FORMATS = ("ttl", "jsonld", "nt")
FORMATS = ("html", "ttl", "jsonld", "nt", "json", "csv")
FORMAT_NAMES = {"html": "HTML", "ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "json": "JSON",
                "csv": "CSV"}
DATASET = BASE + "dataset"
SPARQL = BASE + "sparql"
#: the organisation class -> the holder keyword of ``ccgkg law duties``.
HOLDER_KEYWORDS = {
    CCGKG.ClinicalCommissioningGroup: "ccg", CCGKG.HealthAndWellbeingBoard: "hwb", CCGKG.LocalAuthority:
    "local-authority", CCGKG.NHSCommissioningBoard: "board", CCGKG.IntegratedCareBoard: "icb",
}
_TYPE = frozenset([RDF.type])
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
_CLASS_TYPES = (OWL.Class, RDFS.Class)
SITEMAP_MAX = 50_000
#: the kind of a resource, by the start of its path below the base (first match).
_PATH_KINDS = (("id/org/", "organisation"), ("id/finding/", "finding"), ("id/run/", "run"), ("id/", "record"),
               ("shapes/", "shape"), ("queries/", "query"))


@functools.cache
def _template(name: str) -> str:
    return package_files("ccgkg").joinpath("templates", name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _page_template() -> string.Template:
    return string.Template(_template("page.html"))


def doc_path(iri: str) -> str | None:
    """The document path (below the base, without a suffix) of a resource IRI; None when not under the base.

    ``.../id/org/02H`` -> ``doc/org/02H``; ``.../ont/core/Post`` -> ``ont/core/Post``; an IRI ending in ``/``
    (an ontology module) -> ``.../index``.
    """
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE):]
    if not rest or "?" in rest or "#" in rest or ".." in rest.split("/"):
        return None
    if rest.startswith("id/"):
        rest = "doc/" + rest[3:]
    if rest.endswith("/"):
        rest += "index"
    return rest


def iri_of_path(path: str) -> str:
    """The resource IRI whose document is ``path`` (inverse of :func:`doc_path`)."""
    if path.startswith("doc/"):
        path = "id/" + path[4:]
    if path.endswith("/index"):
        path = path[:-5]
    return BASE + path


def _node_key(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    return (type(value).__name__, str(value))


def _sorted(nodes: Iterable[Any]) -> list[Any]:
    """Nodes (or tuples of nodes) in a fixed order: by text."""
    return sorted(nodes, key=_node_key)


def relative_path(folder: str, target: str) -> str:
    """``target`` (a path below the site's root) as a relative link from a page in ``folder`` (also below it)."""
    here = folder.split("/") if folder else []
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


@functools.lru_cache(maxsize=1 << 16)
def _escaped(text: str) -> str:
    return html.escape(text, quote=True)


def _esc(value: object) -> str:
    return _escaped(str(value))  # labels, codes and dates repeat from page to page


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "-"


@dataclass(frozen=True)
class FindingRecord:
    """A finding of the validation run with the IRI it is published under."""

    iri: str
    finding: validation.Finding


def _finding_key(f: validation.Finding) -> str:
    text = "\n".join([f.shape, f.focus, _iso(f.date), f.severity, f.message, f.path or "", f.value or ""])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _data_digest(data: Graph) -> str:
    """A digest of the data's triples, independent of their order (blank nodes by content)."""
    triples = list(data)  # read once (each read of an rdflib graph walks its store)
    if any(isinstance(s, BNode) or isinstance(o, BNode) for s, _p, o in triples):
        triples = relabel(triples)
    lines = sorted("\x1f".join((str(s), str(p), str(o), str(getattr(o, "datatype", "") or ""),
                                 str(getattr(o, "language", "") or ""), type(o).__name__)) for s, p, o in triples)
    return hashlib.sha1("\x1e".join(lines).encode("utf-8")).hexdigest()


def run_graph(result: validation.ValidationResult, run_iri: str, *, inference: str, data_triples: int,
              ) -> tuple[list[Triple], list[FindingRecord]]:
    """The validation run as RDF: ``<run> a sh:ValidationReport, prov:Activity ; sh:result <finding> ...``, each
    finding with an IRI, its severity, message, shape, focus, organisation, provisions and first day."""
    run = URIRef(run_iri)
    out: list[Triple] = [
        (run, RDF.type, SH.ValidationReport), (run, RDF.type, URIRef(PROV + "Activity")),
        (run, RDFS.label, Literal("validation run " + run_iri.rsplit("/", 1)[-1])),
        (run, SH.conforms, Literal(result.conforms)),
        (run, URIRef(PROV + "used"), URIRef(DATASET)),
        (run, URIRef(PROV + "wasAssociatedWith"), URIRef(f"https://pypi.org/project/ccgkg/{__version__}/")),
        (run, DCTERMS.description, Literal(
            f"ccgkg {__version__} validate, inference {inference}, "
            + (f"as of {result.as_of.isoformat()}" if result.as_of else "every judging day")
            + f", on {data_triples} data triples", lang="en")),
    ]
    if result.as_of:
        out.append((run, CCGKG.onDate, Literal(result.as_of, datatype=XSD.date)))
    records: list[FindingRecord] = []
    seen: set[str] = set()
    for f in result.findings:
        key = _finding_key(f)
        while key in seen:
            key = hashlib.sha1(key.encode()).hexdigest()[:12]
        seen.add(key)
        iri = f"{BASE}id/finding/{run_iri.rsplit('/', 1)[-1]}/{key}"
        records.append(FindingRecord(iri, f))
        node = URIRef(iri)
        out += [(run, SH.result, node), (node, RDF.type, SH.ValidationResult),
                (node, RDFS.label, Literal(f"{f.severity} {f.organisation_code or ''} {_iso(f.date)}".strip())),
                (node, SH.resultSeverity, SH[f.severity.capitalize()]),
                (node, SH.resultMessage, Literal(f.message)),
                (node, SH.sourceShape, URIRef(f.shape) if "://" in f.shape else Literal(f.shape)),
                (node, SH.focusNode, URIRef(f.focus) if "://" in f.focus else Literal(f.focus)),
                (node, URIRef(PROV + "wasGeneratedBy"), run)]
        if f.organisation:
            out.append((node, CCGKG.organisation, URIRef(f.organisation)))
        if f.date:
            out.append((node, CCGKG.onDate, Literal(f.date, datatype=XSD.date)))
        if f.path and "://" in f.path:
            out.append((node, SH.resultPath, URIRef(f.path)))
        if f.value:
            out.append((node, SH.value, URIRef(f.value) if "://" in f.value else Literal(f.value)))
        for ref in f.provisions:
            out.append((node, CCGKG.provision, URIRef(ref.iri)))
    return out, records


def published_graph(data: Graph, report: Iterable[Triple], *, inference: str) -> TripleIndex:
    """The graph a site publishes: the triples of :func:`ccgkg.queries.query_graph` (data, ontology, what
    ``inference`` adds, shapes, the named-query catalogue) and the run's ``report``, blank nodes labelled by
    content (:func:`ccgkg.rdfout.relabel`), held in a :class:`TripleIndex` (no rdflib graph is built)."""
    from ccgkg.oxstore import query_sources

    triples: set[Triple] = set(report)
    for source in query_sources(data, inference=inference):
        triples.update(source)
    blank = [t for t in triples if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    if blank:
        triples.difference_update(blank)
        triples.update(relabel(blank))
    # one object per distinct term: the writers' caches and the index then match by identity, not by rdflib's
    # __eq__ (Python code, called on every hash match between equal terms that are different objects)
    terms: dict[Node, Node] = {RDF.type: RDF.type}  # the writers' own rdf:type, found by identity
    one = terms.setdefault
    return TripleIndex({(one(s, s), one(p, p), one(o, o)) for s, p, o in triples})


class Site:
    """Everything published about one knowledge graph: resources, their documents, indexes, dumps, description.

    Args:
        data: the organisations' data (not changed).
        base: the IRI base the output uses (the graph itself keeps ``https://w3id.org/ccgkg/``).
        as_of: validate on this day only (default: every judging day).
        inference: ``none``, ``rdfs`` or ``owlrl``, for the validation and the published graph.
        progress: called with a progress line now and then on large data.
    """

    def __init__(self, data: Graph, *, base: str = BASE, as_of: dt.date | None = None, inference: str = "rdfs",
                 progress: Progress | None = None) -> None:
        check_base(base)
        self.base, self.as_of, self.inference = base, as_of, inference
        self.say = progress or (lambda _line: None)
        self.writer = Writer(base)
        self.say(f"validating {len(data)} data triples" + (f" as of {as_of}" if as_of else ""))
        self.result = validation.validate(data, as_of=as_of, inference=inference)
        digest = _data_digest(data)
        key = hashlib.sha1(f"{digest}|{as_of}|{inference}|{__version__}".encode()).hexdigest()[:12]
        self.run_iri = f"{BASE}id/run/{key}"
        report, self.findings = run_graph(self.result, self.run_iri, inference=inference, data_triples=len(data))
        self.say("building the published graph")
        self.graph = published_graph(data, report, inference=inference)
        self.data_triples = len(data)
        self._index()

    # ------------------------------------------------------------------------------------------------ indexes
    def _index(self) -> None:
        g = self.graph
        self.law = law.index()
        self.provision_iris = {p.iri: p for p in self.law.provisions.values()}
        self.pages: dict[str, str] = {}
        for s in sorted({str(s) for s in g.subjects() if isinstance(s, URIRef)}):
            path = doc_path(s)
            if path is not None:
                self.pages[s] = path
        self.by_path = {path: iri for iri, path in self.pages.items()}
        self.findings_by_org: dict[str, list[FindingRecord]] = defaultdict(list)
        self.findings_by_provision: dict[str, list[FindingRecord]] = defaultdict(list)
        self.finding_of = {r.iri: r for r in self.findings}
        self.findings_by_shape: dict[str, list[FindingRecord]] = defaultdict(list)
        for r in self.findings:
            self.findings_by_shape[r.finding.shape].append(r)
            if r.finding.organisation:
                self.findings_by_org[r.finding.organisation].append(r)
            for ref in r.finding.provisions:
                self.findings_by_provision[ref.iri].append(r)
        self.shapes_enforcing: dict[str, list[str]] = defaultdict(list)
        for shape, prov in g.subject_objects(CCGKG.enforces):
            self.shapes_enforcing[str(prov)].append(str(shape))
        self.queries_citing: dict[str, list[str]] = defaultdict(list)
        for q, prov in g.subject_objects(CCGKG.answers):
            self.queries_citing[str(prov)].append(str(q))
        self.parts: dict[str, list[str]] = defaultdict(list)
        for part, whole in g.subject_objects(CCGKG.partOf):
            self.parts[str(whole)].append(str(part))
        self.usage = Counter(str(p) for p in g.predicates())
        self.instances = Counter(str(o) for o in g.objects(None, RDF.type))
        self._labels: dict[Node, str] = {}
        self._store: Any = None
        self._coverage: dict[str, list[tuple[Any, Any]]] | None = None
        self._holder_duties: dict[str, list[law.Duty]] = {}
        self._dump_nt: bytes | None = None
        self._results: dict[tuple[str, tuple[tuple[str, str], ...]], queries.QueryResult] = {}
        self._rel: dict[tuple[str, str], str] = {}
        self._folders: dict[str, str] = {}
        self.named = {f"{queries.QUERY_NS}{q.name}": q for q in queries.list_queries()}

    def kind(self, iri: str) -> str:
        """What a resource is: organisation, provision, source, class, property, shape, query, finding, run,
        dataset, ontology, record (a dated fact) or term."""
        rest = iri[len(BASE):]
        node = URIRef(iri)
        for prefix, kind in _PATH_KINDS:
            if rest.startswith(prefix):
                return kind
        if iri in self.provision_iris:
            return "provision"
        types = set(self.graph.objects(node, RDF.type))
        if CCGKG.LegalSource in types or rest.endswith("/act"):
            return "source"
        if OWL.Ontology in types:
            return "ontology"
        if types & set(_CLASS_TYPES):
            return "class"
        if types & set(_PROPERTY_TYPES):
            return "property"
        return "term"

    def label(self, node: Node) -> str:
        """The name shown for a node: citation, label, title or the end of its IRI."""
        found = self._labels.get(node)
        if found is None:
            found = self._labels[node] = self._label(node)
        return found

    def _label(self, node: Node) -> str:
        for p in (CCGKG.citation, RDFS.label, DCTERMS.title, SKOS.prefLabel):
            value = self.graph.value(node, p)
            if value is not None:
                return str(value)
        text = str(node)
        return text.rstrip("/").rsplit("/", 1)[-1] or text

    # ----------------------------------------------------------------------------------------------- documents
    def description(self, iri: str) -> list[Triple]:
        """The statements published in a resource's document (its concise bounded description)."""
        return describe(self.graph, URIRef(iri))

    def render(self, iri: str, fmt: str, *, service: bool = False) -> bytes:
        """A resource's document in ``fmt`` (one of :data:`FORMATS`); ``service`` adds the live query forms."""
        triples = self.description(iri)
        node = URIRef(iri)
        if fmt == "ttl":
            return self.writer.turtle(triples)
        if fmt == "nt":
            return self.writer.ntriples(triples)
        if fmt == "jsonld":
            return self.writer.jsonld(triples)
        if fmt == "json":
            return self.writer.plain_json(node, triples, self.label(node))
        if fmt == "csv":
            return self.writer.plain_csv(node, triples)
        if fmt == "html":
            return self.page(iri, triples, service=service).encode("utf-8")
        raise PublishError(f"unknown format {fmt!r}", hint=f"one of {', '.join(FORMATS)}")

    # --------------------------------------------------------------------------------------------- the service
    def service(self, limits: Limits | None = None) -> QueryService:
        """A read-only query service over the published graph (one pyoxigraph store, built once)."""
        if self._store is None:
            nt = self.dump_ntriples() if self.base == BASE else Writer(BASE).ntriples(self.graph)
            self._store = load_store(nt)
        return QueryService(self._store, limits or Limits())

    def query_result(self, name: str, values: dict[str, str]) -> queries.QueryResult:
        """The rows of the named query ``name`` with ``values`` bound (defaults for the rest).

        Raises:
            QueryNotFound, QueryParameterError, and the service's errors.
        """
        key = (name, tuple(sorted(values.items())))
        found = self._results.get(key)
        if found is None:
            bound = queries.bind(queries.load_query(name), values)
            found = self._results[key] = self.service().run(bound.text)
        return found

    # -------------------------------------------------------------------------------------------------- HTML
    def href(self, from_path: str, iri: str) -> str | None:
        """A relative link from the document ``from_path`` to the HTML page of ``iri`` (None when it has none)."""
        target = self.pages.get(iri)
        if target is None:
            return None
        return self.relative(from_path, target + ".html")

    def relative(self, from_path: str, target: str) -> str:
        """``target`` (a path below the base) relative to the folder of the document ``from_path``."""
        folder = self._folders.get(from_path)
        if folder is None:
            folder = self._folders[from_path] = posixpath.dirname(from_path)
        key = (folder, target)
        found = self._rel.get(key)
        if found is None:
            found = self._rel[key] = relative_path(folder, target)
        return found

    def link(self, from_path: str, node: Node, text: str | None = None) -> str:
        """An ``<a>`` to the node's page, or to the node itself when it is outside the base, else its text."""
        shown = _esc(text if text is not None else self.label(node))
        if isinstance(node, URIRef):
            href = self.href(from_path, str(node))
            if href:
                return f'<a href="{_esc(href)}">{shown}</a>'
            if not str(node).startswith(BASE) and str(node).startswith(("http://", "https://")):
                return f'<a href="{_esc(node)}">{shown}</a>'
        return shown

    def value_html(self, from_path: str, node: Node) -> str:
        if isinstance(node, Literal):
            text = _esc(node)
            if node.datatype is not None and node.datatype not in (XSD.string, XSD.date):
                text += f' <small>({_esc(self.writer._curie(node.datatype)[0])})</small>'
            return text
        if isinstance(node, BNode):
            parts = [f"{self.link(from_path, p)} {self.value_html(from_path, o)}"
                     for p, o in _sorted(self.graph.predicate_objects(node))]
            return "[ " + "; ".join(parts) + " ]"
        return self.link(from_path, node)

    def shell(self, path: str, title: str, body: str, *, jsonld: bytes = b"{}", alternates: bool = True) -> str:
        """A whole page: the template with the navigation, the embedded JSON-LD and the body."""
        folder = posixpath.dirname(path)
        root = "../" * (folder.count("/") + 1) if folder else ""
        name = posixpath.basename(path)
        alt = "".join(f'<link rel="alternate" type="{MEDIA_TYPES[f].split(";")[0]}" href="{_esc(name)}.{f}">\n'
                      for f in RDF_FORMATS) if alternates else ""
        return _page_template().substitute(
            title=_esc(title), heading=_esc(title), root=root, body=body, version=_esc(__version__),
            alternates=alt, jsonld=jsonld.decode("utf-8").replace("</", "<\\/").rstrip())

    def formats_line(self, path: str, iri: str, formats: tuple[str, ...] = RDF_FORMATS) -> str:
        name = posixpath.basename(path)
        links = " ".join(f'<a href="{_esc(name)}.{f}">{FORMAT_NAMES[f]}</a>' for f in formats)
        return (f'<p class="iri">IRI: <code>{_esc(self.writer.iri(iri))}</code></p>\n'
                f'<p class="formats">This page as {links}</p>\n')

    def page(self, iri: str, triples: list[Triple] | None = None, *, service: bool = False,
             jsonld: bytes | None = None) -> str:
        """The HTML page of a resource: what is specific to its kind, then all its statements."""
        path = self.pages.get(iri) or doc_path(iri) or "doc/unknown"
        triples = self.description(iri) if triples is None else triples
        kind = self.kind(iri)
        node = URIRef(iri)
        section: Callable[[str, URIRef], str] | None = getattr(self, f"_section_{kind}", None)
        offered = FORMATS[1:] if service else RDF_FORMATS + (("json", "csv") if iri in self.named else ())
        body = self.formats_line(path, iri, offered)
        if section is not None:
            body += section(path, node) if kind != "query" else self._section_query(path, node, service=service)
        body += self._statements(path, node, triples) + self._referenced_by(path, node)
        title = self.label(node)
        return self.shell(path, title, body, jsonld=jsonld or self.writer.jsonld(triples))

    def _statements(self, path: str, node: URIRef, triples: list[Triple]) -> str:
        rows: dict[Node, list[Node]] = defaultdict(list)
        for s, p, o in triples:
            if s == node:
                rows[p].append(o)
        out = ["<h2>All statements</h2>\n<table class=\"statements\">\n<tr><th>property</th><th>value</th></tr>\n"]
        for p in sorted(rows, key=lambda x: (x not in _TYPE, self.writer._curie(x)[0])):  # type: ignore[arg-type]
            values = "<br>".join(self.value_html(path, o) for o in _sorted(rows[p]))
            out.append(f"<tr><td>{self.link(path, p, self.writer._curie(p)[0])}</td><td>{values}</td></tr>\n")  # type: ignore[arg-type]
        out.append("</table>\n")
        return "".join(out)

    def _referenced_by(self, path: str, node: URIRef, limit: int = 200) -> str:
        if self.kind(str(node)) in ("class", "property"):
            return ""
        incoming = sorted((s, p) for s, p in self.graph.subject_predicates(node) if isinstance(s, URIRef))
        if not incoming:
            return ""
        rows = "".join(f"<tr><td>{self.link(path, s)}</td><td>{self.link(path, p, self.writer._curie(p)[0])}"  # type: ignore[arg-type]
                       f"</td></tr>\n" for s, p in incoming[:limit])
        more = f"<p>and {len(incoming) - limit} more.</p>\n" if len(incoming) > limit else ""
        return (f"<h2>Referenced by ({len(incoming)})</h2>\n<table>\n<tr><th>resource</th><th>as</th></tr>\n"
                f"{rows}</table>\n{more}")

    def _dl(self, items: list[tuple[str, str]]) -> str:
        return "<dl>\n" + "".join(f"<dt>{_esc(k)}</dt><dd>{v}</dd>\n" for k, v in items if v) + "</dl>\n"

    def _date(self, node: Node, p: URIRef) -> str:
        value = self.graph.value(node, p)
        return str(value) if value is not None else "-"

    def _table(self, header: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
        if not rows:
            return "<p>None.</p>\n"
        head = "".join(f"<th>{_esc(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
        return f'<table class="{cls}">\n<tr>{head}</tr>\n{body}</table>\n'

    # -- organisations
    def _section_organisation(self, path: str, node: URIRef) -> str:
        g = self.graph
        kinds = sorted((k for k in g.objects(node, RDF.type) if str(k).startswith(str(CCGKG))
                        and k != CCGKG.Organisation), key=str)
        start, end = g.value(node, CCGKG.startDate), g.value(node, CCGKG.endDate)
        out = "<h2>What it is</h2>\n" + self._dl([
            ("Kind", ", ".join(self.link(path, k) for k in kinds)),
            ("Code", _esc(g.value(node, CCGKG.code) or "")), ("ONS code", _esc(g.value(node, CCGKG.onsCode) or "")),
            ("ODS status", _esc(g.value(node, CCGKG.odsStatus) or "")),
            ("Open", f"{_esc(start or '-')} to {_esc(end or 'date (still open)')}"),
            ("Parent authority", ", ".join(self.link(path, o) for o in _sorted(g.objects(node, CCGKG.parentAuthority)))),
            ("Succeeded by", ", ".join(self.link(path, o) for o in _sorted(g.objects(node, CCGKG.succeededBy)))),
            ("Succeeds", ", ".join(self.link(path, s) for s in _sorted(g.subjects(CCGKG.succeededBy, node)))),
            ("Its bodies", ", ".join(self.link(path, s) for s in _sorted(g.subjects(CCGKG.parentAuthority, node)))),
        ])
        members = _sorted(g.subjects(CCGKG.group, node))
        rows: list[tuple[str, ...]]
        if members:
            rows = [(self.link(path, g.value(m, CCGKG.practice) or m), self._date(m, CCGKG.startDate),
                     self._date(m, CCGKG.endDate)) for m in members]
            out += f"<h2>Member practices ({len(rows)})</h2>\n" + self._table(("practice", "from", "until"), rows)
        groups = _sorted(g.subjects(CCGKG.practice, node))
        if groups:
            rows = [(self.link(path, g.value(m, CCGKG.group) or m), self._date(m, CCGKG.startDate),
                     self._date(m, CCGKG.endDate)) for m in groups]
            out += "<h2>Member of</h2>\n" + self._table(("group", "from", "until"), rows)
        posts = _sorted(g.subjects(CCGKG.postIn, node))
        if posts:
            rows = [(self.link(path, p, self.label(g.value(p, CCGKG.role) or p)),
                     self.link(path, g.value(p, CCGKG.holder) or p, self.label(g.value(p, CCGKG.holder) or p)),
                     ", ".join(self.link(path, r) for r in _sorted(g.objects(p, CCGKG.represents))),
                     self._date(p, CCGKG.startDate), self._date(p, CCGKG.endDate)) for p in posts]
            out += "<h2>Members (posts)</h2>\n" + self._table(("role", "holder", "represents", "from", "until"), rows)
        areas = _sorted(g.subjects(CCGKG.areaOf, node)) + _sorted(g.subjects(CCGKG.localAuthority, node))
        if areas:
            rows = [(self.link(path, g.value(a, CCGKG.areaOf) or a), self.link(path, g.value(a, CCGKG.localAuthority)
                                                                                or a),
                     self._date(a, CCGKG.startDate), self._date(a, CCGKG.endDate)) for a in areas]
            out += "<h2>Area</h2>\n" + self._table(("group", "local authority", "from", "until"), rows)
        docs = _sorted(set(g.subjects(CCGKG.publisher, node)) | set(g.subjects(CCGKG.about, node)))
        if docs:
            rows = [(self.link(path, d), self.link(path, g.value(d, CCGKG.publisher) or d),
                     self._date(d, CCGKG.published)) for d in docs]
            out += "<h2>Documents</h2>\n" + self._table(("document", "publisher", "published"), rows)
        return (out + self._duties(path, node, start, end) + self._judged_days(path, str(node))
                + self._findings_of(path, str(node)))

    def _judged_days(self, path: str, iri: str) -> str:
        """The validation run's own coverage table for the organisation (rules, days judged, breached, passed and
        not judged, with the reasons), when this ccgkg's ValidationResult carries one (issue 10); else nothing."""
        judged = self._coverage_by_org()
        if judged is None:
            return ""
        rows = []
        for rule, org in judged.get(iri, ()):
            rows.append((self.link(path, URIRef(rule.shape), rule.label or None),
                         "<br>".join(self.link(path, URIRef(p.iri), p.citation) for p in rule.provisions),
                         str(org.days_judged), str(org.days_breached), str(org.days_passed), str(org.days_not_judged),
                         _esc("; ".join(org.reasons))))
        return ("<h2>Days judged, rule by rule</h2>\n"
                + self._table(("rule", "provisions", "days judged", "breached", "passed", "not judged", "why not"),
                              rows))

    def _coverage_by_org(self) -> dict[str, list[tuple[Any, Any]]] | None:
        """The run's coverage (rule, organisation coverage) pairs by organisation, in the order of
        ``Coverage.for_organisation`` (rules in citation order); None when the run has no coverage section."""
        if self._coverage is None:
            table: Any = getattr(self.result, "coverage", None)
            if table is None or not hasattr(table, "rules"):
                return None
            by_org: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
            for rule in table.rules:
                for org in rule.organisations:
                    by_org[str(org.organisation)].append((rule, org))
            self._coverage = by_org
        return self._coverage

    def _binding(self, node: URIRef, start: Node | None, end: Node | None) -> list[tuple[law.Duty, str, str]]:
        """The duties binding the organisation, each with the days it binds (its in-force days while open)."""
        out: dict[str, tuple[law.Duty, str, str]] = {}
        begin = str(start) if start is not None else ""
        finish = str(end) if end is not None else "9999-12-31"
        for cls, keyword in HOLDER_KEYWORDS.items():
            if (node, RDF.type, cls) not in self.graph:
                continue
            for duty in self._duties_of(keyword):
                first = max(_iso(duty.in_force_from) if duty.in_force_from else "", begin)
                last = min(_iso(duty.in_force_until) if duty.in_force_until else "9999-12-31", finish)
                if first <= last:
                    out.setdefault(duty.curie, (duty, first or "-", "-" if last == "9999-12-31" else last))
        return sorted(out.values(), key=lambda x: (x[1], x[0].citation))

    def _duties_of(self, keyword: str) -> list[law.Duty]:
        """``law.duties(holder=keyword)``, read once per holder keyword (it walks every provision)."""
        found = self._holder_duties.get(keyword)
        if found is None:
            found = self._holder_duties[keyword] = law.duties(holder=keyword)
        return found

    def _duties(self, path: str, node: URIRef, start: Node | None, end: Node | None) -> str:
        binding = self._binding(node, start, end)
        if not binding:
            return ""
        judged = {ref.iri for r in self.findings_by_org.get(str(node), []) for ref in r.finding.provisions}
        rows, coverage = [], []
        for duty, first, last in binding:
            iri = self.law.provisions[duty.curie].iri if duty.curie in self.law.provisions else duty.curie
            rows.append((self.link(path, URIRef(iri), duty.citation), _esc(duty.title), _esc(duty.force),
                         _esc(first), _esc(last)))
            shapes = sorted(set(self._enforcing(iri)))
            if iri in judged or any(iri in self._ancestors(j) for j in judged):
                status = "judged: findings below"
            elif shapes:
                status = "judged: no finding"
            else:
                status = "not judged: no rule enforces it"
            coverage.append((self.link(path, URIRef(iri), duty.citation), _esc(status),
                             ", ".join(self.link(path, URIRef(s)) for s in shapes) or "-"))
        counted = Counter(row[1] for row in coverage)
        summary = "; ".join(f"{n} {_esc(k)}" for k, n in sorted(counted.items()))
        return (f"<h2>Duties binding it ({len(rows)})</h2>\n<p>Each duty binds on the days it was in force while the "
                f"organisation was open.</p>\n"
                + self._table(("provision", "title", "force", "binds from", "until"), rows)
                + f"<h2>Evidence coverage</h2>\n<p>What the validation run could and could not judge: {summary}.</p>\n"
                + self._table(("provision", "status", "rules"), coverage))

    def _enforcing(self, iri: str) -> list[str]:
        found = list(self.shapes_enforcing.get(iri, []))
        for part in self.parts.get(iri, []):
            found += self._enforcing(part)
        return found

    def _ancestors(self, iri: str) -> set[str]:
        out: set[str] = set()
        for whole in self.graph.objects(URIRef(iri), CCGKG.partOf):
            out.add(str(whole))
            out |= self._ancestors(str(whole))
        return out

    def _findings_table(self, path: str, records: list[FindingRecord], *, org: bool = True) -> str:
        rows = []
        for r in records:
            f = r.finding
            cites = "<br>".join(self.link(path, URIRef(p.iri), p.citation)
                                + (f' (<a href="{_esc(p.uri)}">legislation.gov.uk</a>)' if p.uri else "")
                                for p in f.provisions) or "-"
            who = self.link(path, URIRef(f.organisation), f"{f.organisation_code} {f.organisation_label or ''}"
                            ) if org and f.organisation else ""
            row = (f'<span class="{f.severity}">{_esc(f.severity)}</span>', who, _esc(_when(f)), cites,
                   _esc(f.message), self.link(path, URIRef(r.iri), "finding"))
            rows.append(row if org else row[:1] + row[2:])
        header = ("severity", "organisation", "when", "provisions", "message", "page")
        return self._table(header if org else header[:1] + header[2:], rows, cls="findings")

    def _findings_of(self, path: str, iri: str) -> str:
        records = self.findings_by_org.get(iri, [])
        return f"<h2>Findings ({len(records)})</h2>\n" + self._findings_table(path, records, org=False)

    # -- provisions
    def _section_provision(self, path: str, node: URIRef) -> str:
        p = self.provision_iris[str(node)]
        g = self.graph
        versions = sorted((pred, o) for pred, o in g.predicate_objects(node)
                          if "ersion" in str(pred).rsplit("/", 1)[-1] and pred != OWL.versionIRI)
        versions += sorted((pred, s) for s, pred in g.subject_predicates(node)
                           if "ersion" in str(pred).rsplit("/", 1)[-1] and isinstance(s, URIRef))
        out = "<h2>The provision</h2>\n" + self._dl([
            ("Title", _esc(p.title)), ("In our words", _esc(p.paraphrase)),
            ("Text", f'<a href="{_esc(p.legislation_uri)}">{_esc(p.legislation_uri)}</a>' if p.legislation_uri
             else "-"),
            ("Source", self.link(path, URIRef(self._source_iri(p)), p.source_title)),
            ("Structure", _esc(p.structure)), ("Force", _esc(p.force or "-")),
            ("Holder", ", ".join(self.link(path, URIRef(h)) for h in self._holder_iris(node)) or "-"),
            ("In force", f"{_iso(p.in_force_from)} to {_iso(p.in_force_until) if p.in_force_until else 'date'}"),
            ("Commencement", _esc(p.commencement_note or "")),
            ("Part of", self.link(path, URIRef(self._iri(p.parent))) if p.parent else ""),
            ("Parts", ", ".join(self.link(path, URIRef(self._iri(c))) for c in p.parts)),
            ("Successor provisions", ", ".join(self.link(path, URIRef(self._iri(c))) for c in p.successors)),
            ("Predecessor provisions", ", ".join(self.link(path, URIRef(self._iri(c))) for c in p.predecessors)),
            ("Verification", _esc(p.verification + (f": {p.verification_note}" if p.verification_note else ""))),
        ])
        out += "<h2>Versions</h2>\n" + (self._table(("relation", "version"), [
            (self.link(path, pred, self.writer._curie(pred)[0]), self.value_html(path, o))  # type: ignore[arg-type]
            for pred, o in versions]) if versions else "<p>No dated versions of this provision are recorded.</p>\n")
        shapes = sorted(set(self._enforcing(str(node))))
        out += f"<h2>Rules enforcing it ({len(shapes)})</h2>\n" + self._table(("shape", "severity"), [
            (self.link(path, URIRef(s)), _esc(str(g.value(URIRef(s), SH.severity) or "-").rsplit("#", 1)[-1]))
            for s in shapes])
        cited = sorted(set(self.queries_citing.get(str(node), [])))
        out += f"<h2>Queries citing it ({len(cited)})</h2>\n" + self._table(("query", "title"), [
            (self.link(path, URIRef(q), q.rsplit("/", 1)[-1]), _esc(g.value(URIRef(q), DCTERMS.title) or ""))
            for q in cited])
        records = self.findings_by_provision.get(str(node), [])
        orgs = Counter((r.finding.organisation, r.finding.organisation_code, r.finding.organisation_label)
                       for r in records if r.finding.organisation)
        out += f"<h2>Organisations with findings under it ({len(orgs)})</h2>\n" + self._table(
            ("organisation", "findings"), [(self.link(path, URIRef(o), f"{c} {lab or ''}"), str(n))
                                          for (o, c, lab), n in sorted(orgs.items(), key=lambda x: str(x[0][1]))])
        return out

    def _iri(self, curie: str) -> str:
        found = self.law.provisions.get(curie)
        if found is not None:
            return found.iri
        prefix, _, local = curie.partition(":")
        from ccgkg.namespaces import PREFIXES

        return PREFIXES.get(prefix, "") + local if prefix in PREFIXES else curie

    def _source_iri(self, p: law.Provision) -> str:
        return str(self.graph.value(URIRef(p.iri), CCGKG.inSource) or "")

    def _holder_iris(self, node: URIRef) -> list[str]:
        return sorted(str(h) for h in self.graph.objects(node, CCGKG.dutyHolder))

    # -- sources (Acts and instruments)
    def _section_source(self, path: str, node: URIRef) -> str:
        provs = self._provisions_of(str(node))
        rows = [(self.link(path, URIRef(p.iri), p.citation), _esc(p.title), _esc(p.force or "-"),
                 _esc(_iso(p.in_force_from)), _esc(_iso(p.in_force_until))) for p in provs]
        return f"<h2>Provisions ({len(rows)})</h2>\n" + self._table(("citation", "title", "force", "from", "until"),
                                                                     rows)

    def _provisions_of(self, source_iri: str) -> list[law.Provision]:
        return sorted((p for p in self.law.provisions.values() if self._source_iri(p) == source_iri),
                      key=law.citation_key)

    # -- ontology terms
    def _section_class(self, path: str, node: URIRef) -> str:
        g = self.graph
        instances = sorted(s for s in g.subjects(RDF.type, node) if isinstance(s, URIRef))
        props = _sorted(g.subjects(RDFS.domain, node))
        out = "<h2>The class</h2>\n" + self._dl([
            ("Definition", _esc(g.value(node, SKOS.definition) or "")),
            ("Subclass of", ", ".join(self.link(path, o) for o in _sorted(g.objects(node, RDFS.subClassOf))
                                      if isinstance(o, URIRef) and o != node)),
            ("Subclasses", ", ".join(self.link(path, s) for s in _sorted(g.subjects(RDFS.subClassOf, node))
                                     if isinstance(s, URIRef) and s != node)),
            ("Properties with this domain", ", ".join(self.link(path, p) for p in props)),
            ("Instances", str(len(instances))),
        ])
        if instances:
            shown = instances[:500]
            out += f"<h2>Instances ({len(instances)})</h2>\n<p>" + ", ".join(
                self.link(path, i) for i in shown) + ("" if len(shown) == len(instances) else " ...") + "</p>\n"
        return out

    def _section_property(self, path: str, node: URIRef) -> str:
        g = self.graph
        return "<h2>The property</h2>\n" + self._dl([
            ("Definition", _esc(g.value(node, SKOS.definition) or "")),
            ("Domain", ", ".join(self.link(path, o) for o in _sorted(g.objects(node, RDFS.domain)))),
            ("Range", ", ".join(self.link(path, o) for o in _sorted(g.objects(node, RDFS.range)))),
            ("Inverse of", ", ".join(self.link(path, o) for o in _sorted(g.objects(node, OWL.inverseOf)))),
            ("Used in", f"{self.usage.get(str(node), 0)} statements"),
        ])

    # -- shapes, queries, findings, runs
    def _section_shape(self, path: str, node: URIRef) -> str:
        g = self.graph
        messages = sorted({str(m) for m in g.objects(node, SH.message)}
                          | {str(m) for c in g.objects(node, SH.sparql) for m in g.objects(c, SH.message)})
        selects = sorted(str(s) for c in g.objects(node, SH.sparql) for s in g.objects(c, SH.select))
        out = "<h2>The rule</h2>\n" + self._dl([
            ("Enforces", ", ".join(self.link(path, o) for o in _sorted(g.objects(node, CCGKG.enforces)))),
            ("Severity", _esc(str(g.value(node, SH.severity) or "-").rsplit("#", 1)[-1])),
            ("Targets", ", ".join(self.link(path, o) for o in _sorted(g.objects(node, SH.targetClass)))),
            ("Message", "<br>".join(_esc(m) for m in messages)),
        ])
        records = self.findings_by_shape.get(str(node), [])
        out += "".join(f"<h2>SPARQL constraint</h2>\n<pre>{_esc(s)}</pre>\n" for s in selects)
        return out + f"<h2>Findings ({len(records)})</h2>\n" + self._findings_table(path, records)

    def _section_query(self, path: str, node: URIRef, *, service: bool = False) -> str:
        q = self.named.get(str(node))
        if q is None:
            return ""
        params = [(f"<code>{_esc(p.name)}</code>", _esc(p.type), _esc(p.default or ("optional" if p.optional
                                                                                    else "required")),
                   _esc(p.description)) for p in q.parameters]
        out = "<h2>The query</h2>\n" + self._dl([
            ("Title", _esc(q.title)), ("Description", _esc(q.description)),
            ("Provisions", ", ".join(self.link(path, URIRef(self._iri(c)), c) for c in q.provisions)),
        ]) + "<h2>Parameters</h2>\n" + self._table(("name", "type", "default", "description"), params)
        if service:
            out += query_form(q, {})
        else:
            name = posixpath.basename(path)
            try:
                result = self.query_result(q.name, {})
            except CcgkgError as exc:
                out += f"<p>With the default parameters it fails: {_esc(exc.message)}</p>\n"
            else:
                out += (f"<h2>Rows with the default parameters ({len(result.rows)})</h2>\n<p class=\"formats\">"
                        f'These rows as <a href="{_esc(name)}.csv">CSV</a> <a href="{_esc(name)}.json">JSON</a>; '
                        "`ccgkg serve` runs the query with other values.</p>\n"
                        + rows_html(self, path, result, heading=False))
        return out + f"<h2>Text</h2>\n<pre>{_esc(q.text)}</pre>\n"

    def _section_finding(self, path: str, node: URIRef) -> str:
        r = self.finding_of.get(str(node))
        if r is None:
            return ""
        f = r.finding
        return "<h2>The finding</h2>\n" + self._dl([
            ("Severity", f'<span class="{f.severity}">{_esc(f.severity)}</span>'),
            ("Organisation", self.link(path, URIRef(f.organisation), f"{f.organisation_code} "
                                                                        f"{f.organisation_label or ''}")
             if f.organisation else ""),
            ("When", _esc(_when(f))), ("Message", _esc(f.message)),
            ("Provisions", "<br>".join(self.link(path, URIRef(p.iri), p.citation) + f" [{_esc(p.force)}]"
                                       + (f' <a href="{_esc(p.uri)}">{_esc(p.uri)}</a>' if p.uri else "")
                                       for p in f.provisions)),
            ("Rule", self.link(path, URIRef(f.shape)) if "://" in f.shape else _esc(f.shape)),
            ("Focus", self.link(path, URIRef(f.focus)) if "://" in f.focus else _esc(f.focus)),
            ("Validation run", self.link(path, URIRef(self.run_iri))),
        ])

    def _section_run(self, path: str, node: URIRef) -> str:
        r = self.result
        return "<h2>The run</h2>\n" + self._dl([
            ("Judged", _esc(f"as of {r.as_of}" if r.as_of else "every judging day of the data")),
            ("Inference", _esc(self.inference)), ("Conforms", _esc(str(r.conforms).lower())),
            ("Findings", (f'<a href="{_esc(self.relative(path, "findings.html"))}">'
                          f"{r.count('violation')} violations, {r.count('warning')} warnings, "
                          f"{r.count('info')} infos</a>")),
        ])

    # ------------------------------------------------------------------------------------------ listing pages
    def listing_pages(self) -> dict[str, Callable[[], str]]:
        """Name (``index``, ``acts``, ...) -> a function giving the HTML of that page (at the site's root)."""
        return {"index": self._index_page, "acts": self._acts_page, "coverage": self._coverage_page,
                "ontology": self._ontology_page, "queries": self._queries_page, "findings": self._findings_page,
                "organisations": self._organisations_page}

    def _root_shell(self, name: str, title: str, body: str) -> str:
        return self.shell(name, title, body, alternates=False)

    def _index_page(self) -> str:
        counts = Counter(self.kind(i) for i in self.pages)
        rows = [(_esc(k), str(n)) for k, n in sorted(counts.items())]
        r = self.result
        body = (f"<p>NHS commissioning law in England (2012-2022) as a knowledge graph: the provisions, the rules "
                f"that enforce them, the organisations and the findings of a validation run "
                f"({r.count('violation')} violations, {r.count('warning')} warnings, {r.count('info')} infos).</p>\n"
                '<ul>\n<li><a href="acts.html">Provisions by Act</a> and <a href="coverage.html">statute '
                'coverage</a></li>\n<li><a href="organisations.html">Organisations</a> and <a href="findings.html">'
                'findings</a></li>\n<li><a href="ontology.html">Ontology documentation</a> and <a href="queries.html">'
                'named queries</a></li>\n<li><a href="dataset.html">Dataset description</a> (VoID, DCAT), dumps: '
                '<a href="dumps/ccgkg.ttl">Turtle</a>, <a href="dumps/ccgkg.nt.gz">N-Triples (gzip)</a>, '
                '<a href="dumps/ccgkg.jsonld">JSON-LD</a></li>\n</ul>\n'
                f"<h2>Resources</h2>\n" + self._table(("kind", "resources"), rows))
        return self._root_shell("index", "ccgkg knowledge graph", body)

    def sources(self) -> list[tuple[str, str]]:
        """(IRI, title) of every Act, instrument and document provisions come from, by title."""
        found = {self._source_iri(p): p.source_title for p in self.law.provisions.values()}
        return sorted(found.items(), key=lambda x: x[1])

    def _acts_page(self) -> str:
        body = ""
        for iri, title in self.sources():
            provs = self._provisions_of(iri)
            rows = [(self.link("acts", URIRef(p.iri), p.citation), _esc(p.title), _esc(p.force or "-"),
                     _esc(_iso(p.in_force_from)), _esc(_iso(p.in_force_until))) for p in provs]
            body += (f"<h2>{self.link('acts', URIRef(iri), title)} ({len(rows)})</h2>\n"
                     + self._table(("citation", "title", "force", "from", "until"), rows))
        return self._root_shell("acts", "Provisions by Act", body)

    def coverage_rows(self) -> list[tuple[law.Provision, int, int, int]]:
        """Each provision with how many rules enforce it (or a part), queries cite it and findings cite it."""
        out = []
        for p in sorted(self.law.provisions.values(), key=law.citation_key):
            out.append((p, len(set(self._enforcing(p.iri))), len(set(self.queries_citing.get(p.iri, []))),
                        len(self.findings_by_provision.get(p.iri, []))))
        return out

    def _coverage_page(self) -> str:
        rows = self.coverage_rows()
        per_source: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for p, shapes, cited, _n in rows:
            counts = per_source[p.source_title]
            counts[0] += 1
            counts[1] += p.is_norm
            counts[2] += shapes > 0
            counts[3] += cited > 0
        summary = [(_esc(s), *(str(n) for n in c)) for s, c in sorted(per_source.items())]
        detail = [(self.link("coverage", URIRef(p.iri), p.citation), _esc(p.force or "-"), str(s), str(q), str(n))
                  for p, s, q, n in rows]
        body = ("<p>Which provisions a rule (SHACL shape) enforces, directly or through a part, which a named query "
                "cites, and how many findings of the validation run cite them.</p>\n<h2>By Act</h2>\n"
                + self._table(("source", "provisions", "norms", "with a rule", "cited by a query"), summary)
                + "<h2>Every provision</h2>\n"
                + self._table(("provision", "force", "rules", "queries", "findings"), detail))
        return self._root_shell("coverage", "Statute coverage", body)

    def _ontology_page(self) -> str:
        g = self.graph
        body = ""
        for title, types in (("Classes", _CLASS_TYPES), ("Properties", _PROPERTY_TYPES)):
            terms = sorted({s for t in types for s in g.subjects(RDF.type, t)
                            if isinstance(s, URIRef) and str(s).startswith(BASE + "ont/")})
            rows = []
            for t in terms:
                usage = self.instances.get(str(t), 0) if types is _CLASS_TYPES else self.usage.get(str(t), 0)
                rows.append((self.link("ontology", t, self.writer._curie(t)[0]), _esc(g.value(t, RDFS.label) or ""),
                             _esc(g.value(t, SKOS.definition) or ""), str(usage)))
            head = ("term", "label", "definition", "instances" if types is _CLASS_TYPES else "statements")
            body += f"<h2>{title} ({len(rows)})</h2>\n" + self._table(head, rows)
        return self._root_shell("ontology", "Ontology", body)

    def _queries_page(self) -> str:
        rows = [(self.link("queries", URIRef(i), q.name), _esc(q.title), _esc(q.signature()))
                for i, q in sorted(self.named.items())]
        return self._root_shell("queries", "Named queries", self._table(("name", "title", "parameters"), rows))

    def _findings_page(self) -> str:
        body = f"<p>{_esc(validation_summary(self.result))}</p>\n" + self._findings_table("findings", self.findings)
        return self._root_shell("findings", "Findings of the validation run", body)

    def _organisations_page(self) -> str:
        body = ""
        by_kind: dict[str, list[str]] = defaultdict(list)
        for iri in self.pages:
            if self.kind(iri) == "organisation":
                kinds = sorted(self.label(k) for k in self.graph.objects(URIRef(iri), RDF.type)
                               if str(k).startswith(str(CCGKG)) and k != CCGKG.Organisation)
                by_kind[kinds[0] if kinds else "organisation"].append(iri)
        for kind, iris in sorted(by_kind.items()):
            rows = [(self.link("organisations", URIRef(i), str(self.graph.value(URIRef(i), CCGKG.code) or i)),
                     _esc(self.label(URIRef(i))), str(len(self.findings_by_org.get(i, [])))) for i in iris]
            body += f"<h2>{_esc(kind)} ({len(rows)})</h2>\n" + self._table(("code", "name", "findings"), rows)
        return self._root_shell("organisations", "Organisations", body)

    # ------------------------------------------------------------------------------------------------- dumps
    def dump_ntriples(self) -> bytes:
        """The whole published graph as sorted N-Triples (made once: the service's store loads it too)."""
        if self._dump_nt is None:
            self._dump_nt = self.writer.ntriples(self.graph)
        return self._dump_nt

    def dumps(self) -> dict[str, bytes]:
        """``dumps/ccgkg.ttl``, ``dumps/ccgkg.nt.gz`` and ``dumps/ccgkg.jsonld``: the whole published graph."""
        nt = self.dump_ntriples()
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as out:
            out.write(nt)
        return {"dumps/ccgkg.ttl": self.writer.turtle(self.graph), "dumps/ccgkg.nt.gz": buffer.getvalue(),
                "dumps/ccgkg.jsonld": self.writer.jsonld(self.graph)}

    def dataset_triples(self, dumps: dict[str, bytes]) -> list[Triple]:
        """The dataset description: VoID and DCAT 3, a distribution per dump, the SPARQL data service, licences,
        and the validation run as provenance."""
        def dcat(name: str) -> URIRef:
            return URIRef(DCAT + name)

        def void(name: str) -> URIRef:
            return URIRef(VOID + name)

        def prov(name: str) -> URIRef:
            return URIRef(PROV + name)

        ds, ont = URIRef(DATASET), URIRef(DATASET + "/ontology")
        service = URIRef(BASE + "sparql-service")
        out: list[Triple] = [
            (ds, RDF.type, dcat("Dataset")), (ds, RDF.type, void("Dataset")),
            (ds, DCTERMS.title, Literal("ccgkg: NHS commissioning law and organisations as a knowledge graph",
                                        lang="en")),
            (ds, DCTERMS.description, Literal(
                "The statutory duties of English NHS commissioning bodies 2012-2022 (OWL), the SHACL rules that "
                "enforce them, the organisations (from NHS ODS and ONS data or the bundled sample) and the findings "
                "of a validation run.", lang="en")),
            (ds, DCTERMS.license, URIRef(OGL)), (ds, void("uriSpace"), Literal(self.base)),
            (ds, void("triples"), Literal(len(self.graph))),
            (ds, void("entities"), Literal(len(self.pages))),
            (ds, void("sparqlEndpoint"), URIRef(SPARQL)),
            (ds, void("exampleResource"), ORG["02H"] if (ORG["02H"], None, None) in self.graph
             else URIRef(next(iter(self.pages)))),
            (ds, void("vocabulary"), URIRef(str(CCGKG))), (ds, void("subset"), ont),
            (ds, dcat("temporal"), Literal("2013-04-01/2022-06-30")), (ds, DCTERMS.temporal, Literal(
                "2013-04-01/2022-06-30")),
            (ds, prov("wasGeneratedBy"), URIRef(self.run_iri)),
            (ds, dcat("landingPage"), URIRef(self.base + "index.html")),
            (ont, RDF.type, dcat("Dataset")), (ont, RDF.type, void("Dataset")),
            (ont, DCTERMS.title, Literal("ccgkg ontology, shapes and named queries", lang="en")),
            (ont, DCTERMS.license, URIRef(CC_BY)), (ont, void("uriSpace"), Literal(self.base + "ont/")),
            (service, RDF.type, dcat("DataService")), (service, dcat("endpointURL"), URIRef(SPARQL)),
            (service, dcat("servesDataset"), ds),
            (service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")),
            (service, DCTERMS.title, Literal("ccgkg read-only SPARQL 1.1 service (`ccgkg serve`)", lang="en")),
            (service, DCTERMS.license, URIRef(OGL)),
            (URIRef(self.run_iri), prov("used"), ds),
        ]
        media = {"ttl": "text/turtle", "nt.gz": "application/n-triples", "jsonld": "application/ld+json"}
        for path, payload in sorted(dumps.items()):
            suffix = path.split(".", 1)[1]
            dist = URIRef(f"{DATASET}/dump-{suffix.replace('.', '-')}")
            out += [(ds, dcat("distribution"), dist), (ds, void("dataDump"), URIRef(self.base + path)),
                    (dist, RDF.type, dcat("Distribution")),
                    (dist, DCTERMS.title, Literal(f"full dump ({suffix})", lang="en")),
                    (dist, dcat("downloadURL"), URIRef(self.base + path)),
                    (dist, dcat("mediaType"), URIRef("https://www.iana.org/assignments/media-types/" + media[suffix])),
                    (dist, dcat("byteSize"), Literal(len(payload), datatype=XSD.nonNegativeInteger)),
                    (dist, DCTERMS.license, URIRef(OGL)),
                    (dist, URIRef(SPDX + "checksum"), Literal("sha256:" + hashlib.sha256(payload).hexdigest()))]
            if suffix == "nt.gz":
                out.append((dist, dcat("compressFormat"), URIRef("https://www.iana.org/assignments/media-types/"
                                                                 "application/gzip")))
        return out

    # ------------------------------------------------------------------------------------------------- files
    def files(self) -> Iterator[tuple[str, bytes]]:
        """Every file of the static site, as (relative path, bytes), in a fixed order."""
        yield "style.css", _template("style.css").encode("utf-8")
        for name, make in self.listing_pages().items():
            yield f"{name}.html", make().encode("utf-8")
        total = len(self.pages)
        for n, (iri, path) in enumerate(self.pages.items(), 1):
            if n % 2000 == 0:
                self.say(f"pages: {n}/{total} resources")
            triples = self.description(iri)
            jsonld = self.writer.jsonld(triples)
            yield f"{path}.html", self.page(iri, triples, jsonld=jsonld).encode("utf-8")
            yield f"{path}.ttl", self.writer.turtle(triples)
            yield f"{path}.jsonld", jsonld
            yield f"{path}.nt", self.writer.ntriples(triples)
            if iri in self.named:
                yield from self._query_files(path, iri)
        self.say(f"pages: {total}/{total} resources; writing the dumps")
        dumps = self.dumps()
        yield from dumps.items()
        description = self.dataset_triples(dumps)
        yield from self.dataset_files(description)
        yield from sitemap_files(self.base, [*self.listing_pages(), "dataset", *self.pages.values()])
        yield "server-config/nginx.conf", _template("nginx.conf").encode("utf-8")
        yield "server-config/apache.htaccess", _template("apache.htaccess").encode("utf-8")
        yield ".htaccess", _template("apache.htaccess").encode("utf-8")

    def _query_files(self, path: str, iri: str) -> Iterator[tuple[str, bytes]]:
        """A named query's ``.json`` and ``.csv``: its rows with the default parameters (as ``serve`` answers)."""
        try:
            result = self.query_result(self.named[iri].name, {})
        except CcgkgError:
            return
        yield f"{path}.json", render_result(result, "json")
        yield f"{path}.csv", render_result(result, "csv")

    def dataset_files(self, description: list[Triple]) -> Iterator[tuple[str, bytes]]:
        ttl = self.writer.turtle(description)
        yield "dataset.ttl", ttl
        yield "dataset.jsonld", self.writer.jsonld(description)
        yield "dataset.nt", self.writer.ntriples(description)
        yield ".well-known/void", ttl
        graph = Graph()
        for t in description:
            graph.add(t)
        rows: dict[Node, list[Node]] = defaultdict(list)
        for s, p, o in description:
            if s == URIRef(DATASET):
                rows[p].append(o)
        body = (self.formats_line("dataset", DATASET)
                + "<p>Data: Open Government Licence v3.0; ontology, shapes and queries: CC BY 4.0.</p>\n")
        for s in sorted({s for s, _, _ in description}, key=str):
            items = sorted((p, o) for p, o in graph.predicate_objects(s))
            table = self._table(("property", "value"), [(_esc(self.writer._curie(p)[0]),  # type: ignore[arg-type]
                                                          self.value_html("dataset", o)) for p, o in items])
            body += f"<h2><code>{_esc(self.writer.iri(str(s)))}</code></h2>\n" + table
        html_text = self.shell("dataset", "Dataset description", body, jsonld=self.writer.jsonld(description))
        yield "dataset.html", html_text.replace(' <a href="dataset.json">JSON</a> <a href="dataset.csv">CSV</a>',
                                                "").encode("utf-8")

    def write(self, out: str) -> int:
        """Write the site into the folder ``out`` (replaced as a whole, atomically); returns the file count.

        Raises:
            PublishError: ``out`` exists and is neither empty nor a site ccgkg wrote.
        """
        return write_tree(out, self.files())


def validation_summary(result: validation.ValidationResult) -> str:
    from ccgkg.report import summary_line

    return summary_line(result)


def _when(f: validation.Finding) -> str:
    from ccgkg.report import when

    return when(f)


def query_form(q: queries.NamedQuery, values: dict[str, str], *, action: str | None = None) -> str:
    """An HTML form for the named query, one typed input per parameter, submitting to the query's own path."""
    kinds = {"date": "date", "integer": "number"}
    fields = []
    for p in q.parameters:
        value = values.get(p.name, p.default or "")
        need = "" if (p.optional or p.default is not None) else " required"
        fields.append(f'<label>{_esc(p.name)} ({_esc(p.type)}{", optional" if p.optional else ""}) '
                      f'<input name="{_esc(p.name)}" type="{kinds.get(p.type, "text")}" value="{_esc(value)}"{need}>'
                      f"</label>\n")
    return (f'<h2>Run it</h2>\n<form class="query" method="get" action="{_esc(action or q.name)}">\n{"".join(fields)}'
            f'<input type="hidden" name="run" value="1">\n<button type="submit">Run</button>\n</form>\n')


def rows_html(site: Site, from_path: str, result: queries.QueryResult, *, heading: bool = True) -> str:
    """A query result as an HTML table; IRIs with a page are links."""
    if result.boolean is not None:
        return f"<p>Answer: {str(result.boolean).lower()}</p>\n"
    if result.graph is not None:
        return f"<pre>{html.escape(render_result(result, 'ttl').decode('utf-8'))}</pre>\n"
    head = f"<h2>Rows ({len(result.rows)})</h2>\n" if heading else ""
    cells = []
    for row in result.rows:
        tds = []
        for term in row:
            if term is None:
                tds.append("<td></td>")
            elif isinstance(term, URIRef):
                tds.append(f"<td>{site.link(from_path, term, results.short(term))}</td>")
            else:
                tds.append(f"<td>{html.escape(str(term))}</td>")
        cells.append("<tr>" + "".join(tds) + "</tr>\n")
    header = "".join(f"<th>{html.escape(v)}</th>" for v in result.variables)
    return f'{head}<table class="rows">\n<tr>{header}</tr>\n{"".join(cells)}</table>\n'


def render_result(result: queries.QueryResult, fmt: str) -> bytes:
    """A query result in a protocol format: json, xml, csv, tsv (SELECT, ASK) or ttl, nt, jsonld (graphs)."""
    if result.graph is not None:
        triples = canonical_bnodes(result.graph)
        writer = Writer()
        return {"ttl": writer.turtle, "nt": writer.ntriples, "jsonld": writer.jsonld}[fmt](triples)
    if fmt == "xml":
        return results_xml(result)
    return results.render(result, fmt)


def sitemap_files(base: str, paths: list[str]) -> Iterator[tuple[str, bytes]]:
    """``sitemap.xml`` (an index when there are more than 50,000 pages) listing every HTML page."""
    from xml.sax.saxutils import escape

    urls = [f"{base}{p}.html" for p in paths]
    chunks = [urls[i:i + SITEMAP_MAX] for i in range(0, len(urls), SITEMAP_MAX)] or [[]]
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def urlset(chunk: list[str]) -> bytes:
        body = "".join(f"<url><loc>{escape(u)}</loc></url>\n" for u in chunk)
        return f"{head}<urlset {ns}>\n{body}</urlset>\n".encode()

    if len(chunks) == 1:
        yield "sitemap.xml", urlset(chunks[0])
        return
    for n, chunk in enumerate(chunks, 1):
        yield f"sitemap-{n}.xml", urlset(chunk)
    index = "".join(f"<sitemap><loc>{escape(base)}sitemap-{n}.xml</loc></sitemap>\n" for n in range(1, len(chunks) + 1))
    yield "sitemap.xml", f"{head}<sitemapindex {ns}>\n{index}</sitemapindex>\n".encode()


MARKER = ".ccgkg-site"


def check_base(base: str) -> None:
    """Raises PublishError unless ``base`` is an http(s) IRI ending in ``/``."""
    if not base.startswith(("http://", "https://")) or not base.endswith("/") or any(c in base for c in ' <>"{}|^`\\'):
        raise PublishError(f"--base {base!r} is not an http(s) IRI ending in '/'",
                           hint="e.g. --base https://example.org/ccgkg/")


def check_target(out: str) -> None:
    """Raises PublishError when ``out`` exists and is neither an empty folder nor a site ccgkg published."""
    from pathlib import Path

    target = Path(out)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).exists())):
        raise PublishError(f"{out} exists and is not a site ccgkg published (no {MARKER} file in it)",
                           hint="give --out an empty or new folder, or the folder of an earlier `ccgkg publish`")


def write_tree(out: str, files: Iterator[tuple[str, bytes]]) -> int:
    """Write ``files`` into a fresh folder beside ``out`` and swap it in; an old site there is replaced."""
    import os
    import shutil
    import tempfile
    from pathlib import Path

    check_target(out)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    count = 0
    try:
        root = str(work)
        made: set[str] = {root}
        for rel, payload in files:
            path = os.path.join(root, rel)
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            count += 1
        (work / MARKER).write_text(f"published by ccgkg {__version__}\n", encoding="utf-8")
        os.chmod(work, 0o755)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(old)
        work.rename(target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return count + 1


__all__ = ["DATASET", "FORMATS", "SPARQL", "FindingRecord", "Site", "doc_path", "iri_of_path", "query_form",
           "render_result", "rows_html", "run_graph", "sitemap_files", "write_tree"]

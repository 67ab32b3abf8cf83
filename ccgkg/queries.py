"""Named SPARQL queries: the bundled library, typed parameters bound safely, and in-process evaluation.

A named query is a ``queries/<verb>-<object>.rq`` file that opens with a comment header::

    # title: Duties binding an organisation on a date
    # description: Every norm in force on the day whose holder class the organisation belongs to.
    #   A description may go on over several lines, each starting with "#" and two or more spaces.
    # param: org code default 02H -- the organisation (ODS or workbook code)
    # param: provision iri optional -- only findings citing this provision (any when not given)
    # provisions: nhsa06:s14Z2 hsca12:s194-2
    # needs: report

A parameter is ``name type`` then ``default VALUE``, ``optional`` (unbound when not given: it matches anything) or
nothing (required), then ``-- description``. ``needs: report`` marks a query that reads the validation report. Types: ``iri`` (an IRI or a CURIE with a ccgkg prefix), ``code`` (an
organisation code, bound to its IRI by :func:`ccgkg.namespaces.org_iri`), ``date``, ``integer``, ``string``.

Values are never formatted into the query: each is checked against its type, turned into an RDF term, and bound
by the engine through one ``VALUES`` block placed structurally at the start of the outer ``WHERE`` group (the
same text runs in rdflib and on any SPARQL 1.1 endpoint). A parameter is therefore a variable of that group: it
is visible to the group's triple patterns, its top-level ``FILTER``s, its ``OPTIONAL`` conditions and
``(NOT) EXISTS``, but not inside a nested ``{ }`` group or sub-select.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ccgkg import guards, resources, temporal
from ccgkg.errors import (
    CcgkgError,
    QueryNotFound,
    QueryParameterError,
    QuerySyntaxError,
)
from ccgkg.namespaces import (
    BASE,
    CCGKG,
    DCTERMS,
    RDF,
    RDFS,
    bind_prefixes,
    expand_curie,
    org_iri,
)

PARAMETER_TYPES = ("iri", "code", "date", "integer", "string")
#: What a ``# needs:`` header line may name: ``report``, the validation report graph (run in-process, the
#: command validates DATA first).
NEEDS = ("report",)
#: Named queries are described in RDF under this namespace (``ccgkg:NamedQuery``), for the coverage query.
QUERY_NS = BASE + "queries/"

_PARAM_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAM_RE = re.compile(r"^(?P<name>\S+)\s+(?P<type>\S+)(?:\s+(?P<mode>default\s+.*?|optional))?"
                       r"(?:\s+--\s*(?P<desc>.*))?$")
_HEADER_RE = re.compile(r"^#\s*(?P<key>[a-z]+)\s*:\s?(?P<value>.*)$")
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_INT_RE = re.compile(r"^[+-]?[0-9]{1,18}$")
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')


@dataclass(frozen=True)
class Parameter:
    """A declared query parameter."""

    name: str
    type: str
    default: str | None = None
    optional: bool = False
    description: str = ""

    def render(self) -> str:
        """``name:type=default`` (``?`` when optional), as ``query --list`` and error hints show it."""
        text = f"{self.name}:{self.type}"
        if self.default is not None:
            return f"{text}={self.default}"
        return text + ("?" if self.optional else "")


@dataclass(frozen=True)
class NamedQuery:
    """A query with its header: title, description, parameters and the provisions it answers."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    provisions: tuple[str, ...] = ()
    form: str = "SELECT"
    needs: tuple[str, ...] = ()

    @property
    def needs_report(self) -> bool:
        """True when the query reads the validation report (header ``# needs: report``)."""
        return "report" in self.needs

    def parameter(self, name: str) -> Parameter | None:
        """The declared parameter called ``name``, or None."""
        return next((p for p in self.parameters if p.name == name), None)

    def signature(self) -> str:
        """The declared parameters as one line (``-`` when none)."""
        return " ".join(p.render() for p in self.parameters) or "-"


@dataclass(frozen=True)
class BoundQuery:
    """A query with its parameter values as RDF terms (None = unbound) and the text the engine runs."""

    query: NamedQuery
    bindings: tuple[tuple[str, Node | None], ...]
    text: str


@dataclass(frozen=True)
class QueryResult:
    """What a query returned: rows of terms (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE)."""

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)

    def limited(self, limit: int | None) -> QueryResult:
        """The first ``limit`` rows (all when None); a graph result keeps its first ``limit`` sorted triples."""
        if limit is None:
            return self
        if self.graph is not None:
            g = bind_prefixes(Graph())
            for triple in sorted(self.graph)[:limit]:
                g.add(triple)
            return QueryResult(form=self.form, graph=g)
        return QueryResult(form=self.form, variables=self.variables, rows=self.rows[:limit], boolean=self.boolean)


# ----------------------------------------------------------------------------------------------------- catalogue


def list_queries() -> list[NamedQuery]:
    """Every bundled named query, sorted by name."""
    return list(_bundled())


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[NamedQuery, ...]:
    """The bundled queries, read and parsed once per process (package data does not change under it)."""
    # package data: their syntax is checked by the tests and again each time one runs, not on every start (that
    # parse took most of a second per process)
    return tuple(parse_query(res.read_text(encoding="utf-8"), name=res.name[:-3], check=False)
                 for res in resources.query_files())


def load_query(name: str) -> NamedQuery:
    """The bundled named query called ``name`` (with or without ``.rq``).

    Raises:
        QueryNotFound: listing the names there are.
    """
    wanted = name.removesuffix(".rq")
    for query in _bundled():
        if query.name == wanted:
            return query
    known = ", ".join(q.name for q in _bundled())
    raise QueryNotFound(f"no named query {name!r}", hint=f"`ccgkg query --list` shows them: {known}")


def catalogue_graph(queries: Sequence[NamedQuery] | None = None) -> Graph:
    """The named queries as RDF: ``<queries/NAME> a ccgkg:NamedQuery ; ccgkg:answers <provision>``."""
    g = bind_prefixes(Graph())
    for q in list_queries() if queries is None else queries:
        node = URIRef(QUERY_NS + q.name)
        g.add((node, RDF.type, CCGKG.NamedQuery))
        g.add((node, RDFS.label, Literal(q.name)))
        if q.title:
            g.add((node, DCTERMS.title, Literal(q.title, lang="en")))
        for curie in q.provisions:
            g.add((node, CCGKG.answers, expand_curie(curie)))
    return g


# ------------------------------------------------------------------------------------------------------- headers


def parse_query(text: str, *, name: str = "query", check: bool = True) -> NamedQuery:
    """Read the header of a query text and check the query parses.

    A text without a header is a query with no parameters (``ccgkg sparql`` files). Comment lines that are not
    header fields (``title``, ``description``, ``param``, ``provisions``) are ordinary comments.

    Raises:
        QuerySyntaxError: the header or the query is malformed (with line and column).
    """
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "provisions": [], "needs": []}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        m = _HEADER_RE.match(stripped)
        if m and m.group("key") in fields:
            last = m.group("key")
            fields[last].append(m.group("value").strip())
        elif last == "description" and line.startswith("#  "):
            fields["description"][-1] += " " + stripped.lstrip("#").strip()
        else:
            last = None
    params = tuple(_parse_param(v, name) for v in fields["param"])
    seen: set[str] = set()
    for p in params:
        if p.name in seen:
            raise QuerySyntaxError(f"{name}: parameter {p.name!r} is declared twice")
        seen.add(p.name)
    provisions = tuple(" ".join(fields["provisions"]).split())
    for curie in provisions:
        try:
            expand_curie(curie)
        except ValueError as exc:
            raise QuerySyntaxError(f"{name}: provisions line: {exc}") from None
    form = check_syntax(text, name=name) if check else _form(text)
    needs = tuple(" ".join(fields["needs"]).split())
    if any(n not in NEEDS for n in needs):
        raise QuerySyntaxError(f"{name}: needs line: expected one of {', '.join(NEEDS)}; got {' '.join(needs)}")
    query = NamedQuery(name=name, text=text, title=" ".join(fields["title"]),
                       description=" ".join(fields["description"]), parameters=params, provisions=provisions,
                       form=form, needs=needs)
    for p in params:
        if not re.search(rf"[?$]{p.name}\b", _strip_comments(text)):
            raise QuerySyntaxError(f"{name}: parameter {p.name!r} is declared but ?{p.name} is not in the query")
        if p.default is not None:
            convert(query, p, p.default)
    return query


def _parse_param(value: str, query: str) -> Parameter:
    m = _PARAM_RE.match(value)
    if not m or not _PARAM_NAME_RE.match(m.group("name")) or m.group("type") not in PARAMETER_TYPES:
        raise QuerySyntaxError(
            f"{query}: bad parameter declaration {value!r}",
            hint="write `# param: NAME TYPE [default VALUE | optional] -- description`, TYPE one of "
                 + ", ".join(PARAMETER_TYPES))
    mode = m.group("mode") or ""
    default = mode[len("default"):].strip() if mode.startswith("default") else None
    return Parameter(name=m.group("name"), type=m.group("type"), default=default, optional=mode == "optional",
                     description=(m.group("desc") or "").strip())


def check_syntax(text: str, *, name: str = "query") -> str:
    """Parse ``text`` as SPARQL 1.1; return its form (SELECT, CONSTRUCT, ASK or DESCRIBE).

    Raises:
        QueryRefused: the text is an update.
        QuerySyntaxError: with the line and column where parsing stopped.
    """
    prepared = guards.parse(text, name=name)
    return str(prepared.algebra.name).replace("Query", "").upper()


def _form(text: str) -> str:
    """The form of a query text that parses (its first top-level SELECT, CONSTRUCT, ASK or DESCRIBE keyword)."""
    depth = 0
    for kind, tok in _tokens(text):
        depth += {"open": 1, "close": -1}.get(kind, 0)
        if kind == "word" and depth == 0 and tok.upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            return tok.upper()
    raise QuerySyntaxError("the query has no SELECT, CONSTRUCT, ASK or DESCRIBE", hint="check the query text")


def _strip_comments(text: str) -> str:
    return "".join(tok for kind, tok in _tokens(text) if kind != "comment")


# ---------------------------------------------------------------------------------------------------- parameters


def convert(query: NamedQuery, param: Parameter, value: str) -> Node:
    """The RDF term for ``value`` given as ``param`` of ``query``.

    Raises:
        QueryParameterError: the value is not of the declared type (listing the declared parameters).
    """
    text = str(value)
    try:
        if param.type == "date":  # ISO 8601; a day that does not exist is named as such (2016-02-30)
            return Literal(temporal.real_date(text), datatype=XSD.date)
        if param.type == "integer":
            if not _INT_RE.match(text.strip()):
                raise ValueError("not a whole number")
            return Literal(int(text.strip()), datatype=XSD.integer)
        if param.type == "code":
            if not _CODE_RE.match(text.strip()):
                raise ValueError("an organisation code is letters, digits, '.', '_' and '-' only")
            return org_iri(text.strip())
        if param.type == "iri":
            iri = expand_curie(text.strip())
            if _IRI_FORBIDDEN.search(str(iri)) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", str(iri)):
                raise ValueError("an IRI may not contain spaces or any of <>\"{}|^`\\")
            return iri
        return Literal(text)
    except ValueError as exc:
        raise _param_error(query, f"parameter {param.name!r} of {query.name} must be {_TYPE_WORDS[param.type]}; "
                                  f"got {text!r} ({exc})") from None


_TYPE_WORDS = {"iri": "an IRI or a CURIE (e.g. nhsa06:s14Z2)", "code": "an organisation code (e.g. 02H)",
               "date": "a real date YYYY-MM-DD", "integer": "a whole number", "string": "a string"}


def _param_error(query: NamedQuery, message: str) -> QueryParameterError:
    declared = "; ".join(f"{p.render()} ({p.description})" if p.description else p.render()
                         for p in query.parameters) or "none"
    return QueryParameterError(message, hint=f"{query.name} declares: {declared}")


def bind(query: NamedQuery, values: Mapping[str, str], *, dates: dt.date | None = None) -> BoundQuery:
    """Check ``values`` against the declared parameters and bind them (defaults for the rest).

    ``dates`` (``--as-of``) is the value of every ``date`` parameter not given in ``values``.

    Raises:
        QueryParameterError: an unknown, missing or ill-typed parameter (listing the declared parameters).
    """
    for key in values:
        if query.parameter(key) is None:
            raise _param_error(query, f"{query.name} has no parameter {key!r}")
    if dates is not None and not any(p.type == "date" for p in query.parameters):
        raise _param_error(query, f"--as-of sets the date parameters of a named query, and {query.name} has none")
    bound: list[tuple[str, Node | None]] = []
    for p in query.parameters:
        if p.name in values:
            bound.append((p.name, convert(query, p, values[p.name])))
        elif p.type == "date" and dates is not None:
            bound.append((p.name, Literal(dates, datatype=XSD.date)))
        elif p.default is not None:
            bound.append((p.name, convert(query, p, p.default)))
        elif p.optional:
            bound.append((p.name, None))
        else:
            raise _param_error(query, f"{query.name} needs parameter {p.name!r} (-p {p.name}=VALUE)")
    return BoundQuery(query=query, bindings=tuple(bound), text=inject_values(query.text, tuple(bound)))


# --------------------------------------------------------------------------------------------- VALUES injection

_TOKEN_RE = re.compile(r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_.:%-]*)?)
  | (?P<open>\{) | (?P<close>\}) | (?P<space>\s+) | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "other", m.group()) for m in _TOKEN_RE.finditer(text)]


def _where_group(text: str) -> tuple[int, int]:
    """Offsets just inside the outer WHERE group's ``{`` and of its matching ``}``.

    The group is the first top-level ``{`` after the ``WHERE`` keyword; without the keyword, the first top-level
    group (the second for CONSTRUCT, whose first is the template).
    """
    tokens = _tokens(text)
    depth, pos = 0, 0
    groups: list[tuple[int, int]] = []  # (offset of "{", index in tokens)
    where_at: int | None = None
    form = None
    for index, (kind, tok) in enumerate(tokens):
        if kind == "word" and depth == 0:
            upper = tok.upper()
            if form is None and upper in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
                form = upper
            if upper == "WHERE" and where_at is None:
                where_at = len(groups)
        elif kind == "open":
            if depth == 0:
                groups.append((pos, index))
            depth += 1
        elif kind == "close":
            depth -= 1
        pos += len(tok)
    pick = where_at if where_at is not None else (1 if form == "CONSTRUCT" else 0)
    if pick >= len(groups):
        raise QuerySyntaxError("cannot find the WHERE group of the query", hint="write the query with WHERE { ... }")
    start, index = groups[pick]
    depth, pos = 0, start
    for _kind, tok in tokens[index:]:
        depth += {"{": 1, "}": -1}.get(tok, 0) if _kind in ("open", "close") else 0
        if depth == 0:
            return start + 1, pos
        pos += len(tok)
    raise QuerySyntaxError("the WHERE group of the query is not closed", hint="balance its braces")


def term_sparql(term: Node) -> str:
    """A term in SPARQL syntax, escaped so that no value can end the term early."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise QueryParameterError(f"IRI {str(term)!r} contains a character an IRI may not contain")
        return f"<{term}>"
    if isinstance(term, Literal):
        body = _escape_string(str(term))
        if term.language:
            return f'"{body}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{body}"^^{term_sparql(term.datatype)}'
        return f'"{body}"'
    raise QueryParameterError(f"cannot bind {term!r}: only IRIs and literals can be parameter values")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_string(value: str) -> str:
    """Escape a string for a double-quoted SPARQL literal.

    Every backslash is doubled and a ``u``/``U`` right after one is written ``\\U00000075``/``\\U00000055``, so
    that no ``\\uXXXX`` sequence in a value is expanded by an engine that expands codepoint escapes over the whole
    query text before parsing (rdflib does, taking 8 hex digits where it finds them: hence the 8-digit form);
    other control characters become ``\\UXXXXXXXX`` escapes.
    """
    out = []
    previous = ""
    for ch in value:
        if ch in "uU" and previous == "\\":
            out.append(f"\\U{ord(ch):08X}")
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
        previous = ch
    return "".join(out)


def inject_values(text: str, bindings: Sequence[tuple[str, Node | None]]) -> str:
    """``text`` with one ``VALUES`` row binding the parameters placed at the start of its outer WHERE group.

    Unbound parameters are ``UNDEF``. A WHERE group that is a sub-select is wrapped in a group first (the
    grammar allows nothing beside a sub-select), which keeps its meaning.
    """
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name, _ in bindings)
    row = " ".join("UNDEF" if term is None else term_sparql(term) for _, term in bindings)
    block = f" VALUES ({names}) {{ ({row}) }} "
    start, end = _where_group(text)
    inner = text[start:end]
    first = next((tok for kind, tok in _tokens(inner) if kind not in ("space", "comment")), "")
    if first.upper() == "SELECT":
        return f"{text[:start]}{block}{{{inner}}}{text[end:]}"
    return f"{text[:start]}{block}{inner}{text[end:]}"


# ----------------------------------------------------------------------------------------------- evaluation


def query_graph(data: Graph, *, inference: str = "rdfs", report: Graph | None = None,
                reasoner: str | None = None) -> Graph:
    """The graph named queries run on: data, the bundled ontology and the triples ``inference`` adds, the bundled
    shapes, the named-query catalogue and (when given) a validation report graph. ``data`` is not changed."""
    from ccgkg import reasoning
    from ccgkg.store import shapes_graph

    result = reasoning.infer(data, inference, reasoner=reasoner)
    g = result.closure
    g += shapes_graph()
    g += catalogue_graph()
    if report is not None:
        g += report
    return g


def validation_report(data: Graph, *, as_of: dt.date | None = None, inference: str = "rdfs") -> Graph:
    """The validation report graph of ``data`` (``ccgkg.validation.validate(...).report_graph``).

    Raises:
        CcgkgError: when this installation has no ``ccgkg.validation`` module.
    """
    try:
        from ccgkg import validation
    except ImportError:
        raise CcgkgError("--with-report and push need ccgkg.validation, which this installation does not have",
                         hint="run without --with-report (push: --no-report), or install a ccgkg with validation"
                         ) from None
    return validation.validate(data, as_of=as_of, inference=inference).report_graph


#: Engines a query runs on in-process: pyoxigraph (the default, fast) and rdflib (the reference).
ENGINES = ("oxigraph", "rdflib")


def answer(bound: BoundQuery | str, data: Graph, *, inference: str = "rdfs", report: Graph | None = None,
           engine: str = "oxigraph", allow_service: bool = False,
           timeout: float | None = guards.DEFAULT_TIMEOUT_S, limit: int | None = None) -> QueryResult:
    """Evaluate a query on ``data`` as :func:`query_graph` extends it, with ``engine`` (one of ``ENGINES``).

    ``oxigraph`` builds the same triples in an in-process pyoxigraph store (:mod:`ccgkg.oxstore`) and gives the
    same result as ``rdflib`` (:func:`run` on :func:`query_graph`), in a fraction of the time on large data. Both
    make the same checks first (:func:`ccgkg.guards.guard_query`) and keep the same time limit.
    """
    if engine == "rdflib":
        return run(bound, query_graph(data, inference=inference, report=report), allow_service=allow_service,
                   timeout=timeout, limit=limit)
    if engine != "oxigraph":
        raise QueryParameterError(f"unknown query engine {engine!r}", hint="use one of: " + ", ".join(ENGINES))
    from ccgkg import oxstore

    return oxstore.run(bound, oxstore.query_store(data, inference=inference, report=report),
                       allow_service=allow_service, timeout=timeout, limit=limit)


def run(bound: BoundQuery | str, graph: Graph, *, allow_service: bool = False,
        timeout: float | None = guards.DEFAULT_TIMEOUT_S, limit: int | None = None) -> QueryResult:
    """Evaluate a bound named query (or a query text) on ``graph`` with rdflib, within ``timeout`` seconds.

    The query is checked first by :func:`ccgkg.guards.guard_query` (no SERVICE unless ``allow_service``, no
    GRAPH or FROM); ``limit`` is written into the query as its outer LIMIT.

    Raises:
        QueryRefused: the query asks for something in-process evaluation refuses.
        QuerySyntaxError: the text does not parse, or evaluation fails.
        QueryTimeout: evaluation took longer than ``timeout``.
    """
    text = bound.text if isinstance(bound, BoundQuery) else bound
    name = bound.query.name if isinstance(bound, BoundQuery) else "query"
    form = guards.guard_query(text, name=name, allow_service=allow_service)
    if form == "SELECT":
        text = guards.with_limit(text, limit)
    with guards.time_limit(timeout, what=name):
        return _evaluate(graph, text, form, name)


def _evaluate(graph: Graph, text: str, form: str, name: str) -> QueryResult:
    try:
        return _results(graph.query(text), form)
    except CcgkgError:
        raise
    except Exception as exc:  # noqa: BLE001 - rdflib evaluation errors (raised lazily, while rows are read)
        raise QuerySyntaxError(f"{name}: the query failed: {' '.join(str(exc).split())}") from None


def _results(result: Any, form: str) -> QueryResult:
    if form == "ASK":
        return QueryResult(form=form, boolean=bool(result.askAnswer))
    if form in ("CONSTRUCT", "DESCRIBE"):
        g = bind_prefixes(Graph())
        for triple in result:
            g.add(triple)
        return QueryResult(form=form, graph=g)
    variables = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(canonical(row[i]) for i in range(len(variables))) for row in result)
    return QueryResult(form=form, variables=variables, rows=rows)


def canonical(term: Node | None) -> Node | None:
    """Numbers in their canonical lexical form (``1.0`` -> ``1``, ``007`` -> ``7``), so that rdflib and every
    store print the same value the same way; other terms unchanged."""
    if not isinstance(term, Literal) or term.datatype not in (XSD.decimal, XSD.integer):
        return term
    try:
        number = Decimal(str(term).strip())
    except InvalidOperation:
        return term
    if term.datatype == XSD.integer:
        return Literal(str(int(number)), datatype=XSD.integer)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return Literal(text, datatype=XSD.decimal, normalize=False)


__all__ = [
    "ENGINES",
    "PARAMETER_TYPES",
    "QUERY_NS",
    "BoundQuery",
    "NamedQuery",
    "Parameter",
    "QueryResult",
    "answer",
    "bind",
    "canonical",
    "catalogue_graph",
    "check_syntax",
    "convert",
    "inject_values",
    "list_queries",
    "load_query",
    "parse_query",
    "query_graph",
    "run",
    "term_sparql",
    "validation_report",
]

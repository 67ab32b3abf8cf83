"""The read-only SPARQL service behind ``ccgkg serve`` and the query results of ``ccgkg publish``.

The knowledge graph is loaded once into an in-memory pyoxigraph store; every query is checked first and then runs
in a forked child process that is killed when the time limit passes, so a runaway query cannot hold the server:

* updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ...) are refused: the service is read-only;
* ``SERVICE`` is refused: the server never fetches another address for a query;
* a query that runs longer than ``time_limit`` seconds is stopped (:class:`QueryTimeout`);
* a SELECT with more than ``row_limit`` rows, or a CONSTRUCT/DESCRIBE with more than ``row_limit`` triples, is an
  error (:class:`RowLimitExceeded`) rather than a silently cut answer.

The read-only checks are :func:`ccgkg.guards.guard_query`'s, the same as ``ccgkg query`` makes on either engine
(on the parsed query, so a keyword in a string or an IRI does not count), told here in the service's words.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ccgkg import guards
from ccgkg.errors import CcgkgError, QueryRefused, QuerySyntaxError, QueryTimeout
from ccgkg.queries import (
    QueryResult,
    _tokens,  # the SPARQL tokenizer the parameter binding uses
    canonical,
)

DEFAULT_TIME_LIMIT = 10.0
DEFAULT_ROW_LIMIT = 10_000
DEFAULT_REQUEST_LIMIT = 65_536


class RowLimitExceeded(CcgkgError):
    """A query gave more rows than the row limit allows."""


@dataclass(frozen=True)
class Limits:
    """The service's limits: seconds per query, rows per result, bytes per request."""

    time_limit: float = DEFAULT_TIME_LIMIT
    row_limit: int = DEFAULT_ROW_LIMIT
    request_limit: int = DEFAULT_REQUEST_LIMIT


_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_NAME = "the query"


def check_query(text: str) -> str:
    """The form of a query text (SELECT, ASK, CONSTRUCT or DESCRIBE) once it has passed the read-only checks of
    :func:`ccgkg.guards.guard_query` (no update, no SERVICE, no GRAPH, no FROM or FROM NAMED).

    Raises:
        QueryRefused: it is an update (or starts like one), or uses SERVICE, GRAPH or FROM.
        QuerySyntaxError: it does not parse.
    """
    try:
        return guards.guard_query(text, name=_NAME)
    except QueryRefused:
        raise _refusal(text) from None
    except QuerySyntaxError as exc:
        if _first_word(text) in _UPDATE_WORDS:  # a malformed update is refused as an update
            raise _refusal(text) from None
        reason = exc.message.removeprefix(f"{_NAME}: ")
        if not reason.startswith(f"{_NAME} does not parse"):
            reason = f"{_NAME} does not parse: {reason}"
        raise QuerySyntaxError(reason, line=exc.line, column=exc.column, hint=exc.hint) from None


def _first_word(text: str) -> str | None:
    """The first keyword after the PREFIX and BASE declarations (tokens: not inside strings, IRIs, comments)."""
    words = [tok.upper() for kind, tok in _tokens(text) if kind == "word"]
    return next((w for w in words if w not in ("PREFIX", "BASE") and ":" not in w), None)


def _refusal(text: str) -> QueryRefused:
    """Why guard_query refused ``text``, in the service's words (the refusal is guard_query's)."""
    try:
        shape = guards.inspect(text, name=_NAME)
    except (QueryRefused, QuerySyntaxError):  # an update
        return QueryRefused("updates are refused: this SPARQL service is read-only",
                            hint="send SELECT, ASK, CONSTRUCT or DESCRIBE queries; load data with `ccgkg push` "
                                 "into a store you run yourself")
    if shape.services:
        return QueryRefused("SERVICE is refused: this SPARQL service never fetches other addresses",
                            hint="query each endpoint yourself and join the answers")
    if shape.datasets:
        return QueryRefused("FROM and FROM NAMED are refused: this SPARQL service holds one default graph",
                            hint="drop the FROM clause: every query runs on the whole published graph")
    return QueryRefused("GRAPH is refused: this SPARQL service holds one default graph and no named graphs",
                        hint="drop the GRAPH clause: every query runs on the whole published graph")


def _to_rdflib(value: Any) -> Node:
    import pyoxigraph as ox

    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    if value.language:
        return Literal(value.value, lang=value.language)
    datatype = value.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value.value)
    return Literal(value.value, datatype=URIRef(datatype), normalize=False)


def load_store(ntriples: bytes) -> Any:
    """An in-memory pyoxigraph store holding the N-Triples ``ntriples``."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


@dataclass
class QueryService:
    """A pyoxigraph store answering read-only queries within ``limits``."""

    store: Any
    limits: Limits = field(default_factory=Limits)

    def run(self, text: str) -> QueryResult:
        """Check and run ``text``; the result has rdflib terms (numbers canonical, as ``ccgkg query`` prints them).

        Raises:
            QueryRefused, QuerySyntaxError, QueryTimeout, RowLimitExceeded.
        """
        form = check_query(text)
        outcome = self._in_child(text, form) if hasattr(os, "fork") else _evaluate(self.store, text, form,
                                                                                   self.limits.row_limit)
        if isinstance(outcome, CcgkgError):
            raise outcome
        return outcome

    def _in_child(self, text: str, form: str) -> QueryResult | CcgkgError:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: evaluate, send the pickled outcome, leave at once
            os.close(read_fd)
            try:
                try:
                    outcome: object = _evaluate(self.store, text, form, self.limits.row_limit)
                except CcgkgError as exc:
                    outcome = exc
                except BaseException as exc:  # noqa: BLE001 - reported to the parent as a query error
                    outcome = QuerySyntaxError(f"the query failed: {' '.join(str(exc).split())}")
                payload = pickle.dumps(outcome)
                view = memoryview(payload)
                while view:
                    view = view[os.write(write_fd, view):]
            finally:
                os._exit(0)
        os.close(write_fd)
        chunks: list[bytes] = []
        deadline = time.monotonic() + self.limits.time_limit
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    os.kill(pid, signal.SIGKILL)
                    return QueryTimeout(f"the query was stopped after {self.limits.time_limit:g} s (the time limit)",
                                        seconds=self.limits.time_limit,
                                        hint="make it more selective (a LIMIT does not help a sort or a count over "
                                             "everything), or start `ccgkg serve` with a larger --time-limit")
                ready, _, _ = select.select([read_fd], [], [], left)
                if ready:
                    chunk = os.read(read_fd, 1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
        finally:
            os.close(read_fd)
            os.waitpid(pid, 0)
        if not chunks:
            return QuerySyntaxError("the query process ended without an answer")
        outcome = pickle.loads(b"".join(chunks))
        assert isinstance(outcome, (QueryResult, CcgkgError))
        return outcome


def _evaluate(store: Any, text: str, form: str, row_limit: int) -> QueryResult:
    try:
        answer = store.query(text)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"the query does not parse: {' '.join(str(exc).split())}") from None
    if form == "ASK":
        return QueryResult(form=form, boolean=bool(answer))
    if form in ("CONSTRUCT", "DESCRIBE"):
        g = Graph()
        for n, triple in enumerate(answer):
            if n >= row_limit:
                raise _too_many(row_limit, "triples")
            g.add((_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object)))
        return QueryResult(form=form, graph=g)
    variables = tuple(v.value for v in answer.variables)
    rows = []
    for n, solution in enumerate(answer):
        if n >= row_limit:
            raise _too_many(row_limit, "rows")
        rows.append(tuple(None if solution[v] is None else canonical(_to_rdflib(solution[v])) for v in variables))
    return QueryResult(form=form, variables=variables, rows=tuple(rows))


def _too_many(limit: int, what: str) -> RowLimitExceeded:
    return RowLimitExceeded(f"the query gave more than {limit} {what} (the row limit)",
                            hint="add a LIMIT (and OFFSET to page), or start `ccgkg serve` with a larger --row-limit")


def results_xml(result: QueryResult) -> bytes:
    """The W3C SPARQL Query Results XML Format of a SELECT or ASK result."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n']
    if result.boolean is not None:
        out.append(f"  <head/>\n  <boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    out.append("  <head>\n" + "".join(f"    <variable name={quoteattr(v)}/>\n" for v in result.variables)
               + "  </head>\n  <results>\n")
    for row in result.rows:
        out.append("    <result>\n")
        for name, term in zip(result.variables, row, strict=True):
            if term is not None:
                out.append(f"      <binding name={quoteattr(name)}>{_xml_term(term)}</binding>\n")
        out.append("    </result>\n")
    out.append("  </results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype is not None:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


__all__ = ["DEFAULT_REQUEST_LIMIT", "DEFAULT_ROW_LIMIT", "DEFAULT_TIME_LIMIT", "Limits", "QueryRefused",
           "QueryService", "QueryTimeout", "RowLimitExceeded", "check_query", "load_store", "results_xml"]

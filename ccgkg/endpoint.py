"""Any SPARQL 1.1 store: queries over the SPARQL 1.1 Protocol, graphs loaded over the Graph Store Protocol or Update.

- :func:`query` sends a query (``application/sparql-query``, POST) to a query endpoint, with the named graph to
  read as ``default-graph-uri``, and reads SPARQL JSON results (SELECT, ASK) or N-Triples/Turtle (CONSTRUCT,
  DESCRIBE) into a :class:`ccgkg.queries.QueryResult`.
- :func:`push` replaces one named graph in one request: ``PUT`` to a Graph Store Protocol endpoint
  (``?graph=IRI``; the store swaps the graph's content whole) or, with ``protocol="update"``, one SPARQL Update
  request ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`` (atomic where the store runs an update
  request as one transaction, as Oxigraph, Fuseki and GraphDB do).

Credentials, when the store wants them, come from the environment only: ``CCGKG_ENDPOINT_USER`` and
``CCGKG_ENDPOINT_PASSWORD`` (sent as HTTP Basic; answered with Digest when the server asks for it, as Virtuoso's ``-auth`` paths do) or ``CCGKG_ENDPOINT_TOKEN``
(``Authorization: Bearer``). Only the standard library's urllib is used.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import Graph

from ccgkg.errors import CcgkgError, EndpointError, InputError, PublishError
from ccgkg.namespaces import bind_prefixes
from ccgkg.queries import QueryResult

#: The named graph ``push`` writes and ``query --endpoint`` reads unless told otherwise.
DEFAULT_GRAPH = "https://w3id.org/ccgkg/graph/kg"
#: ``--graph default`` means the store's default graph.
STORE_DEFAULT = "default"
TIMEOUT_S = 120

_RDF_TYPES = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
              "application/rdf+xml": "xml", "application/ld+json": "json-ld", "application/n-quads": "nquads"}


@dataclass(frozen=True)
class PushResult:
    """What ``push`` sent: where, which graph, how many triples, by which protocol, and the store's HTTP status."""

    url: str
    graph: str
    triples: int
    protocol: str
    status: int


def _opener(url: str) -> urllib.request.OpenerDirector:
    user, password = os.environ.get("CCGKG_ENDPOINT_USER"), os.environ.get("CCGKG_ENDPOINT_PASSWORD")
    if user and password:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password)
        return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))
    return urllib.request.build_opener()


def _headers(extra: dict[str, str]) -> dict[str, str]:
    headers = {"User-Agent": "ccgkg", **extra}
    token = os.environ.get("CCGKG_ENDPOINT_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif os.environ.get("CCGKG_ENDPOINT_USER") and os.environ.get("CCGKG_ENDPOINT_PASSWORD"):
        pair = f"{os.environ['CCGKG_ENDPOINT_USER']}:{os.environ['CCGKG_ENDPOINT_PASSWORD']}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return headers


def _send(url: str, *, method: str, body: bytes, headers: dict[str, str], error: type[CcgkgError],
          what: str, shown: str | None = None) -> tuple[int, str, bytes]:
    """One HTTP request; (status, content type, body). Failures raise ``error`` naming the URL (``shown``, when
    given, instead of the full request URL) and the reason."""
    label = shown or url
    request = urllib.request.Request(url, data=body, method=method, headers=_headers(headers))
    try:
        with _opener(url).open(request, timeout=TIMEOUT_S) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        detail = " ".join(exc.read().decode("utf-8", "replace").split())[:400]
        hint = ("set CCGKG_ENDPOINT_USER and CCGKG_ENDPOINT_PASSWORD (or CCGKG_ENDPOINT_TOKEN)"
                if exc.code in (401, 403) else "check the endpoint URL (docs/queries.md lists each store's paths)")
        raise error(f"{what} {label} failed: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else ""),
                    hint=hint) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise error(f"cannot reach {label}: {reason}",
                    hint="check that the store is running and the URL (scheme, host, port, path) is right") from None


def _with_params(url: str, params: list[tuple[str, str]]) -> str:
    if not params:
        return url
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + urllib.parse.urlencode(params)


def query(url: str, text: str, *, form: str, graph: str | None = DEFAULT_GRAPH) -> QueryResult:
    """Run ``text`` (a query of ``form``: SELECT, ASK, CONSTRUCT or DESCRIBE) at a SPARQL 1.1 query endpoint.

    ``graph`` is sent as ``default-graph-uri`` (the graph ``push`` wrote); None or ``"default"`` reads the
    store's default graph.

    Raises:
        EndpointError: the endpoint cannot be reached, refuses the query or answers something unreadable.
    """
    from ccgkg.results import parse_json_results

    params = [("default-graph-uri", graph)] if graph and graph != STORE_DEFAULT else []
    accept = ("application/sparql-results+json" if form in ("SELECT", "ASK")
              else "application/n-triples, text/turtle;q=0.9")
    _status, ctype, body = _send(_with_params(url, params), method="POST", body=text.encode("utf-8"),
                                 headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                          "Accept": accept}, error=EndpointError, what="query at", shown=url)
    if form in ("SELECT", "ASK"):
        try:
            return parse_json_results(body)
        except InputError as exc:
            raise EndpointError(f"the answer of {url} is not SPARQL JSON results ({ctype}): {exc}") from None
    fmt = _RDF_TYPES.get(ctype.split(";")[0].strip().lower(), "turtle")
    g = bind_prefixes(Graph())
    try:
        g.parse(data=body, format=fmt)
    except Exception as exc:  # noqa: BLE001 - rdflib parsers raise many types
        raise EndpointError(f"the answer of {url} is not RDF ({ctype}): {' '.join(str(exc).split())[:300]}") from None
    return QueryResult(form=form, graph=g)


def push(url: str, graph: Graph, *, graph_iri: str = DEFAULT_GRAPH, protocol: str = "gsp") -> PushResult:
    """Replace the named graph ``graph_iri`` in a store with ``graph`` in one request.

    ``protocol="gsp"``: ``url`` is the store's Graph Store Protocol endpoint (``PUT url?graph=IRI``, or
    ``?default`` for the store's default graph). ``protocol="update"``: ``url`` is its SPARQL Update endpoint.

    Raises:
        PublishError: the store cannot be reached or refuses the graph.
    """
    return push_ntriples(url, graph.serialize(format="nt", encoding="utf-8"), len(graph), graph_iri=graph_iri,
                         protocol=protocol)


def push_ntriples(url: str, body: bytes, triples: int, *, graph_iri: str = DEFAULT_GRAPH,
                  protocol: str = "gsp") -> PushResult:
    """Like :func:`push`, for a graph already written as N-Triples (``body``, holding ``triples`` triples): what
    ``ccgkg push`` sends from its in-process store without building an rdflib graph.

    Raises:
        PublishError: the store cannot be reached or refuses the graph.
    """
    if protocol not in ("gsp", "update"):
        raise PublishError(f"unknown push protocol {protocol!r}", hint="use gsp or update")
    if protocol == "gsp":
        if graph_iri == STORE_DEFAULT:
            target = url + ("&" if urllib.parse.urlsplit(url).query else "?") + "default"
        else:
            target = _with_params(url, [("graph", graph_iri)])
        status, _ctype, _ = _send(target, method="PUT", body=body,
                                  headers={"Content-Type": "application/n-triples"}, error=PublishError,
                                  what="PUT to")
    else:
        if graph_iri == STORE_DEFAULT:
            update = b"DROP SILENT DEFAULT ;\nINSERT DATA {\n" + body + b"}\n"
        else:
            iri = f"<{graph_iri}>".encode()
            update = b"DROP SILENT GRAPH " + iri + b" ;\nINSERT DATA { GRAPH " + iri + b" {\n" + body + b"} }\n"
        status, _ctype, _ = _send(url, method="POST", body=update,
                                  headers={"Content-Type": "application/sparql-update; charset=utf-8"},
                                  error=PublishError, what="update at")
    return PushResult(url=url, graph=graph_iri, triples=triples, protocol=protocol, status=status)


__all__ = ["DEFAULT_GRAPH", "STORE_DEFAULT", "PushResult", "push", "push_ntriples", "query"]

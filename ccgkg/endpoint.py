"""Any SPARQL 1.1 store: queries over the SPARQL 1.1 Protocol, graphs loaded over the Graph Store Protocol or Update.

- :func:`query` sends a query (``application/sparql-query``, POST) to a query endpoint, with the named graph to
  read as ``default-graph-uri``, and reads SPARQL JSON results (SELECT, ASK) or N-Triples/Turtle (CONSTRUCT,
  DESCRIBE) into a :class:`ccgkg.queries.QueryResult`.
- :func:`push` replaces one named graph in one request: ``PUT`` to a Graph Store Protocol endpoint
  (``?graph=IRI``; the store swaps the graph's content whole) or, with ``protocol="update"``, one SPARQL Update
  request ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`` (atomic where the store runs an update
  request as one transaction, as Oxigraph, Fuseki and GraphDB do).

Credentials, when the store wants them, come from the environment: ``CCGKG_ENDPOINT_USER`` and
``CCGKG_ENDPOINT_PASSWORD`` (sent as HTTP Basic; answered with Digest when the server asks for it, as Virtuoso's
``-auth`` paths do) or ``CCGKG_ENDPOINT_TOKEN`` (``Authorization: Bearer``); else a ``user:password@`` in the URL.
Only the standard library's urllib is used.

Safety (docs/hostile-input.md): an endpoint must be an http(s) URL with a host (:func:`check_endpoint`); a graph
name must be an IRI before it goes into a request (:func:`check_graph`); credentials go to the endpoint's origin
only (a read redirected elsewhere is sent without them, a write redirected elsewhere is refused); messages show
userinfo as ``***`` (:func:`redact`); answers are read up to ``max_bytes``, and a store that does not answer
within ``timeout`` seconds is "timed out".
"""

from __future__ import annotations

import base64
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, URIRef

from ccgkg.errors import CcgkgError, EndpointError, InputError, PublishError
from ccgkg.guards import check_iri
from ccgkg.namespaces import bind_prefixes
from ccgkg.queries import QueryResult, term_sparql

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


#: The largest answer ``query`` reads from a store, in bytes, unless told otherwise (``--max-response``, in MB).
MAX_RESPONSE_BYTES = 100 * 1024 * 1024
_MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Endpoint:
    """A checked endpoint URL: what is sent (no userinfo), what messages show (userinfo as ``***``), its origin
    (scheme, host, port) and the credentials to send there, if any (``(user, password)`` or ``("", token)``)."""

    url: str
    shown: str
    origin: tuple[str, str, int]
    user: str | None = None
    password: str | None = None
    token: str | None = None

    @property
    def has_credentials(self) -> bool:
        return bool(self.token or (self.user and self.password))

    def secrets(self) -> tuple[str, ...]:
        """The secret strings no message may contain."""
        return tuple(x for x in (self.password, self.token) if x)


def redact(url: str) -> str:
    """``url`` with any userinfo (``user:password@``) replaced by ``***@``."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return re.sub(r"//[^/@]*@", "//***@", url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


def _origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def check_endpoint(url: str, *, what: str = "--endpoint") -> Endpoint:
    """Check that ``url`` is an http(s) URL with a host, and take any userinfo out of it as credentials.

    Credentials come from ``CCGKG_ENDPOINT_TOKEN``, else ``CCGKG_ENDPOINT_USER`` and ``CCGKG_ENDPOINT_PASSWORD``,
    else the URL's userinfo; they are only ever sent to this URL's origin.

    Raises:
        InputError: the URL is malformed, not http(s) or has no host (the message shows it redacted).
    """
    shown = redact(url)
    try:
        parts = urllib.parse.urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise InputError(f"{what} {shown!r} is not a URL: {exc}",
                         hint="write it as http://HOST:PORT/PATH, e.g. http://127.0.0.1:7878/query") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"{what} {shown!r} is not an http(s) URL" + (f" (scheme {parts.scheme}:)" if parts.scheme
                                                                        else ""),
                         hint="endpoints are SPARQL services over HTTP, e.g. http://127.0.0.1:7878/query; "
                              "to query files, give them as DATA")
    if not parts.hostname:
        raise InputError(f"{what} {shown!r} has no host", hint="write it as http://HOST:PORT/PATH")
    clean = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    user = os.environ.get("CCGKG_ENDPOINT_USER") or None
    password = os.environ.get("CCGKG_ENDPOINT_PASSWORD") or None
    if not (user and password) and (parts.username or parts.password):
        user = urllib.parse.unquote(parts.username or "")
        password = urllib.parse.unquote(parts.password or "")
    return Endpoint(url=clean, shown=redact(clean if "@" not in parts.netloc else url), origin=_origin(clean),
                    user=user, password=password, token=os.environ.get("CCGKG_ENDPOINT_TOKEN") or None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as HTTPError, so that ``_send`` decides where credentials and data may go."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(target: Endpoint, credentials: bool) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if credentials and not target.token and target.user and target.password:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        scheme, host, port = target.origin
        manager.add_password(None, f"{scheme}://{host}:{port}/", target.user, target.password)
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
    return urllib.request.build_opener(*handlers)


def _headers(target: Endpoint, extra: dict[str, str], credentials: bool) -> dict[str, str]:
    headers = {"User-Agent": "ccgkg", **extra}
    if not credentials:
        return headers
    if target.token:
        headers["Authorization"] = f"Bearer {target.token}"
    elif target.user and target.password:
        pair = f"{target.user}:{target.password}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return headers


def _scrub(text: str, target: Endpoint) -> str:
    for secret in target.secrets():
        text = text.replace(secret, "***")
    return text


def _send(target: Endpoint, url: str, *, method: str, body: bytes, headers: dict[str, str],
          error: type[CcgkgError], what: str, shown: str | None = None, write: bool = False,
          timeout: float = TIMEOUT_S, max_bytes: int | None = None) -> tuple[int, str, bytes]:
    """One HTTP request to ``url`` (on ``target``'s origin); (status, content type, body).

    Redirects are followed by sending the same request again (at most five times). Credentials go only to
    ``target``'s origin: a read redirected to another origin is sent there without them, and a write
    (``write=True``) redirected to another origin is refused. Failures raise ``error`` naming the URL (``shown``,
    when given, instead of the request URL; never its userinfo) and the reason.
    """
    label = shown or redact(url)
    credentials = True
    for _hop in range(_MAX_REDIRECTS + 1):
        request = urllib.request.Request(url, data=body, method=method, headers=_headers(target, headers,
                                                                                         credentials))
        try:
            with _opener(target, credentials).open(request, timeout=timeout) as response:
                payload = response.read() if max_bytes is None else response.read(max_bytes + 1)
                if max_bytes is not None and len(payload) > max_bytes:
                    raise error(f"the answer of {label} is larger than {max_bytes / 2**20:g} MB; reading stopped",
                                hint="ask for less (--limit, a narrower query) or raise --max-response")
                return response.status, response.headers.get("Content-Type", ""), payload
        except urllib.error.HTTPError as exc:
            if exc.code in _REDIRECTS and exc.headers.get("Location"):
                url, credentials = _redirect(target, url, exc.headers["Location"], write=write, error=error,
                                             what=what, label=label, credentials=credentials)
                continue
            raise _http_error(exc, target, error=error, what=what, label=label, credentials=credentials) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
                raise error(f"{what} {label} timed out: no answer within {timeout:g} s",
                            hint="the store may be busy or the query slow; give a larger --timeout") from None
            raise error(_scrub(f"cannot reach {label}: {reason}", target),
                        hint="check that the store is running and the URL (scheme, host, port, path) is right"
                        ) from None
    raise error(f"{what} {label} failed: more than {_MAX_REDIRECTS} redirects", hint="give the final URL")


def _redirect(target: Endpoint, url: str, location: str, *, write: bool, error: type[CcgkgError], what: str,
              label: str, credentials: bool) -> tuple[str, bool]:
    """The next URL of a redirect and whether credentials may go with it."""
    new = urllib.parse.urljoin(url, location)
    if urllib.parse.urlsplit(new).scheme.lower() not in ("http", "https"):
        raise error(f"{what} {label} redirected to {redact(new)!r}, which is not an http(s) URL; not followed")
    same = _origin(new) == target.origin
    if write and not same:
        scheme, host, port = _origin(new)
        raise error(f"{what} {label} was redirected to another origin ({scheme}://{host}:{port}); ccgkg does not "
                    "send data or credentials anywhere but the endpoint given, so nothing was sent there",
                    hint="if that is the store, give its URL as --endpoint")
    return new, credentials and same


def _http_error(exc: urllib.error.HTTPError, target: Endpoint, *, error: type[CcgkgError], what: str, label: str,
                credentials: bool) -> CcgkgError:
    detail = " ".join(exc.read().decode("utf-8", "replace").split())[:400]
    if exc.code in (401, 403) and credentials and target.has_credentials:
        given = "CCGKG_ENDPOINT_TOKEN" if target.token else "the user and password given"
        hint = (f"the store refused {given}: check them, and that this user may use {label}"
                if exc.code == 401 else f"the store knows the user of {given} but does not let it do this here")
    elif exc.code in (401, 403):
        hint = "set CCGKG_ENDPOINT_USER and CCGKG_ENDPOINT_PASSWORD (or CCGKG_ENDPOINT_TOKEN)"
    else:
        hint = "check the endpoint URL (docs/queries.md lists each store's paths)"
    message = f"{what} {label} failed: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
    return error(_scrub(message, target), hint=hint)


def _with_params(url: str, params: list[tuple[str, str]]) -> str:
    if not params:
        return url
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + urllib.parse.urlencode(params)


def check_graph(graph: str | None, *, what: str = "--graph") -> str | None:
    """``graph`` when it is None, ``"default"`` or an IRI (:func:`ccgkg.guards.check_iri`).

    Raises:
        InputError: it is not an IRI; nothing has been sent.
    """
    if graph is None or graph == STORE_DEFAULT:
        return graph
    return check_iri(graph, what=what)


def query(url: str, text: str, *, form: str, graph: str | None = DEFAULT_GRAPH, timeout: float = TIMEOUT_S,
          max_bytes: int = MAX_RESPONSE_BYTES) -> QueryResult:
    """Run ``text`` (a query of ``form``: SELECT, ASK, CONSTRUCT or DESCRIBE) at a SPARQL 1.1 query endpoint.

    ``graph`` is sent as ``default-graph-uri`` (the graph ``push`` wrote); None or ``"default"`` reads the
    store's default graph. The answer is read up to ``max_bytes``; the store has ``timeout`` seconds to answer.

    Raises:
        InputError: ``url`` is not an http(s) URL or ``graph`` not an IRI (nothing sent).
        EndpointError: the endpoint cannot be reached, times out, refuses the query, answers too much or
            something unreadable.
    """
    from ccgkg.results import parse_json_results

    target = check_endpoint(url)
    graph = check_graph(graph)
    params = [("default-graph-uri", graph)] if graph and graph != STORE_DEFAULT else []
    accept = ("application/sparql-results+json" if form in ("SELECT", "ASK")
              else "application/n-triples, text/turtle;q=0.9")
    _status, ctype, body = _send(target, _with_params(target.url, params), method="POST", body=text.encode("utf-8"),
                                 headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                          "Accept": accept}, error=EndpointError, what="query at",
                                 shown=target.shown, timeout=timeout, max_bytes=max_bytes)
    if form in ("SELECT", "ASK"):
        try:
            return parse_json_results(body)
        except InputError as exc:
            raise EndpointError(f"the answer of {target.shown} is not SPARQL JSON results ({ctype}): {exc}") from None
    fmt = _RDF_TYPES.get(ctype.split(";")[0].strip().lower(), "turtle")
    g = bind_prefixes(Graph())
    try:
        g.parse(data=body, format=fmt)
    except Exception as exc:  # noqa: BLE001 - rdflib parsers raise many types
        raise EndpointError(f"the answer of {target.shown} is not RDF ({ctype}): "
                            f"{' '.join(str(exc).split())[:300]}") from None
    return QueryResult(form=form, graph=g)


def push(url: str, graph: Graph, *, graph_iri: str = DEFAULT_GRAPH, protocol: str = "gsp",
         timeout: float = TIMEOUT_S) -> PushResult:
    """Replace the named graph ``graph_iri`` in a store with ``graph`` in one request.

    ``protocol="gsp"``: ``url`` is the store's Graph Store Protocol endpoint (``PUT url?graph=IRI``, or
    ``?default`` for the store's default graph). ``protocol="update"``: ``url`` is its SPARQL Update endpoint.
    ``graph_iri`` must be an IRI (or ``"default"``); it is checked before anything is sent, and a redirect to
    another origin is refused.

    Raises:
        InputError: ``url`` is not an http(s) URL or ``graph_iri`` is not an IRI (nothing sent).
        PublishError: the store cannot be reached or refuses the graph.
    """
    check_endpoint(url)
    check_graph(graph_iri)
    try:
        body = graph.serialize(format="nt", encoding="utf-8")
    except Exception as exc:  # noqa: BLE001 - rdflib refuses to write an IRI that is not valid
        raise PublishError(f"cannot write the graph as N-Triples: {' '.join(str(exc).split())[:300]}",
                           hint="every IRI in the data must be a valid IRI") from None
    return push_ntriples(url, body, len(graph), graph_iri=graph_iri, protocol=protocol, timeout=timeout)


def push_ntriples(url: str, body: bytes, triples: int, *, graph_iri: str = DEFAULT_GRAPH,
                  protocol: str = "gsp", timeout: float = TIMEOUT_S) -> PushResult:
    """Like :func:`push`, for a graph already written as N-Triples (``body``, holding ``triples`` triples): what
    ``ccgkg push`` sends from its in-process store without building an rdflib graph. ``url`` and ``graph_iri``
    are checked as :func:`push` checks them, before anything is sent.

    Raises:
        InputError: ``url`` is not an http(s) URL or ``graph_iri`` is not an IRI (nothing sent).
        PublishError: the store cannot be reached or refuses the graph.
    """
    if protocol not in ("gsp", "update"):
        raise PublishError(f"unknown push protocol {protocol!r}", hint="use gsp or update")
    target = check_endpoint(url)
    check_graph(graph_iri)
    if protocol == "gsp":
        def at(base: str) -> str:
            if graph_iri == STORE_DEFAULT:
                return base + ("&" if urllib.parse.urlsplit(base).query else "?") + "default"
            return _with_params(base, [("graph", graph_iri)])

        status, _ctype, _ = _send(target, at(target.url), method="PUT", body=body,
                                  headers={"Content-Type": "application/n-triples"}, error=PublishError,
                                  what="PUT to", shown=at(target.shown), write=True, timeout=timeout)
    else:
        if graph_iri == STORE_DEFAULT:
            update = b"DROP SILENT DEFAULT ;\nINSERT DATA {\n" + body + b"}\n"
        else:
            iri = term_sparql(URIRef(graph_iri)).encode("utf-8")
            update = b"DROP SILENT GRAPH " + iri + b" ;\nINSERT DATA { GRAPH " + iri + b" {\n" + body + b"} }\n"
        status, _ctype, _ = _send(target, target.url, method="POST", body=update,
                                  headers={"Content-Type": "application/sparql-update; charset=utf-8"},
                                  error=PublishError, what="update at", shown=target.shown, write=True,
                                  timeout=timeout)
    return PushResult(url=target.shown, graph=graph_iri, triples=triples, protocol=protocol, status=status)


__all__ = ["DEFAULT_GRAPH", "MAX_RESPONSE_BYTES", "STORE_DEFAULT", "Endpoint", "PushResult", "check_endpoint",
           "check_graph", "push", "push_ntriples", "query", "redact"]

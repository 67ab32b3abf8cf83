"""``ccgkg serve``: the published knowledge graph over HTTP, as a WSGI application (:func:`make_app`).

* Every resource answers at the path of its IRI below the base. ``/id/...`` answers 303 See Other to its
  document ``/doc/...``; documents are negotiated on the Accept header (q-values weighed) between HTML, Turtle,
  JSON-LD, N-Triples, JSON and CSV, or chosen by a suffix (``.html .ttl .jsonld .nt .json .csv``). An unknown
  resource is 404, a type it is not offered in is 406.
* ``/sparql`` speaks the SPARQL 1.1 Protocol (GET; POST as a form or ``application/sparql-query``), read-only
  and within the limits of :class:`ccgkg.service.Limits`; with no query a browser gets a query page that offers
  the named queries as forms.
* ``/queries/NAME?run=1&PARAM=VALUE`` runs a named query with typed parameters and shows its rows, with the same
  rows as CSV and JSON at ``/queries/NAME.csv`` and ``/queries/NAME.json``.

The standard library's ``wsgiref`` serves it in ``ccgkg serve``; any WSGI server can mount the app instead.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from ccgkg import queries
from ccgkg.errors import CcgkgError
from ccgkg.publish import (
    FORMATS,
    Site,
    doc_path,
    query_form,
    render_result,
    rows_html,
    sitemap_files,
)
from ccgkg.rdfout import MEDIA_TYPES
from ccgkg.service import (
    Limits,
    QueryService,
    QueryTimeout,
)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

STATUS = {200: "200 OK", 303: "303 See Other", 400: "400 Bad Request", 404: "404 Not Found",
          405: "405 Method Not Allowed", 406: "406 Not Acceptable", 413: "413 Content Too Large",
          414: "414 URI Too Long", 503: "503 Service Unavailable"}
#: media type -> document format, in the order offered when the client has no preference.
DOCUMENT_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
                  "application/ld+json": "jsonld", "application/n-triples": "nt", "application/json": "json",
                  "text/csv": "csv"}
RESULT_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv", "application/json": "json",
                "application/xml": "xml", "text/html": "html"}
GRAPH_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
               "text/html": "ttl"}
RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
                "html": "text/html; charset=utf-8", **{k: v for k, v in MEDIA_TYPES.items() if k in ("ttl", "nt",
                                                                                                   "jsonld")}}
_ACCEPT_ITEM = re.compile(r"^\s*([^\s;]+/[^\s;]+)\s*((?:;[^,]*)?)$")


@dataclass(frozen=True)
class Response:
    """What the app answers: status code, headers and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values (malformed items are skipped)."""
    out = []
    for item in (header or "").split(","):
        m = _ACCEPT_ITEM.match(item)
        if not m:
            continue
        q = 1.0
        for param in m.group(2).split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((m.group(1).lower(), q))
    return out


def negotiate(header: str | None, offers: Iterable[str]) -> str | None:
    """The offered media type the Accept header prefers (the first offered on a tie); None when none is
    acceptable. No header accepts the first offer. The most specific matching range gives an offer its q."""
    offered = list(offers)
    ranges = parse_accept(header)
    if not header or not header.strip():
        return offered[0]
    best, best_q = None, 0.0
    for offer in offered:
        kind = offer.split("/")[0]
        q, specificity = 0.0, -1
        for media, weight in ranges:
            level = 2 if media == offer else 1 if media == f"{kind}/*" else 0 if media == "*/*" else -1
            if level > specificity:
                q, specificity = weight, level
        if specificity >= 0 and q > best_q:
            best, best_q = offer, q
    return best


class App:
    """The WSGI application over one :class:`~ccgkg.publish.Site`."""

    def __init__(self, site: Site, limits: Limits | None = None) -> None:
        self.site = site
        self.limits = limits or Limits()
        self.service: QueryService = site.service(self.limits)
        self._cache: dict[str, bytes] = {}

    # -- WSGI
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        response = self.handle(environ)
        headers = list(response.headers) + [("Content-Length", str(len(response.body)))]
        start_response(STATUS.get(response.status, f"{response.status} Error"), headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else response.body]

    def handle(self, environ: dict[str, Any]) -> Response:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/").lstrip("/")
        query = environ.get("QUERY_STRING", "")
        accept = environ.get("HTTP_ACCEPT")
        if len(query) > self.limits.request_limit:
            return _error(414, f"the query string is longer than {self.limits.request_limit} bytes (the request "
                               "limit)", "send a long SPARQL query by POST")
        if path == "sparql":
            return self.sparql(environ, method, query, accept)
        if method not in ("GET", "HEAD"):
            return _error(405, f"{method} is not allowed here: the site is read-only", "use GET",
                          extra=(("Allow", "GET, HEAD"),))
        if path.startswith("id/"):
            stem = path[3:]
            for fmt in FORMATS:
                stem = stem.removesuffix("." + fmt)
            if ("doc/" + stem) not in self.site.by_path and ("doc/" + quote(stem, safe="/-._~")) not in \
                    self.site.by_path:
                return _error(404, f"no resource at /{path}", "see /index.html, /acts.html and /organisations.html")
            target = "/doc/" + quote(path[3:], safe="/-._~%:@!$&'()*+,;=") + (f"?{query}" if query else "")
            return Response(303, (("Location", target), ("Content-Type", "text/plain; charset=utf-8")),
                            f"See {target}\n".encode())
        static = self.static(path)
        if static is not None:
            return static
        if path.startswith("queries/") and not path.endswith((".ttl", ".jsonld", ".nt", ".html")) and (
                path.endswith((".csv", ".json")) or "run=" in query):
            return self.named_query(path, query, accept)
        return self.document(path, accept)

    # -- documents
    def document(self, path: str, accept: str | None) -> Response:
        site = self.site
        stem, suffix = path, None
        for fmt in FORMATS:
            if path.endswith("." + fmt):
                stem, suffix = path[: -len(fmt) - 1], fmt
                break
        if stem in ("", "index"):
            stem = "index"
        elif stem.endswith("/"):
            stem += "index"
        fixed = self._fixed(stem, suffix, accept)
        if fixed is not None:
            return fixed
        iri = site.by_path.get(stem) or site.by_path.get(quote(stem, safe="/-._~"))
        if iri is None:
            return _error(404, f"no resource at /{path}", "see /index.html, /acts.html and /organisations.html")
        if suffix is None:
            media = negotiate(accept, DOCUMENT_TYPES)
            if media is None:
                return _not_acceptable(accept, DOCUMENT_TYPES)
            suffix = DOCUMENT_TYPES[media]
        body = site.render(iri, suffix, service=True)
        return _ok(body, MEDIA_TYPES[suffix], vary=True)

    def _fixed(self, stem: str, suffix: str | None, accept: str | None) -> Response | None:
        """The site's own files: listing pages, style sheet, dataset description, dumps, sitemap."""
        site = self.site
        pages = site.listing_pages()
        if stem in pages and suffix in (None, "html"):
            if suffix is None and negotiate(accept, ["text/html"]) is None:
                return _not_acceptable(accept, ["text/html"])
            return _ok(self._cached(stem + ".html", lambda: pages[stem]().encode("utf-8")), MEDIA_TYPES["html"])
        if stem in ("dataset", ".well-known/void"):
            files = self._dataset_files()
            fmt = suffix or ("ttl" if stem != "dataset" else None)
            if fmt is None:
                media = negotiate(accept, [m for m, f in DOCUMENT_TYPES.items() if f in ("html", "ttl", "jsonld",
                                                                                          "nt")])
                if media is None:
                    return _not_acceptable(accept, ["text/html", "text/turtle", "application/ld+json",
                                                    "application/n-triples"])
                fmt = DOCUMENT_TYPES[media]
            key = f"dataset.{fmt}"
            return _ok(files[key], MEDIA_TYPES[fmt], vary=suffix is None) if key in files else None
        return None

    def static(self, path: str) -> Response | None:
        if path == "style.css":
            from ccgkg.publish import _template

            return _ok(_template("style.css").encode("utf-8"), "text/css; charset=utf-8")
        if path.startswith("dumps/"):
            dumps = self._dumps()
            if path in dumps:
                media = {"ttl": "text/turtle; charset=utf-8", "gz": "application/gzip",
                         "jsonld": "application/ld+json"}[path.rsplit(".", 1)[1]]
                return _ok(dumps[path], media)
        if path == "sitemap.xml":
            names = [*self.site.listing_pages(), "dataset", *self.site.pages.values()]
            return _ok(dict(sitemap_files(self.site.base, names))["sitemap.xml"], "application/xml")
        return None

    def _cached(self, key: str, make: Callable[[], bytes]) -> bytes:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def _dumps(self) -> dict[str, bytes]:
        if "dumps" not in self._cache:
            for name, payload in self.site.dumps().items():
                self._cache[name] = payload
            self._cache["dumps"] = b""
        return {k: v for k, v in self._cache.items() if k.startswith("dumps/")}

    def _dataset_files(self) -> dict[str, bytes]:
        return dict(self.site.dataset_files(self.site.dataset_triples(self._dumps())))

    # -- SPARQL protocol
    def sparql(self, environ: dict[str, Any], method: str, query_string: str, accept: str | None) -> Response:
        """SPARQL 1.1 Protocol, query operation (https://www.w3.org/TR/sparql11-protocol/#query-operation)."""
        params = parse_qsl(query_string, keep_blank_values=True)
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return _error(400, "the Content-Length header is not a number")
            if length > self.limits.request_limit:
                return _error(413, f"the request body is {length} bytes, more than {self.limits.request_limit} "
                                   "(the request limit)", "send a shorter query")
            body = environ["wsgi.input"].read(length) if length else b""
            ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return _error(400, "updates are refused: this SPARQL service is read-only",
                              "send SELECT, ASK, CONSTRUCT or DESCRIBE queries")
            if ctype == "application/sparql-query":
                params.append(("query", body.decode("utf-8", "replace")))
            elif ctype == "application/x-www-form-urlencoded":
                params += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            else:
                return _error(400, f"POST needs Content-Type application/sparql-query or "
                                   f"application/x-www-form-urlencoded, not {ctype or 'none'!r}")
        elif method not in ("GET", "HEAD"):
            return _error(405, f"{method} is not allowed on /sparql: it answers queries (GET or POST) and is "
                               "read-only", extra=(("Allow", "GET, POST"),))
        names = [k for k, _ in params]
        if "update" in names:
            return _error(400, "updates are refused: this SPARQL service is read-only",
                          "send SELECT, ASK, CONSTRUCT or DESCRIBE queries")
        if "default-graph-uri" in names or "named-graph-uri" in names:
            return _error(400, "default-graph-uri and named-graph-uri are not supported: the service has one "
                               "default graph holding everything", "leave them out (FROM in the query is ignored too)")
        texts = [v for k, v in params if k == "query"]
        if len(texts) > 1:
            return _error(400, "more than one query parameter")
        forced = dict(params).get("format")
        if not texts or not texts[0].strip():
            if negotiate(accept, ["text/html"]) == "text/html" and forced is None:
                return _ok(self.query_page("").encode("utf-8"), MEDIA_TYPES["html"])
            return _error(400, "no query: give the query parameter", "e.g. /sparql?query=ASK%20%7B%7D")
        text = texts[0]
        try:
            result = self.service.run(text)
        except CcgkgError as exc:
            return _failure(exc)
        graph_form = result.graph is not None
        offers = GRAPH_TYPES if graph_form else RESULT_TYPES
        if forced:
            fmt = forced if forced in offers.values() else None
            if fmt is None:
                return _error(400, f"format={forced!r} is not offered for this query",
                              f"one of {', '.join(sorted(set(offers.values())))}")
        else:
            media = negotiate(accept, offers)
            if media is None:
                return _not_acceptable(accept, offers)
            fmt = offers[media]
        if fmt == "html":
            return _ok(self.query_page(text, result).encode("utf-8"), MEDIA_TYPES["html"], vary=True)
        return _ok(render_result(result, fmt), RESULT_MEDIA[fmt], vary=True)

    def query_page(self, text: str, result: queries.QueryResult | None = None, error: str | None = None) -> str:
        """The HTML query page: a free query, the named queries as forms, and the rows of a query run."""
        site = self.site
        body = ('<form method="get" action="sparql"><label>SPARQL query<br><textarea name="query" rows="10" '
                f'cols="100">{html.escape(text or "SELECT * WHERE { ?s ?p ?o } LIMIT 10")}</textarea></label><br>'
                '<button type="submit">Run</button></form>\n'
                f"<p>Read-only: updates and SERVICE are refused; a query may run {self.limits.time_limit:g} s and "
                f"give {self.limits.row_limit} rows.</p>\n")
        if error:
            body += f'<p class="error">{html.escape(error)}</p>\n'
        if result is not None:
            body += rows_html(site, "sparql", result)
        body += "<h2>Named queries</h2>\n"
        for q in queries.list_queries():
            body += (f"<details><summary>{html.escape(q.name)}: {html.escape(q.title)}</summary>\n"
                     + query_form(q, {}, action=f"queries/{q.name}") + "</details>\n")
        return site.shell("sparql", "SPARQL query", body, alternates=False)

    # -- named queries
    def named_query(self, path: str, query_string: str, accept: str | None) -> Response:
        name = path[len("queries/"):]
        fmt = None
        for suffix in ("csv", "json"):
            if name.endswith("." + suffix):
                name, fmt = name[: -len(suffix) - 1], suffix
        try:
            named = queries.load_query(name)
        except CcgkgError as exc:
            return _error(404, exc.message, exc.hint)
        values = {k: v for k, v in parse_qsl(query_string, keep_blank_values=True)
                  if k != "run" and not (v == "" and named.parameter(k) is not None
                                         and (named.parameter(k).optional  # type: ignore[union-attr]
                                              or named.parameter(k).default is not None))}  # type: ignore[union-attr]
        iri = queries.QUERY_NS + name
        try:
            bound = queries.bind(named, values)
            result = self.service.run(bound.text)
        except CcgkgError as exc:
            if fmt is not None:
                return _failure(exc)
            page = self.site.page(iri, service=True).replace(
                "<h2>Text</h2>", f'<p class="error">Error: {html.escape(exc.message)}'
                                 f'{"<br>Hint: " + html.escape(exc.hint) if exc.hint else ""}</p>\n<h2>Text</h2>', 1)
            return Response(_status_of(exc), (("Content-Type", MEDIA_TYPES["html"]),), page.encode("utf-8"))
        if fmt is not None:
            return _ok(render_result(result, fmt), RESULT_MEDIA[fmt])
        if negotiate(accept, ["text/html"]) is None:
            return _not_acceptable(accept, ["text/html"])
        link = urlencode(values)
        rows = (f'<h2>Rows ({len(result.rows)})</h2>\n<p class="formats">These rows as '
                f'<a href="{html.escape(name)}.csv?{html.escape(link)}">CSV</a> '
                f'<a href="{html.escape(name)}.json?{html.escape(link)}">JSON</a></p>\n'
                + rows_html(self.site, doc_path(iri) or path, result, heading=False))
        page = self.site.page(iri, service=True)
        filled = page.replace(query_form(named, {}), query_form(named, values), 1)
        return _ok(filled.replace("<h2>Text</h2>", rows + "<h2>Text</h2>", 1).encode("utf-8"), MEDIA_TYPES["html"])


def _status_of(exc: CcgkgError) -> int:
    """503 for a query the time limit stopped (try again later or narrower); 400 for everything the client sent
    wrong (refused, too many rows, bad syntax, bad parameter values)."""
    return 503 if isinstance(exc, QueryTimeout) else 400


def _failure(exc: CcgkgError) -> Response:
    return _error(_status_of(exc), exc.message, exc.hint)


def _ok(body: bytes, media: str, *, vary: bool = False) -> Response:
    headers = [("Content-Type", media)]
    if vary:
        headers.append(("Vary", "Accept"))
    return Response(200, tuple(headers), body)


def _error(status: int, message: str, hint: str | None = None, *,
           extra: tuple[tuple[str, str], ...] = ()) -> Response:
    text = f"Error: {message}\n" + (f"Hint: {hint}\n" if hint else "")
    return Response(status, (("Content-Type", "text/plain; charset=utf-8"), *extra), text.encode("utf-8"))


def _not_acceptable(accept: str | None, offers: Iterable[str]) -> Response:
    return _error(406, f"none of the types in Accept: {accept} is offered here",
                  f"ask for one of {', '.join(offers)}, or add a suffix (.html .ttl .jsonld .nt .json .csv)")


def make_app(site: Site | None = None, *, limits: Limits | None = None) -> App:
    """The WSGI application serving ``site`` (default: the bundled sample, validated on every judging day)."""
    if site is None:
        from ccgkg import store

        site = Site(store.sample_graph())
    return App(site, limits)


def call(app: App, path: str, *, method: str = "GET", accept: str | None = None, body: bytes = b"",
         content_type: str | None = None) -> Response:
    """Answer one request without a network (tests and ``ccgkg serve --get``)."""
    import io

    path_part, _, query_string = path.partition("?")
    from urllib.parse import unquote

    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": unquote(path_part),
                               "QUERY_STRING": query_string, "wsgi.input": io.BytesIO(body),
                               "CONTENT_LENGTH": str(len(body)) if body else ""}
    if accept is not None:
        environ["HTTP_ACCEPT"] = accept
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    return app.handle(environ)


def serve(app: App, host: str = "127.0.0.1", port: int = 8001, *, ready: Callable[[str], None] | None = None
          ) -> None:
    """Serve ``app`` with the standard library's wsgiref until interrupted."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    with make_server(host, port, app, handler_class=Quiet) as httpd:
        if ready is not None:
            ready(f"http://{host}:{httpd.server_port}/")
        httpd.serve_forever()


__all__ = ["App", "Response", "call", "make_app", "negotiate", "parse_accept", "serve"]

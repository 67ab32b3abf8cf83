"""What ``ccgkg.endpoint`` sends: the SPARQL 1.1 Protocol and Graph Store Protocol requests, and the credentials it
takes from the environment, as seen by a small recording HTTP server on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from rdflib import Graph, Literal, URIRef

from ccgkg import endpoint
from ccgkg.errors import EndpointError, PublishError

RESULTS = {"head": {"vars": ["x"]}, "results": {"bindings": [
    {"x": {"type": "literal", "value": "1.50", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}}]}}


class Recorder(BaseHTTPRequestHandler):
    """Records each request; answers 401 without the expected credentials when the server wants them."""

    seen: ClassVar[list[dict[str, object]]] = []
    wanted: str | None = None
    answer: ClassVar[dict[str, object]] = RESULTS

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Recorder.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                              "body": body})
        if Recorder.wanted and self.headers.get("Authorization") != Recorder.wanted:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="ccgkg"')
            self.end_headers()
            return
        payload = json.dumps(Recorder.answer).encode() if self.command == "POST" else b""
        self.send_response(200 if payload else 204)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = do_PUT = _handle

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass


@pytest.fixture()
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("CCGKG_ENDPOINT_USER", "CCGKG_ENDPOINT_PASSWORD", "CCGKG_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    Recorder.seen, Recorder.wanted, Recorder.answer = [], None, RESULTS
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_query_is_a_protocol_post_reading_the_named_graph(recorder: str) -> None:
    result = endpoint.query(recorder + "/sparql", "SELECT ?x WHERE { }", form="SELECT")
    assert [str(t) for t in result.rows[0]] == ["1.5"]  # canonical decimal, as in-process
    (request,) = Recorder.seen
    assert request["method"] == "POST" and request["body"] == b"SELECT ?x WHERE { }"
    assert request["path"] == "/sparql?" + urllib.parse.urlencode({"default-graph-uri": endpoint.DEFAULT_GRAPH})
    headers = request["headers"]
    assert headers["Content-Type"] == "application/sparql-query; charset=utf-8"
    assert headers["Accept"] == "application/sparql-results+json"
    assert "Authorization" not in headers
    endpoint.query(recorder + "/sparql?timeout=5", "ASK {}", form="SELECT", graph="default")
    assert Recorder.seen[1]["path"] == "/sparql?timeout=5"


def test_push_is_one_put_of_n_triples(recorder: str) -> None:
    g = Graph()
    g.add((URIRef("https://w3id.org/ccgkg/id/org/02H"), URIRef("https://w3id.org/ccgkg/ont/core/code"), Literal("02H")))
    done = endpoint.push(recorder + "/store", g, graph_iri="https://example.org/g")
    assert (done.triples, done.status, done.protocol) == (1, 204, "gsp")
    (request,) = Recorder.seen
    assert request["method"] == "PUT" and request["path"] == "/store?graph=https%3A%2F%2Fexample.org%2Fg"
    assert request["headers"]["Content-Type"] == "application/n-triples"
    assert request["body"] == (b'<https://w3id.org/ccgkg/id/org/02H> <https://w3id.org/ccgkg/ont/core/code> '
                               b'"02H" .\n')
    endpoint.push(recorder + "/store", g, graph_iri="default")
    assert Recorder.seen[1]["path"] == "/store?default"


def test_push_by_update_is_one_request_that_drops_then_inserts(recorder: str) -> None:
    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("c")))
    endpoint.push(recorder + "/update", g, graph_iri="https://example.org/g", protocol="update")
    (request,) = Recorder.seen
    assert request["headers"]["Content-Type"] == "application/sparql-update; charset=utf-8"
    assert request["body"] == (b"DROP SILENT GRAPH <https://example.org/g> ;\n"
                               b'INSERT DATA { GRAPH <https://example.org/g> {\n<urn:a> <urn:b> "c" .\n} }\n')


def test_credentials_come_from_the_environment(recorder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Recorder.wanted = "Basic " + base64.b64encode(b"analyst:s3cret").decode()
    with pytest.raises(EndpointError) as err:
        endpoint.query(recorder + "/sparql", "ASK {}", form="ASK")
    assert "HTTP 401" in err.value.message and "CCGKG_ENDPOINT_USER" in (err.value.hint or "")
    monkeypatch.setenv("CCGKG_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("CCGKG_ENDPOINT_PASSWORD", "s3cret")
    endpoint.query(recorder + "/sparql", "ASK {}", form="SELECT")
    assert Recorder.seen[-1]["headers"]["Authorization"] == Recorder.wanted
    monkeypatch.setenv("CCGKG_ENDPOINT_TOKEN", "t0ken")
    Recorder.wanted = "Bearer t0ken"
    endpoint.push(recorder + "/store", Graph())
    assert Recorder.seen[-1]["headers"]["Authorization"] == "Bearer t0ken"


def test_a_refused_push_is_a_publish_error(recorder: str) -> None:
    Recorder.wanted = "Bearer something-else"
    with pytest.raises(PublishError, match=r"PUT to http://127\.0\.0\.1:\d+/store\?graph=.* failed: HTTP 401"):
        endpoint.push(recorder + "/store", Graph())


def test_an_answer_that_is_not_sparql_json_is_an_endpoint_error(recorder: str) -> None:
    Recorder.answer = {"nothing": True}
    with pytest.raises(EndpointError, match="is not SPARQL JSON results"):
        endpoint.query(recorder + "/sparql", "SELECT ?x WHERE { }", form="SELECT")

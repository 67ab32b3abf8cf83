"""Issue 9 section 1 and 4, at the store: what ``push``, ``query --endpoint`` and ``sparql --endpoint`` refuse, and
where credentials go. Against a real Oxigraph server and small recording HTTP servers on 127.0.0.1 (two ports are
two origins)."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef

from ccgkg import endpoint
from ccgkg.cli import cli
from ccgkg.errors import EndpointError, InputError, PublishError

from .conftest import DATA_FILES, Server

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()
SECRET = "s3cret-pw"
TOKEN = "t0ken-xyz"


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


class Site(BaseHTTPRequestHandler):
    """A configurable HTTP server: records requests; ``redirect`` answers with that status and Location; ``big``
    answers that many bytes; ``silent`` never answers."""

    seen: ClassVar[dict[int, list[dict[str, Any]]]] = {}
    rules: ClassVar[dict[int, dict[str, Any]]] = {}

    def _handle(self) -> None:
        port = self.server.server_address[1]
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Site.seen.setdefault(port, []).append({"method": self.command, "path": self.path,
                                               "headers": dict(self.headers), "body": body})
        rule = Site.rules.get(port, {})
        if rule.get("silent"):
            threading.Event().wait(rule["silent"])
            return
        if "redirect" in rule and self.path.startswith(rule.get("from", "/")):
            self.send_response(rule["redirect"])
            self.send_header("Location", rule["location"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if rule.get("wanted") and self.headers.get("Authorization") != rule["wanted"]:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="ccgkg"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        payload = b"x" * rule["big"] if "big" in rule else ASK_TRUE
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = do_PUT = do_GET = _handle

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def sites(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """Two recording servers on 127.0.0.1: two origins."""
    for name in ("CCGKG_ENDPOINT_USER", "CCGKG_ENDPOINT_PASSWORD", "CCGKG_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    Site.seen, Site.rules = {}, {}
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Site) for _ in range(2)]
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield tuple(f"http://127.0.0.1:{s.server_address[1]}" for s in servers)  # type: ignore[misc]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


# ----------------------------------------------------------------------------------------- graph names (IRIs)


def _store_count(server: Server) -> int:
    result = endpoint.query(server.query, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", form="SELECT",
                            graph="default")
    return int(result.rows[0][0])


@pytest.mark.server
def test_a_crafted_graph_name_is_refused_and_the_store_kept(oxigraph: Server) -> None:
    keep = Graph()
    keep.add((URIRef("urn:keep"), URIRef("urn:p"), Literal("kept")))
    endpoint.push(oxigraph.store, keep, graph_iri="urn:safety:keep")
    before = _store_count(oxigraph)
    assert before >= 1
    # valid in both places the update writes it: on main this ran DROP ALL and then "loaded" the data
    crafted = 'urn:a> ; DROP ALL ; INSERT DATA { <urn:s> <urn:p> """ } ; INSERT DATA { GRAPH <urn:a'
    result = run("push", "--endpoint", oxigraph.update, "--protocol", "update", "--graph", crafted, "--no-report",
                 "-i", "none", *DATA_FILES)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: --graph {crafted!r} is not an IRI: it contains '>', which an IRI")
    assert _store_count(oxigraph) == before
    spaced = run("push", "--endpoint", oxigraph.store, "--graph", "not an iri", "--no-report", *DATA_FILES)
    assert spaced.exit_code == 2
    assert "Error: --graph 'not an iri' is not an IRI: it does not start with a scheme" in spaced.stderr
    with pytest.raises(InputError, match="is not an IRI"):
        endpoint.push(oxigraph.update, keep, graph_iri="urn:x>", protocol="update")
    with pytest.raises(InputError, match="is not an IRI"):
        endpoint.query(oxigraph.query, "ASK {}", form="ASK", graph="urn:x>")
    assert _store_count(oxigraph) == before


def test_nothing_is_sent_for_a_bad_graph_name(sites: tuple[str, str]) -> None:
    one, _ = sites
    result = run("push", "--endpoint", one + "/update", "--protocol", "update", "--graph", "urn:a>b", "--no-report")
    assert result.exit_code == 2 and "is not an IRI" in result.stderr
    assert Site.seen == {}


# ---------------------------------------------------------------------------------------------------- redirects


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_credentials_never_follow_a_redirect_to_another_origin(sites: tuple[str, str], code: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = sites
    Site.rules[port(one)] = {"redirect": code, "location": two + "/sparql"}
    monkeypatch.setenv("CCGKG_ENDPOINT_TOKEN", TOKEN)
    result = endpoint.query(one + "/sparql", "ASK {}", form="ASK", graph="default")
    assert result.boolean is True
    assert Site.seen[port(one)][0]["headers"]["Authorization"] == f"Bearer {TOKEN}"
    (followed,) = Site.seen[port(two)]
    assert followed["method"] == "POST" and followed["body"] == b"ASK {}"  # the query itself, sent again
    assert "Authorization" not in followed["headers"]
    monkeypatch.delenv("CCGKG_ENDPOINT_TOKEN")
    monkeypatch.setenv("CCGKG_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("CCGKG_ENDPOINT_PASSWORD", SECRET)
    endpoint.query(one + "/sparql", "ASK {}", form="ASK", graph="default")
    assert Site.seen[port(one)][-1]["headers"]["Authorization"].startswith("Basic ")
    assert "Authorization" not in Site.seen[port(two)][-1]["headers"]


def test_credentials_in_the_url_never_follow_a_redirect_either(sites: tuple[str, str]) -> None:
    one, two = sites
    Site.rules[port(one)] = {"redirect": 307, "location": two + "/sparql"}
    endpoint.query(one.replace("//", f"//analyst:{SECRET}@") + "/sparql", "ASK {}", form="ASK", graph="default")
    sent = Site.seen[port(one)][0]["headers"]["Authorization"]
    assert sent == "Basic " + base64.b64encode(f"analyst:{SECRET}".encode()).decode()
    assert "Authorization" not in Site.seen[port(two)][0]["headers"]


def test_a_same_origin_redirect_keeps_the_credentials(sites: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    one, _ = sites
    Site.rules[port(one)] = {"redirect": 308, "location": "/moved", "from": "/sparql",
                             "wanted": f"Bearer {TOKEN}"}
    monkeypatch.setenv("CCGKG_ENDPOINT_TOKEN", TOKEN)
    assert endpoint.query(one + "/sparql", "ASK {}", form="ASK", graph="default").boolean is True
    assert [r["path"] for r in Site.seen[port(one)]] == ["/sparql", "/moved"]
    assert Site.seen[port(one)][1]["headers"]["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_an_update_redirected_to_another_origin_is_refused(sites: tuple[str, str], protocol: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = sites
    Site.rules[port(one)] = {"redirect": 307, "location": two + "/store"}
    monkeypatch.setenv("CCGKG_ENDPOINT_TOKEN", TOKEN)
    result = run("push", "--endpoint", one + "/store", "--protocol", protocol, "--no-report", "-i", "none",
                 *DATA_FILES)
    assert result.exit_code == 2, result.output
    assert f"was redirected to another origin (http://127.0.0.1:{port(two)}); ccgkg does not send data or " \
           "credentials anywhere but the endpoint given, so nothing was sent there" in result.stderr
    assert port(two) not in Site.seen
    with pytest.raises(PublishError, match="redirected to another origin"):
        endpoint.push(one + "/store", Graph(), protocol=protocol)


def test_a_redirect_to_a_file_is_not_followed(sites: tuple[str, str]) -> None:
    one, _ = sites
    Site.rules[port(one)] = {"redirect": 302, "location": "file:///etc/passwd"}
    with pytest.raises(EndpointError, match=r"redirected to 'file:///etc/passwd', which is not an http\(s\) URL"):
        endpoint.query(one + "/sparql", "ASK {}", form="ASK")


# ------------------------------------------------------------------------------------------------ endpoint URLs


@pytest.mark.parametrize(("url", "message"), [
    ("notaurl", "Error: --endpoint 'notaurl' is not an http(s) URL"),
    ("http://[::1", "Error: --endpoint 'http://[::1' is not a URL: Invalid IPv6 URL"),
    ("http://127.0.0.1:99999/q",
     "Error: --endpoint 'http://127.0.0.1:99999/q' is not a URL: Port out of range 0-65535"),
    ("file:///etc/passwd", "Error: --endpoint 'file:///etc/passwd' is not an http(s) URL (scheme file:)"),
    ("ftp://127.0.0.1/q", "Error: --endpoint 'ftp://127.0.0.1/q' is not an http(s) URL (scheme ftp:)"),
    ("http:///q", "Error: --endpoint 'http:///q' has no host"),
])
def test_malformed_and_non_http_endpoints_are_refused(url: str, message: str) -> None:
    for args in (["query", "list-duties", "--endpoint", url], ["push", "--endpoint", url, "--no-report"]):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines()[0] == message
        assert "root:" not in result.output  # no file content is ever echoed


def test_a_password_in_the_url_is_never_shown(sites: tuple[str, str]) -> None:
    one, _ = sites
    Site.rules[port(one)] = {"wanted": "Bearer something-else"}
    url = one.replace("//", f"//analyst:{SECRET}@") + "/sparql"
    refused = run("query", "list-duties", "--endpoint", url)
    assert refused.exit_code == 2
    assert f"query at http://***@127.0.0.1:{port(one)}/sparql failed: HTTP 401" in refused.stderr
    Site.rules[port(one)] = {}
    pushed = run("push", "--endpoint", one.replace("//", f"//analyst:{SECRET}@") + "/store", "--no-report", "-i",
                 "none", *DATA_FILES)
    assert pushed.exit_code == 0, pushed.output
    assert pushed.stdout.endswith(f"at http://***@127.0.0.1:{port(one)}/store (gsp, HTTP 200)\n")
    assert SECRET not in pushed.output
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead = closed.getsockname()[1]
    closed.close()
    for args in (["query", "list-duties", "--endpoint", f"http://analyst:{SECRET}@127.0.0.1:{dead}/q"],
                 ["push", "--endpoint", f"http://analyst:{SECRET}@127.0.0.1:{dead}/q", "--no-report", "-i", "none",
                  *DATA_FILES],
                 ["query", "list-duties", "--endpoint", f"ftp://analyst:{SECRET}@127.0.0.1/q"],
                 ["query", "list-duties", "--endpoint", f"http://analyst:{SECRET}@[::1/q"]):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert SECRET not in result.output and "***@" in result.stderr, result.output


# ------------------------------------------------------------------------------------- hints, timeouts, limits


def test_the_401_hint_does_not_ask_for_credentials_already_set(sites: tuple[str, str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    one, _ = sites
    Site.rules[port(one)] = {"wanted": "Bearer right"}
    unset = run("query", "list-duties", "--endpoint", one + "/sparql")
    assert "Hint: set CCGKG_ENDPOINT_USER and CCGKG_ENDPOINT_PASSWORD (or CCGKG_ENDPOINT_TOKEN)" in unset.stderr
    monkeypatch.setenv("CCGKG_ENDPOINT_TOKEN", "wrong")
    wrong = run("query", "list-duties", "--endpoint", one + "/sparql")
    assert wrong.exit_code == 2
    assert wrong.stderr.splitlines()[1] == (
        f"Hint: the store refused CCGKG_ENDPOINT_TOKEN: check them, and that this user may use "
        f"http://127.0.0.1:{port(one)}/sparql")
    monkeypatch.delenv("CCGKG_ENDPOINT_TOKEN")
    monkeypatch.setenv("CCGKG_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("CCGKG_ENDPOINT_PASSWORD", SECRET)
    basic = run("query", "list-duties", "--endpoint", one + "/sparql")
    assert "Hint: the store refused the user and password given" in basic.stderr and SECRET not in basic.output


def test_an_endpoint_that_never_answers_times_out(sites: tuple[str, str]) -> None:
    one, _ = sites
    Site.rules[port(one)] = {"silent": 5}
    result = run("query", "list-duties", "--endpoint", one + "/sparql", "--timeout", "0.5")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: query at http://127.0.0.1:{port(one)}/sparql timed out: no answer within 0.5 s",
        "Hint: the store may be busy or the query slow; give a larger --timeout"]


def test_a_large_answer_is_cut_off(sites: tuple[str, str]) -> None:
    one, _ = sites
    Site.rules[port(one)] = {"big": 3 * 2**20}
    result = run("sparql", "-", "--endpoint", one + "/sparql", "--max-response", "1", stdin="SELECT * { ?s ?p ?o }")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"Error: the answer of http://127.0.0.1:{port(one)}/sparql is larger than 1 MB; reading stopped")


def test_limit_is_sent_to_the_server(sites: tuple[str, str]) -> None:
    one, _ = sites
    run("sparql", "-", "--endpoint", one + "/sparql", "--limit", "3", stdin="SELECT * WHERE { ?s ?p ?o }")
    run("sparql", "-", "--endpoint", one + "/sparql", "--limit", "3",
        stdin="SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 10")
    run("query", "list-duties", "--endpoint", one + "/sparql", "--limit", "2")
    bodies = [r["body"].decode() for r in Site.seen[port(one)]]
    assert bodies[0] == "SELECT * WHERE { ?s ?p ?o }\nLIMIT 3\n"
    assert bodies[1] == "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3"
    assert bodies[2].rstrip().endswith("\nLIMIT 2")

"""Issue 9 sections 1, 2, 4 and 5, in-process: what ``ccgkg sparql`` and ``ccgkg query`` refuse (SERVICE, GRAPH,
FROM, updates), the time limit, exit code 70 for a bug, ``query --list NAME`` and the report queries without
``--with-report``."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner, Result

from ccgkg import guards, queries
from ccgkg.cli import cli
from ccgkg.errors import QueryRefused, QueryTimeout

from .conftest import DATA_FILES

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


class Listener(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Listener.seen.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def listener() -> Iterator[str]:
    Listener.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------------------------------------------ SERVICE


def test_service_is_refused_in_process_and_nothing_is_contacted(listener: str) -> None:
    text = f"SELECT * WHERE {{ SERVICE <{listener}> {{ ?s ?p ?o }} }}"
    result = run("sparql", "-", "-i", "none", *DATA_FILES, stdin=text)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        (f"Error: <stdin> uses SERVICE {listener}: a federated query makes ccgkg open that URL (or file), so "
         "in-process queries refuse it"),
        "Hint: give --allow-service to let the query call http(s) SPARQL services"]
    hidden = (f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?q ?v FILTER EXISTS {{ SERVICE SILENT <{listener}> "
              "{ ?s ?p ?o } } } } LIMIT 1")
    nested = run("sparql", "-", "-i", "none", *DATA_FILES, stdin=hidden)
    assert nested.exit_code == 2 and f"uses SERVICE {listener}" in nested.stderr
    assert Listener.seen == []


def test_service_to_a_file_is_refused_even_when_allowed(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }", encoding="utf-8")
    plain = run("sparql", str(query), "-i", "none", *DATA_FILES)
    assert plain.exit_code == 2 and "uses SERVICE file:///etc/passwd" in plain.stderr
    allowed = run("sparql", str(query), "--allow-service", "-i", "none", *DATA_FILES)
    assert allowed.exit_code == 2
    assert allowed.stderr.splitlines()[0] == (
        f"Error: {query} uses SERVICE file:///etc/passwd: only http(s) IRIs can be services")
    variable = run("sparql", "-", "--allow-service", "-i", "none", *DATA_FILES,
                   stdin="SELECT * WHERE { ?x ?p ?o SERVICE ?x { ?s ?p ?o } }")
    assert "uses SERVICE ?x: only http(s) IRIs can be services" in variable.stderr
    assert "root:" not in plain.output + allowed.output


def test_the_guard_reads_the_algebra_not_the_text() -> None:
    # the word SERVICE in a string, an IRI or a comment is no SERVICE clause
    text = 'SELECT * WHERE { ?s ?p "SERVICE <file:///x>" . ?s <urn:SERVICE> ?o } # SERVICE <urn:x> { }'
    assert guards.guard_query(text) == "SELECT"
    assert guards.inspect("ASK { SERVICE <https://example.org/sparql> { ?s ?p ?o } }").services == (
        "https://example.org/sparql",)
    assert guards.guard_query("ASK { SERVICE <https://example.org/sparql> { ?s ?p ?o } }",
                              allow_service=True) == "ASK"
    with pytest.raises(QueryRefused, match="uses SERVICE"):
        guards.guard_query("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * { SERVICE <http://x/> { ?s ?p ?o } } } }")


# ------------------------------------------------------------------------------------ GRAPH, FROM and updates


@pytest.mark.parametrize(("text", "first"), [
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
     "Error: <stdin> uses GRAPH: in-process, DATA is one merged graph with no named graphs"),
    ("SELECT * FROM NAMED <urn:x> WHERE { ?s ?p ?o }",
     ("Error: <stdin> has FROM / FROM NAMED <urn:x>: in-process queries run on the loaded DATA only and never "
      "fetch graphs")),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
     ("Error: <stdin> has FROM / FROM NAMED <file:///etc/passwd>: in-process queries run on the loaded DATA only "
      "and never fetch graphs")),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }",
     ("Error: <stdin> is a SPARQL Update (INSERT, DELETE, LOAD, DROP, ...): ccgkg only runs queries (SELECT, ASK, "
      "CONSTRUCT, DESCRIBE)")),
    ("PREFIX ex: <urn:ex:> DELETE WHERE { ?s ex:p ?o } ; DROP ALL",
     ("Error: <stdin> is a SPARQL Update (INSERT, DELETE, LOAD, DROP, ...): ccgkg only runs queries (SELECT, ASK, "
      "CONSTRUCT, DESCRIBE)")),
])
def test_named_graphs_from_and_updates_are_refused(text: str, first: str) -> None:
    result = run("sparql", "-", "-i", "none", *DATA_FILES, stdin=text)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == first
    assert "Traceback" not in result.output


def test_a_real_syntax_error_is_still_a_syntax_error() -> None:
    result = run("sparql", "-", stdin="SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2 and "Error: <stdin>: syntax error at line 1" in result.stderr


# ------------------------------------------------------------------------------------------------- time limits


def test_a_runaway_local_query_stops_at_the_timeout() -> None:
    result = run("sparql", "-", "--timeout", "1", "-i", "none", *DATA_FILES, stdin=CROSS)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: <stdin> did not finish within 1 s (--timeout)",
        ("Hint: narrow it (a LIMIT, fewer cross products, more selective patterns) or give a larger --timeout "
         "(0: no limit)")]


def test_the_time_limit_holds_in_any_thread(fixture_data: object) -> None:
    outcome: list[BaseException | None] = []

    def work() -> None:
        try:
            queries.run(CROSS, fixture_data, timeout=0.5)  # type: ignore[arg-type]
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    (error,) = outcome
    assert isinstance(error, QueryTimeout) and error.seconds == 0.5
    with pytest.raises(QueryTimeout, match="did not finish within 0.5 s"):
        queries.run(CROSS, fixture_data, timeout=0.5)  # type: ignore[arg-type]
    assert queries.run("ASK { }", fixture_data, timeout=0.5).boolean is True  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------- exit code 70


def test_a_bug_exits_70_with_one_line_and_a_saved_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom in the engine")

    monkeypatch.setattr(queries, "answer", broken)  # what the command calls, on either engine
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = run("query", "list-duties", "-i", "none", *DATA_FILES)
    assert result.exit_code == 70
    (saved,) = tmp_path.glob("ccgkg-crash-*.txt")
    assert result.stderr.splitlines() == [
        f"Error: internal error (a bug in ccgkg): RuntimeError: boom in the engine; traceback saved to {saved}",
        "Hint: run `ccgkg --debug ...` to print the traceback, and please report it"]
    trace = saved.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in trace and trace.rstrip().endswith("RuntimeError: boom in the engine")
    debug = run("--debug", "query", "list-duties", "-i", "none", *DATA_FILES)
    assert debug.exit_code == 70
    assert debug.stderr.startswith("Error: Traceback (most recent call last)")
    assert "in broken\n    raise RuntimeError(\"boom in the engine\")" in debug.stderr


def test_ctrl_c_exits_130_not_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(queries, "answer", interrupted)  # what the command calls, on either engine
    result = run("query", "list-duties", "-i", "none", *DATA_FILES)
    assert (result.exit_code, result.stderr) == (130, "Error: interrupted\n")


def test_library_errors_still_exit_2_and_findings_1() -> None:
    assert run("query", "no-such-query").exit_code == 2
    assert run("validate").exit_code == 1  # the bundled sample has findings


# --------------------------------------------------------------------------------- report queries, --list NAME


def test_report_queries_validate_first_without_with_report() -> None:
    plain = run("query", "count-findings", "--format", "csv")
    given = run("query", "count-findings", "--with-report", "--format", "csv")
    assert plain.exit_code == given.exit_code == 0
    assert plain.stdout_bytes == given.stdout_bytes and len(plain.stdout.splitlines()) > 2
    assert plain.stderr == ("Note: count-findings reads the validation report, so DATA is validated first "
                            "(as with --with-report)\n")
    assert given.stderr == ""


def test_list_name_shows_only_that_query() -> None:
    result = run("query", "--list", "list-practices")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "title", "parameters", "provisions"]
    assert [" ".join(line.split()) for line in lines[2:]] == [
        "list-practices Member practices of a CCG on a date ccg:code=02H day:date=2016-10-17 nhsa06:s14A"]
    unknown = run("query", "--list", "no-such")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("Error: no named query 'no-such'")

"""A real Oxigraph server (PyPI package ``oxigraph``) on 127.0.0.1: ``push`` loads the graph, and every named query
gives the same rows there as in-process; pushing again replaces the graph; unreachable stores are clear errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph

from ccgkg import endpoint, queries, results
from ccgkg.cli import cli
from ccgkg.errors import EndpointError, PublishError

from .conftest import DATA_FILES, Server, free_port

pytestmark = pytest.mark.server

GRAPH = "https://w3id.org/ccgkg/graph/test"

#: Named queries with parameters beyond their defaults, so optional and typed values are exercised on the store.
EXTRA = [
    ("find-hwb-gaps", {"day": "2021-01-01"}), ("list-hwb-groups", {"day": "2021-01-01", "hwb": "E06000006-HWB"}),
    ("find-breaches", {"provision": "ccgregs12:reg11-3"}), ("find-breaches", {"org": "E06000006-HWB"}),
    ("list-practices", {"day": "2014-06-01"}), ("rank-finances", {"year": "2016-17"}),
    ("count-duties", {"day": "2022-07-01", "force": "regard"}), ("list-duties", {"org": "QOP", "day": "2022-07-01"}),
    ("trace-successors", {"ccg": "02E"}), ("list-governing-body", {"ccg": "01F"}),
    ("report-coverage", {"source": "hsca12:act"}), ("list-regard-duties", {"day": "2018-01-01"}),
    ("rank-finances", {"year": '2016-17" || true || "'}),
]


@pytest.fixture(scope="module")
def pushed(oxigraph: Server, fixture_graph: Graph) -> Server:
    done = endpoint.push(oxigraph.store, fixture_graph, graph_iri=GRAPH)
    assert (done.triples, done.graph) == (len(fixture_graph), GRAPH)
    return oxigraph


def count(server: Server, graph: str) -> int:
    result = endpoint.query(server.query, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", form="SELECT", graph=graph)
    return int(result.rows[0][0])


@pytest.mark.parametrize("name", [q.name for q in queries.list_queries()])
def test_every_named_query_gives_the_same_rows_on_the_server(pushed: Server, fixture_graph: Graph,
                                                             name: str) -> None:
    bound = queries.bind(queries.load_query(name), {})
    here = queries.run(bound, fixture_graph)
    there = endpoint.query(pushed.query, bound.text, form=bound.query.form, graph=GRAPH)
    assert there == here
    assert results.render(there, "csv") == results.render(here, "csv")
    assert results.render(there, "json") == results.render(here, "json")


@pytest.mark.parametrize(("name", "params"), EXTRA)
def test_parameters_bind_the_same_on_the_server(pushed: Server, fixture_graph: Graph, name: str,
                                                params: dict[str, str]) -> None:
    bound = queries.bind(queries.load_query(name), params)
    assert endpoint.query(pushed.query, bound.text, form="SELECT", graph=GRAPH) == queries.run(bound, fixture_graph)


def test_push_replaces_the_named_graph_and_leaves_others(pushed: Server, fixture_data: Graph) -> None:
    small = Graph().parse(DATA_FILES[2])
    endpoint.push(pushed.store, small, graph_iri="https://w3id.org/ccgkg/graph/other")
    assert count(pushed, "https://w3id.org/ccgkg/graph/other") == len(small)
    endpoint.push(pushed.update, fixture_data, graph_iri="https://w3id.org/ccgkg/graph/other", protocol="update")
    assert count(pushed, "https://w3id.org/ccgkg/graph/other") == len(fixture_data)
    endpoint.push(pushed.store, small, graph_iri="https://w3id.org/ccgkg/graph/other")
    assert count(pushed, "https://w3id.org/ccgkg/graph/other") == len(small)
    assert count(pushed, GRAPH) > len(small)  # the graph of the other tests is untouched


def test_cli_push_then_query_answers_as_in_process(oxigraph: Server) -> None:
    runner = CliRunner()
    pushed = runner.invoke(cli, ["push", "--endpoint", oxigraph.store, "--no-report", *DATA_FILES])
    assert pushed.exit_code == 0, pushed.output
    assert pushed.output.startswith("") and f"into <{endpoint.DEFAULT_GRAPH}> at {oxigraph.store} (gsp, HTTP 2" \
        in pushed.output
    for argv in (["query", "list-hwb-groups", "-p", "day=2021-01-01"], ["query", "rank-finances"],
                 ["query", "list-governing-body", "-p", "ccg=01F", "--format", "tsv"]):
        local = runner.invoke(cli, [*argv, "--format", "csv", *DATA_FILES])
        remote = runner.invoke(cli, [*argv, "--format", "csv", "--endpoint", oxigraph.query])
        assert local.exit_code == remote.exit_code == 0, remote.output
        assert remote.stdout_bytes == local.stdout_bytes and local.stdout_bytes.count(b"\r\n") > 1


def test_cli_sparql_from_stdin_at_the_endpoint(oxigraph: Server) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["push", "--endpoint", oxigraph.store, "--no-report", *DATA_FILES])
    text = "PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/>\nSELECT ?c WHERE { ?o ccgkg:code ?c } ORDER BY ?c LIMIT 2"
    result = runner.invoke(cli, ["sparql", "-", "--endpoint", oxigraph.query, "--format", "csv"], input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b"c\r\n01F\r\n02E\r\n"


def test_unreachable_endpoint_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError, match=f"cannot reach {url}"):
        endpoint.query(url, "ASK {}", form="ASK")
    result = CliRunner().invoke(cli, ["query", "list-duties", "--endpoint", url])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot reach {url}: ")
    assert "Hint: check that the store is running" in result.stderr


def test_failed_push_is_a_publish_error(oxigraph: Server) -> None:
    with pytest.raises(PublishError, match=r"PUT to .*/nothing-here\?graph=.* failed: HTTP 404"):
        endpoint.push(oxigraph.base + "/nothing-here", Graph(), graph_iri=GRAPH)
    result = CliRunner().invoke(cli, ["push", "--endpoint", f"http://127.0.0.1:{free_port()}/store", "--no-report",
                                      DATA_FILES[0]])
    assert result.exit_code == 2 and result.stderr.startswith("Error: cannot reach http://127.0.0.1:")


def test_a_refused_query_names_the_status(oxigraph: Server) -> None:
    with pytest.raises(EndpointError, match=r"query at .* failed: HTTP 400"):
        endpoint.query(oxigraph.query, "SELECT WHERE {", form="SELECT")


def test_construct_at_the_endpoint_gives_the_same_graph(pushed: Server, fixture_graph: Graph) -> None:
    text = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/>\n"
            "CONSTRUCT { ?g ccgkg:succeededBy ?s } WHERE { ?g ccgkg:succeededBy ?s }")
    there = endpoint.query(pushed.query, text, form="CONSTRUCT", graph=GRAPH)
    assert there.graph is not None and set(there.graph) == set(queries.run(text, fixture_graph).graph)
    assert results.render(there, "csv") == results.render(queries.run(text, fixture_graph), "csv")

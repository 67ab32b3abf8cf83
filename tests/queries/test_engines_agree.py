"""The in-process engines agree: every named query gives the same result on pyoxigraph (the default, ccgkg.oxstore)
as on rdflib (the reference), on the bundled sample with its validation report and on the real England of
../shared/data (skipped when it is absent); the store holds exactly the triples of the rdflib query graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

from ccgkg import oxstore, queries
from ccgkg.cli import cli
from ccgkg.errors import QueryRefused, QuerySyntaxError

from .test_sample import PARAMS

CASES = [(q.name, {}) for q in queries.list_queries()] + PARAMS


@pytest.fixture(scope="module")
def sample_data(sample_with_report: tuple[Graph, Graph]) -> tuple[Graph, Graph]:
    return sample_with_report


@pytest.fixture(scope="module")
def sample_graph(sample_data: tuple[Graph, Graph]) -> Graph:
    data, report = sample_data
    return queries.query_graph(data, report=report)


@pytest.fixture(scope="module")
def sample_store(sample_data: tuple[Graph, Graph]) -> ox.Store:
    data, report = sample_data
    return oxstore.query_store(data, report=report)


def test_the_store_holds_the_triples_of_the_query_graph(sample_graph: Graph, sample_store: ox.Store) -> None:
    """The same triples; numbers in their canonical form (the store keeps values, not their spelling)."""
    assert len(sample_store) == len(sample_graph)
    assert set(oxstore.triples_of(sample_store)) == {(s, p, queries.canonical(o)) for s, p, o in sample_graph}


@pytest.mark.parametrize(("name", "params"), CASES)
def test_every_named_query_gives_the_same_result_on_both_engines(sample_graph: Graph, sample_store: ox.Store,
                                                                name: str, params: dict[str, str]) -> None:
    bound = queries.bind(queries.load_query(name), params)
    fast = oxstore.run(bound, sample_store)
    assert fast == queries.run(bound, sample_graph)
    assert fast.form == "SELECT" and fast.variables


def test_construct_and_ask_agree(sample_graph: Graph, sample_store: ox.Store) -> None:
    construct = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/>\n"
                 "CONSTRUCT { ?o a ccgkg:Seen } WHERE { ?o a ccgkg:HealthAndWellbeingBoard }")
    fast, ref = oxstore.run(construct, sample_store), queries.run(construct, sample_graph)
    assert fast.graph is not None and ref.graph is not None
    assert set(fast.graph) == set(ref.graph) and len(fast.graph) == 3
    ask = "ASK { <https://w3id.org/ccgkg/id/org/02H> ?p ?o }"
    assert oxstore.run(ask, sample_store).boolean is True
    assert queries.run(ask, sample_graph).boolean is True


def test_a_value_that_tries_to_end_the_term_is_bound_not_pasted(sample_graph: Graph, sample_store: ox.Store) -> None:
    hostile = '2019-20" } UNION { ?ccg ?p ?o } #'
    bound = queries.bind(queries.load_query("rank-finances"), {"year": hostile})
    assert oxstore.run(bound, sample_store) == queries.run(bound, sample_graph)
    assert oxstore.run(bound, sample_store).rows == ()


def test_service_is_refused_before_the_store_is_asked(sample_store: ox.Store) -> None:
    with pytest.raises(QueryRefused, match=r"^query uses SERVICE http://127.0.0.1:9/sparql: a federated query"):
        oxstore.run("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", sample_store)


def test_a_query_the_store_cannot_run_names_the_query(sample_store: ox.Store) -> None:
    with pytest.raises(QuerySyntaxError, match=r"^query: the query failed: .*<http://example.org/f>"):
        oxstore.run("SELECT ?x WHERE { BIND(<http://example.org/f>(1) AS ?x) }", sample_store)


def test_the_command_gives_the_same_bytes_on_both_engines() -> None:
    runner = CliRunner()
    args = ["query", "list-governing-body", "-p", "ccg=02E", "--format", "csv"]
    fast = runner.invoke(cli, args)
    ref = runner.invoke(cli, [*args, "--engine", "rdflib"])
    assert fast.exit_code == 0 and ref.exit_code == 0, fast.output + ref.output
    assert fast.stdout_bytes == ref.stdout_bytes
    lines = fast.stdout_bytes.split(b"\r\n")
    assert lines[0] == b"ccg,code,role,provision,posts" and len(lines) == 11  # header, one row per role, ""
    assert all(line.startswith(b"https://w3id.org/ccgkg/id/org/02E,02E,") for line in lines[1:-1])


def test_answer_dispatches_and_refuses_an_unknown_engine(sample_data: tuple[Graph, Graph]) -> None:
    data, _report = sample_data
    bound = queries.bind(queries.load_query("list-duties"), {"org": "02H"})
    assert queries.answer(bound, data) == queries.answer(bound, data, engine="rdflib")
    with pytest.raises(Exception, match="unknown query engine 'jena'"):
        queries.answer(bound, data, engine="jena")


@pytest.mark.slow
def test_every_named_query_agrees_on_real_england(real_england: Graph, shared_data: Path) -> None:
    reference = queries.query_graph(real_england)
    fast = oxstore.query_store(real_england)
    assert len(fast) == len(reference)
    for query in queries.list_queries():
        bound = queries.bind(query, {})
        assert oxstore.run(bound, fast) == queries.run(bound, reference), query.name


def test_every_bundled_query_parses_and_its_form_is_read_right() -> None:
    """The bundled queries are loaded without the full parse (a start-up cost); this is where they are parsed."""
    forms = {q.name: queries.check_syntax(q.text, name=q.name) for q in queries.list_queries()}
    assert forms == {q.name: q.form for q in queries.list_queries()}
    assert set(forms.values()) == {"SELECT"}

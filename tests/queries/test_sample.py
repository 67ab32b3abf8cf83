"""The named queries on the bundled sample (data/sample, the default DATA) with its validation report: they find the
sample's documented breaches (data/sample/README.md) the way ccgkg.validation does, rdflib and Oxigraph give the
same rows, and ``ccgkg push`` then ``--endpoint`` answers as in-process."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

from ccgkg import endpoint, queries, results
from ccgkg.cli import cli
from ccgkg.results import parse_json_results

from .conftest import Server

PARAMS = [
    ("find-hwb-gaps", {"day": "2016-11-01"}), ("list-governing-body", {"ccg": "02E", "day": "2017-06-01"}),
    ("list-practices", {"day": "2013-06-01"}), ("list-duties", {"org": "E08000010-HWB"}),
    ("find-breaches", {"provision": "nhsa06:s14Z15"}), ("count-findings", {}), ("rank-finances", {"year": "2019-20"}),
    ("list-regard-duties", {"day": "2013-06-01"}), ("count-duties", {"day": "2013-04-01"}),
]


@pytest.fixture(scope="module")
def sample(sample_with_report: tuple[Graph, Graph]) -> Graph:
    data, report = sample_with_report
    return queries.query_graph(data, report=report)


def rows(graph: Graph, name: str, **params: str) -> list[tuple[str, ...]]:
    result = queries.run(queries.bind(queries.load_query(name), params), graph)
    return [tuple(results.short(t) for t in row) for row in result.rows]


def test_findings_per_organisation_are_the_documented_breaches(sample: Graph) -> None:
    # data/sample/README.md: 01F breaches 6, 7, 8 and the warning 9; 02E 4 and 5; Wigan's board 1 and 2; 02H 10;
    # P92007 3; the Board (X24) 11
    assert [(r[1], r[3], r[4], r[6]) for r in rows(sample, "count-findings")] == [
        ("01F", "3", "1", "4"), ("02E", "2", "0", "2"), ("E08000010-HWB", "2", "0", "2"), ("02H", "1", "0", "1"),
        ("P92007", "1", "0", "1"), ("X24", "0", "0", "1")]  # the Board's s.14U(2) finding is an info (issue 8)


def test_queries_see_what_the_shapes_see(sample: Graph) -> None:
    """Each gap a named query shows on the sample is a finding of the report citing the same provision."""
    assert rows(sample, "find-hwb-gaps") == [
        ("org:E08000010-HWB", "E08000010-HWB", "director-public-health", "-", "hsca12:s194-2-d")]
    assert rows(sample, "find-hwb-gaps", day="2016-11-01") == []
    assert [r[3] for r in rows(sample, "find-breaches", org="E08000010-HWB", provision="hsca12:s194-2")] == [
        "hsca12:s194-2-d"]
    nurse = [r for r in rows(sample, "list-governing-body", ccg="02E", day="2017-06-01") if "3-b" in r[3]]
    assert nurse == [("org:02E", "02E", "registered-nurse", "ccgregs12:reg11-3-b_made", "0")]
    assert [r[3] for r in rows(sample, "find-breaches", org="02E", provision="ccgregs12:reg11")] == [
        "ccgregs12:reg11-3-b_made"]  # the as-made version of reg 11(3)(b) (issue 8)
    halton = [r for r in rows(sample, "rank-finances", year="2016-17") if r[2] == "01F"]
    assert [r[6] for r in halton] == ["false"]
    assert "nhsa06:s223H-1" in [r[3] for r in rows(sample, "find-breaches", org="01F", provision="nhsa06:s223H")]


def test_default_data_is_the_sample() -> None:
    result = CliRunner().invoke(cli, ["query", "find-hwb-gaps", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (
        b"hwb,code,missing,group,provision\r\n"
        b"https://w3id.org/ccgkg/id/org/E08000010-HWB,E08000010-HWB,director-public-health,,"
        b"https://w3id.org/ccgkg/ont/acts/health-and-social-care-act-2012/s194-2-d\r\n")


def _oxigraph_rows(store_: ox.Store, text: str) -> queries.QueryResult:
    """Run ``text`` in an in-process Oxigraph store and read the rows back as a SPARQL JSON document would give."""
    payload = store_.query(text).serialize(format=ox.QueryResultsFormat.JSON)
    return parse_json_results(payload)


@pytest.mark.parametrize(("name", "params"), [(q.name, {}) for q in queries.list_queries()] + PARAMS)
def test_rdflib_and_oxigraph_give_the_same_rows_on_the_sample(sample: Graph, name: str,
                                                             params: dict[str, str]) -> None:
    oxi = _sample_store(sample)
    bound = queries.bind(queries.load_query(name), params)
    assert _oxigraph_rows(oxi, bound.text) == queries.run(bound, sample)


_STORES: dict[int, ox.Store] = {}


def _sample_store(graph: Graph) -> ox.Store:
    if id(graph) not in _STORES:
        oxi = ox.Store()
        oxi.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        _STORES[id(graph)] = oxi
    return _STORES[id(graph)]


@pytest.mark.server
def test_push_with_report_then_every_query_at_the_endpoint(oxigraph: Server, sample: Graph) -> None:
    runner = CliRunner()
    graph = "https://w3id.org/ccgkg/graph/sample"
    pushed = runner.invoke(cli, ["push", "--endpoint", oxigraph.store, "--graph", graph])
    assert pushed.exit_code == 0, pushed.output
    assert pushed.output.startswith(f"{len(sample)} triples loaded into <{graph}>")
    for q in queries.list_queries():
        bound = queries.bind(q, {})
        there = endpoint.query(oxigraph.query, bound.text, form=q.form, graph=graph)
        assert results.render(there, "csv") == results.render(queries.run(bound, sample), "csv"), q.name
    cli_remote = runner.invoke(cli, ["query", "count-findings", "--endpoint", oxigraph.query, "--graph", graph,
                                     "--format", "json"])
    assert cli_remote.exit_code == 0
    assert parse_json_results(cli_remote.stdout_bytes) == queries.run(
        queries.bind(queries.load_query("count-findings"), {}), sample)


def test_with_report_on_the_command_line(sample: Graph) -> None:
    result = CliRunner().invoke(cli, ["query", "count-findings", "--with-report", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == results.render(
        queries.run(queries.bind(queries.load_query("count-findings"), {}), sample), "csv")
    judged = CliRunner().invoke(cli, ["query", "find-breaches", "--with-report", "--as-of", "2016-10-17",
                                      "--format", "csv"])
    assert judged.exit_code == 0, judged.output
    lines = judged.stdout.splitlines()
    assert len(lines) > 1 and all(",https://w3id.org/ccgkg/ont/acts/" in line for line in lines[1:])

"""``ccgkg validate --endpoint URL --materialise`` (issue 11, section 3): the legal shapes judged inside a real
Oxigraph server give the findings, report and coverage of the in-process run on the same data; a day's state built
in the store is the in-process day graph; bad endpoints, graphs and stores without write access are clear errors
(exit 2) and nothing is written into the data graph."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph

from ccgkg import (
    endpoint,
    judging,
    reasoning,
    remote_validate,
    report,
    store,
    validation,
)
from ccgkg.cli import cli
from ccgkg.errors import EndpointError, InputError

from .conftest import Server, _oxigraph_binary, free_port, serving

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[2]
SAMPLE = "urn:ccgkg:test:remote-sample"
ENGLAND = "urn:ccgkg:test:remote-england"
WORK = "urn:ccgkg:test:remote-work"
CORE_NOTICE = ("Notice: the 9 core shapes (the form of the data, shapes/core.shapes.ttl) are not judged at an "
               "endpoint: they run on pySHACL's engine in-process (`ccgkg validate FILE`)")


def _england() -> Graph:
    spec = importlib.util.spec_from_file_location("ccgkg_bench_england_remote", REPO / "benchmarks" / "england.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    graph: Graph = module.england(module.Size(ccgs=3, practices=12, authorities=2))
    return graph


def _count(server: Server, graph: str) -> int:
    found = endpoint.query(server.query, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", form="SELECT", graph=graph)
    value = found.rows[0][0]
    assert value is not None
    return int(value.toPython())


def _stored(server: Server, graph: str) -> Graph:
    """The graph as the store holds it (Oxigraph keeps a number's value, not its spelling: "1.00" comes back as
    "1.0"), the data the in-process oracle validates."""
    found = endpoint.query(server.query, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", form="CONSTRUCT", graph=graph)
    assert found.graph is not None and len(found.graph) > 100
    return found.graph


@pytest.fixture(scope="module")
def loaded(oxigraph: Server) -> Server:
    endpoint.push(oxigraph.store, store.sample_graph(), graph_iri=SAMPLE)
    endpoint.push(oxigraph.store, _england(), graph_iri=ENGLAND)
    return oxigraph


@pytest.fixture(scope="module")
def sample_runs(loaded: Server) -> tuple[remote_validate.RemoteValidation, validation.ValidationResult, int]:
    before = _count(loaded, SAMPLE)
    with pytest.warns(judging.FallbackNotice, match="9 core shapes"):
        remote = remote_validate.validate_endpoint(loaded.query, graph=SAMPLE, materialise=True, work_graph=WORK)
    assert _count(loaded, SAMPLE) == before
    return remote, validation.validate(_stored(loaded, SAMPLE)), before


def test_sample_findings_and_reports_equal_the_in_process_run(sample_runs: tuple[
        remote_validate.RemoteValidation, validation.ValidationResult, int]) -> None:
    remote, local, _ = sample_runs
    assert len(local.findings) == 11  # the breaches of data/sample/README.md
    assert remote.result.findings == local.findings
    for fmt in ("json", "text"):
        assert report.render(remote.result, fmt) == report.render(local, fmt)
    assert remote.result.coverage == local.coverage


def test_materialise_counts_what_it_wrote_and_clears_it(loaded: Server, sample_runs: tuple[
        remote_validate.RemoteValidation, validation.ValidationResult, int]) -> None:
    remote, _local, before = sample_runs
    m = remote.materialised
    assert m is not None
    shapes = store.shapes_graph()
    legal = [r for r in validation.shape_rules(shapes) if r.provisions]
    days = validation.judging_days(validation.with_financial_years(store.sample_graph()), legal)
    assert m.days == len([d for d in days if any(r.applies_on(d) for r in legal)])
    assert (m.graph, m.ontology_graph, m.cleared) == (WORK, WORK + "/ontology", True)
    assert m.ontology == len(validation._ontology_closure(reasoning.Profile.RDFS)[0])
    assert m.copied > m.days * 1000 and m.derived > m.days * 100  # the sample's data and its memberships, types
    assert _count(loaded, WORK) == 0 and _count(loaded, WORK + "/ontology") == 0
    assert _count(loaded, SAMPLE) == before


def test_a_day_built_in_the_store_is_the_in_process_day_graph(loaded: Server) -> None:
    day = dt.date(2016, 4, 1)
    target = remote_validate._Store(loaded.query, loaded.update, SAMPLE, 60)
    fy = remote_validate._financial_years(target)
    builder = remote_validate._Materialiser(target, WORK, reasoning.Profile.RDFS, fy)
    builder.check_and_claim()
    try:
        builder.load_ontology()
        builder.build(day)
        found = endpoint.query(builder.graphs, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", form="CONSTRUCT",
                               graph=WORK).graph
    finally:
        builder.clear()
    assert found is not None
    expected = validation.prepare(validation.with_financial_years(_stored(loaded, SAMPLE)), day)
    no_blank = {t for t in expected if not any(isinstance(x, BNode) for x in t)}
    assert {t for t in found if not any(isinstance(x, BNode) for x in t)} == no_blank


def test_synthetic_england_gives_the_in_process_legal_findings(loaded: Server) -> None:
    with pytest.warns(judging.FallbackNotice, match="9 core shapes"):
        remote = remote_validate.validate_endpoint(loaded.query, graph=ENGLAND, materialise=True)
    local = validation.validate(_stored(loaded, ENGLAND))
    core = [f for f in local.findings if not f.provisions]
    legal = tuple(f for f in local.findings if f.provisions)
    # the core shapes (form) do not run at an endpoint: the Notice says so; every legal finding is the same
    assert {f.shape for f in core} == {"https://w3id.org/ccgkg/shapes/core/Organisation"}
    assert len(legal) > 100
    assert remote.result.findings == legal
    same = dataclasses.replace(local, findings=legal, conforms=not legal)
    assert report.render(remote.result, "json") == report.render(same, "json")


# ----------------------------------------------------------------------------------------------- the CLI

def test_cli_validates_one_day_in_the_store(loaded: Server, tmp_path: Path) -> None:
    data = tmp_path / "stored.nt"
    data.write_bytes(_stored(loaded, SAMPLE).serialize(format="nt", encoding="utf-8"))
    argv = ["validate", "--as-of", "2016-04-01", "--format", "json"]
    runner = CliRunner()
    remote = runner.invoke(cli, [*argv, "--endpoint", loaded.query, "--graph", SAMPLE, "--materialise"])
    local = runner.invoke(cli, [*argv, str(data)])
    assert (remote.exit_code, local.exit_code) == (1, 1), remote.stderr
    assert remote.stdout == local.stdout
    assert [(r["organisation_code"], r["shape"].rsplit("/", 1)[1]) for r in json.loads(remote.stdout)["results"]] \
        == [("01F", "PrimaryMedicalCommissionedByBoard"), ("01F", "ExpenditureWithinAllotment")]
    lines = remote.stderr.splitlines()
    assert lines[1] == CORE_NOTICE
    assert re.fullmatch(f"Materialised 1 judging day in <{remote_validate.DEFAULT_WORK_GRAPH}> at {loaded.query}: "
                        r"1,\d{3} triples of the day's data written and \d{3} derived there by the rules, summed over "
                        r"the days; the ontology \(9,\d{3} triples\) in "
                        r"<https://w3id.org/ccgkg/graph/validation-work/ontology>; both graphs cleared", lines[0])
    one = runner.invoke(cli, [*argv, "--endpoint", loaded.query, "--graph", SAMPLE, "--materialise",
                              "--provision", "s.223H(1)"])
    assert one.exit_code == 1
    assert [r["shape"].rsplit("/", 1)[1] for r in json.loads(one.stdout)["results"]] == ["ExpenditureWithinAllotment"]
    assert "Notice" not in one.stderr  # --provision: the core shapes are not asked for


def test_fail_on_and_text_format_as_in_process(loaded: Server) -> None:
    """Violations fail at --fail-on info too (exit 1); a day with no finding passes (exit 0), with the text
    in-process gives."""
    argv = ["validate", "--endpoint", loaded.query, "--graph", SAMPLE, "--materialise", "--quiet"]
    runner = CliRunner()
    failing = runner.invoke(cli, [*argv, "--as-of", "2016-04-01", "--fail-on", "info"])
    assert failing.exit_code == 1
    assert failing.stdout.splitlines()[-1] == "2 violations, 0 warnings, 0 infos; 1 organisation; 2 provisions"
    passing = runner.invoke(cli, [*argv, "--as-of", "2013-03-01"])
    local = runner.invoke(cli, ["validate", "--as-of", "2013-03-01", "--quiet"])
    assert passing.exit_code == local.exit_code == 0
    assert passing.stdout == local.stdout


@pytest.mark.parametrize(("argv", "message"), [
    (["--endpoint", "ftp://127.0.0.1/query", "--materialise"],
     "Error: --endpoint 'ftp://127.0.0.1/query' is not an http(s) URL (scheme ftp:)"),
    (["--endpoint", "QUERY", "--graph", "urn:ccgkg:test:nothing-here", "--materialise"],
     "Error: the graph <urn:ccgkg:test:nothing-here> at QUERY holds no triples: there is nothing to validate"),
    (["--endpoint", "QUERY", "--graph", "default", "--materialise"],
     "Error: the store's default graph at QUERY holds no triples: there is nothing to validate"),
    (["--endpoint", "QUERY", "--graph", "not an iri", "--materialise"], "Error: --graph 'not an iri' is not an IRI"),
    (["--endpoint", "QUERY", "--graph", SAMPLE],
     "Error: validation at an endpoint needs --materialise for now: the read-only way"),
    (["--endpoint", "QUERY", "--graph", SAMPLE, "--materialise", "--work-graph", SAMPLE],
     f"Error: --work-graph {SAMPLE} is the data graph: ccgkg never writes into the data"),
    (["--endpoint", "QUERY", "--graph", SAMPLE, "--materialise", "--work-graph", ENGLAND],
     f"Error: the graph <{ENGLAND}> at QUERY already holds data; ccgkg writes day states only into empty graphs, so nothing was written"),
    (["--endpoint", "QUERY", "--graph", SAMPLE, "--materialise", "--org", "NOPE"],
     f"Error: --org NOPE: no organisation with this code in the graph <{SAMPLE}> at QUERY"),
    (["--endpoint", "QUERY", "--materialise", "data.ttl"], "Error: give DATA or --endpoint, not both"),
])
def test_bad_endpoint_use_is_a_clear_error(loaded: Server, argv: list[str], message: str) -> None:
    before = _count(loaded, ENGLAND)
    argv = [loaded.query if a == "QUERY" else a for a in argv]
    result = CliRunner().invoke(cli, ["validate", *argv])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(message.replace("QUERY", loaded.query)), result.stderr
    assert "Traceback" not in result.stderr
    assert _count(loaded, ENGLAND) == before


def test_wrong_graph_names_the_graphs_there(loaded: Server) -> None:
    with pytest.raises(InputError) as caught:
        remote_validate.validate_endpoint(loaded.query, graph="urn:ccgkg:test:nothing-here", materialise=True)
    assert SAMPLE in (caught.value.hint or "") and ENGLAND in (caught.value.hint or "")


def test_unreachable_store_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(cli, ["validate", "--endpoint", url, "--materialise"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot reach {url}"), result.stderr


def test_update_endpoint_is_found_beside_the_query_endpoint() -> None:
    assert remote_validate.update_endpoint_for("http://h:7878/query") == "http://h:7878/update"
    assert remote_validate.update_endpoint_for("http://h:3030/ds/query") == "http://h:3030/ds/update"
    assert remote_validate.update_endpoint_for("http://h:3030/ds/sparql") == "http://h:3030/ds/update"
    assert remote_validate.update_endpoint_for("http://h:8890/sparql") == "http://h:8890/sparql"
    assert remote_validate.update_endpoint_for("http://h:7200/repositories/kg") == \
        "http://h:7200/repositories/kg/statements"
    assert remote_validate.update_endpoint_for("http://h:7001/") is None
    result = CliRunner().invoke(cli, ["validate", "--endpoint", "http://127.0.0.1:1/", "--materialise"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --materialise: cannot tell the SPARQL Update endpoint of "
                                    "http://127.0.0.1:1/\nHint: give it as --update-endpoint")


@pytest.fixture(scope="module")
def read_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``oxigraph serve-read-only`` over a store holding the sample in the graph SAMPLE."""
    location = tmp_path_factory.mktemp("oxigraph-read-only")
    data = location.parent / "sample.nt"
    data.write_bytes(store.sample_graph().serialize(format="nt", encoding="utf-8"))
    subprocess.run([_oxigraph_binary(), "load", "--location", str(location), "--file", str(data), "--graph", SAMPLE],
                   check=True, capture_output=True)
    with serving(location, "serve-read-only") as server:
        yield server


def test_materialise_without_write_access_is_refused(read_only: Server) -> None:
    result = CliRunner().invoke(cli, ["validate", "--endpoint", read_only.query, "--graph", SAMPLE,
                                      "--materialise"])
    assert result.exit_code == 2
    first, hint = result.stderr.splitlines()[-2:]
    assert first.startswith(f"Error: --materialise needs write access to the store, and the update endpoint "
                            f"refused a write: update at {read_only.update} failed: HTTP "), result.stderr
    assert hint.startswith("Hint: give --update-endpoint the store's SPARQL Update URL")
    assert _count(read_only, SAMPLE) == len(store.sample_graph())


def test_a_store_refusing_queries_is_an_endpoint_error(loaded: Server) -> None:
    with pytest.raises(EndpointError, match="HTTP 404"):
        remote_validate.validate_endpoint(loaded.base + "/nothing/query", graph=SAMPLE, materialise=True)

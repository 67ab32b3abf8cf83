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
import socket
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import SH

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
FORM_ERRORS = Path(__file__).parent / "fixtures" / "form-errors.ttl"
FORM = "urn:ccgkg:test:remote-form-errors"
DECLARED = Path(__file__).parent / "fixtures" / "declared-coverage.ttl"
SCOPED = "urn:ccgkg:test:remote-declared-coverage"


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
    assert found.graph is not None and len(found.graph) > 30
    return found.graph


@pytest.fixture(scope="module")
def loaded(oxigraph: Server) -> Server:
    endpoint.push(oxigraph.store, store.sample_graph(), graph_iri=SAMPLE)
    endpoint.push(oxigraph.store, _england(), graph_iri=ENGLAND)
    endpoint.push(oxigraph.store, store.load(str(FORM_ERRORS)), graph_iri=FORM)
    endpoint.push(oxigraph.store, store.load(str(DECLARED)), graph_iri=SCOPED)
    return oxigraph


@pytest.fixture(scope="module")
def sample_runs(loaded: Server) -> tuple[remote_validate.RemoteValidation, validation.ValidationResult, int]:
    before = _count(loaded, SAMPLE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", judging.FallbackNotice)  # every bundled shape is judged in the store
        remote = remote_validate.validate_endpoint(loaded.query, graph=SAMPLE, materialise=True, work_graph=WORK)
    assert _count(loaded, SAMPLE) == before
    return remote, validation.validate(_stored(loaded, SAMPLE)), before


def test_sample_findings_and_reports_equal_the_in_process_run(sample_runs: tuple[
        remote_validate.RemoteValidation, validation.ValidationResult, int]) -> None:
    remote, local, _ = sample_runs
    assert len(local.findings) == 11  # the breaches of data/sample/README.md
    _same(remote.result, local)
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
    assert (m.graph, m.ontology_graph, m.whole, m.cleared) == (WORK, WORK + "/ontology", True, True)
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


def _same(remote: validation.ValidationResult, local: validation.ValidationResult) -> None:
    """The findings, the JSON and text reports and the report graph are those of the in-process run."""
    assert remote.findings == local.findings
    for fmt in ("json", "text"):
        assert report.render(remote, fmt) == report.render(local, fmt)
    assert isomorphic(remote.report_graph, local.report_graph)


def test_synthetic_england_gives_the_in_process_findings(loaded: Server) -> None:
    remote = remote_validate.validate_endpoint(loaded.query, graph=ENGLAND, materialise=True)
    local = validation.validate(_stored(loaded, ENGLAND))
    assert len([f for f in local.findings if f.provisions]) > 100
    assert [f.focus.rsplit("/", 1)[1] for f in local.findings if not f.provisions] == \
        ["R000", "R001", "R010", "R011", "R020", "R021"]  # trusts without codes: a core shape's findings
    _same(remote.result, local)


def test_declared_coverage_cuts_and_counts_as_in_process(loaded: Server) -> None:
    """The evidence scope reads the coverage statements, the register and the findings' sources from the store:
    the findings (with their sources), the coverage section and the reports are the in-process ones."""
    remote = remote_validate.validate_endpoint(loaded.query, graph=SCOPED, materialise=True)
    local = validation.validate(_stored(loaded, SCOPED))
    assert local.coverage is not None and local.coverage.declared and local.not_judged == 97_797
    assert {s for f in local.findings for s in f.sources} == {"minutes-2016-07-07.pdf"}
    assert any("outside England" in reason for rule in local.coverage.rules for reason in rule.reasons)
    _same(remote.result, local)
    assert remote.result.coverage == local.coverage


def test_require_coverage_exits_4_as_in_process(loaded: Server) -> None:
    argv = ["validate", "--provision", "reg 12(5)", "--require-coverage", "--quiet"]
    runner = CliRunner()
    remote = runner.invoke(cli, [*argv, "--endpoint", loaded.query, "--graph", SCOPED, "--materialise"])
    local = runner.invoke(cli, [*argv, str(DECLARED)])
    assert remote.exit_code == local.exit_code == 4
    assert remote.stdout == local.stdout
    assert remote.stderr.splitlines()[-1] == local.stderr.splitlines()[-1] == (
        "Error: --require-coverage: 3,378 organisation-days were not judged (their evidence is out of scope; see "
        "the coverage section)")


def _blank_values(result: validation.ValidationResult) -> validation.ValidationResult:
    """The result with every blank-node value written ``_:b`` (a blank node's label is the store's or rdflib's)."""
    findings = tuple(dataclasses.replace(f, value="_:b") if f.value and not f.value.startswith("http") and
                     str(f.path) == "https://w3id.org/ccgkg/ont/core/holder" else f for f in result.findings)
    return dataclasses.replace(result, findings=findings)


def test_form_errors_are_the_in_process_core_findings(loaded: Server) -> None:
    """Each core constraint component (min/max count, datatype, class, node kind, min/max inclusive, less than or
    equals, an alternative path) finds in the store what pySHACL finds in-process."""
    remote = remote_validate.validate_endpoint(loaded.query, graph=FORM, materialise=True)
    local = validation.validate(_stored(loaded, FORM))
    core = [(f.focus.rsplit("/", 1)[1], (f.path or "").rsplit("/", 1)[1], f.value, f.message)
            for f in local.findings if not f.provisions]
    assert core == [  # the fixture's comments, one component each
        ("2013-04-01", "shareOfGroupArea", "-0.25", "An area overlap has at most one share, a decimal from 0 to 1"),
        ("99B", "startDate", "2013-04-01", "A record has at most one start date, an xsd:date"),
        ("99B", "code", "99", "An organisation has exactly one code, a string"),
        ("2013-04-01", "shareOfGroupArea", "1.5", "An area overlap has at most one share, a decimal from 0 to 1"),
        ("2013-04-01", "localAuthority", "E09000099", "An area overlap names exactly one local authority"),
        ("2016-17", "qualityPayment>)]", "a lot", "Amounts in a financial return are xsd:decimal values"),
        ("99A", "rdf-schema#label", None, "An organisation has a name (rdfs:label)"),
        ("99A", "startDate", "2013-04-01", "A record's start date is on or before its end date (both are inclusive)"),
        ("2013-04-01", "onBody", None, "A post is on at most one body, a body kind from ontology/concepts.ttl"),
        ("2013-04-01", "holder", core[-1][2], "A post has at most one holder, a person")]
    assert _blank_values(remote.result).findings == _blank_values(local).findings
    assert report.render(_blank_values(remote.result), "json") == report.render(_blank_values(local), "json")
    # pySHACL copies a blank value's description (the holder's type) into its report; the store cannot name a
    # blank node in a second query, so the endpoint's report has the value alone
    holder = next(o for o in local.report_graph.objects(None, SH.value) if isinstance(o, BNode))
    described = Graph()
    for triple in local.report_graph:
        if triple[0] != holder:
            described.add(triple)
    assert isomorphic(remote.result.report_graph, described)


def test_a_shape_that_does_not_compile_is_named(loaded: Server, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> .
<urn:x:CodePattern> a sh:NodeShape ; sh:targetClass ccgkg:Organisation ;
    sh:property [ sh:path ccgkg:code ; sh:pattern "^[0-9A-Z]+$" ; sh:message "A code is upper case"@en ] .
""", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--endpoint", loaded.query, "--graph", SAMPLE, "--materialise",
                                      "--as-of", "2016-04-01", "--shapes", str(extra), "--quiet"])
    assert result.exit_code == 1
    assert "Notice: not judged at an endpoint, since they do not compile to SPARQL: urn:x:CodePattern (a property " \
           "shape with http://www.w3.org/ns/shacl#pattern)" in result.stderr.splitlines()


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
    assert len(lines) == 1
    assert re.fullmatch(f"Materialised all the data and 1 judging day in <{remote_validate.DEFAULT_WORK_GRAPH}> at {loaded.query}: "
                        r"[\d,]+ triples of the data written and [\d,]+ derived there by the rules, summed over "
                        r"the days; the ontology \(\d{1,2},\d{3} triples\) in "
                        r"<https://w3id.org/ccgkg/graph/validation-work/ontology>; both graphs cleared", lines[0])
    one = runner.invoke(cli, [*argv, "--endpoint", loaded.query, "--graph", SAMPLE, "--materialise",
                              "--provision", "s.223H(1)"])
    assert one.exit_code == 1
    assert [r["shape"].rsplit("/", 1)[1] for r in json.loads(one.stdout)["results"]] == ["ExpenditureWithinAllotment"]
    assert "Notice" not in one.stderr


def test_org_and_coverage_gate_as_in_process(loaded: Server, tmp_path: Path) -> None:
    """--org keeps the organisation's findings and coverage; --require-coverage and --format turtle behave as
    in-process."""
    data = tmp_path / "stored.nt"
    data.write_bytes(_stored(loaded, SAMPLE).serialize(format="nt", encoding="utf-8"))
    argv = ["validate", "--as-of", "2016-04-01", "--org", "01F", "--require-coverage", "--quiet"]
    runner = CliRunner()
    for fmt in ("json", "turtle"):
        remote = runner.invoke(cli, [*argv, "--format", fmt, "--endpoint", loaded.query, "--graph", SAMPLE,
                                     "--materialise"])
        local = runner.invoke(cli, [*argv, "--format", fmt, str(data)])
        assert remote.exit_code == local.exit_code == 1
        if fmt == "json":
            assert remote.stdout == local.stdout
            assert {r["organisation_code"] for r in json.loads(remote.stdout)["results"]} == {"01F"}
        else:
            assert isomorphic(Graph().parse(data=remote.stdout, format="turtle"),
                              Graph().parse(data=local.stdout, format="turtle"))


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


@pytest.mark.parametrize(("argv", "message"), [
    (["--materialise"], "Error: --materialise goes only with --endpoint URL (validation inside a store)"),
    (["--graph", SAMPLE, "--work-graph", WORK], "Error: --graph, --work-graph go only with --endpoint URL"),
    (["--timeout", "5"], "Error: --timeout goes only with --endpoint URL"),
    (["--endpoint", "http://127.0.0.1:1/query", "--materialise", "--engine", "pyshacl"],
     "Error: --engine chooses the in-process engine; with --endpoint the store judges the data"),
])
def test_endpoint_options_are_never_ignored(argv: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["validate", *argv])
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr


def test_wrong_graph_names_the_graphs_there(loaded: Server) -> None:
    with pytest.raises(InputError) as caught:
        remote_validate.validate_endpoint(loaded.query, graph="urn:ccgkg:test:nothing-here", materialise=True)
    assert SAMPLE in (caught.value.hint or "") and ENGLAND in (caught.value.hint or "")


def test_unreachable_store_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(cli, ["validate", "--endpoint", url, "--materialise"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot reach {url}"), result.stderr


def test_a_store_that_does_not_answer_times_out() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:  # listens, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        result = CliRunner().invoke(cli, ["validate", "--endpoint", url, "--materialise", "--timeout", "0.5"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: query at {url} timed out: no answer within 0.5 s"), result.stderr


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

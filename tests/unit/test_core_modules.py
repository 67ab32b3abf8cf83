"""The lead's core modules: store loading and its errors, temporal snapshots, atomic writes, namespaces, and the
CLI shell's error mapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ccgkg import fileio, namespaces, store, temporal
from ccgkg.cli import cli
from ccgkg.errors import InputError, ParseError, SourceNotFound, UnknownProfileError
from ccgkg.namespaces import CCGKG, org_iri
from ccgkg.reasoning import Profile, infer, parse_profile

D = URIRef("http://www.w3.org/2001/XMLSchema#date")  # not XSD.date: pytest probes module globals


def test_load_reports_file_and_line_of_a_turtle_syntax_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e ;\n")
    with pytest.raises(ParseError) as info:
        store.load(bad)
    assert info.value.path == str(bad)
    assert info.value.line == 3
    assert info.value.message == f"cannot parse {bad} (line 3) as turtle: objectList expected"


def test_load_reports_the_line_of_a_bad_ntriples_statement(tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text('<http://e/a> <http://e/p> <http://e/b> .\n<http://e/a> <http://e/p> "open .\n')
    with pytest.raises(ParseError) as info:
        store.load(bad)
    assert info.value.message == f"cannot parse {bad} (line 2) as nt: invalid statement"


def test_load_missing_source_names_it(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound, match=r"no such file or folder: .*nope\.ttl"):
        store.load(tmp_path / "nope.ttl")


def test_load_reads_every_rdf_file_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text("<http://e/a> <http://e/p> 1 .\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.nt").write_text("<http://e/b> <http://e/p> <http://e/c> .\n")
    (tmp_path / "notes.md").write_text("ignored")
    g = store.load(tmp_path)
    assert set(g.subjects()) == {URIRef("http://e/a"), URIRef("http://e/b")}


def test_bundled_ontology_is_found_through_importlib_resources() -> None:
    g = store.ontology_graph()
    assert (CCGKG.ClinicalCommissioningGroup, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in g
    assert (CCGKG.DirectorOfPublicHealth, CCGKG.keyword, Literal("director-public-health")) in g


def _dated(g: Graph, node: URIRef, start: str | None, end: str | None) -> None:
    if start:
        g.add((node, CCGKG.startDate, Literal(start, datatype=D)))
    if end:
        g.add((node, CCGKG.endDate, Literal(end, datatype=D)))


def test_snapshot_keeps_only_facts_holding_that_day_both_ends_inclusive() -> None:
    g = Graph()
    ccg, closed, post = org_iri("02H"), org_iri("00F"), URIRef("https://w3id.org/ccgkg/id/post/x")
    _dated(g, ccg, "2013-04-01", "2022-06-30")
    _dated(g, closed, "2013-04-01", "2015-03-31")
    _dated(g, post, "2015-04-01", None)
    g.add((post, CCGKG.postIn, ccg))
    g.add((closed, CCGKG.succeededBy, ccg))

    on_last_day = temporal.snapshot(g, dt.date(2015, 3, 31))
    assert (closed, CCGKG.succeededBy, ccg) in on_last_day
    assert (post, CCGKG.postIn, ccg) not in on_last_day

    next_day = temporal.snapshot(g, dt.date(2015, 4, 1))
    assert (closed, CCGKG.succeededBy, ccg) not in next_day  # dropped with the closed organisation
    assert (post, CCGKG.postIn, ccg) in next_day
    snap = URIRef("https://w3id.org/ccgkg/id/snapshot/2015-04-01")
    assert (snap, CCGKG.onDate, Literal("2015-04-01", datatype=D)) in next_day
    assert len(g) == 7  # input unchanged


@pytest.mark.parametrize(("day", "label"), [("2016-03-31", "2015-16"), ("2016-04-01", "2016-17"),
                                            ("2000-01-01", "1999-00")])
def test_financial_year_of(day: str, label: str) -> None:
    assert temporal.financial_year_of(dt.date.fromisoformat(day)) == label


def test_financial_year_bounds_and_bad_label() -> None:
    assert temporal.financial_year_bounds("2016-17") == (dt.date(2016, 4, 1), dt.date(2017, 3, 31))
    with pytest.raises(InputError, match=r"financial year '2016-18' is not of the form 2016-17"):
        temporal.financial_year_bounds("2016-18")


def test_parse_date_error_says_what_and_how() -> None:
    with pytest.raises(InputError) as info:
        temporal.parse_date("17/10/2016", what="--as-of")
    assert info.value.message == "--as-of '17/10/2016' is not a date"
    assert info.value.hint == "write YYYY-MM-DD (or YYYYMMDD), e.g. 2016-10-17"


def test_atomic_write_replaces_whole_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old")
    fileio.atomic_write(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_atomic_write_into_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"folder .*missing does not exist"):
        fileio.atomic_write(tmp_path / "missing" / "out.ttl", "x")


def test_namespaces_iris_and_curies() -> None:
    assert str(org_iri(" 02H ")) == "https://w3id.org/ccgkg/id/org/02H"
    assert str(namespaces.fact_iri("post", "E08000010-HWB", "chair", "p 1")) == \
        "https://w3id.org/ccgkg/id/post/E08000010-HWB/chair/p%201"
    assert namespaces.expand_curie("nhsa06:s14Z2") == \
        URIRef("https://w3id.org/ccgkg/ont/acts/nhs-act-2006/s14Z2")
    with pytest.raises(ValueError, match="neither an IRI nor a CURIE"):
        namespaces.expand_curie("nope:x")


def test_profiles() -> None:
    assert parse_profile("OWLRL") is Profile.OWLRL
    with pytest.raises(UnknownProfileError) as info:
        parse_profile("full")
    assert info.value.hint == "use one of: none, rdfs, owlrl"


def test_infer_keeps_inferred_apart_and_merges_the_ontology() -> None:
    g = Graph()
    practice, ccg = org_iri("P92001"), org_iri("02H")
    m = URIRef("https://w3id.org/ccgkg/id/membership/P92001/02H/2013-04-01")
    g.add((practice, RDF.type, CCGKG.GPPractice))
    g.add((m, CCGKG.practice, practice))
    g.add((m, CCGKG.group, ccg))
    result = infer(g, "owlrl", reasoner="owlrl")
    assert (practice, CCGKG.memberOf, ccg) in result.inferred
    assert (practice, RDF.type, CCGKG.Provider) in result.inferred
    assert (practice, CCGKG.memberOf, ccg) not in result.asserted
    assert (m, CCGKG.practice, practice) in result.asserted
    assert len(g) == 3


def test_cli_help_lists_commands_and_version() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "English NHS commissioning law" in result.stdout
    version = runner.invoke(cli, ["--version"])
    assert version.exit_code == 0
    assert version.stdout.startswith("ccgkg, version ")


def test_cli_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.stderr


def test_load_reads_rdf_files_beside_a_workbook(tmp_path: Path) -> None:
    from ccgkg.importers import write_template

    write_template(tmp_path)
    (tmp_path / "extra.ttl").write_text("<http://e/a> <http://e/p> <http://e/b> .\n")
    g = store.load(tmp_path)
    assert (URIRef("http://e/a"), URIRef("http://e/p"), URIRef("http://e/b")) in g
    assert any(g.subjects(RDF.type, CCGKG.ClinicalCommissioningGroup))

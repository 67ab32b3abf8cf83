"""``ccgkg infer``: exact triples for a tiny input, the output formats, determinism, and every exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from ccgkg.cli import cli
from ccgkg.namespaces import CCGKG
from ccgkg.reasoning import ASSERTED_GRAPH, INFERRED_GRAPH

from .conftest import held_norms

TINY = """@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> .
@prefix org: <https://w3id.org/ccgkg/id/org/> .
<https://w3id.org/ccgkg/id/membership/P1/02H/2013-04-01> ccgkg:practice org:P1 ; ccgkg:group org:02H .
org:HWB ccgkg:parentAuthority org:LA .
<https://w3id.org/ccgkg/id/area/02H/LA/2013-04-01> ccgkg:areaOf org:02H ; ccgkg:localAuthority org:LA .
"""
C = "https://w3id.org/ccgkg/ont/core/"
O = "https://w3id.org/ccgkg/id/org/"
M = "<https://w3id.org/ccgkg/id/membership/P1/02H/2013-04-01>"
A = "<https://w3id.org/ccgkg/id/area/02H/LA/2013-04-01>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def t(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


#: every inferred triple about the tiny input's own nodes (the rest are the ontology's subclass closure).
EXPECTED_ABOUT_DATA = sorted([
    t(M, TYPE, f"<{C}PracticeMembership>"), t(M, TYPE, f"<{C}DatedFact>"),
    t(A, TYPE, f"<{C}AreaOverlap>"), t(A, TYPE, f"<{C}DatedFact>"),
    t(f"<{O}P1>", f"<{C}hasMembership>", M), t(f"<{O}P1>", f"<{C}memberOf>", f"<{O}02H>"),
    *[t(f"<{O}P1>", TYPE, f"<{C}{c}>") for c in ("GPPractice", "PrimaryMedicalServicesProvider", "Provider",
                                                  "Organisation")],
    t(f"<{O}02H>", f"<{C}hasMemberPracticeRecord>", M), t(f"<{O}02H>", f"<{C}hasAreaOverlap>", A),
    *[t(f"<{O}02H>", TYPE, f"<{C}{c}>") for c in ("ClinicalCommissioningGroup", "Commissioner", "StatutoryBody",
                                                   "Organisation")],
    t(f"<{O}LA>", f"<{C}hasBoardOrHealthwatch>", f"<{O}HWB>"), t(f"<{O}LA>", f"<{C}overlappedBy>", A),
    *[t(f"<{O}LA>", TYPE, f"<{C}{c}>") for c in ("LocalAuthority", "StatutoryBody", "Organisation")],
    t(f"<{O}HWB>", f"<{C}relevantGroup>", f"<{O}02H>"),
])


def expected_about_data() -> list[str]:
    """EXPECTED_ABOUT_DATA plus a ``boundBy`` line for each norm of the bundled law held by a class of 02H, LA or P1."""
    bound = [t(f"<{O}{org}>", f"<{C}boundBy>", f"<{norm}>")
             for org, classes in (("02H", ("ClinicalCommissioningGroup", "Commissioner")), ("LA", ("LocalAuthority",)),
                                   ("P1", ("GPPractice", "PrimaryMedicalServicesProvider", "Provider")))
             for norm in held_norms(*(CCGKG[c] for c in (*classes, "StatutoryBody", "Organisation")))]
    return sorted(EXPECTED_ABOUT_DATA + bound)


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.ttl"
    path.write_text(TINY, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["infer", *args])


@pytest.mark.parametrize("reasoner", ["rules", "owlrl"])
def test_nt_holds_exactly_the_inferred_triples(tiny, tmp_path, reasoner):
    out = tmp_path / "inferred.nt"
    result = run(str(tiny), "--out", str(out), "--reasoner", reasoner)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines == sorted(lines)
    about_data = [line for line in lines if line.startswith("<https://w3id.org/ccgkg/id/")]
    if reasoner == "owlrl":  # owlrl also types every individual owl:Thing
        about_data = [line for line in about_data if "owl#Thing" not in line]
    assert about_data == expected_about_data()
    if reasoner == "rules":
        assert result.stdout == (f"{len(lines)} inferred triples from {len(lines) and 0 + _asserted(tiny)} asserted "
                                 f"(profile owlrl, reasoner rules) written to {out}\n")


def _asserted(tiny: Path) -> int:
    from ccgkg.store import ontology_graph

    return len(Graph().parse(tiny) + ontology_graph())


def test_nquads_keeps_asserted_and_inferred_apart_and_is_deterministic(tiny, tmp_path):
    first, second = tmp_path / "a.nq", tmp_path / "b.nq"
    assert run(str(tiny), "--out", str(first)).exit_code == 0
    assert run(str(tiny), "--out", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    ds = Dataset()
    ds.parse(first, format="nquads")
    asserted, inferred = ds.graph(ASSERTED_GRAPH), ds.graph(INFERRED_GRAPH)
    assert len(asserted) == _asserted(tiny)
    assert (None, None, None) in inferred
    memberof = [line for line in first.read_text().splitlines() if "memberOf> <" in line and "/org/P1>" in line]
    assert memberof == [f"<{O}P1> <{C}memberOf> <{O}02H> <{INFERRED_GRAPH}> ."]


def test_trig_parses_into_the_two_graphs(tiny, tmp_path):
    out, nq = tmp_path / "closure.trig", tmp_path / "closure.nq"
    assert run(str(tiny), "--out", str(out), "--profile", "rdfs").exit_code == 0
    assert run(str(tiny), "--out", str(nq), "--profile", "rdfs").exit_code == 0
    trig, quads = Dataset(), Dataset()
    trig.parse(out, format="trig")
    quads.parse(nq, format="nquads")
    for name in (ASSERTED_GRAPH, INFERRED_GRAPH):
        assert isomorphic(trig.graph(name), quads.graph(name)) and len(trig.graph(name)) > 0
    assert not list(trig.graph(INFERRED_GRAPH).triples((None, __import__("rdflib").URIRef(C + "memberOf"), None)))


def test_ttl_holds_the_inferred_triples(tiny, tmp_path):
    out, nt = tmp_path / "inferred.ttl", tmp_path / "inferred.nt"
    assert run(str(tiny), "--out", str(out)).exit_code == 0
    assert run(str(tiny), "--out", str(nt)).exit_code == 0
    assert isomorphic(Graph().parse(out), Graph().parse(nt))


def test_bad_profile_exits_2_listing_profiles(tiny, tmp_path):
    out = tmp_path / "x.nt"
    result = run(str(tiny), "--out", str(out), "--profile", "owl-full")
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown inference profile 'owl-full'\nHint: use one of: none, rdfs, owlrl\n"
    assert not out.exists()


def test_bad_reasoner_and_suffix_and_missing_input_exit_2(tiny, tmp_path):
    result = run(str(tiny), "--out", str(tmp_path / "x.nt"), "--reasoner", "hermit")
    assert (result.exit_code, result.stderr) == (2, "Error: unknown reasoner 'hermit'\nHint: use one of: rules, owlrl\n")
    result = run(str(tiny), "--out", str(tmp_path / "x.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot tell the output format of {tmp_path / 'x.json'} from its suffix\n")
    result = run(str(tmp_path / "missing.ttl"), "--out", str(tmp_path / "x.nt"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: no such file or folder: {tmp_path / 'missing.ttl'}\n")
    assert not (tmp_path / "x.nt").exists()


def test_missing_out_is_a_usage_error(tiny):
    result = run(str(tiny))
    assert result.exit_code == 2
    assert "Missing option '-o' / '--output' / '--out'" in result.stderr


def test_default_input_is_the_bundled_sample(tmp_path):
    from ccgkg.store import ontology_graph, sample_graph

    out = tmp_path / "sample.nq"
    result = run("--out", str(out))
    assert result.exit_code == 0
    ds = Dataset()
    ds.parse(out, format="nquads")
    assert len(ds.graph(ASSERTED_GRAPH)) == len(sample_graph() + ontology_graph())

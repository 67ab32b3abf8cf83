"""The law ontology: every module parses with a full header, the whole ontology is OWL 2 RL consistent, clashes
are detected, and reasoning derives what the design says it derives (boundBy, hasPart, holdsNorm)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from ccgkg import law
from ccgkg.errors import UnknownCitation
from ccgkg.namespaces import ACT_NS, ACTS, CCGKG

from .conftest import CCG, act

REPO = Path(__file__).resolve().parents[2]


def test_one_module_per_act_with_header(ontology: Graph) -> None:
    files = sorted(p.stem for p in (REPO / "ontology" / "acts").glob("*.ttl"))
    assert files == sorted(ACTS.values())
    for prefix in ACTS:
        module = URIRef(str(ACT_NS[prefix]))
        assert (module, RDF.type, OWL.Ontology) in ontology
        assert (module, OWL.imports, URIRef(str(CCGKG))) in ontology
        assert ontology.value(module, OWL.versionIRI) is not None
        assert ontology.value(module, DCTERMS.title).language == "en"


def test_sources_are_acts_instruments_and_the_contract(ontology: Graph) -> None:
    kinds = {p: {str(t).rsplit("/", 1)[1] for t in ontology.objects(ACT_NS[p]["act"], RDF.type)}
             for p in ACTS if p != "guidance"}
    assert kinds == {
        "nhsa06": {"Act"}, "hsca12": {"Act"}, "lgpiha07": {"Act"}, "ha09": {"Act"}, "hca22": {"Act"},
        "ccgregs12": {"StatutoryInstrument"}, "standingrules12": {"StatutoryInstrument"},
        "qualitypayments13": {"StatutoryInstrument"}, "ccgregs22": {"StatutoryInstrument"},
        "hwbregs13": {"StatutoryInstrument"}, "contract": {"StandardContract"},
    }


@pytest.mark.parametrize("curie", [
    "hsca12:s194-2", "hsca12:s194-2-f", "ccgregs12:reg11-3", "nhsa06:s14A", "nhsa06:s223H", "nhsa06:s14Z11",
    "nhsa06:s14Z15", "nhsa06:s14Z16", "nhsa06:s14U-2", "nhsa06:s14Z2-4", "nhsa06:s14W-2", "nhsa06:s83",
    "nhsa06:s126", "standingrules12:reg17", "ccgregs12:reg3", "ccgregs12:reg4", "ccgregs12:reg5", "ccgregs12:reg6",
    "ccgregs12:sch4", "ccgregs12:sch5", "ccgregs12:reg12-1", "nhsa06:s14Z59", "contract:sc1-3",
])
def test_iris_the_shapes_cite_exist(curie: str) -> None:
    assert curie in law.index().provisions


def test_bundled_ontology_is_owl_rl_consistent(closure: Graph) -> None:
    """The closure fixture is the bundled ontology plus one CCG; owlrl records clashes as err:error literals."""
    assert sorted(str(o) for o in closure.objects(None, law.ERR.error)) == []
    assert len(closure) > len(law.index().graph)  # the closure did run


@pytest.fixture(scope="module")
def core() -> Graph:
    """core.ttl alone: enough axioms for the clash tests, and a quick closure."""
    from ccgkg import resources

    res = next(r for r in resources.ontology_files() if r.name == "core.ttl")
    return Graph().parse(data=res.read_bytes(), format="turtle")


def test_clash_is_reported_for_a_provision_with_two_forces(core: Graph) -> None:
    bad = Graph()
    bad += core
    bad.add((act("nhsa06", "s14Q"), RDF.type, CCGKG.Obligation))
    bad.add((act("nhsa06", "s14Q"), RDF.type, CCGKG.Power))  # s.14Q is an obligation
    assert law.owlrl_clashes(bad) == [
        ("Disjoint classes https://w3id.org/ccgkg/ont/core/Obligation and https://w3id.org/ccgkg/ont/core/Power "
        "have a common individual https://w3id.org/ccgkg/ont/acts/nhs-act-2006/s14Q")]


def test_clash_is_reported_for_a_source_typed_as_provision(core: Graph) -> None:
    bad = Graph()
    bad += core
    bad.add((ACT_NS["nhsa06"]["act"], RDF.type, CCGKG.Act))
    bad.add((ACT_NS["nhsa06"]["act"], RDF.type, CCGKG.Section))
    clashes = law.owlrl_clashes(bad)
    assert clashes == [("Disjoint classes https://w3id.org/ccgkg/ont/core/Provision and "
                       "https://w3id.org/ccgkg/ont/core/LegalSource have a common individual "
                       "https://w3id.org/ccgkg/ont/acts/nhs-act-2006/act")]


def test_closure_derives_the_duties_binding_an_organisation(closure: Graph) -> None:
    bound = set(closure.objects(CCG, CCGKG.boundBy))
    assert act("nhsa06", "s14Q") in bound                      # held by every CCG
    assert act("contract", "sc1-3") in bound                   # held by every commissioner, a superclass
    assert act("nhsa06", "s14U-2") not in bound                # the Board's duty, not a CCG's
    expected = {URIRef(p.iri) for p in law.provisions()
                if p.is_norm and {"ccg", "commissioner"} & set(p.holders)}
    assert bound == expected


def test_closure_derives_parts_and_held_norms(closure: Graph) -> None:
    assert (act("nhsa06", "s14P"), CCGKG.hasPart, act("nhsa06", "s14P-1-a")) in closure  # inverse + transitive
    assert (CCGKG.NHSCommissioningBoard, CCGKG.holdsNorm, act("nhsa06", "s14U-2")) in closure
    assert (act("nhsa06", "s14Z34"), CCGKG.predecessorProvision, act("nhsa06", "s14R")) in closure
    assert (act("nhsa06", "s14P-1-a"), RDF.type, CCGKG.Norm) in closure


def test_icb_successors_are_held_by_icbs_from_july_2022() -> None:
    idx = law.index()
    pairs = {(p.curie, s) for p in idx.provisions.values() for s in p.successors if s.startswith("nhsa06:s14Z")}
    assert pairs == {("nhsa06:s14R", "nhsa06:s14Z34"), ("nhsa06:s14T", "nhsa06:s14Z35"),
                     ("nhsa06:s14W", "nhsa06:s14Z38"), ("nhsa06:s14Y", "nhsa06:s14Z40"),
                     ("nhsa06:s14Z2", "nhsa06:s14Z45"), ("nhsa06:s14Z11", "nhsa06:s14Z52"),
                     ("nhsa06:s14Z15", "nhsa06:s14Z58"), ("nhsa06:s14Z16-1", "nhsa06:s14Z59")}
    for local in ("s14Z34", "s14Z35", "s14Z38", "s14Z40", "s14Z43", "s14Z45", "s14Z52", "s14Z56", "s14Z58"):
        p = idx.provisions[f"nhsa06:{local}"]
        assert (p.holders, p.in_force_from.isoformat(), p.in_force_until) == (("icb",), "2022-07-01", None)


def test_regard_duties_point_at_the_publishing_provision() -> None:
    idx = law.index()
    regard = {p.curie: p.regard_to for p in idx.provisions.values() if p.regard_to}
    assert regard == {
        "nhsa06:s14O-6": ("nhsa06:s14O-5",), "nhsa06:s14R-4": ("nhsa06:s14Z8-1",),
        "nhsa06:s14U-3": ("nhsa06:s14U-2",), "nhsa06:s14W-3": ("nhsa06:s14W-2",),
        "nhsa06:s14Z2-5": ("nhsa06:s14Z2-4",), "nhsa06:s14Z8-2": ("nhsa06:s14Z8-1",),
        "nhsa06:s14Z11-8": ("nhsa06:s14Z11-7",), "nhsa06:s14Z16-5-b": ("nhsa06:s14Z8-1",),
        "lgpiha07:s116A-4-a": ("nhsa06:s13A",), "lgpiha07:s116B-1-a_enacted": ("lgpiha07:s116",),
        "lgpiha07:s116B-1-a_2022-07-01": ("lgpiha07:s116",), "lgpiha07:s116B-1-b_enacted": ("lgpiha07:s116A",),
        "lgpiha07:s116B-1-c": ("lgpiha07:s116A",),
    }
    forces = {c: idx.provisions[c].force for c in ("nhsa06:s14U-2", "nhsa06:s14Z2-4", "nhsa06:s14W-2")}
    assert forces == {"nhsa06:s14U-2": "obligation", "nhsa06:s14Z2-4": "power", "nhsa06:s14W-2": "power"}


def test_guidance_documents() -> None:
    docs = {d.label: (d.publisher, d.published, d.published_under, d.replaced_by, d.verification)
            for d in law.index().documents.values()}
    assert docs["Transforming Participation in Health and Care (2013)"] == (
        "board", "2013-09-25", ("nhsa06:s13H", "nhsa06:s13Q", "nhsa06:s14U-2", "nhsa06:s14Z2-4"),
        ("Involving people in their own health and care (2017)",
         "Patient and public participation in commissioning health and care (2017)"), "verified")
    assert docs["Managing conflicts of interest (2016)"][2:4] == (
        ("nhsa06:s14O-5",), ("Managing conflicts of interest (2017 revision)",))
    assert docs["Securing meaningful choice (2016)"][4] == "unverified"
    assert len(docs) == 11


def test_guidance_named_by_seed_002() -> None:
    """Issue 8: the two NHS England documents the parliamentary answer of 17.10.2016 names, with the addresses it
    gives; the reference names no provision they were published under, so none is recorded and the note says so."""
    docs = {d.iri.rsplit("/", 1)[-1]: d for d in law.index().documents.values()}
    report, elp = docs["annual-reporting-involvement-2016"], docs["engaging-local-people-2016"]
    assert (report.published, report.url, report.published_under, report.covers, report.verification) == (
        "2016-07", "https://www.england.nhs.uk/wp-content/uploads/2016/07/guid-annual-reprting-legal-duty-july16.pdf",
        (), ("nhsa06:s14Z2",), "partly-verified")
    assert (elp.published, elp.url, elp.published_under, elp.covers) == (
        "2016-09", "https://www.england.nhs.uk/wp-content/uploads/2016/09/engag-local-people-stps.pdf", (), ())
    for d in (report, elp):
        assert "published under is unknown" in (d.verification_note or "")


def test_norms_point_at_the_provision_their_guidance_is_published_under() -> None:
    idx = law.index()
    links = {p.curie: p.guidance_provisions for p in idx.provisions.values() if p.guidance_provisions}
    assert links == {
        "nhsa06:s14O-1": ("nhsa06:s14O-5",), "nhsa06:s14O-2": ("nhsa06:s14O-5",), "nhsa06:s14O-3": ("nhsa06:s14O-5",),
        "nhsa06:s14O-4": ("nhsa06:s14O-5",), "nhsa06:s14U-1": ("nhsa06:s14U-2",), "nhsa06:s14W-1": ("nhsa06:s14W-2",),
        "nhsa06:s14Z2-2": ("nhsa06:s14Z2-4",), "nhsa06:s14Z11-1": ("nhsa06:s14Z11-7",),
        "nhsa06:s14Z13-2": ("nhsa06:s14Z11-7",),
    }


def test_commencement_notes_name_the_inserting_section_and_never_contradict_an_end_date() -> None:
    """Issue 8 part 3: s.1H was inserted by HSCA 2012 s.9, s.1I by s.10, s.223F by s.24; no note says "still in
    force" for a provision that has a last day in force."""
    notes = {c: law.resolve(c).commencement_note or "" for c in ("s.1H", "s.1I", "s.223F", "s.223F(3)")}
    assert notes["s.1H"].startswith("Inserted by HSCA 2012 s.9.")
    assert notes["s.1I"].startswith("Inserted by HSCA 2012 s.10;")
    assert all(notes[c].startswith("Inserted by HSCA 2012 s.24;") for c in ("s.223F", "s.223F(3)"))
    assert [p.citation for p in law.provisions()
            if p.in_force_until and "still in force" in (p.commencement_note or "").lower()] == []


def test_split_ranges_are_partly_verified_with_what_is_open() -> None:
    """Issue 8 part 3: subsections the reference gives only as a range are PartlyVerified, the note saying so."""
    for citation in ("s.13K(2)", "s.13K(3)", "s.223J(1)", "s.223J(2)", "s.223J(5)", "s.223J(6)", "s.223K(4)",
                     "s.223K(5)", "s.223K(6)", "SI 2012/2996 reg 8", "SI 2012/2996 reg 9", "SI 2012/1631 reg 11(1)",
                     "SI 2012/1631 reg 11(2)"):
        p = law.resolve(citation)
        assert p.verification == "partly-verified", citation
        assert "Open:" in (p.verification_note or "") or "range" in (p.verification_note or ""), citation
    reg13 = law.show("SI 2012/1631 reg 13")
    assert reg13.provision.verification == "partly-verified"  # number corrected, content not read
    assert [v.verification for v in reg13.versions] == ["unverified", "unverified"]


def test_issue_8_norms() -> None:
    """Issue 8 part 1: the norms that were missing or misnumbered, with holder and force."""
    found = {c: (law.resolve(c).force, law.resolve(c).holders) for c in (
        "s.14L(1)", "s.14Z16(1)", "s.14Z7(1)", "s.14Z7(2)", "s.13A(7)", "HSCA 2012 s.197(2)",
        "HSCA 2012 s.197(4)", "s.14Z17", "s.14Z18(1)", "s.14Z19(1)", "s.13K(3)", "s.13E(3)")}
    assert found == {
        "s.14L(1)": ("obligation", ("ccg",)), "s.14Z16(1)": ("obligation", ("board",)),
        "s.14Z7(1)": ("power", ("board",)), "s.14Z7(2)": ("obligation", ("ccg",)),
        "s.13A(7)": ("obligation", ("board",)),
        "HSCA 2012 s.197(2)": ("obligation", ("board",)), "HSCA 2012 s.197(4)": ("obligation", ("board",)),
        "s.14Z17": ("definition", ()), "s.14Z18(1)": ("power", ("board",)), "s.14Z19(1)": ("power", ("board",)),
        "s.13K(3)": ("definition", ()), "s.13E(3)": ("definition", ())}
    assert [v.holders for v in law.show("s.13A(1)").versions] == [("secretary-of-state",), ("secretary-of-state",)]
    assert [(v.force, v.holders) for v in law.show("LGPIHA 2007 s.116A(2)").versions] == [
        ("obligation", ("ccg", "local-authority")), ("obligation", ("icb", "local-authority"))]
    for invented in ("HSCA 2012 s.197(a)", "HSCA 2012 s.197(b)"):
        with pytest.raises(UnknownCitation):
            law.resolve(invented)

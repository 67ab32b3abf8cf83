"""ccgkg.law.resolve and show: every citation form, the ambiguity rule, unknown citations with suggestions, and the
full detail of a provision (parts, parent, guidance, successors, shapes and queries that use it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph

from ccgkg import law
from ccgkg.errors import UnknownCitation


@pytest.mark.parametrize(("text", "curie"), [
    ("14Z2", "nhsa06:s14Z2"),
    ("s.14Z2", "nhsa06:s14Z2"),
    ("s 14Z2(2)(a)", "nhsa06:s14Z2-2-a"),
    ("section 14z2(2)(A)", "nhsa06:s14Z2-2-a"),
    ("14Z10", "nhsa06:s14Z10"),
    ("s.194(2)", "hsca12:s194-2"),
    ("HSCA 2012 s.194(2)", "hsca12:s194-2"),
    ("HSCA 2012 s.194(2)(f)", "hsca12:s194-2-f"),
    ("Health and Social Care Act 2012 s 194(2)(f)", "hsca12:s194-2-f"),
    ("SI 2012/1631 reg 11", "ccgregs12:reg11"),
    ("S.I. 2012/1631 reg 11(3)(b)", "ccgregs12:reg11-3-b"),
    ("reg 11(3)", "ccgregs12:reg11-3"),
    ("SI 2012/2996 reg 11", "standingrules12:reg11"),
    ("reg 16(1A)", "standingrules12:reg16-1A"),
    ("LGPIHA 2007 s.116B(1)(a)", "lgpiha07:s116B-1-a"),
    ("NHS Act 2006 s.14Z2(2)(a)", "nhsa06:s14Z2-2-a"),
    ("Sch 1A para 2", "nhsa06:sch1A-para2"),
    ("SI 2012/1631 Sch 4", "ccgregs12:sch4"),
    ("SC1.3", "contract:sc1-3"),
    ("s.2", "ha09:s2"),
    ("nhsa06:s14Z2", "nhsa06:s14Z2"),
    ("https://w3id.org/ccgkg/ont/acts/nhs-act-2006/s14U-3", "nhsa06:s14U-3"),
    ("https://www.legislation.gov.uk/ukpga/2006/41/section/14P/1/a", "nhsa06:s14P-1-a"),
    ("http://legislation.gov.uk/ukpga/2006/41/section/14P", "nhsa06:s14P"),
    ("https://legislation.gov.uk/id/ukpga/2006/41/section/14Z2/data.xml", "nhsa06:s14Z2"),
    ("www.legislation.gov.uk/ukpga/2012/7/section/194/2/f", "hsca12:s194-2-f"),
    ("https://legislation.gov.uk/ukpga/2006/41/section/14Z16/2014-04-01/data.html", "nhsa06:s14Z16"),
    ("http://legislation.gov.uk/uksi/2012/1631/regulation/11/made", "ccgregs12:reg11"),
    ("https://www.legislation.gov.uk/uksi/2012/1631/regulation/11/3/b?view=plain", "ccgregs12:reg11-3-b"),
    ("https://www.legislation.gov.uk/ukpga/2006/41/schedule/1A/paragraph/2", "nhsa06:sch1A-para2"),
])
def test_resolve_forms(text: str, curie: str) -> None:
    assert law.resolve(text).curie == curie


def test_bare_section_numbers_try_the_nhs_act_first() -> None:
    assert law.index().by_short.get(("hca22", "s 1")) is not None
    assert law.resolve("1H").curie == "nhsa06:s1H"        # NHS Act 2006 has s.1H
    assert law.resolve("s.1").curie == "hca22:s1"         # only HCA 2022 has s.1
    assert law.resolve("HCA 2022 s.1").curie == "hca22:s1"


@pytest.mark.parametrize(("text", "nearest"), [
    ("14Z99", ["NHS Act 2006 s.14Z59", "NHS Act 2006 s.14Z19"]),
    # the verified text puts the involvement limbs in (2), so (1)(a) does not exist: the section comes first
    ("s 14Z2(1)(a)", ["NHS Act 2006 s.14Z2", "NHS Act 2006 s.14Z2(2)(a)"]),
    ("HSCA 2012 s.194(13)", ["HSCA 2012 s.194", "HSCA 2012 s.194(3)"]),
    ("nhsa06:s14Z2-9", ["NHS Act 2006 s.14Z2", "NHS Act 2006 s.14Z2(6)"]),
    ("https://www.legislation.gov.uk/ukpga/2006/41/section/14Z2/9", ["NHS Act 2006 s.14Z2", "NHS Act 2006 s.14Z2(6)"]),
])
def test_unknown_citation_suggests_the_nearest(text: str, nearest: list[str]) -> None:
    with pytest.raises(UnknownCitation) as err:
        law.resolve(text)
    assert err.value.citation == text
    assert err.value.suggestions[:2] == nearest
    assert len(err.value.suggestions) <= 5
    assert err.value.hint == "nearest: " + ", ".join(err.value.suggestions)


def test_unknown_citation_with_nothing_near() -> None:
    with pytest.raises(UnknownCitation) as err:
        law.resolve("zzzzzzzz")
    assert err.value.suggestions == []


def test_show_section_with_parts_and_successor() -> None:
    d = law.show("14Z2")
    assert d.provision.citation == "NHS Act 2006 s.14Z2"
    assert d.parent is None
    tree = [(t.provision.short_citation, [c.provision.short_citation for c in t.parts]) for t in d.parts]
    assert tree == [("s.14Z2(2)", ["s.14Z2(2)(a)", "s.14Z2(2)(b)", "s.14Z2(2)(c)"]), ("s.14Z2(3)", []),
                    ("s.14Z2(4)", []), ("s.14Z2(5)", []), ("s.14Z2(6)", [])]
    assert [s.citation for s in d.successors] == ["NHS Act 2006 s.14Z45"]
    assert d.predecessors == ()
    assert [doc.label for doc in d.documents] == [  # about s.14Z2; the provision it was published under is unknown
        "Annual Reporting on the Legal Duty to Involve Patients and the Public in Commissioning (2016)"]


def test_show_subsection_with_guidance_and_parent() -> None:
    d = law.show("s.14Z2(4)")
    assert d.parent.citation == "NHS Act 2006 s.14Z2"
    assert [doc.label for doc in d.documents] == [
        "Transforming Participation in Health and Care (2013)",
        "Patient and public participation in commissioning health and care (2017)"]
    r = law.show("s.14Z2(5)")
    assert [g.render() for g in r.guidance] == [
        ("NHS Act 2006 s.14Z2(4) (board may publish): Transforming Participation in Health and Care (2013); "
        "Patient and public participation in commissioning health and care (2017)")]


def test_show_successor_side() -> None:
    d = law.show("14Z34")
    assert [p.citation for p in d.predecessors] == ["NHS Act 2006 s.14R"]
    assert (d.provision.force, d.provision.holders) == ("unspecified", ("icb",))


SHAPES = """
@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> .
@prefix hsca12-sh: <https://w3id.org/ccgkg/shapes/health-and-social-care-act-2012/> .
@prefix hsca12: <https://w3id.org/ccgkg/ont/acts/health-and-social-care-act-2012/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
hsca12-sh:HwbHasGroupRepresentative a sh:NodeShape ; rdfs:label "HWB has a representative of each relevant CCG"@en ;
    ccgkg:enforces hsca12:s194-2-f .
hsca12-sh:HwbExists a sh:NodeShape ; ccgkg:enforces hsca12:s194-1 .
hsca12-sh:Other a sh:NodeShape ; ccgkg:enforces hsca12:s195-1 .
hsca12-sh:HwbEncouragesIntegration a sh:NodeShape ;
    sh:property [ sh:path ccgkg:code ; ccgkg:enforces hsca12:s195-2 ] .
"""


def test_show_lists_shapes_enforcing_the_provision_or_its_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    from ccgkg import namespaces, store

    shapes = namespaces.bind_prefixes(Graph().parse(data=SHAPES, format="turtle"))
    monkeypatch.setattr(store, "shapes_graph", lambda: shapes)
    d = law.show("HSCA 2012 s.194")
    assert [(s.shape, s.label, s.enforces) for s in d.shapes] == [
        ("hsca12-sh:HwbExists", None, ("hsca12:s194-1",)),
        ("hsca12-sh:HwbHasGroupRepresentative", "HWB has a representative of each relevant CCG", ("hsca12:s194-2-f",))]
    assert law.show("s.194(1)").shapes[0].shape == "hsca12-sh:HwbExists"
    assert law.show("s.196").shapes == ()
    # a blank property shape is reported under the node shape that holds it
    assert [(s.shape, s.enforces) for s in law.show("s.195").shapes] == [
        ("hsca12-sh:HwbEncouragesIntegration", ("hsca12:s195-2",)), ("hsca12-sh:Other", ("hsca12:s195-1",))]


def test_show_lists_queries_citing_the_provision(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ccgkg import resources

    (tmp_path / "list-hwb-members.rq").write_text(
        "# title: members\n# provisions: hsca12:s194-2 hsca12:s194-2-f\nSELECT * WHERE { ?s ?p ?o }\n")
    (tmp_path / "count-plans.rq").write_text(
        "# title: plans\n# description: mentions hsca12:s194-2 but not in its provisions line\n"
        "# provisions: nhsa06:s14Z11\nSELECT * WHERE { ?s ?p ?o }\n")
    monkeypatch.setattr(resources, "query_files", lambda: sorted(tmp_path.glob("*.rq")))
    assert [(q.name, q.provisions) for q in law.show("s.194(2)(f)").queries] == [
        ("list-hwb-members", ("hsca12:s194-2", "hsca12:s194-2-f"))]
    assert [q.name for q in law.show("14Z11").queries] == ["count-plans"]
    assert [q.name for q in law.show("HSCA 2012 s.194").queries] == ["list-hwb-members"]


def test_detail_json_shape() -> None:
    data = law.show("14U").as_dict()
    assert list(data) == [
        "iri", "curie", "citation", "short_citation", "title", "paraphrase", "structure", "force", "holders",
        "in_force_from", "in_force_until", "commencement_note", "legislation_uri", "source", "verification",
        "verification_note", "version_label", "parent", "parts", "guidance", "documents_published_under",
        "successors", "predecessors", "version_of", "versions", "amended_by", "repealed_by", "shapes", "queries"]
    assert [(p["citation"], p["force"], p["holders"]) for p in data["parts"]] == [
        ("NHS Act 2006 s.14U(1)", "obligation", ["ccg"]), ("NHS Act 2006 s.14U(2)", "obligation", ["board"]),
        ("NHS Act 2006 s.14U(3)", "regard", ["ccg"])]


def test_show_lists_the_versions_of_an_amended_regulation() -> None:
    """Issue 8 part 2: SI 2012/1631 reg 11(1) as made and as amended by SI 2022/316, each with its own dates, force,
    content and dated legislation.gov.uk address; the work carries only the force both versions share (a chair and
    a deputy chair), and duties lists the versions, not the work."""
    d = law.show("SI 2012/1631 reg 11(1)")
    assert (d.provision.force, d.provision.in_force_from.isoformat(), d.provision.in_force_until.isoformat()) == (
        "obligation", "2013-04-01", "2022-06-30")
    assert "SI 2012/1631 reg 11(1)" not in {x.citation for x in law.duties("ccg", dt.date(2016, 10, 17))}
    assert [(v.version_label, v.force, v.holders, v.in_force_from.isoformat(), v.in_force_until.isoformat(),
             v.legislation_uri, [a.citation for a in law.show(v.citation).amended_by]) for v in d.versions] == [
        ("as made", "obligation", ("ccg",), "2013-04-01", "2022-04-13",
         "https://www.legislation.gov.uk/uksi/2012/1631/regulation/11/1/made", []),
        ("as amended by SI 2022/316 reg 2(2)(a)", "obligation", ("ccg",), "2022-04-14", "2022-06-30",
         "https://www.legislation.gov.uk/uksi/2012/1631/regulation/11/1/2022-04-14", ["SI 2022/316 reg 2(2)(a)"])]
    text = law.render_detail(d)
    assert ("Versions:\n  as made  2013-04-01 to 2022-04-13  [obligation ccg]  "
            "https://www.legislation.gov.uk/uksi/2012/1631/regulation/11/1/made\n"
            "    The governing body must have at least six members, including a chair and a deputy chair.\n"
            "  as amended by SI 2022/316 reg 2(2)(a)  2022-04-14 to 2022-06-30  [obligation ccg]  "
            "https://www.legislation.gov.uk/uksi/2012/1631/regulation/11/1/2022-04-14\n"
            "    The governing body must have at least four members, including a chair and a deputy chair.\n") in text
    assert {s.shape for s in d.shapes} == {"ccgregs12-sh:GoverningBodyHasChairAndDeputy",
                                           "ccgregs12-sh:GoverningBodyHasFourMembers",
                                           "ccgregs12-sh:GoverningBodyHasSixMembers"}


@pytest.mark.parametrize(("address", "citation"), [
    ("https://www.legislation.gov.uk/uksi/2012/1631/regulation/11/1/2022-04-14",
     "SI 2012/1631 reg 11(1) as amended 2022-04-14"),
    ("https://www.legislation.gov.uk/uksi/2012/1631/regulation/11/1/2022-05-01",
     "SI 2012/1631 reg 11(1) as amended 2022-04-14"),
    ("http://legislation.gov.uk/uksi/2012/1631/regulation/11/1/made", "SI 2012/1631 reg 11(1) as made"),
    ("https://www.legislation.gov.uk/uksi/2012/1631/regulation/11/1", "SI 2012/1631 reg 11(1)"),
    ("https://www.legislation.gov.uk/ukpga/2006/41/section/1I/2023-01-01", "NHS Act 2006 s.1I as amended 2022-07-01"),
])
def test_dated_address_names_the_version_in_force_that_day(address: str, citation: str) -> None:
    assert law.resolve(address).citation == citation


def test_amending_instrument_and_repeals() -> None:
    """An amending provision imposes no duty; a paragraph SI 2022/316 removed names it as repealing it."""
    assert law.resolve("SI 2022/316 reg 2").force is None
    assert law.show("SI 2012/1631 reg 12(4)").provision.repealed_by == ("ccgregs22:reg2-3",)
    assert [a.citation for a in law.show("SI 2012/1631 reg 11(3)(d)").repealed_by] == ["SI 2022/316 reg 2(2)(b)"]


def test_standard_contract_clause_12_5() -> None:
    p = law.resolve("SC12.5")
    assert (p.citation, p.force, p.holders, p.verification) == (
        "NHS Standard Contract 2016/17 SC12.5", "obligation", ("provider",), "partly-verified")

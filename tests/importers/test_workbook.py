"""Analyst workbooks: the template round trip, the RDF shape, and every malformed input with its exact problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib import namespace as ns
from rdflib.namespace import DCTERMS, RDF, RDFS

from ccgkg.errors import InputError, TableError
from ccgkg.importers import import_workbook, load_tabular, serialize, write_template
from ccgkg.importers.vocabulary import load_vocabulary
from ccgkg.importers.workbook import EXAMPLES, WORKBOOK_FILES, template_files
from ccgkg.namespaces import ACT_NS, CCGKG, ID, org_iri

ORGS = ("code,name,type,opened,closed,parent,successor\n"
        "02H,NHS Wigan Borough CCG,ccg,2013-04-01,,,QOP\n"
        "QOP,NHS Greater Manchester ICB,icb,2022-07-01,,,\n"
        "E08000010,Wigan,local-authority,,,,\n"
        "E08000010-HWB,Wigan HWB,health-and-wellbeing-board,2013-04-01,,E08000010,\n"
        "P92001,Surgery,gp-practice,1974-04-01,,,\n"
        "RRF,WWL,nhs-trust,,,,\n")


def problems_of(folder: Path, ontology=None) -> list[tuple]:
    with pytest.raises(TableError) as info:
        import_workbook(folder, ontology=ontology)
    return [(Path(p.path).name, p.row, p.column, p.value, p.problem) for p in info.value.problems]


def conflicting(file: str, thing: str, key: str, rows: tuple[int, int], first: dict[str, str],
                second: dict[str, str]) -> list[tuple]:
    """The two problems of two rows of ``file`` (numbered ``rows``) with the same ``key`` that differ in the
    columns of ``first`` and ``second`` (each row's values there): each row is refused, naming the other."""
    def one(row: int, other: int, here: dict[str, str], there: dict[str, str]) -> tuple:
        diffs = ", ".join(f"'{column}' is '{there[column]}' there and '{value}' here" for column, value in here.items())
        column = next(iter(here))
        return (file, row, column, here[column], f"conflicting rows: the same {key} as row {other}, so the same "
                f"{thing}, but {diffs}; neither row is imported: make them agree, or, if they are two {thing}s, "
                f"tell them apart in {key}")
    return [one(rows[0], rows[1], first, second), one(rows[1], rows[0], second, first)]


def test_template_writes_every_file_and_imports_cleanly(tmp_path: Path, fixture_ontology) -> None:
    written = write_template(tmp_path / "t", ontology=fixture_ontology)
    assert [p.name for p in written] == list(WORKBOOK_FILES)
    result = import_workbook(tmp_path / "t", ontology=fixture_ontology)
    assert [(Path(f.path).name, f.read, f.imported, f.rejected) for f in result.files] == [
        (name, len(EXAMPLES[name]), len(EXAMPLES[name]), 0) for name in WORKBOOK_FILES]
    g = result.graph
    doc = ID["document/02H/commissioning-plan/2016-03-31/2016-17/02H/"
             "https%3A%2F%2Fwww.example.org%2Fplan-2016-17.pdf"]
    assert (doc, RDF.type, CCGKG.CommissioningPlan) in g
    assert (doc, CCGKG.publishedUnder, ACT_NS["nhsa06"]["s14Z11"]) in g
    assert (doc, CCGKG.consulted, org_iri("E08000010-HWB")) in g
    assert (doc, DCTERMS.title, Literal("Commissioning plan 2016-17")) in g
    post = ID["post/E08000010-HWB/board/ccg-representative/p1/2013-04-01"]
    assert set(g.predicate_objects(post)) == {
        (RDF.type, CCGKG.Post), (CCGKG.postIn, org_iri("E08000010-HWB")), (CCGKG.onBody, CCGKG.BoardOfHwb),
        (CCGKG.role, CCGKG.CCGRepresentative), (CCGKG.holder, ID["person/p1"]), (CCGKG.represents, org_iri("02H")),
        (CCGKG.employer, org_iri("02H")), (CCGKG.startDate, Literal("2013-04-01", datatype=ns.XSD.date))}
    fin = ID["finance/02H/2016-17"]
    assert g.value(fin, CCGKG.allotment) == Literal("400000000", datatype=ns.XSD.decimal)
    assert g.value(ID["fy/2016-17"], CCGKG.endDate) == Literal("2017-03-31", datatype=ns.XSD.date)
    contract = ID["contract/02H/RRF/acute/nhs-standard-contract/2016-04-01"]
    assert g.value(contract, CCGKG.contractForm) == CCGKG.NHSStandardContractForm
    assert g.value(contract, CCGKG.delegated) == Literal(False)


def test_template_without_known_provisions_leaves_the_path_empty(ontology) -> None:
    vocab = load_vocabulary(ontology)
    text = template_files(vocab)["documents.csv"]
    expected_path = "ukpga/2006/41/section/14Z11" if vocab.provision("ukpga/2006/41/section/14Z11") else ""
    assert text.splitlines()[1].split(",")[6] == expected_path


def test_template_refuses_to_overwrite(tmp_path: Path, fixture_ontology) -> None:
    write_template(tmp_path, ontology=fixture_ontology)
    with pytest.raises(InputError, match="already holds organisations.csv"):
        write_template(tmp_path, ontology=fixture_ontology)


def test_a_ccg_end_date_is_kept_as_written(write_workbook) -> None:
    """Issue 9 s.3: the workbook importer keeps what the user wrote (no end, or an end after abolition), so that the
    abolition rule can judge it; it no longer cuts a CCG's end to 2022-06-30."""
    orgs = ORGS + "03A,NHS Late CCG,ccg,2013-04-01,2023-03-31,,\n"
    result = import_workbook(write_workbook({"organisations.csv": orgs}))
    g = result.graph
    assert g.value(org_iri("02H"), CCGKG.endDate) is None
    assert g.value(org_iri("03A"), CCGKG.endDate) == Literal("2023-03-31", datatype=ns.XSD.date)
    assert result.files[0].notes == ()  # nothing changed, nothing inferred
    assert g.value(org_iri("QOP"), CCGKG.endDate) is None
    assert g.value(org_iri("E08000010-HWB"), CCGKG.parentAuthority) == org_iri("E08000010")
    assert str(g.value(org_iri("02H"), RDFS.label)) == "NHS Wigan Borough CCG"


def test_documents_resolve_provision_paths_and_full_addresses(write_workbook, fixture_ontology) -> None:
    folder = write_workbook({"organisations.csv": ORGS, "documents.csv":
                             "publisher_code,kind,published,under_provision,covers\n"
                             "02H,annual-report,2017-06-30,,https://www.legislation.gov.uk/ukpga/2006/41/section/14Z2;"
                             "ukpga/2006/41/section/14Z2/1\n"})
    g = import_workbook(folder, ontology=fixture_ontology).graph
    doc = ID["document/02H/annual-report/2017-06-30"]
    assert sorted(g.objects(doc, CCGKG.covers)) == [ACT_NS["nhsa06"]["s14Z2"], ACT_NS["nhsa06"]["s14Z2-1"]]


@pytest.mark.parametrize("files,expected", [
    ({"organisations.csv": ORGS + "X1,Thing,charity,,,,\n"},
     [("organisations.csv", 8, "type", "charity", "expected one of ccg, nhs-commissioning-board, local-authority, "
       "health-and-wellbeing-board, local-healthwatch, gp-practice, nhs-trust, independent-provider, icb, pct")]),
    ({"organisations.csv": ORGS + "X1,Thing,nhs-trust,2013-02-30,,,\n"},
     [("organisations.csv", 8, "opened", "2013-02-30", "expected a real date: February 2013 has 28 days")]),
    ({"organisations.csv": ORGS + "X1,Thing,nhs-trust,01/04/2013,,,\n"},
     [("organisations.csv", 8, "opened", "01/04/2013", "expected a date written YYYY-MM-DD, e.g. 2016-04-01")]),
    ({"organisations.csv": ORGS + "X1,Thing,nhs-trust,2013-04-01,2012-03-31,,\n"},
     [("organisations.csv", 8, "closed", "2012-03-31",
       "'closed' is before 'opened' (2013-04-01); expected a date on or after it")]),
    ({"organisations.csv": ORGS + "02H,NHS Wigan Borough CCG,ccg,2013-04-01,,,QOP\n"},
     [("organisations.csv", 8, "code", "02H", "duplicate row: the same code as row 2")]),
    ({"organisations.csv": ORGS + "02H,Again,ccg,,,,\n"},
     conflicting("organisations.csv", "organisation", "code", (2, 8),
                 {"name": "NHS Wigan Borough CCG", "opened": "2013-04-01", "successor": "QOP"},
                 {"name": "Again", "opened": "", "successor": ""})),
    ({"organisations.csv": ORGS + "X1,Thing,nhs-trust,,\n"},
     [("organisations.csv", 8, None, "5 columns", "wrong column count: expected 7 like the header")]),
    ({"organisations.csv": ORGS + "X1-HWB,Board,health-and-wellbeing-board,,,,\n"},
     [("organisations.csv", 8, "parent", "",
       "type health-and-wellbeing-board needs a parent: expected the code of its local authority")]),
    ({"organisations.csv": ORGS + "X1-HWB,Board,health-and-wellbeing-board,,,02H,\n"},
     [("organisations.csv", 8, "parent", "02H",
       "02H has type ccg (organisations.csv row 2); expected type local-authority")]),
    ({"organisations.csv": ORGS, "memberships.csv": "practice_code,ccg_code,from,to\nP99999,02H,2013-04-01,\n"},
     [("memberships.csv", 2, "practice_code", "P99999", "code 'P99999' is used here but never defined in "
       "organisations.csv; expected the code of an organisation listed there")]),
    ({"organisations.csv": ORGS, "memberships.csv": "practice_code,ccg_code,from,to\nP92001,02H,2016-04-01,2015-03-31\n"},
     [("memberships.csv", 2, "to", "2015-03-31", "'to' is before 'from' (2016-04-01); expected a date on or after it")]),
    ({"organisations.csv": ORGS, "memberships.csv": "practice_code,ccg_code,from,to\nP92001,02H,2013-04-01,\n"
      "P92001,02H,2013-04-01,\n"},
     [("memberships.csv", 3, "practice_code", "P92001/02H/2013-04-01",
       "duplicate row: the same practice_code, ccg_code, from as row 2")]),
    ({"organisations.csv": ORGS, "memberships.csv": "practice_code,ccg_code,from,to\nP92001,02H,2013-04-01,\n"
      "P92001,02H,2013-04-01,2014-01-01\n"},
     conflicting("memberships.csv", "membership", "practice_code, ccg_code, from", (2, 3), {"to": ""},
                 {"to": "2014-01-01"})),
    ({"organisations.csv": ORGS, "posts.csv": "organisation_code,body,role,holder\nE08000010-HWB,board,mayor,p1\n"},
     [("posts.csv", 2, "role", "mayor", "expected one of accountable-officer, ccg-representative, chair, "
       "chief-finance-officer, councillor, deputy-chair, director-adult-social-services, director-childrens-services, "
       "director-public-health, gp-member, healthwatch-representative, lay-member, lay-member-governance, "
       "lay-member-ppi, nhs-england-representative, other-member, registered-nurse, secondary-care-specialist")]),
    ({"organisations.csv": ORGS, "posts.csv": "organisation_code,body,role,holder\n02H,board,chair,p1\n"},
     [("posts.csv", 2, "organisation_code", "02H",
       "02H has type ccg (organisations.csv row 2); expected type health-and-wellbeing-board")]),
    ({"organisations.csv": ORGS, "posts.csv": "organisation_code,body,role,holder,represents\n"
      "E08000010-HWB,board,ccg-representative,p1,02H;ZZZ\n"},
     [("posts.csv", 2, "represents", "ZZZ", "code 'ZZZ' is used here but never defined in organisations.csv; "
       "expected the code of an organisation listed there")]),
    ({"organisations.csv": ORGS, "finance.csv": "ccg_code,financial_year,allotment\n02H,2016-18,12\n"},
     [("finance.csv", 2, "financial_year", "2016-18", "expected a financial year like 2016-17 (the year it starts, "
       "then the last two digits of the next)")]),
    ({"organisations.csv": ORGS, "finance.csv": "ccg_code,financial_year,allotment\n02H,2016-17,twelve\n"},
     [("finance.csv", 2, "allotment", "twelve", "expected a number of pounds, e.g. 231588000 or 231588000.50")]),
    ({"organisations.csv": ORGS, "contracts.csv": "commissioner_code,provider_code,service,delegated\n"
      "02H,RRF,acute,maybe\n"}, [("contracts.csv", 2, "delegated", "maybe", "expected yes or no")]),
    ({"organisations.csv": ORGS, "contracts.csv": "commissioner_code,provider_code,service\nRRF,02H,acute\n"},
     [("contracts.csv", 2, "commissioner_code", "RRF", "RRF has type nhs-trust (organisations.csv row 7); expected "
       "type ccg or nhs-commissioning-board or icb or pct or local-authority")]),
    ({"organisations.csv": ORGS, "areas.csv": "ccg_code,local_authority_code,from,colour\n02H,E08000010,2013-04-01,red\n"},
     [("areas.csv", 1, "colour", "colour", "unknown column: expected only ccg_code, local_authority_code, from, to, "
       "share_of_ccg_area")]),
    ({"organisations.csv": ORGS, "areas.csv": "ccg_code,from\n02H,2013-04-01\n"},
     [("areas.csv", 1, "local_authority_code", None, "missing required column 'local_authority_code': the header "
       "must include ccg_code, local_authority_code, from")]),
    ({"organisations.csv": ORGS, "notes.csv": "a\n1\n"},
     [("notes.csv", None, None, "notes.csv", "not a workbook file: expected one of organisations.csv, areas.csv, "
       "memberships.csv, posts.csv, finance.csv, documents.csv, contracts.csv")]),
    ({"organisations.csv": ORGS.encode() + b"X1,Caf\x81,nhs-trust,,,,\n"},
     [("organisations.csv", 8, None, "0x81", f"undecodable byte 0x81 at byte offset {len(ORGS) + len('X1,Caf')}: "
       "the file is not valid UTF-8 or Windows-1252")]),
])
def test_each_bad_input_is_reported_exactly(write_workbook, files: dict, expected: list[tuple]) -> None:
    assert problems_of(write_workbook(files)) == expected


def test_unknown_provision_path_suggests_the_nearest(write_workbook, fixture_ontology) -> None:
    folder = write_workbook({"organisations.csv": ORGS, "documents.csv":
                             "publisher_code,kind,under_provision\n02H,commissioning-plan,ukpga/2006/41/section/14Z1\n"})
    assert problems_of(folder, fixture_ontology) == [
        ("documents.csv", 2, "under_provision", "ukpga/2006/41/section/14Z1",
         "no provision in the ontology has this legislation.gov.uk path: expected a path such as "
         "ukpga/2006/41/section/14Z2; nearest known: ukpga/2006/41/section/14Z11, ukpga/2006/41/section/14Z2/1, "
         "ukpga/2006/41/section/14Z2")]


def test_a_rejected_organisation_is_named_where_it_is_used(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": ORGS + "P92002,Other,gp-practise,,,,\n",
                             "memberships.csv": "practice_code,ccg_code,from\nP92002,02H,2013-04-01\n"})
    result = import_workbook(folder, lenient=True)
    assert [(Path(p.path).name, p.row, p.column, p.problem.split(";")[0]) for p in result.problems] == [
        ("organisations.csv", 8, "type", "expected one of ccg, nhs-commissioning-board, local-authority, "
         "health-and-wellbeing-board, local-healthwatch, gp-practice, nhs-trust, independent-provider, icb, pct"),
        ("memberships.csv", 2, "practice_code", "code 'P92002' is used here but never defined in organisations.csv "
         "(its row 8 there was rejected)")]


def test_every_problem_in_every_file_is_listed(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": ORGS + "X1,Thing,charity,,,,\nX2,T,nhs-trust,2013,,,\n",
                             "memberships.csv": "practice_code,ccg_code,from\nP92001,RRF,2013-04-01\n"})
    assert [(f, r, c) for f, r, c, _, _ in problems_of(folder)] == [
        ("organisations.csv", 8, "type"), ("organisations.csv", 9, "opened"), ("memberships.csv", 2, "ccg_code")]


def test_lenient_imports_good_rows_with_counts(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": ORGS + "X1,Thing,charity,,,,\n",
                             "memberships.csv": "practice_code,ccg_code,from\nP92001,02H,2013-04-01\n"
                                                "P92001,RRF,2013-04-01\n"})
    result = import_workbook(folder, lenient=True)
    assert [(Path(f.path).name, f.read, f.imported, f.skipped, f.rejected) for f in result.files] == [
        ("organisations.csv", 7, 6, 0, 1), ("memberships.csv", 2, 1, 0, 1)]
    assert (result.read, result.imported, result.rejected) == (9, 7, 2)
    assert (ID["membership/P92001/02H/2013-04-01"], CCGKG.group, org_iri("02H")) in result.graph
    assert (org_iri("X1"), None, None) not in result.graph


def test_repeat_import_is_byte_identical(tmp_path: Path, fixture_ontology) -> None:
    write_template(tmp_path, ontology=fixture_ontology)
    one = import_workbook(tmp_path, ontology=fixture_ontology).graph
    two = import_workbook(tmp_path, ontology=fixture_ontology).graph
    assert serialize(one, "nt") == serialize(two, "nt")
    assert serialize(one, "longturtle") == serialize(two, "longturtle")


def test_store_load_accepts_a_workbook_folder_and_file(write_workbook) -> None:
    from ccgkg.store import load

    folder = write_workbook({"organisations.csv": ORGS})
    g = load(folder)
    assert (org_iri("02H"), RDF.type, CCGKG.ClinicalCommissioningGroup) in g
    assert set(load(folder / "organisations.csv")) == set(g)
    assert load_tabular(folder.parent) is None


def test_paths_resolve_against_the_bundled_law_modules(write_workbook, ontology) -> None:
    """With the law modules merged, s.14Z2 and s.14Z11 of the NHS Act 2006 resolve to their provisions."""
    vocab = load_vocabulary(ontology)
    if vocab.provision("ukpga/2006/41/section/14Z2") is None:
        pytest.skip("the bundled ontology has no NHS Act 2006 s.14Z2 yet")
    folder = write_workbook({"organisations.csv": ORGS, "documents.csv":
                             "publisher_code,kind,published,under_provision,covers\n"
                             "02H,annual-report,2017-06-30,ukpga/2006/41/section/14Z11,ukpga/2006/41/section/14Z2\n"})
    g = import_workbook(folder).graph
    doc = ID["document/02H/annual-report/2017-06-30"]
    assert list(g.objects(doc, CCGKG.covers)) == [ACT_NS["nhsa06"]["s14Z2"]]
    assert list(g.objects(doc, CCGKG.publishedUnder)) == [ACT_NS["nhsa06"]["s14Z11"]]


def test_a_whole_act_is_not_a_provision(write_workbook, ontology) -> None:
    vocab = load_vocabulary(ontology)
    if vocab.provision("ukpga/2006/41/section/14Z2") is None:
        pytest.skip("the bundled ontology has no NHS Act 2006 module yet")
    assert vocab.provision("ukpga/2006/41") is None
    folder = write_workbook({"organisations.csv": ORGS, "documents.csv":
                             "publisher_code,kind,covers\n02H,annual-report,ukpga/2006/41\n"})
    ((name, row, column, value, problem),) = problems_of(folder)
    assert (name, row, column, value) == ("documents.csv", 2, "covers", "ukpga/2006/41")
    assert problem.startswith("no provision in the ontology has this legislation.gov.uk path")


def test_holder_may_be_any_text_key(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": ORGS, "posts.csv":
                             "organisation_code,body,role,holder,from\n02H,governing-body,chair,Dr A Smith,2013-04-01\n"})
    g = import_workbook(folder).graph
    person = ID["person/Dr%20A%20Smith"]
    assert g.value(ID["post/02H/governing-body/chair/Dr%20A%20Smith/2013-04-01"], CCGKG.holder) == person
    assert str(g.value(person, RDFS.label)) == "Dr A Smith"


def test_finance_amounts_become_decimals_on_the_return(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": ORGS, "finance.csv":
                             "ccg_code,financial_year,revenue_resource_limit,revenue_resource_use,"
                             "administration_cost_limit,administration_cost_use,quality_payment,"
                             "quality_payment_explanation\n"
                             "02H,2016-17,\"1,000\",1000.50,20,19,5,https://www.example.org/qp\n"})
    g = import_workbook(folder).graph
    fin = ID["finance/02H/2016-17"]
    got = {str(p).rsplit("/", 1)[1]: str(o) for p, o in g.predicate_objects(fin) if p != RDF.type}
    assert got == {"returnOf": str(org_iri("02H")), "financialYear": str(ID["fy/2016-17"]),
                   "revenueResourceLimit": "1000", "revenueResourceUse": "1000.50", "administrationCostLimit": "20",
                   "administrationCostUse": "19", "qualityPayment": "5",
                   "qualityPaymentExplanation": "https://www.example.org/qp"}

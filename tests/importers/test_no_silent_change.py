"""Issue 9 s.3 for the workbook importer: no silent change to the user's data, every documented value imports,
a Windows-1252 workbook reads, a file that cannot be read is reported once (no cascade), counts stay consistent,
negative amounts are refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from ccgkg.errors import TableError
from ccgkg.importers import import_workbook
from ccgkg.importers.vocabulary import load_vocabulary
from ccgkg.importers.workbook import workbook_specs
from ccgkg.namespaces import CCGKG, ID, org_iri

from .test_workbook import ORGS, problems_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"


def documented_choices() -> dict[tuple[str, str], list[str]]:
    """Every ``**column** (a, b, c)`` value list of the workbook table in docs/import.md, by (file, column)."""
    out: dict[tuple[str, str], list[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        row = re.match(r"^\| `(\w+\.csv)` \| (.+) \|$", line)
        if not row:
            continue
        for column, values in re.findall(r"\*?\*?(\w+)\*?\*? \(one of: ([^)]*)\)", row.group(2)):
            out[(row.group(1), column)] = [v.strip().split(" ")[0] for v in values.split(";")[0].split(",")]
    return out


def test_the_docs_list_every_choice_of_every_choice_column(ontology) -> None:
    specs = workbook_specs(load_vocabulary(ontology))
    choices = {(name, c.name): sorted(c.choices) for name, cols in specs.items() for c in cols if c.choices}
    assert {key: sorted(values) for key, values in documented_choices().items()} == choices


#: For each choice column, the file and a row that imports with the documented value in place of {}.
ROW_WITH = {
    ("organisations.csv", "type"): ("organisations.csv", ORGS + "Z1,,{},,,E08000010,\n"),
    ("posts.csv", "body"): ("posts.csv", "organisation_code,body,role,holder\n{org},{},chair,p1\n"),
    ("posts.csv", "role"): ("posts.csv", "organisation_code,body,role,holder\nE08000010-HWB,board,{},p1\n"),
    ("documents.csv", "kind"): ("documents.csv", "publisher_code,kind\n02H,{}\n"),
    ("contracts.csv", "service"): ("contracts.csv", "commissioner_code,provider_code,service\n02H,RRF,{}\n"),
    ("contracts.csv", "form"): ("contracts.csv", "commissioner_code,provider_code,service,form\n02H,RRF,acute,{}\n"),
}
#: The organisation each post body belongs to.
BODY_ORG = {"governing-body": "02H", "board": "E08000010-HWB", "council": "E08000010"}


@pytest.mark.parametrize("file_column,value", [(fc, v) for fc, values in documented_choices().items()
                                               for v in values])
def test_every_value_the_docs_list_imports(write_workbook, file_column: tuple[str, str], value: str) -> None:
    """Generated from docs/import.md's own table, so the docs and the importer cannot drift (kind `guidance`
    was documented and refused)."""
    name, text = ROW_WITH[file_column]
    files = {"organisations.csv": ORGS, name: text.replace("{org}", BODY_ORG.get(value, "02H")).replace("{}", value)}
    result = import_workbook(write_workbook(files))
    assert [(f.read, f.rejected) for f in result.files if f.path.endswith(name)] == [
        (text.count("\n") - 1, 0)]


def test_guidance_of_the_board_imports_as_guidance(write_workbook, fixture_ontology) -> None:
    folder = write_workbook({"organisations.csv": ORGS + "X24,NHS England,nhs-commissioning-board,2013-04-01,,,\n",
                             "documents.csv": "publisher_code,kind,published,under_provision\n"
                                              "X24,guidance,2013-09-25,ukpga/2006/41/section/14Z2\n"})
    g = import_workbook(folder, ontology=fixture_ontology).graph
    doc = ID["document/X24/guidance/2013-09-25"]
    assert g.value(doc, RDF.type) == CCGKG.Guidance
    assert g.value(doc, CCGKG.publisher) == org_iri("X24")


def test_an_excel_windows_1252_workbook_is_read_and_the_summary_says_so(write_workbook) -> None:
    orgs = (ORGS + "X1,Caf\u00e9 Surgery,gp-practice,,,,\n").encode("cp1252")
    folder = write_workbook({"organisations.csv": orgs,
                             "memberships.csv": "practice_code,ccg_code,from\nX1,02H,2013-04-01\n"})
    result = import_workbook(folder)
    assert str(result.graph.value(org_iri("X1"), RDFS.label)) == "Caf\u00e9 Surgery"
    assert result.files[0].notes == ("7 row(s): read as Windows-1252 (Excel's plain CSV), not UTF-8: save as CSV "
                                     "UTF-8 to be sure of the characters",)
    assert result.files[1].notes == ()


MEMBERS = "practice_code,ccg_code,from\nP92001,02H,2013-04-01\nP92001,02H,2014-04-01\n"
POSTS = "organisation_code,body,role,holder\n02H,governing-body,chair,p1\n"


@pytest.mark.parametrize("orgs,first", [
    (ORGS.encode() + b"X1,Caf\x81,nhs-trust,,,,\n",
     ("organisations.csv", 8, None, "0x81", f"undecodable byte 0x81 at byte offset {len(ORGS) + 6}: the file is not "
      "valid UTF-8 or Windows-1252")),
    (ORGS.replace("successor", "sucessor"),
     ("organisations.csv", 1, "sucessor", "sucessor", "unknown column: expected only code, name, type, opened, "
      "closed, parent, successor")),
])
def test_a_rejected_organisations_file_is_the_one_root_cause(write_workbook, orgs: bytes | str, first: tuple) -> None:
    """One problem for organisations.csv, one per file that uses its codes: no 'never defined' cascade."""
    folder = write_workbook({"organisations.csv": orgs, "memberships.csv": MEMBERS, "posts.csv": POSTS})
    why = "could not be read" if first[1] == 8 else "has a header ccgkg cannot read"
    assert problems_of(folder) == [first] + [
        (name, None, None, None, f"{n} row(s) not imported: they use organisation codes, which organisations.csv "
                                 f"defines, and organisations.csv {why} (see its problem above)")
        for name, n in (("memberships.csv", 2), ("posts.csv", 1))]


def test_a_workbook_without_organisations_is_one_problem_per_file(write_workbook) -> None:
    folder = write_workbook({"memberships.csv": MEMBERS})
    assert problems_of(folder) == [
        ("memberships.csv", None, None, None, "2 row(s) not imported: they use organisation codes, which "
         "organisations.csv defines, and organisations.csv is missing from the workbook")]


def test_lenient_counts_add_up_and_nothing_imported_is_an_error(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": ORGS.encode() + b"X1,Caf\x81,nhs-trust,,,,\n",
                             "memberships.csv": MEMBERS, "posts.csv": POSTS})
    with pytest.raises(TableError) as info:
        import_workbook(folder, lenient=True)
    assert info.value.hint == ("read 10 rows in 3 file(s) and none could be imported, so there is nothing to write, "
                               "even with --lenient; fix the problems above")
    assert len(info.value.problems) == 3


def test_counts_add_up_for_every_file(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": ORGS + "X1,Thing,charity,,,,\n" + "02H,Again,ccg,,,,\n",
                             "memberships.csv": MEMBERS + "P92001,RRF,2015-04-01\n", "posts.csv": POSTS + "02H,governing-body,chair,p1\n"})
    result = import_workbook(folder, lenient=True)
    assert [(f.read, f.imported, f.skipped, f.rejected) for f in result.files] == [
        (8, 5, 0, 3), (3, 0, 0, 3), (2, 0, 0, 2)]  # 02H conflicts, so nothing that uses it imports


@pytest.mark.parametrize("column", ["allotment", "expenditure", "revenue_resource_limit", "revenue_resource_use",
                                    "capital_resource_limit", "quality_payment", "administration_cost_limit",
                                    "administration_cost_use"])
def test_a_negative_amount_is_refused(write_workbook, column: str) -> None:
    folder = write_workbook({"organisations.csv": ORGS,
                             "finance.csv": f"ccg_code,financial_year,{column}\n02H,2016-17,-5\n"})
    assert problems_of(folder) == [("finance.csv", 2, column, "-5",
                                    "expected a number of pounds, not negative, e.g. 231588000 or 231588000.50")]


def test_capital_resource_use_may_be_negative(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": ORGS,
                             "finance.csv": "ccg_code,financial_year,capital_resource_use\n02H,2016-17,-5\n"})
    g = import_workbook(folder).graph
    assert g.value(ID["finance/02H/2016-17"], CCGKG.capitalResourceUse) == Literal("-5", datatype=XSD.decimal)

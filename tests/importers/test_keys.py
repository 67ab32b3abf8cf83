"""Issue 13: workbook records keyed as the real world keys them.

Each file's rows are keyed by what makes a row one thing in the world (``KEYS``); the IRI comes from the same key,
so it is deterministic and distinct; the same key twice is a duplicate (refused, naming both rows) or a conflict
(both rows refused, naming each other and the columns that differ)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import RDF

from ccgkg.cli import cli
from ccgkg.errors import TableError
from ccgkg.importers import import_workbook
from ccgkg.importers.workbook import KEYS, WORKBOOK_FILES
from ccgkg.namespaces import CCGKG, ID

from .test_workbook import ORGS, conflicting, problems_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"
GROUPS = [f"C{i:03d}" for i in range(200)]


def board_workbook(groups: list[str], assessed: list[str]) -> dict[str, str]:
    """The Board (X24) and ``groups``; the Board's 2016-17 assessment of each of ``assessed``, all published on
    21 July 2017, as NHS England published the CCG improvement and assessment framework results."""
    orgs = ["code,name,type,opened,closed", "X24,NHS England,nhs-commissioning-board,2013-04-01,"]
    orgs += [f"{code},NHS Group {code} CCG,ccg,2013-04-01,2022-06-30" for code in groups]
    docs = ["publisher_code,kind,title,published,financial_year,about_code,url"]
    docs += [f"X24,performance-assessment,CCG assessment 2016-17: {code},2017-07-21,2016-17,{code},"
             f"https://www.england.nhs.uk/ccgiaf/{code}.pdf" for code in assessed]
    return {"organisations.csv": "\n".join(orgs) + "\n", "documents.csv": "\n".join(docs) + "\n"}


def assessment_findings(folder: Path) -> tuple[int, list[tuple[str, str]]]:
    """Exit code and (organisation, year) of every s.14Z16(6) finding for 2016-17 when ``folder`` is validated."""
    result = CliRunner().invoke(cli, ["validate", str(folder), "--provision", "s.14Z16(6)", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)["results"]
    return result.exit_code, sorted((f["organisation_code"], f["value"].rsplit("/", 1)[1]) for f in found
                                    if f["value"].endswith("/2016-17"))


def test_the_boards_assessments_of_200_groups_on_one_day_import_and_validate(write_workbook) -> None:
    folder = write_workbook(board_workbook(GROUPS, GROUPS))
    result = import_workbook(folder)
    assert [(Path(f.path).name, f.read, f.imported, f.rejected) for f in result.files] == [
        ("organisations.csv", 201, 201, 0), ("documents.csv", 200, 200, 0)]
    assessments = sorted(result.graph.subjects(RDF.type, CCGKG.PerformanceAssessment))
    assert len(assessments) == 200
    assert assessments[0] == ID["document/X24/performance-assessment/2017-07-21/2016-17/C000/"
                                "https%3A%2F%2Fwww.england.nhs.uk%2Fccgiaf%2FC000.pdf"]
    assert {result.graph.value(a, CCGKG.about) for a in assessments} == {ID["org/" + c] for c in GROUPS}
    assert assessment_findings(folder)[1] == []  # every group was assessed for 2016-17


def test_a_group_left_unassessed_that_year_is_the_only_2016_17_finding(write_workbook) -> None:
    folder = write_workbook(board_workbook(GROUPS, [c for c in GROUPS if c != "C137"]))
    code, found = assessment_findings(folder)
    assert (code, found) == (1, [("C137", "2016-17")])


DOCS = "publisher_code,kind,title,published,financial_year,about_code,url\n"
ASSESSMENT = "X24,performance-assessment,{title},2017-07-21,2016-17,02H,{url}\n"
BOARD = ORGS + "X24,NHS England,nhs-commissioning-board,2013-04-01,,,\n"


@pytest.mark.parametrize("files,expected", [
    ({"organisations.csv": BOARD, "documents.csv": DOCS + ASSESSMENT.format(title="A", url="") * 2},
     [("documents.csv", 3, "publisher_code", "X24/performance-assessment/2017-07-21/2016-17/02H/-",
       "duplicate row: the same publisher_code, kind, published, financial_year, about_code, url as row 2")]),
    ({"organisations.csv": BOARD, "documents.csv": DOCS + ASSESSMENT.format(title="A", url="")
      + ASSESSMENT.format(title="B", url="")},
     conflicting("documents.csv", "document", "publisher_code, kind, published, financial_year, about_code, url",
                 (2, 3), {"title": "A"}, {"title": "B"})),
    ({"organisations.csv": ORGS, "posts.csv": "organisation_code,body,role,holder,from,to\n"
      "02H,governing-body,chair,p1,2013-04-01,\n02H,governing-body,chair,p1,2013-04-01,\n"},
     [("posts.csv", 3, "organisation_code", "02H/governing-body/chair/p1/2013-04-01",
       "duplicate row: the same organisation_code, body, role, holder, from as row 2")]),
    ({"organisations.csv": ORGS, "posts.csv": "organisation_code,body,role,holder,from,to\n"
      "02H,governing-body,chair,p1,,2015-03-31\n02H,governing-body,chair,p1,,2016-03-31\n"},
     conflicting("posts.csv", "post", "organisation_code, body, role, holder, from", (2, 3), {"to": "2015-03-31"},
                 {"to": "2016-03-31"})),
    ({"organisations.csv": ORGS, "contracts.csv": "commissioner_code,provider_code,service,form,from,delegated\n"
      "02H,RRF,acute,,2016-04-01,no\n02H,RRF,acute,,2016-04-01,yes\n"},
     conflicting("contracts.csv", "contract", "commissioner_code, provider_code, service, form, from", (2, 3),
                 {"delegated": "no"}, {"delegated": "yes"})),
    ({"organisations.csv": ORGS, "areas.csv": "ccg_code,local_authority_code,from,share_of_ccg_area\n"
      "02H,E08000010,2013-04-01,1\n02H,E08000010,2013-04-01,1.0\n"},
     [("areas.csv", 3, "ccg_code", "02H/E08000010/2013-04-01",
       "duplicate row: the same ccg_code, local_authority_code, from as row 2")]),
])
def test_duplicates_and_conflicts_are_refused_exactly(write_workbook, files: dict, expected: list[tuple]) -> None:
    assert problems_of(write_workbook(files)) == expected


def test_lenient_keeps_neither_conflicting_row_and_the_first_of_a_duplicate(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": BOARD, "documents.csv": DOCS + ASSESSMENT.format(title="A", url="")
                             + ASSESSMENT.format(title="B", url="") + ASSESSMENT.format(title="C", url="u")})
    result = import_workbook(folder, lenient=True)
    assert [(Path(f.path).name, f.read, f.imported, f.rejected) for f in result.files] == [
        ("organisations.csv", 7, 7, 0), ("documents.csv", 3, 0, 3)]
    assert [(p.row, p.column) for p in result.problems] == [(2, "title"), (3, "title"), (4, "url")]
    folder = write_workbook({"organisations.csv": BOARD,
                             "documents.csv": DOCS + ASSESSMENT.format(title="A", url="") * 2}, "wb2")
    result = import_workbook(folder, lenient=True)
    assert [(f.read, f.imported, f.rejected) for f in result.files][1] == (2, 1, 1)
    assert len(list(result.graph.subjects(RDF.type, CCGKG.PerformanceAssessment))) == 1


def test_a_conflicting_organisation_is_named_where_it_is_used(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": ORGS + "RRF,Other trust,nhs-trust,,,,\n",
                             "contracts.csv": "commissioner_code,provider_code,service\n02H,RRF,acute\n"})
    assert [(name, row, column, value) for name, row, column, value, _ in problems_of(folder)] == [
        ("organisations.csv", 7, "name", "WWL"), ("organisations.csv", 8, "name", "Other trust"),
        ("contracts.csv", 2, "provider_code", "RRF")]
    assert problems_of(folder)[2][4] == ("code 'RRF' is used here but never defined in organisations.csv (its row 7 "
                                         "there was rejected); expected the code of an organisation listed there")


def test_rows_that_differ_in_a_key_column_are_distinct_things_with_distinct_iris(write_workbook) -> None:
    posts = ("organisation_code,body,role,holder,from\n02H,governing-body,chair,p1,\n"
             "02H,governing-body,chair,p1,2013-04-01\nE08000010-HWB,board,chair,p1,\n")
    contracts = ("commissioner_code,provider_code,service,form,from\n02H,RRF,acute,,2016-04-01\n"
                 "02H,RRF,acute,nhs-standard-contract,2016-04-01\n02H,RRF,acute,,\n")
    g = import_workbook(write_workbook({"organisations.csv": ORGS, "posts.csv": posts,
                                        "contracts.csv": contracts})).graph
    assert sorted(str(s).removeprefix(str(ID)) for s in g.subjects(RDF.type, CCGKG.Post)) == [
        "post/02H/governing-body/chair/p1", "post/02H/governing-body/chair/p1/2013-04-01",
        "post/E08000010-HWB/board/chair/p1"]
    assert sorted(str(s).removeprefix(str(ID)) for s in g.subjects(RDF.type, CCGKG.CommissioningContract)) == [
        "contract/02H/RRF/acute", "contract/02H/RRF/acute/-/2016-04-01",
        "contract/02H/RRF/acute/nhs-standard-contract/2016-04-01"]


def test_the_same_key_in_two_runs_gives_the_same_iri(write_workbook) -> None:
    files = board_workbook(GROUPS[:3], GROUPS[:3])
    one = import_workbook(write_workbook(files, "a")).graph
    two = import_workbook(write_workbook(files, "b")).graph
    assert sorted(one.subjects(RDF.type, CCGKG.PerformanceAssessment)) == sorted(
        two.subjects(RDF.type, CCGKG.PerformanceAssessment))


def test_docs_state_each_files_key() -> None:
    """docs/import.md has a line ``Key of `FILE`: `col`, `col`...`` for every workbook file, matching KEYS."""
    text = DOC.read_text(encoding="utf-8")
    stated = {m.group(1): tuple(re.findall(r"`([a-z_]+)`", m.group(2)))
              for m in re.finditer(r"^- `(\w+\.csv)`: (.+)$", text.split("### Keys", 1)[1].split("\n\n", 2)[1],
                                   re.MULTILINE)}
    assert stated == {name: KEYS[name].columns for name in WORKBOOK_FILES}


def test_strict_mode_still_lists_every_problem(write_workbook) -> None:
    folder = write_workbook({"organisations.csv": BOARD, "documents.csv": DOCS + ASSESSMENT.format(title="A", url="")
                             * 3})
    with pytest.raises(TableError) as info:
        import_workbook(folder)
    assert [(p.row, p.problem) for p in info.value.problems] == [
        (3, "duplicate row: the same publisher_code, kind, published, financial_year, about_code, url as row 2"),
        (4, "duplicate row: the same publisher_code, kind, published, financial_year, about_code, url as row 2")]

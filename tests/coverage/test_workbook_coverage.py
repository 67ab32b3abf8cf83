"""A workbook's coverage (issue 10): complete by default for each file it has, for the organisations it lists;
coverage.csv replaces the default of each kind it names, and a bad row is refused with its file and row."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgkg.errors import TableError
from ccgkg.importers import import_workbook, write_template

Q = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/> SELECT ?kind (COUNT(DISTINCT ?org) AS ?n) "
     "(SAMPLE(?from) AS ?f) WHERE { ?c a ccgkg:CoverageStatement ; ccgkg:evidenceKind ?kind . "
     "OPTIONAL { ?c ccgkg:coversOrganisation ?org } OPTIONAL { ?c ccgkg:startDate ?from } } GROUP BY ?kind")


def kinds(folder: Path) -> dict[str, tuple[int, str | None]]:
    graph = import_workbook(folder).graph
    return {str(k).rsplit("/", 1)[-1]: (int(n), str(f) if f is not None else None) for k, n, f in graph.query(Q)}


def test_default_is_each_file_for_each_organisation_listed(tmp_path: Path) -> None:
    write_template(tmp_path / "wb")
    found = kinds(tmp_path / "wb")
    assert found["GoverningBodyPosts"] == (6, None) and found["ContractRecords"] == (6, None)
    assert set(found) == {"OrganisationRecords", "AreaRecords", "MembershipRecords", "GoverningBodyPosts",
                          "BoardPosts", "FinancialReturnRecords", "CommissioningPlanRecords", "AnnualReportRecords",
                          "AssessmentRecords", "OpinionRecords", "ContractRecords"}


def test_coverage_csv_replaces_the_default_of_the_kinds_it_names(tmp_path: Path) -> None:
    write_template(tmp_path / "wb")
    (tmp_path / "wb" / "coverage.csv").write_text(
        "kind,organisation_code,from,to\ngoverning-body-posts,02H,2016-04-01,2017-03-31\n", encoding="utf-8")
    found = kinds(tmp_path / "wb")
    assert found["GoverningBodyPosts"] == (1, "2016-04-01")  # narrowed to 02H in 2016-17
    assert found["BoardPosts"] == (6, None)  # kinds it does not name keep the default


def test_bad_coverage_row_is_refused_with_file_and_row(tmp_path: Path) -> None:
    write_template(tmp_path / "wb")
    (tmp_path / "wb" / "coverage.csv").write_text("kind,organisation_code,from,to\nposts,02H,2016-04-01,\n",
                                                  encoding="utf-8")
    with pytest.raises(TableError) as info:
        import_workbook(tmp_path / "wb")
    (problem,) = info.value.problems
    assert (Path(problem.path).name, problem.row, problem.column, problem.value) == ("coverage.csv", 2, "kind", "posts")

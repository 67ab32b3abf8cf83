"""The named queries on the real ODS and ONS data of ../shared/data (skipped when it is absent): the successor chains
and the CCGs crossing authority boundaries agree with the data README and its derived tables, computed apart."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph

from ccgkg import queries, results
from ccgkg.importers import import_ods


@pytest.fixture(scope="module")
def england(shared_data: Path) -> Graph:
    imported = import_ods([shared_data / "ods/eccg_2025-12_jhau_nhs-spend.csv", shared_data / "ons",
                           shared_data / "lookups", shared_data / "derived" / "ccg_successors.csv"])
    return queries.query_graph(imported.graph, inference="rdfs")


def rows(graph: Graph, name: str, **params: str) -> list[tuple[str, ...]]:
    result = queries.run(queries.bind(queries.load_query(name), params), graph)
    return [tuple(results.short(t) for t in row) for row in result.rows]


def test_successor_chains(england: Graph) -> None:
    chains = rows(england, "trace-successors")
    direct = [r for r in chains if r[6] == "true"]
    # data README: 142 CCG -> CCG edges and 106 CCG -> ICB edges
    assert (sum(r[4] == "ccg" for r in direct), sum(r[4] == "icb" for r in direct)) == (142, 106)
    # the README's two-step example: 10G -> 15D (2018) -> D4U1Y (2021), then D4U1Y's ICB
    ten_g = rows(england, "trace-successors", ccg="10G")
    assert [(r[3], r[4], r[6]) for r in ten_g[:2]] == [("15D", "ccg", "true"), ("D4U1Y", "ccg", "false")]
    assert [(r[4], r[5], r[6]) for r in ten_g[2:]] == [("icb", "2022-07-01", "false")]
    # 01C, 01R, 02D and 02F merged into 27D: four direct predecessors
    assert {r[7] for r in rows(england, "trace-successors", ccg="01C") if r[3] == "27D"} == {"4"}


@pytest.mark.parametrize(("day", "year"), [("2016-10-17", "2016"), ("2019-10-01", "2019"), ("2021-06-01", "2021")])
def test_ccgs_crossing_authority_boundaries(england: Graph, shared_data: Path, day: str, year: str) -> None:
    authorities: dict[str, set[str]] = defaultdict(set)
    with (shared_data / "derived/ccg_to_utla_hwb_by_year_lsoa_weighted.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["year"] == year:
                authorities[r["ccg_ods_code"]].add(r["utla_hwb_code"])
    expected = {(code, str(len(las))) for code, las in authorities.items() if len(las) > 1}
    found = rows(england, "find-crossing-groups", day=day)
    assert {(r[1], r[2]) for r in found} == expected
    assert [int(r[2]) for r in found] == sorted((int(r[2]) for r in found), reverse=True)

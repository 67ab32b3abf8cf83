"""The real ODS and ONS files of ../shared/data import with the verified counts of the data README."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from ccgkg.importers import ImportResult, import_ods, serialize
from ccgkg.namespaces import CCGKG, org_iri
from ccgkg.temporal import snapshot

ECCG = "ods/eccg_2025-12_jhau_nhs-spend.csv"


@pytest.fixture(scope="module")
def full(shared_data: Path):
    """eccg 2025 + every ONS names file + every lookup + the successors table, strict."""
    return import_ods([shared_data / ECCG, shared_data / "ons", shared_data / "lookups",
                       shared_data / "derived" / "ccg_successors.csv"])


@pytest.mark.parametrize("day,expected", [
    ("2013-04-01", 211), ("2015-04-01", 209), ("2017-04-01", 207), ("2018-04-01", 195), ("2019-04-01", 191),
    ("2020-04-01", 135), ("2021-04-01", 106), ("2022-06-30", 106), ("2022-07-01", 0)])
def test_open_ccgs_on_each_date(full, day: str, expected: int) -> None:
    snap = snapshot(full.graph, dt.date.fromisoformat(day))
    assert len(set(snap.subjects(RDF.type, CCGKG.ClinicalCommissioningGroup))) == expected


def test_open_ccgs_by_sparql_agree(full) -> None:
    query = """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ccgkg:ClinicalCommissioningGroup ;
        ccgkg:startDate ?s ; ccgkg:endDate ?e . FILTER(?s <= "2019-04-01"^^xsd:date && ?e >= "2019-04-01"^^xsd:date) }"""
    assert [int(r[0]) for r in full.graph.query(query)] == [191]


def test_counts_per_file(full) -> None:
    by_kind = {}
    for f in full.files:
        by_kind.setdefault(f.kind, []).append(f)
    eccg = by_kind["ods-eccg"][0]
    assert (eccg.read, eccg.imported, eccg.skipped, eccg.rejected) == (320, 283, 37, 0)
    succ = by_kind["ccg-successors"][0]
    assert (succ.read, succ.imported, succ.skipped) == (249, 248, 1)
    assert succ.notes == ("1 row(s): skipped: boundary flow below 5% of the old CCG, not a succession",)
    assert [f.path.rsplit("/", 1)[1] for f in by_kind["not recognised"]] == [
        "ccg13_to_area_team_to_commissioning_region_apr2013.csv"]
    assert full.rejected == 0 and full.problems == ()


def test_the_values_the_ods_rules_change_are_counted(full) -> None:
    """Issue 9 s.3: every CCG end date set to 2022-06-30 (the 106 CCGs that became sub-ICB locations), every LSOA
    row whose district was lifted to its county, every area overlap dated from its lookup's year and every local
    authority and board made from the lookups are counted, with examples (each on the first file giving its year)."""
    notes = {f.path.rsplit("/", 1)[1]: f.notes for f in full.files}
    assert notes["eccg_2025-12_jhau_nhs-spend.csv"][1].startswith(
        "106 value(s) changed: CCG end date set to 2022-06-30, the last day of CCGs (ODS keeps some codes open as "
        "sub-ICB locations) (e.g. row 8 00L: open -> 2022-06-30; ")
    assert notes["lsoa11_ccg15_lad15_jul2015.csv"] == (
        "13232 value(s) changed: district (E07) lifted to its county, the upper-tier authority whose HWB covers it "
        "(e.g. 09C E07000105 -> E10000016 (2015); 10Y E07000004 -> E10000002 (2015); 02N E07000163 -> E10000023 "
        "(2015), ...)",
        "241 value(s) inferred: an area overlap's dates from its lookup's year (1 April to the day before the next "
        "lookup's year) (e.g. 00C in E06000005: 2015-04-01..2016-03-31; 00D in E06000047: 2015-04-01..2016-03-31; "
        "00J in E06000047: 2015-04-01..2016-03-31, ...)",
        "152 value(s) inferred: a local authority and its Health and Wellbeing Board made from the area lookups (ODS "
        "lists neither) (e.g. E06000001 and E06000001-HWB; E06000002 and E06000002-HWB; E06000003 and "
        "E06000003-HWB, ...)")


def test_successor_chain_10G_15D_D4U1Y_QNQ(full) -> None:
    g = full.graph
    chain, code = [], "10G"
    while True:
        succ = sorted(g.objects(org_iri(code), CCGKG.succeededBy))
        if not succ:
            break
        code = str(succ[0]).rsplit("/", 1)[1]
        chain.append(code)
    assert chain == ["15D", "D4U1Y", "QNQ"]
    assert (org_iri("QNQ"), RDF.type, CCGKG.IntegratedCareBoard) in g
    assert str(g.value(org_iri("QNQ"), CCGKG.startDate)) == "2022-07-01"
    assert str(g.value(org_iri("15D"), CCGKG.endDate)) == "2021-03-31"
    assert sorted(str(s).rsplit("/", 1)[1] for s in g.subjects(CCGKG.succeededBy, org_iri("13T"))) == [
        "00F", "00G", "00H"]


def test_survivors_end_2022_06_30_and_pass_to_their_icb(full) -> None:
    g = full.graph
    for code, icb in (("02H", "QOP"), ("02E", "QYG"), ("01F", "QYG")):
        assert str(g.value(org_iri(code), CCGKG.endDate)) == "2022-06-30"
        assert list(g.objects(org_iri(code), CCGKG.succeededBy)) == [org_iri(icb)]
    assert str(g.value(org_iri("02H"), RDFS.label)) == "NHS Wigan Borough CCG"  # ONS name, not the ICB rename
    assert str(g.value(org_iri("02H"), CCGKG.onsCode)) == "E38000205"
    assert str(g.value(org_iri("QOP"), RDFS.label)) == "NHS Greater Manchester Integrated Care Board"


def test_wigan_overlaps_only_its_borough_every_year(full) -> None:
    g = full.graph
    rows = sorted((str(g.value(a, CCGKG.startDate)), str(g.value(a, CCGKG.endDate)),
                   str(g.value(a, CCGKG.localAuthority)).rsplit("/", 1)[1], str(g.value(a, CCGKG.shareOfGroupArea)))
                  for a in g.subjects(CCGKG.areaOf, org_iri("02H")))
    assert rows == [("2015-04-01", "2016-03-31", "E08000010", "1.0000"),
                    ("2016-04-01", "2017-03-31", "E08000010", "1.0000"),
                    ("2017-04-01", "2018-03-31", "E08000010", "1.0000"),
                    ("2018-04-01", "2019-03-31", "E08000010", "1.0000"),
                    ("2019-04-01", "2020-03-31", "E08000010", "1.0000"),
                    ("2020-04-01", "2021-03-31", "E08000010", "1.0000"),
                    ("2021-04-01", "2022-06-30", "E08000010", "None")]
    hwb = org_iri("E08000010-HWB")
    assert (hwb, RDF.type, CCGKG.HealthAndWellbeingBoard) in g
    assert g.value(hwb, CCGKG.parentAuthority) == org_iri("E08000010")
    assert str(g.value(hwb, RDFS.label)) == "Wigan Health and Wellbeing Board"


def test_upper_tier_authorities_per_year_match_the_readme(full) -> None:
    query = """SELECT ?y (COUNT(DISTINCT ?la) AS ?n) WHERE { ?a ccgkg:localAuthority ?la ; ccgkg:startDate ?s .
        BIND(SUBSTR(STR(?s), 1, 4) AS ?y) } GROUP BY ?y ORDER BY ?y"""
    got = {str(r[0]): int(r[1]) for r in full.graph.query(query)}
    assert got == {"2015": 152, "2016": 152, "2017": 152, "2018": 152, "2019": 151, "2020": 151, "2021": 152}
    # Dorset County Council's area ends with the 2019 reorganisation; its HWB ends with it
    assert str(full.graph.value(org_iri("E10000009-HWB"), CCGKG.endDate)) == "2019-03-31"


@pytest.mark.parametrize("file,day,expected", [
    ("practices/epraccur_2016-01_openprescribing.csv", "2016-01-04", {"02H": 66, "02E": 29, "01F": 17}),
    ("practices/epraccur_2019-12_psychty.csv", "2019-12-20", {"02H": 61, "02E": 26, "01F": 14}),
    ("practices/epraccur_2023-02_psychty.csv", "2022-06-30", {"02H": 58, "02E": 26, "01F": 14}),
])
def test_practice_members_per_snapshot(shared_data: Path, ods_import: Callable[..., ImportResult], file: str,
                                       day: str, expected: dict[str, int]) -> None:
    """Members on the file's date (the CCG's last day for 2023) that ODS does not mark dormant."""
    result = ods_import(shared_data / ECCG, shared_data / file)
    snap = snapshot(result.graph, dt.date.fromisoformat(day))
    query = """SELECT ?ccg (COUNT(DISTINCT ?p) AS ?n) WHERE { ?m ccgkg:practice ?p ; ccgkg:group ?ccg .
        ?p ccgkg:odsStatus ?st . FILTER(?st != "D") } GROUP BY ?ccg"""
    got = {str(r[0]).rsplit("/", 1)[1]: int(r[1]) for r in snap.query(query)}
    assert {c: got.get(c) for c in expected} == expected


def test_practice_file_counts_2023(shared_data: Path, ods_import: Callable[..., ImportResult]) -> None:
    result = ods_import(shared_data / ECCG, shared_data / "practices/epraccur_2023-02_psychty.csv")
    prac = [f for f in result.files if f.kind == "ods-epraccur"][0]
    assert (prac.read, prac.imported, prac.skipped, prac.rejected) == (15663, 8641, 15663 - 8641, 0)
    assert prac.notes[0] == "7022 row(s): skipped: not a GP practice (prescribing setting other than 4)"
    # the 2023 trap: join dates older than the merged CCG are cut to the CCG's start
    m = [s for s in result.graph.subjects(CCGKG.practice, org_iri("A81001"))]
    assert [str(result.graph.value(x, CCGKG.startDate)) for x in m] == ["2020-04-01"]


def test_repeat_import_is_byte_identical(shared_data: Path) -> None:
    paths = [shared_data / ECCG, shared_data / "ons", shared_data / "derived" / "ccg_successors.csv"]
    first, second = import_ods(paths).graph, import_ods(paths).graph
    for fmt in ("nt", "longturtle"):
        assert serialize(first, fmt) == serialize(second, fmt)


def test_store_load_reads_an_ods_folder(shared_data: Path) -> None:
    from ccgkg.store import load

    g = load(shared_data / "ods")
    assert len(set(g.subjects(RDF.type, CCGKG.ClinicalCommissioningGroup))) == 248
    assert isinstance(g, Graph)


def test_the_whole_shared_data_folder_imports_strictly(real_england_import: ImportResult) -> None:
    """Every recognised file under ../shared/data together (three eccg and three epraccur snapshots): later
    snapshots override earlier ones, so the counts still hold; unrecognised files are listed as skipped."""
    result = real_england_import
    assert result.rejected == 0
    kinds = sorted(f.kind for f in result.files)
    assert kinds.count("ods-eccg") == 3 and kinds.count("ods-epraccur") == 3 and kinds.count("not recognised") == 8
    for day, expected in (("2016-02-01", 209), ("2019-04-01", 191), ("2022-06-30", 106), ("2022-07-01", 0)):
        snap = snapshot(result.graph, dt.date.fromisoformat(day))
        assert len(set(snap.subjects(RDF.type, CCGKG.ClinicalCommissioningGroup))) == expected


def test_areas_from_the_lookups_match_the_derived_ccg_to_utla_table(shared_data: Path) -> None:
    """LSOA and CCG21 lookups lifted to upper-tier authorities give exactly the 1,565 (year, CCG, UTLA) rows of the
    independently derived table, with the same LSOA shares (2015-2020) to 4 decimal places."""
    import csv
    from decimal import Decimal

    g = import_ods([shared_data / "lookups"]).graph
    mine = {}
    for area in g.subjects(CCGKG.areaOf, None):
        key = (str(g.value(area, CCGKG.startDate))[:4], str(g.value(area, CCGKG.areaOf)).rsplit("/", 1)[1],
               str(g.value(area, CCGKG.localAuthority)).rsplit("/", 1)[1])
        share = g.value(area, CCGKG.shareOfGroupArea)
        mine[key] = None if share is None else Decimal(str(share))
    with (shared_data / "derived/ccg_to_utla_hwb_by_year_lsoa_weighted.csv").open(encoding="utf-8") as handle:
        ref = {(r["year"], r["ccg_ods_code"], r["utla_hwb_code"]): Decimal(r["share_of_ccg_lsoas"])
               for r in csv.DictReader(handle)}
    assert set(mine) == set(ref)
    differ = [k for k, v in mine.items() if v is not None and abs(v - ref[k]) > Decimal("0.00005")]
    assert differ == []
    assert sum(v is None for v in mine.values()) == sum(k[0] == "2021" for k in ref)


def test_142_ccg_to_ccg_successions_and_106_to_icbs(full) -> None:
    g = full.graph
    edges = [(s, o) for s, o in g.subject_objects(CCGKG.succeededBy)]
    to_ccg = [e for e in edges if (e[1], RDF.type, CCGKG.ClinicalCommissioningGroup) in g]
    to_icb = [e for e in edges if (e[1], RDF.type, CCGKG.IntegratedCareBoard) in g]
    assert (len(to_ccg), len(to_icb), len(edges)) == (142, 106, 248)

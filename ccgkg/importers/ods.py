"""NHS Digital ODS files (``eccg``, ``epraccur``) and ONS names, codes and lookups, read as published, to RDF.

Files are recognised by their content, not their names (:func:`recognise`): headerless 27-column rows with ODS
code shapes and role codes (eccg) or a prescribing setting (epraccur), or ONS headers such as ``CCG19CDH``,
``LSOA11CD``/``LAD20CD``, ``LTLA19CD``/``UTLA19CD``, and the derived CCG->UTLA and successor tables. Reading runs in
two phases: every file is checked row by row against its column specs (:mod:`ccgkg.importers.tables`), then the
records are joined into organisations, practice memberships, area overlaps by year and successions, shaped as
docs/design.md fixes. Rules (see docs/import.md):

- A CCG's end date is its ODS close date, and never later than 2022-06-30; a code ODS keeps open (a sub-ICB
  location, role RO319) is ``succeededBy`` the ICB in column 4, which starts on 2022-07-01.
- Names come from the latest ONS names file that lists the code, else from ODS (an ODS name rewritten to
  "NHS <ICB> ICB - <code>" is used only when nothing better is known).
- Area overlaps are at upper-tier authority (= HWB) level: each lookup year holds from 1 April of that year to the
  day before the next lookup year (the last until 2022-06-30), cut to the CCG's own dates. Each upper-tier
  authority gets its Health and Wellbeing Board ``<LA>-HWB`` (HSCA 2012 s.194(1)).
- Later ODS snapshots (by the latest date in the file) override earlier ones for the same code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from ccgkg.errors import InputError, RowProblem, SourceNotFound, TableError
from ccgkg.importers.evidence import ods_coverage
from ccgkg.importers.result import ImportResult, finish
from ccgkg.importers.tables import (
    ODS_ENCODINGS,
    Column,
    FileTally,
    Kind,
    Row,
    Table,
    check_period,
    check_row,
    count_records,
    decode,
    iter_csv,
    parse_csv,
)
from ccgkg.namespaces import CCGKG, bind_prefixes, fact_iri, org_iri
from ccgkg.temporal import CCG_FIRST_DAY, CCG_LAST_DAY

ICB_FIRST_DAY = dt.date(2022, 7, 1)
ODS_COLUMNS = 27
#: Successor edges carrying less than this share of the old CCG are boundary flows, not successions.
MIN_SUCCESSOR_SHARE = Decimal("0.05")

_ODS_CODE = re.compile(r"^[0-9A-Z]{3}$|^[0-9A-Z]{5,6}$")


# --------------------------------------------------------------------------------------------------- recognition

@dataclass(frozen=True)
class Recognised:
    """What a file is: its kind, the year its ONS columns carry, and the header (None for headerless ODS)."""

    kind: str
    year: int | None
    header: tuple[str, ...] | None


KINDS = {
    "ods-eccg": "ODS eccg (CCGs and commissioning hubs)",
    "ods-epraccur": "ODS epraccur (GP practices and their commissioner)",
    "ons-ccg-names": "ONS CCG names and codes (CCGyyCD, CCGyyCDH, CCGyyNM)",
    "ons-icb-names": "ONS ICB names and codes (ICByyCD, ICByyCDH, ICByyNM)",
    "ons-lsoa-ccg-lad": "ONS LSOA -> CCG -> LAD lookup",
    "ons-ccg-lad": "ONS CCG -> LAD lookup",
    "ons-ltla-utla": "ONS LTLA -> UTLA lookup",
    "ccg-utla": "derived CCG -> UTLA (HWB) table",
    "ccg-successors": "CCG successors table",
}


def _year_col(header: Sequence[str], stem: str, suffix: str) -> tuple[int, str] | None:
    for name in header:
        m = re.fullmatch(stem + r"(\d\d)" + suffix, name)
        if m:
            return 2000 + int(m.group(1)), name
    return None


def recognise(table: Table) -> Recognised | None:
    """Say what ``table`` holds, from its content; None when it is no ODS/ONS file ccgkg knows."""
    if not table.rows:
        return None
    first = table.rows[0].values
    names = set(first)
    if {"old_ods_code", "new_ods_code", "effective_date"} <= names:
        return Recognised("ccg-successors", None, first)
    if {"year", "ccg_ods_code", "utla_hwb_code"} <= names:
        return Recognised("ccg-utla", None, first)
    ccg = _year_col(first, "CCG", "CDH")
    lad = _year_col(first, "LAD", "CD")
    if ccg and lad and "LSOA11CD" in names:
        return Recognised("ons-lsoa-ccg-lad", ccg[0], first)
    if ccg and lad:
        return Recognised("ons-ccg-lad", ccg[0], first)
    ltla = _year_col(first, "LTLA", "CD")
    if ltla and _year_col(first, "UTLA", "CD"):
        return Recognised("ons-ltla-utla", ltla[0], first)
    if ccg and _year_col(first, "CCG", "NM"):
        return Recognised("ons-ccg-names", ccg[0], first)
    icb = _year_col(first, "ICB", "CDH")
    if icb and _year_col(first, "ICB", "NM"):
        return Recognised("ons-icb-names", icb[0], first)
    sample = [r.values for r in table.rows[:20]]
    if sum(len(v) == ODS_COLUMNS for v in sample) * 2 <= len(sample):
        return None
    full = [v for v in sample if len(v) == ODS_COLUMNS]
    shaped = [v for v in full if _ODS_CODE.match(v[0]) and re.fullmatch(r"\d{8}", v[10])]
    practices = sum(1 for v in shaped if v[12] and v[12] in "ACDP" and v[25].isdigit())
    groups = sum(1 for v in shaped if v[25] == "" and (v[13] in ("C", "H", "") or v[13].startswith("RO")))
    if practices * 2 > len(full):  # most rows look right: the odd bad row is then reported, not the whole file
        return Recognised("ods-epraccur", None, None)
    if groups * 2 > len(full):
        return Recognised("ods-eccg", None, None)
    return None


# ---------------------------------------------------------------------------------------------------- the specs

ECCG_SPEC: tuple[tuple[int, Column], ...] = (
    (0, Column("org_code", Kind.CODE, required=True)),
    (1, Column("name", required=True)),
    (3, Column("high_level_health_geography", Kind.CODE)),
    (10, Column("open_date", Kind.ODS_DATE, required=True)),
    (11, Column("close_date", Kind.ODS_DATE)),
    (13, Column("org_sub_type_or_role")),
)
EPRACCUR_SPEC: tuple[tuple[int, Column], ...] = (
    (0, Column("practice_code", Kind.CODE, required=True)),
    (1, Column("name", required=True)),
    (2, Column("national_grouping")),
    (10, Column("open_date", Kind.ODS_DATE, required=True)),
    (11, Column("close_date", Kind.ODS_DATE)),
    (12, Column("status_code", Kind.CHOICE, required=True, choices=("A", "C", "D", "P"))),
    (14, Column("commissioner_code", Kind.CODE)),
    (15, Column("join_commissioner_date", Kind.ODS_DATE)),
    (16, Column("left_commissioner_date", Kind.ODS_DATE)),
    (25, Column("prescribing_setting", Kind.INTEGER, required=True)),
)
#: Role codes in eccg column 14: C/RO319 (and blank for closed CCGs) are CCGs; H/RO218 hubs; RO327 entities of 2024+.
CCG_ROLES = {"C", "RO319", "RO326", ""}
HUB_ROLES = {"H", "RO218"}
LATER_ROLES = {"RO327"}
GP_SETTING = 4


def _key_columns(kind: str, year: int | None) -> tuple[str, ...]:
    yy = f"{year % 100:02d}" if year else ""
    return {"ods-eccg": ("org_code",), "ods-epraccur": ("practice_code",), "ons-lsoa-ccg-lad": ("LSOA11CD",),
            "ons-ccg-lad": (f"CCG{yy}CDH", f"LAD{yy}CD"), "ons-ltla-utla": (f"LTLA{yy}CD",),
            "ons-ccg-names": (f"CCG{yy}CDH",), "ons-icb-names": (f"ICB{yy}CDH",),
            "ccg-utla": ("year", "ccg_ods_code", "utla_hwb_code"),
            "ccg-successors": ("old_ods_code", "new_ods_code")}[kind]


def _header_spec(kind: str, year: int | None) -> tuple[tuple[str, Column], ...]:
    yy = f"{year % 100:02d}" if year else ""
    code = Kind.CODE
    if kind == "ons-ccg-names":
        return ((f"CCG{yy}CD", Column(f"CCG{yy}CD", code)), (f"CCG{yy}CDH", Column(f"CCG{yy}CDH", code, True)),
                (f"CCG{yy}NM", Column(f"CCG{yy}NM", required=True)))
    if kind == "ons-icb-names":
        return ((f"ICB{yy}CD", Column(f"ICB{yy}CD", code)), (f"ICB{yy}CDH", Column(f"ICB{yy}CDH", code, True)),
                (f"ICB{yy}NM", Column(f"ICB{yy}NM", required=True)))
    if kind in ("ons-lsoa-ccg-lad", "ons-ccg-lad"):
        lsoa = ((("LSOA11CD", Column("LSOA11CD", code, True)),) if kind == "ons-lsoa-ccg-lad" else ())
        return lsoa + ((f"CCG{yy}CDH", Column(f"CCG{yy}CDH", code, True)), (f"CCG{yy}NM", Column(f"CCG{yy}NM")),
                       (f"LAD{yy}CD", Column(f"LAD{yy}CD", code, True)), (f"LAD{yy}NM", Column(f"LAD{yy}NM")))
    if kind == "ons-ltla-utla":
        return ((f"LTLA{yy}CD", Column(f"LTLA{yy}CD", code, True)), (f"UTLA{yy}CD", Column(f"UTLA{yy}CD", code, True)),
                (f"UTLA{yy}NM", Column(f"UTLA{yy}NM")))
    if kind == "ccg-utla":
        return tuple((c.name, c) for c in (Column("year", Kind.YEAR, True), Column("ccg_ods_code", code, True),
                                           Column("ccg_name"), Column("utla_hwb_code", code, True),
                                           Column("utla_hwb_name"), Column("share_of_ccg_lsoas", Kind.SHARE)))
    if kind == "ccg-successors":
        return tuple((c.name, c) for c in (Column("old_ods_code", code, True), Column("new_ods_code", code, True),
                                           Column("effective_date", Kind.ISO_DATE, True),
                                           Column("share_of_old_lsoas_or_practices", Kind.SHARE)))
    raise ValueError(kind)


# ------------------------------------------------------------------------------------------------------ records

@dataclass(slots=True)  # one per practice: 200,000 of them in a large epraccur file
class _Org:
    code: str
    cls: URIRef
    label: str | None = None
    label_rank: tuple[int, int] = (-1, 0)
    ons_code: str | None = None
    ons_year: int = -1
    start: dt.date | None = None
    end: dt.date | None = None
    status: str | None = None
    grouping: str | None = None  # epraccur national grouping (W00: Wales)
    snapshot: dt.date = dt.date.min
    successors: set[str] = field(default_factory=set)
    parent: str | None = None


@dataclass
class _Source:
    """One recognised file: its text, what it is and its tally."""

    table: _Text
    rec: Recognised
    tally: FileTally
    snapshot: dt.date


_NO_DATE = "00000000"


def _latest_date(row: Row, latest: str) -> str:
    """The later of ``latest`` and the YYYYMMDD dates in an ODS row's date columns."""
    for pos in (10, 11, 15, 16):
        if pos < len(row.values):
            v = row.values[pos]
            if len(v) == 8 and v > latest and v.isdigit():
                latest = v
    return latest


def _snapshot_date(latest: str) -> dt.date:
    """The latest YYYYMMDD date in an ODS file (:func:`_latest_date` over its rows): a stand-in for the date it
    was extracted."""
    try:
        return dt.date(int(latest[:4]), int(latest[4:6]), int(latest[6:]))
    except ValueError:
        return dt.date.min


@dataclass(frozen=True)
class _Text:
    """A decoded file whose rows are parsed each time they are walked, never all held (a 200,000-row epraccur
    file as a table of rows took gigabytes)."""

    path: str
    text: str

    @property
    def rows(self) -> Iterator[Row]:
        return iter_csv(self.path, self.text)


@functools.lru_cache(maxsize=8192)
def _lit_date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


#: How the summary names the values the ODS rules change (counted per file, with the first examples).
CCG_END_CHANGE = ("changed: CCG end date set to 2022-06-30, the last day of CCGs (ODS keeps some codes open as "
                  "sub-ICB locations)")
#: what the importer infers from the area lookups (counted in the summary: issue 9, no silent change)
AUTHORITY_INFERRED = ("inferred: a local authority and its Health and Wellbeing Board made from the area lookups "
                      "(ODS lists neither)")
AREA_PERIOD_INFERRED = ("inferred: an area overlap's dates from its lookup's year (1 April to the day before the "
                        "next lookup's year)")
DISTRICT_CHANGE = "changed: district (E07) lifted to its county, the upper-tier authority whose HWB covers it"
MEMBERSHIP_CHANGE = ("changed or inferred: membership dates set to the latest of join, practice open and CCG start "
                     "and the earliest of left, practice close and CCG end")


#: the columns of an epraccur row that memberships and their coverage gaps are made from: only these are kept for
#: the join (the whole rows of a 200,000-row file held most of the import's memory)
_MEMBERSHIP_COLUMNS = ("practice_code", "commissioner_code", "open_date", "close_date", "join_commissioner_date",
                       "left_commissioner_date")


def _span(start: dt.date | None, end: dt.date | None) -> str:
    return f"{start.isoformat() if start else '?'}..{end.isoformat() if end else 'open'}"


class _Builder:
    """Collects the records of every file, then joins them into one graph."""

    def __init__(self) -> None:
        self.problems: list[RowProblem] = []
        self.orgs: dict[str, _Org] = {}
        self.practice_rows: list[tuple[FileTally, dt.date, dict[str, Any]]] = []
        self.area_years: dict[int, dict[tuple[str, str], Decimal | None]] = defaultdict(dict)
        self.area_rows: dict[int, list[tuple[FileTally, str, str]]] = defaultdict(list)
        self.lad_names: dict[str, str] = {}
        self.ltla: dict[int, dict[str, tuple[str, str | None]]] = defaultdict(dict)
        self.utla_names: dict[str, str] = {}
        self.successor_rows: list[tuple[FileTally, dict[str, Any]]] = []
        self.lsoa_years: set[int] = set()
        self.other_setting: dict[str, dt.date] = {}  # practice -> last file giving a non-GP prescribing setting
        self.gp_from: dict[str, dt.date] = {}  # practice -> first file giving setting 4 after such a file
        self.sources: list[_Source] = []  # the files read, for the coverage statements
        self.year_source: dict[int, FileTally] = {}  # area year -> the first file giving it (counts inferences)

    # ---- phase 1: read rows

    def org(self, code: str, cls: URIRef) -> _Org:
        org = self.orgs.get(code)
        if org is None:
            org = self.orgs[code] = _Org(code, cls)
        return org

    def name(self, org: _Org, label: str, rank: tuple[int, int]) -> None:
        if label and rank >= org.label_rank:
            org.label, org.label_rank = label, rank

    def read(self, src: _Source) -> None:
        kind = src.rec.kind
        if kind in ("ods-eccg", "ods-epraccur"):
            spec = ECCG_SPEC if kind == "ods-eccg" else EPRACCUR_SPEC
            columns = [c for _, c in spec]
            positions = [p for p, _ in spec]
            data_rows: Iterable[Row] = src.table.rows
        else:
            assert src.rec.header is not None
            hspec = _header_spec(kind, src.rec.year)
            columns = [c for _, c in hspec]
            positions = [src.rec.header.index(h) if h in src.rec.header else -1 for h, _ in hspec]
            data_rows = itertools.islice(src.table.rows, 1, None)
        width = ODS_COLUMNS if src.rec.header is None else len(src.rec.header)
        seen: dict[Any, int] = {}
        handler = {"ods-eccg": self._ods_eccg, "ods-epraccur": self._ods_epraccur,
                   "ons-ccg-names": self._ons_ccg_names, "ons-icb-names": self._ons_icb_names,
                   "ons-lsoa-ccg-lad": self._ons_lsoa_ccg_lad, "ons-ccg-lad": self._ons_ccg_lad,
                   "ons-ltla-utla": self._ons_ltla_utla, "ccg-utla": self._ccg_utla,
                   "ccg-successors": self._ccg_successors}[kind]
        for row in data_rows:
            src.tally.read += 1
            before = len(self.problems)
            if len(row.values) != width:
                what = "ODS files have 27 columns" if src.rec.header is None else "the header has that many"
                self.problems.append(RowProblem(src.table.path, row.number, None, f"{len(row.values)} columns",
                                                f"wrong column count: expected {width} ({what})"))
                src.tally.rejected += 1
                continue
            values = check_row(src.table.path, row, columns, positions, self.problems)
            if values is not None:
                key_cols = _key_columns(kind, src.rec.year)
                key = tuple(values[c] for c in key_cols)
                if key in seen:
                    self.problems.append(RowProblem(
                        src.table.path, row.number, key_cols[0], "/".join(str(k) for k in key),
                        f"duplicate row: the same {' and '.join(key_cols)} as row {seen[key]}"))
                else:
                    seen[key] = row.number
                    handler(src, row, values)
            if len(self.problems) > before:
                src.tally.rejected += 1

    def _ods_eccg(self, src: _Source, row: Row, v: dict[str, Any]) -> None:
        path = src.table.path
        if not check_period(path, row.number, v["open_date"], v["close_date"], start_col="open_date",
                            end_col="close_date", problems=self.problems):
            return
        roles = set((v["org_sub_type_or_role"] or "").split("|"))
        if roles & LATER_ROLES:
            src.tally.skip("sub-ICB reporting entity (role RO327, from 2024): outside 2013-2022")
            return
        if roles & HUB_ROLES:
            cls = CCGKG.CommissioningHub
        elif roles <= CCG_ROLES:
            cls = CCGKG.ClinicalCommissioningGroup
        else:
            self.problems.append(RowProblem(path, row.number, "org_sub_type_or_role", v["org_sub_type_or_role"],
                                            "unknown role code: expected C, H, RO218, RO319, RO326 or RO327"))
            return
        org = self.org(v["org_code"], cls)
        if src.snapshot >= org.snapshot:
            org.cls, org.snapshot = cls, src.snapshot
            org.start = v["open_date"]
            close = v["close_date"]
            if cls == CCGKG.ClinicalCommissioningGroup:
                org.end = min(close, CCG_LAST_DAY) if close else CCG_LAST_DAY
                if org.end != close:
                    src.tally.change(CCG_END_CHANGE, f"row {row.number} {v['org_code']}: "
                                                     f"{close.isoformat() if close else 'open'} -> {org.end}")
                icb = v["high_level_health_geography"]
                if "RO319" in roles and close is None and icb:
                    org.successors = {icb}
                    icb_org = self.org(icb, CCGKG.IntegratedCareBoard)
                    icb_org.start = ICB_FIRST_DAY
                    if v["name"].endswith(" ICB - " + v["org_code"]):  # "NHS FRIMLEY ICB - D4U1Y"
                        self.name(icb_org, v["name"].rsplit(" - ", 1)[0], (0, src.snapshot.toordinal()))
            else:
                org.end = close
        ods_name = v["name"]
        rewritten = " ICB - " in ods_name
        self.name(org, ods_name, (0 if rewritten else 1, src.snapshot.toordinal()))
        src.tally.imported += 1

    def _ods_epraccur(self, src: _Source, row: Row, v: dict[str, Any]) -> None:
        path = src.table.path
        if not check_period(path, row.number, v["open_date"], v["close_date"], start_col="open_date",
                            end_col="close_date", problems=self.problems):
            return
        if not check_period(path, row.number, v["join_commissioner_date"], v["left_commissioner_date"],
                            start_col="join_commissioner_date", end_col="left_commissioner_date",
                            problems=self.problems):
            return
        if v["prescribing_setting"] != GP_SETTING:
            src.tally.skip("not a GP practice (prescribing setting other than 4)")
            self.other_setting[v["practice_code"]] = max(src.snapshot, self.other_setting.get(v["practice_code"],
                                                                                             src.snapshot))
            return
        if v["practice_code"] in self.other_setting and v["practice_code"] not in self.gp_from:
            self.gp_from[v["practice_code"]] = src.snapshot  # a GP practice only from this file on
        org = self.org(v["practice_code"], CCGKG.GPPractice)
        if src.snapshot >= org.snapshot:
            org.snapshot, org.start, org.end, org.status = src.snapshot, v["open_date"], v["close_date"], \
                v["status_code"]
            org.grouping = v["national_grouping"]
            self.name(org, v["name"], (1, src.snapshot.toordinal()))
        self.practice_rows.append((src.tally, src.snapshot, {k: v[k] for k in _MEMBERSHIP_COLUMNS}))
        src.tally.imported += 1

    def _ons_ccg_names(self, src: _Source, row: Row, v: dict[str, Any]) -> None:
        yy = f"{src.rec.year % 100:02d}"  # type: ignore[operator]
        self._ons_ccg(v[f"CCG{yy}CDH"], v.get(f"CCG{yy}CD"), v[f"CCG{yy}NM"], src.rec.year or 0)
        src.tally.imported += 1

    def _ons_ccg(self, code: str, ons: str | None, name: str | None, year: int) -> None:
        org = self.org(code, CCGKG.ClinicalCommissioningGroup)
        if name:
            self.name(org, name, (2, year))
        if ons and year >= org.ons_year:
            org.ons_code, org.ons_year = ons, year

    def _ons_icb_names(self, src: _Source, row: Row, v: dict[str, Any]) -> None:
        yy = f"{src.rec.year % 100:02d}"  # type: ignore[operator]
        org = self.org(v[f"ICB{yy}CDH"], CCGKG.IntegratedCareBoard)
        org.cls, org.start = CCGKG.IntegratedCareBoard, ICB_FIRST_DAY
        self.name(org, v[f"ICB{yy}NM"], (2, src.rec.year or 0))
        if v.get(f"ICB{yy}CD"):
            org.ons_code = v[f"ICB{yy}CD"]
        src.tally.imported += 1

    def _ons_lsoa_ccg_lad(self, src: _Source, row: Row, v: dict[str, Any]) -> None:
        self.lsoa_years.add(src.rec.year or 0)
        self._ons_ccg_lad(src, row, v)

    def _ons_ccg_lad(self, src: _Source, row: Row, v: dict[str, Any]) -> None:
        year = src.rec.year or 0
        yy = f"{year % 100:02d}"
        ccg, lad = v[f"CCG{yy}CDH"], v[f"LAD{yy}CD"]
        self._ons_ccg(ccg, None, v.get(f"CCG{yy}NM"), year - 100)  # a lookup's name ranks below a names file's
        if v.get(f"LAD{yy}NM"):
            self.lad_names[lad] = v[f"LAD{yy}NM"]
        self.area_rows[year].append((src.tally, ccg, lad))

    def _ons_ltla_utla(self, src: _Source, row: Row, v: dict[str, Any]) -> None:
        year = src.rec.year or 0
        yy = f"{year % 100:02d}"
        self.ltla[year][v[f"LTLA{yy}CD"]] = (v[f"UTLA{yy}CD"], v.get(f"UTLA{yy}NM"))
        if v.get(f"UTLA{yy}NM"):
            self.utla_names[v[f"UTLA{yy}CD"]] = v[f"UTLA{yy}NM"]
        src.tally.imported += 1

    def _ccg_utla(self, src: _Source, row: Row, v: dict[str, Any]) -> None:
        year, ccg, utla = v["year"], v["ccg_ods_code"], v["utla_hwb_code"]
        self._ons_ccg(ccg, None, v.get("ccg_name"), year - 100)
        if v.get("utla_hwb_name"):
            self.utla_names.setdefault(utla, v["utla_hwb_name"])
        self.area_years[year].setdefault((ccg, utla), v["share_of_ccg_lsoas"])
        self.year_source.setdefault(year, src.tally)
        src.tally.imported += 1

    def _ccg_successors(self, src: _Source, row: Row, v: dict[str, Any]) -> None:
        self.successor_rows.append((src.tally, v))

    # ---- phase 2: join

    def _utla_of(self, lad: str, year: int) -> str | None:
        if lad[:3] in ("E06", "E08", "E09", "E10"):
            return lad
        if not self.ltla:
            return None
        years = sorted(self.ltla)
        order = [y for y in reversed(years) if y <= year] + [y for y in years if y > year]
        for y in order:
            if lad in self.ltla[y]:
                return self.ltla[y][lad][0]
        return None

    def join(self) -> Graph:
        g = bind_prefixes(Graph())
        g.addN((s, p, o, g) for _subject, make in self.subjects() for s, p, o in make())
        return g

    def subjects(self) -> list[tuple[URIRef, Callable[[], list[Triple]]]]:
        """Join the records (once), then list every subject with a function that gives its triples when called:
        the triples are made as they are written, never all held at once. A subject may be listed twice."""
        self._join_areas()
        self._join_successors()
        memberships = self._join_memberships()
        out: list[tuple[URIRef, Callable[[], list[Triple]]]] = [
            (org_iri(code), functools.partial(_org_triples, self.orgs[code], self.gp_from.get(code)))
            for code in sorted(self.orgs)]
        out.extend((iri, functools.partial(_membership_triples, iri, *m)) for iri, m in sorted(memberships.items()))
        out.extend(self._area_subjects())
        # what ODS holds (issue 10): coverage statements, and gaps where no epraccur file vouches for a membership
        scope: dict[URIRef, list[Triple]] = defaultdict(list)
        for t in [*ods_coverage(_coverage_read(self.sources)), *_membership_gaps(self.practice_rows)]:
            scope[t[0]].append(t)
        out.extend((subject, functools.partial(list, triples)) for subject, triples in sorted(scope.items()))
        return out

    def _join_areas(self) -> None:
        for year, rows in sorted(self.area_rows.items()):
            if rows:
                self.year_source.setdefault(year, rows[0][0])
            counts: dict[tuple[str, str], int] = defaultdict(int)
            totals: dict[str, int] = defaultdict(int)
            for tally, ccg, lad in rows:
                utla = self._utla_of(lad, year)
                if utla is None:
                    tally.skip(f"district {lad} has no upper-tier authority in the LTLA->UTLA lookups given "
                               "(add an ONS LTLA->UTLA lookup)")
                    continue
                if utla == lad and lad in self.lad_names:
                    self.utla_names.setdefault(utla, self.lad_names[lad])
                elif utla != lad:
                    tally.change(DISTRICT_CHANGE, f"{ccg} {lad} -> {utla} ({year})")
                counts[(ccg, utla)] += 1
                totals[ccg] += 1
                tally.imported += 1
            lsoa_based = year in self.lsoa_years  # shares from LSOA counts; a CCG->LAD pair list gives none
            for (ccg, utla), n in sorted(counts.items()):
                share = (Decimal(n) / Decimal(totals[ccg])).quantize(Decimal("0.0001")) if lsoa_based else None
                self.area_years[year].setdefault((ccg, utla), share)

    def _join_successors(self) -> None:
        for tally, v in self.successor_rows:
            old, new, eff, share = (v["old_ods_code"], v["new_ods_code"], v["effective_date"],
                                    v["share_of_old_lsoas_or_practices"])
            if share is not None and share < MIN_SUCCESSOR_SHARE:
                tally.skip(f"boundary flow below {MIN_SUCCESSOR_SHARE:.0%} of the old CCG, not a succession")
                continue
            if eff >= ICB_FIRST_DAY and new not in self.orgs:
                self.org(new, CCGKG.IntegratedCareBoard).start = ICB_FIRST_DAY
            missing = [c for c in (old, new) if c not in self.orgs]
            if missing:
                tally.skip("old or new code is not defined by the eccg or ONS files given")
                continue
            self.orgs[old].successors.add(new)
            tally.imported += 1

    def _join_memberships(self) -> dict[URIRef, tuple[str, str, dt.date, dt.date | None]]:
        out: dict[URIRef, tuple[str, str, dt.date, dt.date | None]] = {}
        tallies: dict[str, FileTally] = {}
        for tally, _snap, v in sorted(self.practice_rows, key=lambda t: t[1]):
            ccg_code = v["commissioner_code"]
            ccg = self.orgs.get(ccg_code) if ccg_code else None
            if ccg is None or ccg.cls != CCGKG.ClinicalCommissioningGroup:
                tally.note("practice imported without membership: its commissioner is not a CCG in the files "
                           "given (Welsh LHB, blank, or no eccg/ONS file names it)")
                continue
            starts = [d for d in (v["join_commissioner_date"], v["open_date"], ccg.start) if d is not None]
            ends = [d for d in (v["left_commissioner_date"], v["close_date"], ccg.end) if d is not None]
            start = max(starts)
            end = min(ends) if ends else None
            if (start, end) != (v["join_commissioner_date"], v["left_commissioner_date"]):
                tally.change(MEMBERSHIP_CHANGE, f"{v['practice_code']} in {ccg_code}: "
                                                f"{_span(v['join_commissioner_date'], v['left_commissioner_date'])} "
                                                f"-> {_span(start, end)}")
            if end is not None and end < start:
                tally.note("practice imported without membership: it joined its commissioner after the CCG "
                           "ended (a sub-ICB location from 2022-07-01)")
                continue
            out[fact_iri("membership", v["practice_code"], ccg_code, start.isoformat())] = (
                v["practice_code"], ccg_code, start, end)
            tallies[v["practice_code"]] = tally
        return _end_superseded(out, tallies)

    def _area_subjects(self) -> list[tuple[URIRef, Callable[[], list[Triple]]]]:
        out: list[tuple[URIRef, Callable[[], list[Triple]]]] = []
        years = sorted(self.area_years)
        present: dict[str, list[int]] = defaultdict(list)
        for i, year in enumerate(years):
            start = dt.date(year, 4, 1)
            end = dt.date(years[i + 1], 4, 1) - dt.timedelta(days=1) if i + 1 < len(years) else CCG_LAST_DAY
            for (ccg, utla), share in sorted(self.area_years[year].items()):
                if year not in present[utla]:
                    present[utla].append(year)
                org = self.orgs.get(ccg)
                s = max(start, org.start) if org and org.start else start
                e = min(end, org.end) if org and org.end else end
                if e < s:
                    continue
                iri = fact_iri("area", ccg, utla, s.isoformat())
                out.append((iri, functools.partial(_area_triples, iri, ccg, utla, s, e, share)))
                if (tally := self.year_source.get(year)) is not None:
                    tally.change(AREA_PERIOD_INFERRED, f"{ccg} in {utla}: {s}..{e}")
        for utla, seen in sorted(present.items()):
            first, last = seen[0], seen[-1]
            la_start = None if first == years[0] else dt.date(first, 4, 1)
            nxt = [y for y in years if y > last]
            la_end = dt.date(nxt[0], 4, 1) - dt.timedelta(days=1) if nxt else None
            name = self.utla_names.get(utla)
            la = _Org(utla, CCGKG.LocalAuthority, label=name, start=la_start, end=la_end)
            hwb = _Org(f"{utla}-HWB", CCGKG.HealthAndWellbeingBoard,
                       label=f"{name} Health and Wellbeing Board" if name else None,
                       start=max(la_start or CCG_FIRST_DAY, CCG_FIRST_DAY), end=la_end, parent=utla)
            out += [(org_iri(o.code), functools.partial(_org_triples, o)) for o in (la, hwb)]
            if (tally := self.year_source.get(first)) is not None:
                tally.change(AUTHORITY_INFERRED, f"{utla} and {utla}-HWB")
        return out


Triple = tuple[URIRef, URIRef, Node]


def _org_triples(org: _Org, gp_from: dt.date | None = None) -> list[Triple]:
    iri = org_iri(org.code)
    out: list[Triple] = [(iri, RDF.type, org.cls), (iri, CCGKG.code, Literal(org.code))]
    if org.label:
        out.append((iri, RDFS.label, Literal(org.label)))
    if org.ons_code:
        out.append((iri, CCGKG.onsCode, Literal(org.ons_code)))
    if org.start:
        out.append((iri, CCGKG.startDate, _lit_date(org.start)))
    if org.end:
        out.append((iri, CCGKG.endDate, _lit_date(org.end)))
    if org.status:
        out.append((iri, CCGKG.odsStatus, Literal(org.status)))
    if org.grouping:
        out.append((iri, CCGKG.nationalGrouping, Literal(org.grouping)))
    if gp_from is not None:
        out.append((iri, CCGKG.gpSettingFrom, _lit_date(gp_from)))
    out.extend((iri, CCGKG.succeededBy, org_iri(succ)) for succ in sorted(org.successors))
    if org.parent:
        out.append((iri, CCGKG.parentAuthority, org_iri(org.parent)))
    return out


def _membership_triples(iri: URIRef, practice: str, ccg: str, start: dt.date, end: dt.date | None) -> list[Triple]:
    out: list[Triple] = [(iri, RDF.type, CCGKG.PracticeMembership), (iri, CCGKG.practice, org_iri(practice)),
                         (iri, CCGKG.group, org_iri(ccg)), (iri, CCGKG.startDate, _lit_date(start))]
    if end is not None:
        out.append((iri, CCGKG.endDate, _lit_date(end)))
    return out


def _area_triples(iri: URIRef, ccg: str, utla: str, start: dt.date, end: dt.date,
                  share: Decimal | None) -> list[Triple]:
    out: list[Triple] = [(iri, RDF.type, CCGKG.AreaOverlap), (iri, CCGKG.areaOf, org_iri(ccg)),
                         (iri, CCGKG.localAuthority, org_iri(utla)), (iri, CCGKG.startDate, _lit_date(start)),
                         (iri, CCGKG.endDate, _lit_date(end))]
    if share is not None:
        out.append((iri, CCGKG.shareOfGroupArea, Literal(share, datatype=XSD.decimal)))
    return out


def _membership_gaps(rows: Sequence[tuple[FileTally, dt.date, dict[str, Any]]]) -> list[tuple[Any, Any, Any]]:
    """Coverage gaps of the memberships: an epraccur row vouches for a practice's commissioner from the day it
    joined (or opened) to the file's date (or its closing); between files that vouch for nothing (a practice that
    one file gives under 05L and the next, three years later, under 15E from 2022-07-01) its membership is unknown,
    so the s.14A rules do not judge it there."""
    from ccgkg.coverage import merge, subtract
    from ccgkg.importers.evidence import gap

    spans: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    lives: dict[str, tuple[dt.date, dt.date]] = {}
    for _tally, snapshot, v in rows:
        opened, closed = v["open_date"], v["close_date"]
        start = max(d for d in (v["join_commissioner_date"], opened) if d is not None)
        spans[v["practice_code"]].append((start, min(snapshot, closed) if closed else snapshot))
        lives[v["practice_code"]] = (max(opened, CCG_FIRST_DAY), min(closed or CCG_LAST_DAY, CCG_LAST_DAY))
    out: list[tuple[Any, Any, Any]] = []
    for code, life in sorted(lives.items()):
        for start, end in subtract([life] if life[0] <= life[1] else [], merge(spans[code])):
            out += gap("memberships", code, start, end)
    return out


def _end_superseded(memberships: dict[URIRef, tuple[str, str, dt.date, dt.date | None]],
                    tallies: dict[str, FileTally]) -> dict[URIRef, tuple[str, str, dt.date, dt.date | None]]:
    """End a membership the day before the same practice's membership of another group begins (an earlier file
    names the old commissioner with no leaving date, a later one the new: the 2017 move of Furness practices from
    01H to 01K). Each change is counted in the import summary."""
    by_practice: dict[str, list[URIRef]] = defaultdict(list)
    for iri, (practice, _ccg, _start, _end) in memberships.items():
        by_practice[practice].append(iri)
    out = dict(memberships)
    for practice, iris in by_practice.items():
        ordered = sorted(iris, key=lambda i: out[i][2])
        for old, new in itertools.pairwise(ordered):
            _p, ccg, start, end = out[old]
            nxt = out[new][2]
            if out[new][1] != ccg and nxt > start and (end is None or end >= nxt):
                out[old] = (practice, ccg, start, nxt - dt.timedelta(days=1))
                tallies[practice].note("membership ended the day before the practice joined its next commissioner "
                                       "(named by a later file)")
    return out


# --------------------------------------------------------------------------------------------------- public API

def expand_paths(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Files to read: each named file (explicit=True), and every CSV below each named folder (explicit=False)."""
    out: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            out.extend((p, False) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() == ".csv")
        else:
            out.append((path, True))
    return out


def import_ods(paths: Sequence[Path | str], *, lenient: bool = False) -> ImportResult:
    """Import ODS and ONS files (or folders of them) into one graph.

    Args:
        paths: files, or folders whose CSV files are read (files ccgkg does not recognise inside a folder are listed
            as skipped; a named file that is not recognised is a problem).
        lenient: import the good rows and return the problems instead of raising.

    Returns:
        The graph with counts per file and (lenient) the problems.

    Raises:
        SourceNotFound: a path does not exist.
        InputError: no file given (or found in the folders given) is an ODS or ONS file ccgkg knows.
        TableError: strict mode, at least one problem; every problem is listed.
    """
    builder, tallies = _read(paths)
    graph = builder.join()
    return finish(graph, tallies, builder.problems, lenient=lenient)


def import_ods_ntriples(paths: Sequence[Path | str], out: Path | str, *, lenient: bool = False) -> ImportResult:
    """Like :func:`import_ods`, writing the graph to ``out`` as sorted N-Triples (the bytes
    ``serialize(import_ods(paths).graph, "nt")`` gives) as it is made, without building it: memory stays small
    on large files. ``out`` is replaced whole, and only when the import succeeds (strict mode: nothing is written
    when any row has a problem).

    Returns:
        The counts and problems, with ``written`` the number of triples and an empty ``graph``.

    Raises:
        The errors of :func:`import_ods`; InputError when ``out`` cannot be written.
    """
    from ccgkg.fileio import atomic_stream

    builder, tallies = _read(paths)
    if builder.problems and not lenient:
        finish(Graph(), tallies, builder.problems, lenient=False)  # raises, listing every problem
    subjects = builder.subjects()
    written = atomic_stream(out, lambda handle: _write_ntriples(subjects, handle))
    return dataclasses.replace(finish(Graph(), tallies, builder.problems, lenient=lenient), written=written)


def _write_ntriples(subjects: list[tuple[URIRef, Callable[[], list[Triple]]]], handle: BinaryIO) -> int:
    """Write each subject's triples as N-Triples lines, all lines in sorted order (sorting the subjects by their
    ``<IRI>`` form and each subject's lines sorts every line: no IRI holds ``>``); return how many were written."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    subjects.sort(key=lambda item: f"<{item[0]}>")
    count = 0
    for iri, group in itertools.groupby(subjects, key=lambda item: item[0]):
        lines = sorted({f"<{iri}> <{p}> {_quoteLiteral(o) if isinstance(o, Literal) else f'<{o}>'} ."
                        for _iri, make in group for _s, p, o in make()})
        count += len(lines)
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    return count


def _read(paths: Sequence[Path | str]) -> tuple[_Builder, list[FileTally]]:
    """Phase 1: find, recognise and read every file's rows into a builder (problems collected, not raised)."""
    from ccgkg.importers.workbook import is_workbook

    resolved = [Path(p) for p in paths]
    for p in resolved:
        if not p.exists():
            raise SourceNotFound(f"no such file or folder: {p}", hint="check the path")
    builder = _Builder()
    tallies: list[FileTally] = []
    sources: list[_Source] = []
    for path, explicit in expand_paths(resolved):
        try:  # one pass over the rows now (a CSV error is found here, as reading the whole file found it)
            text, _encoding = decode(str(path), path.read_bytes(), ODS_ENCODINGS)
            table = _Text(str(path), text)
            head: list[Row] = []
            count, latest = 0, _NO_DATE
            for row in table.rows:
                count += 1
                if len(head) < 20:
                    head.append(row)
                latest = _latest_date(row, latest)
        except TableError as exc:
            builder.problems.extend(exc.problems)
            records = count_records(path)  # read = rejected: the counts add up even for a file that cannot be read
            tallies.append(FileTally(str(path), "unreadable", read=records, rejected=records))
            continue
        rec = recognise(Table(table.path, _encoding, tuple(head)))
        if rec is None:
            tally = FileTally(str(path), "not recognised")
            tally.skip("not an ODS or ONS file ccgkg knows", count)
            tally.read = count
            if explicit:
                builder.problems.append(RowProblem(
                    str(path), None, None, None,
                    "not an ODS or ONS file ccgkg knows: expected " + "; ".join(KINDS.values())))
            tallies.append(tally)
            continue
        tally = FileTally(str(path), rec.kind)
        tallies.append(tally)
        snap = _snapshot_date(latest) if rec.header is None else dt.date(rec.year or 1, 4, 1)
        sources.append(_Source(table, rec, tally, snap))
    if not sources and not builder.problems:
        hint = ("it looks like an analyst workbook: use `ccgkg import workbook`"
                if any(is_workbook(p) for p in resolved) else "expected " + "; ".join(KINDS.values()))
        raise InputError("no ODS or ONS file ccgkg knows in " + ", ".join(str(p) for p in resolved), hint=hint)
    for src in sorted(sources, key=lambda s: (s.snapshot, s.table.path)):
        builder.read(src)
    builder.sources = sources
    return builder, tallies


#: the evidence kinds (ccgkg.importers.evidence.KINDS) each ODS/ONS file kind holds completely.
COVERAGE_OF = {"ods-eccg": ("organisations",), "ods-epraccur": ("organisations", "memberships"),
               "ons-ccg-names": ("organisations",), "ons-icb-names": ("organisations",),
               "ons-lsoa-ccg-lad": ("areas",), "ons-ccg-lad": ("areas",), "ccg-utla": ("areas",)}


def _coverage_read(sources: Sequence[_Source]) -> dict[str, list[str]]:
    read: dict[str, list[str]] = defaultdict(list)
    for src in sources:
        for kind in COVERAGE_OF.get(src.rec.kind, ()):
            read[kind].append(src.table.path)
    return read


def is_ods_input(path: Path) -> bool:
    """Whether ``path`` is an ODS/ONS file ccgkg recognises, or a folder holding at least one."""
    for file, _ in expand_paths([path]):
        if recognise(peek(file)) is not None:
            return True
    return False


def peek(path: Path, size: int = 65536) -> Table:
    """The first complete lines of a file (up to ``size`` bytes), enough to recognise it."""
    with path.open("rb") as handle:
        data = handle.read(size)
    if len(data) == size and b"\n" in data:
        data = data[:data.rindex(b"\n") + 1]
    try:
        return parse_csv(str(path), data.decode("utf-8", errors="replace"))
    except TableError:
        return Table(str(path), "utf-8", ())


__all__ = [
    "ECCG_SPEC",
    "EPRACCUR_SPEC",
    "KINDS",
    "MIN_SUCCESSOR_SHARE",
    "Recognised",
    "expand_paths",
    "import_ods",
    "import_ods_ntriples",
    "is_ods_input",
    "recognise",
]

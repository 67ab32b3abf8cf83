"""Coverage statements: which kinds of record an input holds completely, for which organisations and days.

Every importer says what it holds (docs/validate.md, "Evidence scope"); :mod:`ccgkg.coverage` reads it:

* ODS and ONS files hold organisations, practice memberships (epraccur) and area overlaps (ONS lookups), for every
  organisation, and nothing else: no posts, documents, returns or contracts.
* A workbook holds, by default, each kind of record it has a file for (posts.csv: posts of governing bodies and of
  boards; documents.csv: plans, annual reports, assessments and opinions; ...), for each organisation its
  organisations.csv lists, over that organisation's life. An optional ``coverage.csv`` (columns ``kind``,
  ``organisation_code``, ``from``, ``to``; a blank organisation means every one, a blank date an open end) replaces
  the default for each kind it names: to narrow it (posts recorded only for 2016-17) or to widen it.
* A meeting record (ccgkg.importers.governance) covers the posts of that body on that day only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ccgkg.errors import RowProblem
from ccgkg.importers.tables import (
    WORKBOOK_ENCODINGS,
    Column,
    FileTally,
    Kind,
    check_period,
    check_row,
    read_table,
)
from ccgkg.namespaces import CCGKG, fact_iri, org_iri

Triple = tuple[Any, Any, Any]

#: the keyword of each evidence kind, as coverage.csv writes it.
KINDS: dict[str, URIRef] = {
    "organisations": CCGKG.OrganisationRecords, "memberships": CCGKG.MembershipRecords,
    "areas": CCGKG.AreaRecords, "governing-body-posts": CCGKG.GoverningBodyPosts, "board-posts": CCGKG.BoardPosts,
    "commissioning-plans": CCGKG.CommissioningPlanRecords, "annual-reports": CCGKG.AnnualReportRecords,
    "assessments": CCGKG.AssessmentRecords, "opinions": CCGKG.OpinionRecords,
    "financial-returns": CCGKG.FinancialReturnRecords, "contracts": CCGKG.ContractRecords,
}
#: the kinds each workbook file holds completely, by default.
WORKBOOK_KINDS: dict[str, tuple[str, ...]] = {
    "organisations.csv": ("organisations",), "areas.csv": ("areas",), "memberships.csv": ("memberships",),
    "posts.csv": ("governing-body-posts", "board-posts"), "finance.csv": ("financial-returns",),
    "documents.csv": ("commissioning-plans", "annual-reports", "assessments", "opinions"),
    "contracts.csv": ("contracts",),
}
COVERAGE_FILE = "coverage.csv"
COVERAGE_COLUMNS = (Column("kind", Kind.CHOICE, True, tuple(KINDS)), Column("organisation_code", Kind.CODE),
                    Column("from", Kind.ISO_DATE), Column("to", Kind.ISO_DATE))


def statement(kind: str, code: str | Sequence[str] | None, start: dt.date | None, end: dt.date | None,
              sources: Iterable[str]) -> list[Triple]:
    """The triples of one coverage statement (``kind`` a keyword of :data:`KINDS`; ``code`` an organisation code or
    several, None: every organisation; ``sources`` file paths or addresses). An organisation is covered only over
    its own life, so a workbook names its organisations without dates."""
    codes = [code] if isinstance(code, str) else list(code or ())
    key = codes[0] if len(codes) == 1 else ("all" if not codes else "listed")
    node = fact_iri("coverage", kind, key, start.isoformat() if start else "open")
    out: list[Triple] = [(node, RDF.type, CCGKG.CoverageStatement), (node, CCGKG.evidenceKind, KINDS[kind])]
    out += [(node, CCGKG.coversOrganisation, org_iri(c)) for c in codes]
    if start:
        out.append((node, CCGKG.startDate, Literal(start, datatype=XSD.date)))
    if end:
        out.append((node, CCGKG.endDate, Literal(end, datatype=XSD.date)))
    out += [(node, DCTERMS.source, Literal(src)) for src in sorted(set(sources))]
    return out


def gap(kind: str, code: str, start: dt.date, end: dt.date) -> list[Triple]:
    """The triples of one coverage gap: the input does not hold ``kind`` for ``code`` from ``start`` to ``end``,
    although a statement covers it (the gap is taken out of the coverage)."""
    node = fact_iri("coverage-gap", kind, code, start.isoformat())
    return [(node, RDF.type, CCGKG.CoverageGap), (node, CCGKG.evidenceKind, KINDS[kind]),
            (node, CCGKG.coversOrganisation, org_iri(code)), (node, CCGKG.coverageFrom, Literal(start, datatype=XSD.date)),
            (node, CCGKG.coverageUntil, Literal(end, datatype=XSD.date))]


def ods_coverage(read: Mapping[str, Sequence[str]]) -> list[Triple]:
    """The statements of ODS/ONS input: each kind in ``read`` (keyword -> files it came from), for every
    organisation and every day."""
    return [t for kind, files in sorted(read.items()) if files for t in statement(kind, None, None, None, files)]


def workbook_coverage(graph: Graph, folder: Path, present: Sequence[str], problems: list[RowProblem]) \
        -> tuple[list[Triple], FileTally | None]:
    """The statements of a workbook: the default of each file in ``present`` for each organisation of ``graph``
    over its life, then ``coverage.csv`` (if any) in place of the default for each kind it names.

    Returns:
        The triples, and the tally of coverage.csv (None when there is none).
    """
    custom: dict[str, list[Triple]] = {}
    tally = None
    path = folder / COVERAGE_FILE if folder.is_dir() else None
    if path is not None and path.is_file():
        tally = FileTally(str(path), "workbook-coverage")
        custom = _read_coverage(path, tally, problems)
    out: list[Triple] = []
    orgs = sorted(str(c) for c in graph.objects(None, CCGKG.code))
    for name in present:
        for kind in WORKBOOK_KINDS.get(name, ()):
            if kind not in custom and orgs:
                out += statement(kind, orgs, None, None, [str(folder / name)])
    for triples in custom.values():
        out += triples
    return out, tally


def _read_coverage(path: Path, tally: FileTally, problems: list[RowProblem]) -> dict[str, list[Triple]]:
    from ccgkg.errors import TableError

    try:
        table = read_table(path, encodings=WORKBOOK_ENCODINGS)
    except TableError as exc:
        problems.extend(exc.problems)
        tally.rejected += 1
        return {}
    if not table.rows:
        return {}
    header = [h.strip() for h in table.rows[0].values]
    missing = [c.name for c in COVERAGE_COLUMNS if c.name not in header]
    if missing:
        problems.append(RowProblem(str(path), table.rows[0].number, None, ",".join(header),
                                   "coverage.csv header lacks " + ", ".join(missing) + ": expected "
                                   + ", ".join(c.name for c in COVERAGE_COLUMNS)))
        return {}
    positions = [header.index(c.name) for c in COVERAGE_COLUMNS]
    out: dict[str, list[Triple]] = {}
    for row in table.rows[1:]:
        tally.read += 1
        before = len(problems)
        values = check_row(str(path), row, COVERAGE_COLUMNS, positions, problems)
        if values is not None and check_period(str(path), row.number, values["from"], values["to"],
                                               start_col="from", end_col="to", problems=problems):
            out.setdefault(values["kind"], []).extend(
                statement(values["kind"], values["organisation_code"], values["from"], values["to"], [str(path)]))
            tally.imported += 1
        if len(problems) > before:
            tally.rejected += 1
    return out


__all__ = ["COVERAGE_COLUMNS", "COVERAGE_FILE", "KINDS", "WORKBOOK_KINDS", "gap", "ods_coverage", "statement",
           "workbook_coverage"]

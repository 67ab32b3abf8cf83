"""Reported finance and intervention events (``finance/*events*.csv``), each kept with its source as a lead.

The file (columns ``ods_code, organisation_as_reported, financial_year, event_type, metric, value, detail,
source_url, publisher, note``) holds deficits, outturns, control totals and legal directions as news items and
papers reported them. Each row about one organisation becomes a ``ccgkg:ReportedEvent`` (its type, metric, value,
period in the source's words, detail, publisher and ``dcterms:source``). No rule reads them: a reported deficit is
not a financial return (the allotment and expenditure the s.223H rules compare are not given), so they are shown as
facts, never judged. Rows with no organisation code are national counts ("19 CCGs in deficit"), not facts about
one organisation: they are skipped, and counted with that reason. The partial 2013-14 allocations extract is not
read (an allocation alone is nothing a rule checks); :func:`is_allocations_file` recognises it to say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ccgkg.errors import RowProblem
from ccgkg.importers.result import ImportResult, finish
from ccgkg.importers.tables import FileTally, Table, extract_rows
from ccgkg.namespaces import CCGKG, bind_prefixes, fact_iri, org_iri

COLUMNS = ("ods_code", "organisation_as_reported", "financial_year", "event_type", "metric", "value", "detail",
           "source_url", "publisher", "note")
ALLOCATION_COLUMNS = ("code", "name", "raw_population", "weighted_population", "allocation_2013_14_gbp000")
ENCODINGS = ("utf-8-sig", "cp1252")


def is_finance_events_file(table: Table) -> bool:
    """Whether ``table`` has the header of the finance and intervention events extract."""
    return bool(table.rows) and tuple(v.strip() for v in table.rows[0].values) == COLUMNS


def is_allocations_file(table: Table) -> bool:
    """Whether ``table`` is the partial 2013-14 allocations extract (recognised, not read)."""
    return bool(table.rows) and tuple(v.strip() for v in table.rows[0].values[:5]) == ALLOCATION_COLUMNS


def import_finance_events(paths: Sequence[Path | str], *, lenient: bool = False) -> ImportResult:
    """Import finance event extracts: one ``ccgkg:ReportedEvent`` per row about one organisation.

    Raises:
        TableError: strict mode, a row is malformed (wrong column count, a value that is not a number).
    """
    graph = bind_prefixes(Graph())
    problems: list[RowProblem] = []
    tallies: list[FileTally] = []
    for path, tally, row, raw in extract_rows(paths, "finance-events", COLUMNS, ENCODINGS, problems, tallies):
        v = {k: x.strip() for k, x in raw.items()}
        if not v["ods_code"]:
            tally.skip("national count, not a fact about one organisation")
            continue
        try:
            value = Decimal(v["value"]) if v["value"] else None
        except InvalidOperation:
            problems.append(RowProblem(path, row.number, "value", v["value"], "expected a number"))
            tally.rejected += 1
            continue
        node = fact_iri("event", v["ods_code"], v["event_type"], str(row.number))
        triples = [(node, RDF.type, CCGKG.ReportedEvent), (node, CCGKG.reportedAbout, org_iri(v["ods_code"])),
                   (node, CCGKG.eventType, Literal(v["event_type"])),
                   (node, CCGKG.periodAsStated, Literal(v["financial_year"])),
                   (node, RDFS.label, Literal(f"{v['organisation_as_reported']}: {v['event_type']} "
                                              f"{v['financial_year']}"))]
        if v["metric"]:
            triples.append((node, CCGKG.metric, Literal(v["metric"])))
        if value is not None:
            triples.append((node, CCGKG.reportedValue, Literal(value, datatype=XSD.decimal)))
        for prop, col in ((DCTERMS.description, "detail"), (DCTERMS.publisher, "publisher"),
                          (DCTERMS.source, "source_url")):
            if v[col]:
                triples.append((node, prop, Literal(v[col])))
        graph.addN((s, p, o, graph) for s, p, o in triples)
        tally.imported += 1
    return finish(graph, tallies, problems, lenient=lenient)


__all__ = ["COLUMNS", "import_finance_events", "is_allocations_file", "is_finance_events_file"]

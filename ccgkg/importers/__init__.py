"""Importers: NHS ODS files, ONS lookups and analyst workbooks to RDF graphs shaped as docs/design.md fixes.

Library only (no click). ``load_tabular(path)`` is the hook :func:`ccgkg.store.load` calls for folders and CSV files;
``import_ods`` and ``import_workbook`` return an :class:`ImportResult` with the graph and counts of rows read,
imported, skipped and rejected per file; ``write_template`` writes a blank workbook. Strict mode (the default)
raises :class:`ccgkg.errors.TableError` listing every problem; ``lenient=True`` keeps the good rows and returns the
problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ccgkg.importers.finance import import_finance_events
from ccgkg.importers.governance import import_governance
from ccgkg.importers.ods import import_ods, is_ods_input
from ccgkg.importers.result import FileCounts, ImportResult, serialize, write_graph
from ccgkg.importers.workbook import (
    WORKBOOK_FILES,
    import_workbook,
    is_workbook,
    write_template,
)


def load_tabular(path: Path) -> Graph | None:
    """The graph of a workbook folder, an ODS/ONS folder or file, a single workbook CSV, or a folder (or file) of
    the governance and finance extracts; None for other paths. A folder of ODS/ONS files may hold the extracts too
    (``ccgkg validate ../shared/data``): each file is read by the importer that knows it (:func:`survey`).

    Strict: bad rows raise.

    Raises:
        TableError: the input is recognised but has problems (every one listed).
    """
    path = Path(path)
    if is_workbook(path):
        return import_workbook(path).graph
    files = survey(path)
    graph = import_ods([path]).graph if is_ods_input(path) else None
    for kind, importer in (("governance-members", import_governance), ("finance-events", import_finance_events)):
        found = [Path(f.path) for f in files if f.kind == kind]
        if found:
            graph = graph if graph is not None else Graph()
            graph += importer(found).graph
    return graph


@dataclass(frozen=True)
class SurveyedFile:
    """A file below a folder given as input: what ccgkg reads it as (None: not read) and why not."""

    path: str
    kind: str | None
    reason: str = ""


def survey(path: Path) -> list[SurveyedFile]:
    """Every file at or below ``path``: the kind ccgkg reads it as, or why it does not read it."""
    from ccgkg.importers.finance import is_allocations_file, is_finance_events_file
    from ccgkg.importers.governance import is_governance_file
    from ccgkg.importers.ods import peek, recognise

    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    out = []
    for file in files:
        if file.suffix.lower() != ".csv":
            rdf = file.suffix.lower() in (".ttl", ".nt", ".jsonld", ".json-ld", ".rdf", ".xml", ".trig", ".n3", ".owl")
            out.append(SurveyedFile(str(file), "rdf" if rdf else None, "" if rdf else "not a CSV or RDF file"))
            continue
        table = peek(file)
        rec = recognise(table)
        if rec is not None:
            out.append(SurveyedFile(str(file), rec.kind))
        elif is_governance_file(table):
            out.append(SurveyedFile(str(file), "governance-members"))
        elif is_finance_events_file(table):
            out.append(SurveyedFile(str(file), "finance-events"))
        elif is_allocations_file(table):
            out.append(SurveyedFile(str(file), None, "allocations only (partial, 2013-14): no rule checks an "
                                                     "allocation alone"))
        else:
            out.append(SurveyedFile(str(file), None, "not a file ccgkg knows"))
    return out


__all__ = [
    "WORKBOOK_FILES",
    "FileCounts",
    "ImportResult",
    "SurveyedFile",
    "import_finance_events",
    "import_governance",
    "import_ods",
    "import_workbook",
    "is_workbook",
    "load_tabular",
    "serialize",
    "survey",
    "write_graph",
    "write_template",
]

"""Importers: NHS ODS files, ONS lookups and analyst workbooks to RDF graphs shaped as docs/design.md fixes.

Library only (no click). ``load_tabular(path)`` is the hook :func:`ccgkg.store.load` calls for folders and CSV files;
``import_ods`` and ``import_workbook`` return an :class:`ImportResult` with the graph and counts of rows read,
imported, skipped and rejected per file; ``write_template`` writes a blank workbook. Strict mode (the default)
raises :class:`ccgkg.errors.TableError` listing every problem; ``lenient=True`` keeps the good rows and returns the
problems.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ccgkg.importers.ods import import_ods, is_ods_input
from ccgkg.importers.result import FileCounts, ImportResult, serialize, write_graph
from ccgkg.importers.workbook import (
    WORKBOOK_FILES,
    import_workbook,
    is_workbook,
    write_template,
)


def load_tabular(path: Path) -> Graph | None:
    """The graph of a workbook folder, an ODS/ONS folder or file, or a single workbook CSV; None for other paths.

    Strict: bad rows raise.

    Raises:
        TableError: the input is recognised but has problems (every one listed).
    """
    path = Path(path)
    if is_workbook(path):
        return import_workbook(path).graph
    if is_ods_input(path):
        return import_ods([path]).graph
    return None


__all__ = [
    "WORKBOOK_FILES",
    "FileCounts",
    "ImportResult",
    "import_ods",
    "import_workbook",
    "load_tabular",
    "serialize",
    "write_graph",
    "write_template",
]

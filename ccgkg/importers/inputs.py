"""Data sources that must hold data: :func:`load_data` loads each source as :func:`ccgkg.store.load` does and
refuses a source from which nothing was read (an empty folder, a folder of files ccgkg does not know, a workbook
whose files are misnamed, an empty RDF file), saying what was expected and what was found, so that a check over
no data never reads as a pass.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from ccgkg.errors import InputError
from ccgkg.importers.workbook import WORKBOOK_FILES
from ccgkg.namespaces import bind_prefixes

#: How many of a folder's files an error lists.
SHOWN = 8


def load_data(*sources: str | Path) -> Graph:
    """Load every source into one graph; each must give at least one triple.

    Raises:
        InputError: a source gave no data (the message names it, what ccgkg reads and what the source holds), or
            any error :func:`ccgkg.store.load` raises.
    """
    from ccgkg import store

    target = bind_prefixes(Graph())
    for source in sources:
        graph = store.load(source)
        if len(graph) == 0:
            raise nothing_read(Path(source))
        target += graph
    return target


def data_graph(data: Sequence[str | Path]) -> Graph:
    """A command's DATA as a graph (:func:`load_data`: each source must give data); none given, the bundled
    sample."""
    from ccgkg import store

    return load_data(*data) if data else store.sample_graph()


def data_triples(data: Sequence[str | Path]) -> Graph | set[tuple[Node, Node, Node]]:
    """A command's DATA as triples read by :func:`ccgkg.store.read_triples` (the fast path, no graph built), each
    source required to give data as :func:`load_data` requires it; none given, the bundled sample."""
    from ccgkg import store

    if not data:
        return store.sample_graph()
    out: set[tuple[Node, Node, Node]] = set()
    for source in data:
        triples = store.read_triples(source)
        if not triples:
            raise nothing_read(Path(source))
        out |= triples
    return out


def nothing_read(path: Path) -> InputError:
    """The error for a source that gave no data: what was expected, what it holds, and near misses of the
    workbook's file names."""
    expected = ("expected RDF files (.ttl, .nt, .nq, .trig, .jsonld, .rdf, ...), an analyst workbook ("
                + ", ".join(WORKBOOK_FILES) + ") or NHS ODS/ONS CSV files (see docs/import.md)")
    if not path.is_dir():
        return InputError(f"no data read from {path}: the file holds no triples", hint=expected)
    files = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
    if not files:
        return InputError(f"no data read from {path}: the folder is empty", hint=expected)
    near = [f"{name} (did you mean {match[0]}?)" for name in files
            if (match := difflib.get_close_matches(Path(name).name.lower(), WORKBOOK_FILES, n=1, cutoff=0.75))]
    shown = ", ".join(files[:SHOWN]) + (f" and {len(files) - SHOWN} more" if len(files) > SHOWN else "")
    message = f"no data read from {path}: none of its files is one ccgkg reads (found {shown})"
    if near:
        message += "; misnamed workbook files: " + ", ".join(near)
    return InputError(message, hint=expected)


__all__ = ["data_graph", "data_triples", "load_data", "nothing_read"]

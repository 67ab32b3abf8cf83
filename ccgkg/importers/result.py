"""The outcome of an import (:class:`ImportResult`), how strict and lenient modes end, and stable serialisation.

Both modes count, per file, the rows read, imported, skipped (rows that are fine but describe something outside
ccgkg's scope, each reason listed in the file's notes) and rejected (rows with a problem). Strict mode raises
:class:`ccgkg.errors.TableError` listing every problem; lenient mode returns the problems with the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ccgkg.errors import InputError, RowProblem, TableError
from ccgkg.fileio import atomic_write
from ccgkg.importers.tables import FileTally


@dataclass(frozen=True)
class FileCounts:
    """Counts for one input file.

    Attributes:
        path: the file as named in problems.
        kind: what ccgkg recognised it as (e.g. ``ods-eccg``, ``workbook-organisations``).
        read: non-blank data rows read (header excluded).
        imported: rows that became RDF.
        skipped: good rows outside ccgkg's scope (``notes`` says which and why).
        rejected: rows with at least one problem.
        notes: why rows were skipped, one line per reason.
    """

    path: str
    kind: str
    read: int
    imported: int
    skipped: int
    rejected: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    """A finished import: the graph, counts per file and every problem (empty unless lenient).

    Attributes:
        graph: the imported organisations and dated facts.
        files: counts per input file, in input order.
        problems: every rejected row's problems (lenient mode); strict mode raises instead.
    """

    graph: Graph
    files: tuple[FileCounts, ...]
    problems: tuple[RowProblem, ...]
    #: how many triples were written when the import streamed them to a file (``graph`` is then empty)
    written: int | None = None

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def imported(self) -> int:
        return sum(f.imported for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def summary(self) -> str:
        """A plain-text table of the counts, one line per file and a total line."""
        width = max([len(f.path) for f in self.files] + [5])
        lines = [f"{'file':<{width}}  {'kind':<22} {'read':>7} {'imported':>8} {'skipped':>7} {'rejected':>8}"]
        for f in self.files:
            lines.append(f"{f.path:<{width}}  {f.kind:<22} {f.read:>7} {f.imported:>8} {f.skipped:>7} "
                         f"{f.rejected:>8}")
            lines.extend(f"{'':<{width}}    {note}" for note in f.notes)
        lines.append(f"{'total':<{width}}  {'':<22} {self.read:>7} {self.imported:>8} {self.skipped:>7} "
                     f"{self.rejected:>8}")
        lines.append(f"{len(self.graph) if self.written is None else self.written} triples")
        return "\n".join(lines)


def finish(graph: Graph, tallies: list[FileTally], problems: list[RowProblem], *, lenient: bool) -> ImportResult:
    """End an import: raise on any problem in strict mode (and in lenient mode when rows were read but none could be
    imported, so that no empty file is written), else freeze the counts into an :class:`ImportResult`.

    Raises:
        TableError: every problem listed.
    """
    read = sum(t.read for t in tallies)
    rejected = sum(t.rejected for t in tallies)
    if problems and not lenient:
        raise TableError(problems, hint=f"read {read} rows in {len(tallies)} file(s), {rejected} with problems; "
                                        "fix them, or add --lenient to import the good rows and list the rest")
    if problems and not any(t.imported for t in tallies):
        raise TableError(problems, hint=f"read {read} rows in {len(tallies)} file(s) and none could be imported, "
                                        "so there is nothing to write, even with --lenient; fix the problems above")
    files = tuple(FileCounts(t.path, t.kind, t.read, t.imported, t.skipped, t.rejected, t.notes())
                  for t in tallies)
    return ImportResult(graph, files, tuple(problems))


#: Output suffix -> rdflib serializer. ``.nt`` and ``.ttl`` are written in a stable, sorted form.
OUTPUT_FORMATS = {".nt": "nt", ".ttl": "longturtle", ".turtle": "longturtle", ".jsonld": "json-ld",
                  ".json-ld": "json-ld", ".rdf": "xml", ".xml": "xml", ".trig": "trig", ".n3": "n3"}


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise ``graph`` in a stable form: sorted N-Triples for ``nt``, canonical ``longturtle`` for Turtle."""
    if fmt == "nt":
        text = graph.serialize(format="nt")
        lines = sorted(line for line in text.splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    data = graph.serialize(format=fmt)
    return data.encode("utf-8") if isinstance(data, str) else data


def output_format(path: Path) -> str:
    """The serializer for an output file, from its suffix.

    Raises:
        InputError: the suffix names no supported format.
    """
    fmt = OUTPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot tell the output format of {path} from its suffix",
                         hint="use one of " + ", ".join(sorted(OUTPUT_FORMATS)))
    return fmt


def write_graph(graph: Graph, path: Path) -> Path:
    """Write ``graph`` to ``path`` atomically, in the format its suffix names.

    Raises:
        InputError: unknown suffix, or the folder does not exist.
    """
    return atomic_write(path, serialize(graph, output_format(path)))


__all__ = ["OUTPUT_FORMATS", "FileCounts", "ImportResult", "finish", "output_format", "serialize", "write_graph"]

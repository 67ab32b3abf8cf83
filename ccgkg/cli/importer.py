"""``ccgkg import``: ODS/ONS files and analyst workbooks to RDF, and a blank workbook template (Click only).

Counts go to stderr; with ``-o/--output`` (``--out``, its older name, still works) the graph is written atomically,
else Turtle goes to stdout; the output path is checked before the import starts. Exit 0 when the
import succeeds (in ``--lenient`` mode also when rows were rejected, each listed on stderr); exit 2 on bad input,
with every problem listed and nothing written.
"""

from __future__ import annotations

from pathlib import Path

import click

from ccgkg.cli.options import output_option
from ccgkg.fileio import check_output
from ccgkg.importers import (
    ImportResult,
    import_ods,
    import_workbook,
    serialize,
    write_graph,
    write_template,
)
from ccgkg.importers.result import OUTPUT_FORMATS

_OUT_HELP = "Write the graph here (format from the suffix: .ttl, .nt, .jsonld, .rdf, .trig); default: Turtle on stdout."
_LENIENT_HELP = "Import the good rows and list every rejected row, instead of failing (strict mode lists every problem and writes nothing)."


def _check(out: Path | None) -> None:
    if out is not None:
        check_output(out, OUTPUT_FORMATS)


def _emit(result: ImportResult, out: Path | None) -> None:
    for problem in result.problems:
        click.echo("rejected: " + problem.render(), err=True)
    if out is not None:
        write_graph(result.graph, out)
    else:
        click.echo(serialize(result.graph, "longturtle").decode("utf-8"), nl=False)
    click.echo(result.summary(), err=True)
    if out is not None:
        click.echo(f"wrote {out}", err=True)


@click.group("import")
def import_group() -> None:
    """Turn NHS ODS files, ONS lookups and analyst workbooks into RDF."""


@import_group.command("ods")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option(_OUT_HELP, alias="--out")
@click.option("--lenient", is_flag=True, help=_LENIENT_HELP)
def ods(files: tuple[Path, ...], output: Path | None, lenient: bool) -> None:
    """Import ODS eccg/epraccur files and ONS names, codes and lookups (files or folders of them).

    Counts of rows read, imported, skipped and rejected go to stderr. Exit 0 on success; exit 2 on bad input, with
    every problem (file, row, column, value, what was expected) listed and nothing written.
    """
    _check(output)
    if output is not None and output.suffix.lower() == ".nt":  # streamed: the graph is written as it is made
        from ccgkg.importers.ods import import_ods_ntriples

        result = import_ods_ntriples(files, output, lenient=lenient)
        for problem in result.problems:
            click.echo("rejected: " + problem.render(), err=True)
        click.echo(result.summary(), err=True)
        click.echo(f"wrote {output}", err=True)
        return
    _emit(import_ods(files, lenient=lenient), output)


@import_group.command("workbook")
@click.argument("folder", type=click.Path(path_type=Path))
@output_option(_OUT_HELP, alias="--out")
@click.option("--lenient", is_flag=True, help=_LENIENT_HELP)
def workbook(folder: Path, output: Path | None, lenient: bool) -> None:
    """Import an analyst workbook: a folder of CSV files (see `ccgkg import template`).

    Counts of rows read, imported and rejected go to stderr. Exit 0 on success; exit 2 on bad input, with every
    problem (file, row, column, value, what was expected) listed and nothing written.
    """
    _check(output)
    _emit(import_workbook(folder, lenient=lenient), output)


@import_group.command("template")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
def template(folder: Path) -> None:
    """Write a blank workbook with one example row per file into FOLDER."""
    for path in write_template(folder):
        click.echo(str(path))


__all__ = ["import_group"]

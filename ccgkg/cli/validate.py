"""``ccgkg validate`` and ``ccgkg explain``: check organisation data against the shapes that cite the law.
Click only: the work is in :mod:`ccgkg.validation`, :mod:`ccgkg.report` and :mod:`ccgkg.explain`."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TextIO

import click

from ccgkg.cli.options import (
    as_of_option,
    data_argument,
    inference_option,
    output_option,
)

if TYPE_CHECKING:
    from rdflib import Graph

    from ccgkg.validation import ValidationResult

FORMATS = ("text", "json", "turtle", "jsonld", "html")


class ProgressBar:
    """A progress bar on standard error, drawn only on a terminal, only once the work has taken a second, and
    never with ``--quiet``; the line is cleared at the end."""

    WIDTH = 30

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.active = not quiet and self.stream.isatty()
        self.start = time.monotonic()
        self.drawn = False

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.active or time.monotonic() - self.start < 1.0:
            return
        filled = self.WIDTH * done // max(total, 1)
        self.stream.write(f"\r{what} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}")
        self.stream.flush()
        self.drawn = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * (self.WIDTH + 40) + "\r")
            self.stream.flush()


@contextlib.contextmanager
def _notices() -> Iterator[None]:
    """Library notices (shapes judged another way) as ``Notice: ...`` lines on standard error."""
    from ccgkg.judging import FallbackNotice

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FallbackNotice)
        yield
    for w in caught:
        if issubclass(w.category, FallbackNotice):
            click.echo(f"Notice: {w.message}", err=True)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def _load(data: tuple[str, ...]) -> Graph:
    """DATA, each source holding some data (no data read is an error, never "No findings"), or the sample."""
    from ccgkg.importers.inputs import data_graph

    graph = data_graph(data)
    _report_skipped(data)
    return graph


def _report_skipped(data: tuple[str, ...]) -> None:
    """Say on standard error which files of each folder given were not read, and why."""
    from pathlib import Path

    from ccgkg.importers import is_workbook, survey

    for item in data:
        if not Path(item).is_dir() or is_workbook(Path(item)):
            continue
        files = survey(Path(item))
        skipped = [f for f in files if f.kind is None]
        click.echo(f"Read {len(files) - len(skipped)} of {len(files)} files in {item}"
                   + ("; skipped:" if skipped else ""), err=True)
        for f in skipped:
            click.echo(f"  {f.path}: {f.reason}", err=True)


def endpoint_options(f: Any) -> Any:
    """``--endpoint`` and its companions: validation inside a SPARQL store (:mod:`ccgkg.remote_validate`)."""
    for option in reversed((
            click.option("--endpoint", metavar="URL", default=None,
                         help="Validate the data in this store's SPARQL query endpoint instead of DATA (the "
                              "data is not downloaded; needs --materialise for now)."),
            click.option("--graph", "graph", metavar="IRI", default=None,
                         help="The store's named graph holding the data (default: the one `ccgkg push` writes; "
                              "'default': the store's default graph)."),
            click.option("--materialise", is_flag=True, default=False,
                         help="Build each judging day's state in a work graph of the store with SPARQL Update "
                              "(never in the data graph; cleared after)."),
            click.option("--update-endpoint", metavar="URL", default=None,
                         help="The store's SPARQL Update endpoint (default: beside --endpoint, e.g. /query -> "
                              "/update)."),
            click.option("--work-graph", metavar="IRI", default=None,
                         help="The named graph --materialise writes (default "
                              "https://w3id.org/ccgkg/graph/validation-work)."),
            click.option("--timeout", "endpoint_timeout", type=click.FloatRange(min=0, min_open=True), default=None,
                         metavar="SECONDS", help="Seconds the store may take to answer each request (default "
                                                 "120)."))):
        f = option(f)
    return f


def _check_remote_options(ctx: click.Context, remote: dict[str, Any]) -> None:
    """The endpoint options only with --endpoint, and --engine only without it (never silently ignored)."""
    if remote["endpoint"]:
        if ctx.get_parameter_source("engine") is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError("--engine chooses the in-process engine; with --endpoint the store judges the "
                                   "data (leave --engine out)")
        return
    given = [f"--{name.replace('_', '-')}" for name in ("graph", "materialise", "update_endpoint", "work_graph")
             if remote[name]] + (["--timeout"] if remote["endpoint_timeout"] is not None else [])
    if given:
        verb = "goes" if len(given) == 1 else "go"
        raise click.UsageError(f"{', '.join(given)} {verb} only with --endpoint URL (validation inside a store)")


def _remote(data: tuple[str, ...], remote: dict[str, Any], **options: Any) -> ValidationResult:
    """Validate inside the store of ``--endpoint``; say on standard error what was written there."""
    from ccgkg import remote_validate
    from ccgkg.errors import InputError

    if data:
        raise InputError(f"give DATA or --endpoint, not both (DATA: {' '.join(data)})",
                         hint="--endpoint validates the data already in the store")
    done = remote_validate.validate_endpoint(
        remote["endpoint"], graph=remote["graph"], materialise=remote["materialise"],
        update_url=remote["update_endpoint"], work_graph=remote["work_graph"],
        **({} if remote["endpoint_timeout"] is None else {"timeout": remote["endpoint_timeout"]}), **options)
    m = done.materialised
    if m is not None:
        days = ("all the data and " if m.whole else "") + f"{m.days} judging day" + ("" if m.days == 1 else "s")
        click.echo(f"Materialised {days} in <{m.graph}> at {done.endpoint}: {m.copied:,} triples of the data "
                   f"written and {m.derived:,} derived there by the rules, summed over the days; the ontology "
                   f"({m.ontology:,} triples) in <{m.ontology_graph}>; "
                   + ("both graphs cleared" if m.cleared else "left in place"), err=True)
    return done.result


@click.command("validate")
@data_argument
@as_of_option("Judge the state on this day only (YYYY-MM-DD); default: every day something changes.")
@click.option("--org", "orgs", multiple=True, metavar="CODE", help="Only findings about this organisation (repeatable).")
@click.option("--provision", "provisions", multiple=True, metavar="CITATION",
              help="Only the rules enforcing this provision or its parts, e.g. s.194(2) (repeatable).")
@inference_option()
@click.option("--shapes", "shapes_file", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Extra SHACL shapes (Turtle or any RDF file); shapes citing provisions are judged day by day.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Exit 1 when a finding is at or above this severity.")
@click.option("--require-coverage", is_flag=True, default=False,
              help="Exit 4 when some rule could not judge some organisation-day (its evidence out of scope).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@output_option("Write the report to this file (atomically) instead of standard output.")
@click.option("--engine", type=click.Choice(["fast", "batched", "pyshacl"]), default="fast", show_default=True,
              help="SHACL engine: fast (legal rules compiled to SPARQL), batched (pySHACL's shape model, SPARQL "
                   "batched), or pySHACL (the reference; slowest).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar on standard error.")
@endpoint_options
@click.pass_context
def validate(ctx: click.Context, /, data: tuple[str, ...], as_of: dt.date | None, orgs: tuple[str, ...],
             provisions: tuple[str, ...], inference: str, shapes_file: str | None, fail_on: str,
             require_coverage: bool, fmt: str, output: Path | None, engine: str, quiet: bool,
             **remote: Any) -> None:
    """Check DATA (default: the bundled sample) against the legal rules, each fact judged on its own date.

    DATA: RDF files in any common syntax, folders of them, workbooks or ODS files. Exit codes: 0 no finding at or
    above --fail-on, 1 findings, 2 bad input or usage, 4 (with --require-coverage, and no finding) some
    organisation-days not judged. With --endpoint, the data stays in the store and the store judges it
    (docs/design.md, "Validation inside a store").
    """
    from ccgkg import report, store, validation
    from ccgkg.fileio import atomic_write, check_output

    _check_remote_options(ctx, remote)
    if output:
        check_output(output)
    extra = store.load(shapes_file) if shapes_file else None
    with _notices(), ProgressBar(quiet) as bar:
        if remote["endpoint"]:
            result = _remote(data, remote, as_of=as_of, orgs=orgs, provisions=provisions, inference=inference,
                             extra_shapes=extra, progress=bar)
        else:
            result = validation.validate(_load(data), as_of=as_of, orgs=orgs, provisions=provisions,
                                         inference=inference, extra_shapes=extra, engine=engine, progress=bar)
    for citation in validation.unchecked_provisions(provisions, extra) if provisions else ():
        click.echo(f"Note: no rule checks {citation} or its parts: it was not checked", err=True)
    text = report.render(result, fmt)
    if output:
        atomic_write(output, text)
        click.echo(f"{report.summary_line(result)}; report written to {output}", err=True)
    else:
        click.echo(text, nl=False)
    if result.fails(fail_on):
        ctx.exit(1)
    if require_coverage and result.not_judged:
        click.echo(f"Error: --require-coverage: {result.not_judged:,} organisation-days were not judged "
                   "(their evidence is out of scope; see the coverage section)", err=True)
        ctx.exit(4)
    ctx.exit(0)


@click.command("explain")
@click.argument("code")
@click.argument("data", nargs=-1, type=click.Path(path_type=str))
@as_of_option("Explain the state on this day only (YYYY-MM-DD).")
@inference_option()
@click.option("--quiet", "-q", is_flag=True, help="No progress bar on standard error.")
def explain(code: str, data: tuple[str, ...], as_of: dt.date | None, inference: str, quiet: bool) -> None:
    """Explain organisation CODE in DATA (default: the bundled sample): the duties that bind it, every rule
    checked and its outcome, and the facts and inference steps behind each finding."""
    from ccgkg import explain as explainlib

    with _notices(), ProgressBar(quiet) as bar:
        found = explainlib.explain(_load(data), code, as_of=as_of, inference=inference, progress=bar)
    click.echo(explainlib.render_explanation(found), nl=False)


__all__ = ["ProgressBar", "explain", "validate"]

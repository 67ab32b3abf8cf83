"""``ccgkg query``, ``ccgkg sparql`` and ``ccgkg push``: ask the knowledge graph in SPARQL, here or in any store.

Click only: the work is in :mod:`ccgkg.queries` (named queries, parameters, evaluation), :mod:`ccgkg.results`
(formats) and :mod:`ccgkg.endpoint` (SPARQL 1.1 Protocol and Graph Store Protocol).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ccgkg.cli.options import as_of_option, data_argument, inference_option
from ccgkg.guards import DEFAULT_TIMEOUT_S

F = TypeVar("F", bound=Callable[..., Any])


def timeout_option(help_text: str) -> Callable[[F], F]:
    """``--timeout SECONDS`` (default 120)."""
    return click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT_S, show_default=True,
                        metavar="SECONDS", help=help_text)

FORMAT_CHOICES = ("table", "csv", "tsv", "json", "jsonl", "turtle", "jsonld")


def _answer_options(f: F) -> F:
    """The options ``query`` and ``sparql`` share."""
    for option in reversed([
        click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
                     help="A parameter value (repeatable); `ccgkg query --list` shows each query's parameters."),
        click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table", show_default=True,
                     help="table for people; csv, tsv, json: the W3C SPARQL 1.1 results formats; jsonl: one JSON "
                          "row per line; turtle, jsonld: the graph of a CONSTRUCT or DESCRIBE query."),
        inference_option(),
        click.option("--limit", type=click.IntRange(min=0), default=None,
                     help="Only the first N rows (after the query's ORDER BY); for SELECT, written into the "
                          "query as its LIMIT, so the engine or store stops there."),
        click.option("--with-report", is_flag=True,
                     help="Validate DATA first and add the validation report graph, so the query can join "
                          "findings (sh:result nodes with ccgkg:provision, ccgkg:organisation, ccgkg:onDate)."),
        click.option("--endpoint", metavar="URL", default=None,
                     help="Run the query at this SPARQL 1.1 query endpoint instead of on DATA."),
        click.option("--graph", "graph_iri", metavar="IRI", default=None,
                     help="With --endpoint: the named graph to read (default: the one `ccgkg push` writes; "
                          "'default' for the store's default graph)."),
        click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
                     help="In-process engine: oxigraph (an in-memory pyoxigraph store, fast) or rdflib (the "
                          "reference; slow on large data). Both give the same answers."),
        click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=str), default=None,
                     help="Write the result to this file (atomically) instead of standard output."),
        timeout_option("Seconds the query may run here, or the endpoint may take to answer (0: no limit here)."),
        click.option("--allow-service", is_flag=True,
                     help="Let an in-process query call the http(s) SPARQL services its SERVICE clauses name "
                          "(refused without it: a query could make ccgkg fetch any URL)."),
        click.option("--max-response", "max_response", type=click.FloatRange(min=0, min_open=True), default=100,
                     show_default=True, metavar="MB",
                     help="With --endpoint: stop reading an answer larger than this many megabytes."),
    ]):
        f = option(f)
    return f


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    from ccgkg.errors import QueryParameterError

    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryParameterError(f"-p {item!r} is not KEY=VALUE", hint="write e.g. -p org=02H")
        if key.strip() in values:
            raise QueryParameterError(f"parameter {key.strip()!r} is given twice")
        values[key.strip()] = value
    return values


def _report(data: Any, as_of: dt.date | None, inference: str) -> Any:
    from ccgkg import queries

    return queries.validation_report(data, as_of=as_of, inference=inference)


def _emit(payload: bytes, output: str | None) -> None:
    if output:
        from ccgkg.fileio import atomic_write

        atomic_write(output, payload)
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()


def _answer(bound: Any, *, data: tuple[str, ...], fmt: str, inference: str, limit: int | None, with_report: bool,
            endpoint: str | None, graph_iri: str | None, output: str | None, snapshot_day: dt.date | None,
            report_day: dt.date | None, timeout: float, allow_service: bool, max_response: float,
            engine: str = "oxigraph") -> None:
    """Run a bound query here or at ``endpoint`` and write the result (``output`` checked before any work)."""
    from ccgkg import guards, queries, results
    from ccgkg.errors import InputError
    from ccgkg.fileio import check_output
    from ccgkg.importers.inputs import data_graph

    if output:
        check_output(output)
    if endpoint:
        from ccgkg import endpoint as remote

        if data or with_report or snapshot_day:
            raise InputError("with --endpoint the query reads the store: DATA, --with-report and --as-of on "
                             "`sparql` do not apply", hint="load them into the store with `ccgkg push` first")
        text = guards.with_limit(bound.text, limit) if bound.query.form == "SELECT" else bound.text
        result = remote.query(endpoint, text, form=bound.query.form, graph=graph_iri or remote.DEFAULT_GRAPH,
                              timeout=timeout or remote.TIMEOUT_S, max_bytes=int(max_response * 2**20))
    else:
        if graph_iri:
            raise InputError("--graph is for --endpoint", hint="give DATA files to query them here")
        guards.guard_query(bound.text, name=bound.query.name, allow_service=allow_service)
        graph = data_graph(data)
        if snapshot_day is not None:
            from ccgkg.temporal import snapshot

            graph = snapshot(graph, snapshot_day)
        if not with_report and bound.query.needs_report:
            click.echo(f"Note: {bound.query.name} reads the validation report, so DATA is validated first "
                       "(as with --with-report)", err=True)
        report = _report(graph, report_day, inference) if with_report or bound.query.needs_report else None
        result = queries.answer(bound, graph, inference=inference, report=report, engine=engine,
                                allow_service=allow_service, timeout=timeout, limit=limit)
    _emit(results.render(result.limited(limit), fmt), output)


def _catalogue(fmt: str, name: str | None = None) -> bytes:
    """The named queries (only ``name`` when given) as a table (or rows in a results format): name, title,
    parameters, provisions."""
    from rdflib import Literal

    from ccgkg import queries, results
    from ccgkg.law import render_table

    header = ("name", "title", "parameters", "provisions")
    chosen = [queries.load_query(name)] if name else queries.list_queries()
    rows: list[tuple[str, ...]] = [(q.name, q.title, q.signature(), " ".join(q.provisions) or "-") for q in chosen]
    if fmt == "table":
        return render_table(header, rows).encode("utf-8")
    listing = queries.QueryResult(form="SELECT", variables=header,
                                  rows=tuple(tuple(Literal(c) for c in row) for row in rows))
    return results.render(listing, fmt)


@click.command("query")
@click.argument("name", required=False)
@data_argument
@click.option("--list", "list_", is_flag=True,
              help="List the named queries (only NAME when given): name, title, parameters, provisions (in --format: "
                   "table, csv, tsv, json, jsonl).")
@click.option("--show-query", is_flag=True,
              help="Print the query text as the engine receives it (parameters in its VALUES row) and stop.")
@_answer_options
@as_of_option("The value of every date parameter not given with -p (and the day the report judges).")
def query(name: str | None, data: tuple[str, ...], list_: bool, show_query: bool, params: tuple[str, ...], fmt: str,
          inference: str, limit: int | None, with_report: bool, endpoint: str | None, graph_iri: str | None,
          engine: str, output: str | None, timeout: float, allow_service: bool, max_response: float,
          as_of: dt.date | None) -> None:
    """Run the named query NAME on DATA (default: the bundled sample) or at --endpoint.

    Parameters are typed (iri, code, date, integer, string) and bound by the engine, never pasted into the
    query text. A missing, unknown or ill-typed parameter exits 2 and lists the declared ones. Queries that read
    the validation report (find-breaches, count-findings) validate DATA first.
    """
    from ccgkg import queries
    from ccgkg.errors import InputError

    if list_:
        _emit(_catalogue(fmt, name), output)
        return
    if not name:
        raise InputError("give the name of a query, or --list to see them", hint="e.g. ccgkg query list-duties")
    named = queries.load_query(name)
    bound = queries.bind(named, _parse_params(params), dates=as_of)
    if show_query:
        _emit(bound.text.encode("utf-8"), output)
        return
    _answer(bound, data=data, fmt=fmt, inference=inference, limit=limit, with_report=with_report, endpoint=endpoint,
            graph_iri=graph_iri, output=output, snapshot_day=None, report_day=as_of, timeout=timeout,
            allow_service=allow_service, max_response=max_response, engine=engine)


@click.command("sparql")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@data_argument
@_answer_options
@as_of_option("Query the data as it stood on this day (a temporal snapshot: facts not holding then are dropped).")
def sparql(file: str, data: tuple[str, ...], params: tuple[str, ...], fmt: str, inference: str, limit: int | None,
           with_report: bool, endpoint: str | None, graph_iri: str | None, engine: str, output: str | None,
           timeout: float, allow_service: bool, max_response: float, as_of: dt.date | None) -> None:
    """Run the SPARQL query in FILE ('-' for standard input) on DATA (default: the bundled sample) or at
    --endpoint. A file may open with the same header as a named query and take -p parameters.

    Queries only: an update is refused. In-process, SERVICE is refused unless --allow-service, and GRAPH, FROM
    and FROM NAMED are refused (DATA is one merged graph); each exits 2.
    """
    from ccgkg import queries
    from ccgkg.errors import SourceNotFound

    if file == "-":
        text, label = sys.stdin.read(), "<stdin>"
    else:
        try:
            with open(file, encoding="utf-8") as handle:
                text, label = handle.read(), file
        except OSError as exc:
            raise SourceNotFound(f"cannot read {file}: {exc.strerror}", hint="check the path") from None
    named = queries.parse_query(text, name=label)
    bound = queries.bind(named, _parse_params(params))
    _answer(bound, data=data, fmt=fmt, inference=inference, limit=limit, with_report=with_report, endpoint=endpoint,
            graph_iri=graph_iri, output=output, snapshot_day=as_of, report_day=as_of, timeout=timeout,
            allow_service=allow_service, max_response=max_response, engine=engine)


@click.command("push")
@data_argument
@click.option("--endpoint", metavar="URL", required=True,
              help="The store's Graph Store Protocol endpoint (or, with --protocol update, its Update endpoint).")
@click.option("--graph", "graph_iri", metavar="IRI", default=None,
              help="The named graph to replace (default https://w3id.org/ccgkg/graph/kg; 'default' for the "
                   "store's default graph).")
@click.option("--protocol", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="gsp: one PUT of the graph; update: one SPARQL Update request (DROP then INSERT DATA).")
@inference_option()
@click.option("--report/--no-report", default=True, show_default=True,
              help="Validate DATA and load the validation report graph too.")
@as_of_option("The day the validation report judges (default: every dated fact on its own dates).")
@timeout_option("Seconds the store may take to answer.")
def push(data: tuple[str, ...], endpoint: str, graph_iri: str | None, protocol: str, inference: str, report: bool,
         as_of: dt.date | None, timeout: float) -> None:
    """Load DATA (default: the bundled sample) with the ontology, the shapes, the named-query catalogue, the
    inferred triples and the validation report into one named graph of a store, replacing it in one request.

    --endpoint must be an http(s) URL and --graph an IRI (checked before anything is read or sent). Credentials
    (CCGKG_ENDPOINT_USER and CCGKG_ENDPOINT_PASSWORD, or CCGKG_ENDPOINT_TOKEN) go to that origin only: a
    redirect elsewhere is refused.
    """
    from ccgkg import endpoint as remote
    from ccgkg import oxstore
    from ccgkg.importers.inputs import data_graph, data_triples

    remote.check_endpoint(endpoint)
    remote.check_graph(graph_iri)
    if report:
        graph = data_graph(data)
        sources = oxstore.query_sources(graph, inference=inference, report=_report(graph, as_of, inference))
    else:  # the fast path: files read by pyoxigraph, no graph of the data built
        sources = oxstore.query_sources(data_triples(data), inference=inference)
    body, count = oxstore.query_ntriples(sources)  # the triples of query_graph, as a store holds them
    done = remote.push_ntriples(endpoint, body, count,
                                graph_iri=graph_iri or remote.DEFAULT_GRAPH, protocol=protocol,
                                timeout=timeout or remote.TIMEOUT_S)
    click.echo(f"{done.triples} triples loaded into <{done.graph}> at {done.url} "
               f"({done.protocol}, HTTP {done.status})")


__all__ = ["push", "query", "sparql"]

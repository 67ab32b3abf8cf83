"""``ccgkg publish`` and ``ccgkg serve``: the knowledge graph as linked data, as a static site or over HTTP.

Click only: the work is in :mod:`ccgkg.publish` (resources, pages, dumps, dataset description) and
:mod:`ccgkg.server` (content negotiation, the SPARQL 1.1 Protocol, the query page).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Any

import click

from ccgkg.cli.options import as_of_option, data_argument, inference_option


def _progress(start: float) -> Any:
    def say(line: str) -> None:
        click.echo(f"[{time.monotonic() - start:5.1f} s] {line}", err=True)

    return say


def _site(data: tuple[str, ...], *, base: str | None, as_of: dt.date | None, inference: str) -> Any:
    from ccgkg.importers.inputs import data_graph
    from ccgkg.namespaces import BASE
    from ccgkg.publish import Site

    start = time.monotonic()
    say = _progress(start)
    say(f"loading {' '.join(data)}" if data else "loading the bundled sample")
    graph = data_graph(data)
    return Site(graph, base=base or BASE, as_of=as_of, inference=inference, progress=say), say


@click.command("publish")
@data_argument
@click.option("--out", "-o", "--output", "out", required=True, type=click.Path(file_okay=False, path_type=str),
              help="The folder to write the site into (new, empty, or an earlier site, which is replaced whole).")
@click.option("--base", metavar="IRI", default=None,
              help="The IRI base the site is published under (default https://w3id.org/ccgkg/).")
@as_of_option("Validate on this day only (default: every judging day; a day keeps all England under a minute).")
@inference_option()
def publish(data: tuple[str, ...], out: str, base: str | None, as_of: dt.date | None, inference: str) -> None:
    """Write a static linked-data site for DATA (default: the bundled sample): a page per resource with its
    Turtle, JSON-LD, N-Triples, JSON and CSV, indexes, ontology documentation, dumps, a VoID and DCAT dataset
    description, a sitemap and example web-server configuration. Publishing twice gives identical files."""
    from ccgkg.publish import check_base, check_target

    check_target(out)
    check_base(base or "https://w3id.org/ccgkg/")
    site, say = _site(data, base=base, as_of=as_of, inference=inference)
    count = site.write(out)
    say(f"wrote {count} files to {out}")
    from ccgkg.report import summary_line

    click.echo(f"{out}: {len(site.pages)} resources, {len(site.graph)} triples; {summary_line(site.result)}")


@click.command("serve")
@data_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a SPARQL query may run before it is stopped.")
@click.option("--row-limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Rows (or triples) a query may return.")
@click.option("--request-limit", type=click.IntRange(min=1024), default=65_536, show_default=True,
              help="Bytes a request body or query string may hold.")
@click.option("--get", "get_path", metavar="PATH", default=None,
              help="Answer this one request (e.g. /id/org/02H), print the body and stop (no server is started).")
@click.option("--accept", default=None, metavar="TYPE", help="With --get: the Accept header to send.")
@as_of_option("Validate on this day only (default: every judging day).")
@inference_option()
def serve(data: tuple[str, ...], host: str, port: int, time_limit: float, row_limit: int, request_limit: int,
          get_path: str | None, accept: str | None, as_of: dt.date | None, inference: str) -> None:
    """Serve DATA (default: the bundled sample) as linked data with a read-only SPARQL 1.1 endpoint at /sparql.

    Resources answer at the path of their IRI (/id/... with 303 to /doc/...), in the format the Accept header or
    a suffix asks for. Listens on 127.0.0.1 unless --host says otherwise."""
    from ccgkg.server import call, make_app
    from ccgkg.server import serve as run_server
    from ccgkg.service import Limits

    site, say = _site(data, base=None, as_of=as_of, inference=inference)
    app = make_app(site, limits=Limits(time_limit=time_limit, row_limit=row_limit, request_limit=request_limit))
    if get_path is not None:
        response = call(app, get_path, accept=accept)
        if response.status >= 400:
            from ccgkg.errors import InputError

            text = response.body.decode("utf-8", "replace").strip().removeprefix("Error: ")
            message, _, hint = text.partition("\nHint: ")
            raise InputError(f"HTTP {response.status} for {get_path}: {message}", hint=hint or None)
        if response.status == 303:
            click.echo(f"303 See Other: {response.header('Location')}", err=True)
        sys.stdout.buffer.write(response.body)
        sys.stdout.flush()
        return
    try:
        run_server(app, host, port, ready=lambda url: say(f"serving {url} (SPARQL at {url}sparql); Ctrl-C stops"))
    except OSError as exc:
        from ccgkg.errors import InputError

        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}",
                         hint="choose another --port (0 picks a free one)") from None
    except KeyboardInterrupt:
        say("stopped")


__all__ = ["publish", "serve"]
